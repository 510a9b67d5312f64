/**
 * The shape of a detection rule. Rules run on canonical views (lower case, NFKC, collapsed
 * whitespace), so patterns are written in lower case with ASCII punctuation. A rule's weight
 * is its score when it fires: weights ≥ 0.5 flag on their own at the default threshold,
 * lower ("supporting") weights only raise the classifier's score (see combine.ts).
 */

export type AttackType = 'injection' | 'jailbreak';

export interface InjectionRule {
  id: string;
  type: AttackType;
  weight: number;
  pattern: RegExp;
  /**
   * Cheap substring gates: the rule's expression runs only when, for every list, the view
   * contains at least one of its strings. Most views pass no gate, which keeps dozens of
   * rules far below a millisecond on a 2 KB text.
   */
  gates?: readonly (readonly string[])[];
}

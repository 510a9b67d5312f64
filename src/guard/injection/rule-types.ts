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
   * Cheap substring test: the rule runs only when the view contains one of these.
   * Keeps a 2 KB scan far below a millisecond with dozens of rules.
   */
  anyOf?: readonly string[];
}

/**
 * Guard policy records: named policies with immutable versions of rules (scanner, stage,
 * threshold, action). A stack version pins one policy version.
 */

export type GuardStageName = 'input' | 'context' | 'output';

/** block: refuse (content_filter); redact/mask: rewrite the span; flag: record only; drop: leave a context chunk out. */
export type GuardAction = 'block' | 'redact' | 'mask' | 'flag' | 'drop';

export interface GuardRule {
  scanner: string;
  stage: GuardStageName;
  action: GuardAction;
  /** Findings at or above this score trigger the action. */
  threshold: number;
  /** Shown to the client when the rule blocks. */
  message?: string;
  /** Only these finding types (e.g. PII types); all when absent. */
  types?: string[];
  /** Redaction can be undone by the caller holding the mapping (never by default). */
  reversible?: boolean;
  /** Scanner settings (sensitive-word terms, remote endpoint…). */
  options?: Record<string, unknown>;
  /**
   * Escalation: run this rule only when another scanner of the same stage scored at least
   * `min_score` on the text (e.g. a remote guard model only for what the local injection
   * scanner finds suspicious). Absent: always.
   */
  when?: GuardRuleCondition;
  /**
   * Output rules apply to tool-call arguments as well as to the answer's text; `false`
   * exempts the arguments (output stage only). Absent: true.
   */
  tool_calls?: boolean;
}

export interface GuardRuleCondition {
  /** A scanner of another rule of the same stage that always runs (a local one). */
  scanner: string;
  /** Its score (the highest of its findings) must reach this for the rule to run. */
  min_score: number;
}

export interface GuardPolicySettings {
  /** Characters of streamed output held back until scanned (streaming enforcement). */
  hold_back_chars: number;
  /**
   * The longest text scanned, per message, chunk or answer (absent: the default, 100,000).
   * Longer texts are blocked, or with `oversize: 'flag'` scanned up to this length and flagged.
   */
  max_scan_chars?: number;
  /** What a text longer than `max_scan_chars` gets (absent: 'block'). */
  oversize?: 'block' | 'flag';
  /**
   * Which of the caller's messages the input rules judge (absent: `['user']`). A client that
   * builds the whole conversation can forge earlier assistant turns (many-shot jailbreaks) or
   * write the system message itself; listing those roles judges them as user messages are.
   */
  input_roles?: GuardInputRole[];
}

/** A message role the input rules can judge. */
export type GuardInputRole = 'user' | 'assistant' | 'system' | 'developer';

export const GUARD_INPUT_ROLES: readonly GuardInputRole[] = ['user', 'assistant', 'system', 'developer'];

export interface GuardPolicy {
  id: string;
  projectId: string;
  name: string;
  latestVersion: number;
  createdAt: number;
}

export interface GuardPolicyVersion {
  projectId: string;
  policyName: string;
  version: number;
  rules: GuardRule[];
  settings: GuardPolicySettings;
  contentHash: string;
  message: string | null;
  author: string | null;
  createdAt: number;
}

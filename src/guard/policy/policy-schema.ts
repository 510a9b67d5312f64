/** Validation of guard policy documents (REST, `stackops.yaml`). */
import { z } from 'zod';
import { GUARD_INPUT_ROLES, type GuardInputRole, type GuardPolicySettings } from '../../core/index.js';

/**
 * The longest text a policy scans (characters, per message, chunk or answer). The local
 * scanners are linear, about 0.25–2 µs per character on the bench machine (plain prose ≈ 0.27:
 * bench/guard-latency.ts scans 100,000 characters in 27 ms; adversarial shapes up to ≈ 2), so
 * 100,000 characters (≈ 25k tokens) cost at most ≈ 0.2 s of one core; without a cap a 1 MB
 * message would hold the event loop for seconds. Azure AI Content Safety refuses texts over 10,000
 * characters; LLM Guard's TokenLimit defaults to 4,096 tokens.
 */
export const DEFAULT_MAX_SCAN_CHARS = 100_000;

export const guardRuleSchema = z.strictObject({
  scanner: z.string().min(1),
  stage: z.enum(['input', 'context', 'output']),
  action: z.enum(['block', 'redact', 'mask', 'flag', 'drop']),
  threshold: z.number().min(0).max(1).default(0.5),
  message: z.string().max(500).optional(),
  types: z.array(z.string().min(1)).min(1).optional(),
  reversible: z.boolean().optional(),
  options: z.record(z.string(), z.unknown()).optional(),
  when: z
    .strictObject({
      scanner: z.string().min(1),
      min_score: z.number().min(0).max(1),
    })
    .optional(),
  tool_calls: z.boolean().optional(),
});

export const guardPolicyDocumentSchema = z.strictObject({
  name: z.string().min(1),
  rules: z.array(guardRuleSchema).min(1, 'a policy needs at least one rule'),
  hold_back_chars: z.number().int().min(0).max(4096).default(64),
  max_scan_chars: z.number().int().min(1).max(10_000_000).default(DEFAULT_MAX_SCAN_CHARS),
  oversize: z.enum(['block', 'flag']).default('block'),
  input_roles: z
    .array(z.enum(GUARD_INPUT_ROLES as [GuardInputRole, ...GuardInputRole[]]))
    .min(1, 'list at least one role (the default is ["user"])')
    .refine((roles) => new Set(roles).size === roles.length, 'a role is listed twice')
    .refine((roles) => roles.includes('user'), 'user messages are always judged: list "user" too')
    .default(['user']),
  message: z.string().max(2000).optional(),
});

export type GuardPolicyDocument = z.infer<typeof guardPolicyDocumentSchema>;

/**
 * The scan settings of a stored version (how much text, which roles), with the defaults of
 * absent ones filled in.
 */
export function scanLimits(settings: GuardPolicySettings): {
  max_scan_chars: number;
  oversize: 'block' | 'flag';
  input_roles: GuardInputRole[];
} {
  return {
    max_scan_chars: settings.max_scan_chars ?? DEFAULT_MAX_SCAN_CHARS,
    oversize: settings.oversize ?? 'block',
    input_roles: settings.input_roles ?? ['user'],
  };
}

/**
 * The settings a policy version stores. The scan settings are stored only when they differ
 * from their defaults, so a policy written before they existed hashes (and `apply` compares)
 * as before, and an unchanged file does not make a new version.
 */
export function policySettings(
  document: Pick<GuardPolicyDocument, 'hold_back_chars' | 'max_scan_chars' | 'oversize'> &
    Partial<Pick<GuardPolicyDocument, 'input_roles'>>,
): GuardPolicySettings {
  const settings: GuardPolicySettings = { hold_back_chars: document.hold_back_chars };
  if (document.max_scan_chars !== DEFAULT_MAX_SCAN_CHARS) settings.max_scan_chars = document.max_scan_chars;
  if (document.oversize !== 'block') settings.oversize = document.oversize;
  const roles = document.input_roles;
  if (roles && !(roles.length === 1 && roles[0] === 'user')) settings.input_roles = roles;
  return settings;
}

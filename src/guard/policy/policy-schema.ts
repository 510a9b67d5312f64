/** Validation of guard policy documents (REST, `stackops.yaml`). */
import { z } from 'zod';

export const guardRuleSchema = z.strictObject({
  scanner: z.string().min(1),
  stage: z.enum(['input', 'context', 'output']),
  action: z.enum(['block', 'redact', 'mask', 'flag', 'drop']),
  threshold: z.number().min(0).max(1).default(0.5),
  message: z.string().max(500).optional(),
  types: z.array(z.string().min(1)).min(1).optional(),
  reversible: z.boolean().optional(),
  options: z.record(z.string(), z.unknown()).optional(),
});

export const guardPolicyDocumentSchema = z.strictObject({
  name: z.string().min(1),
  rules: z.array(guardRuleSchema).min(1, 'a policy needs at least one rule'),
  hold_back_chars: z.number().int().min(0).max(4096).default(64),
  message: z.string().max(2000).optional(),
});

export type GuardPolicyDocument = z.infer<typeof guardPolicyDocumentSchema>;

/**
 * The declarative document `stackops apply -f stackops.yaml` (and `--config` at start)
 * reads: guard policies, prompts, adapters, stacks and deployments. Providers and models in
 * the same file are server configuration and are ignored here.
 */
import { z } from 'zod';
import { pinnedParamsSchema } from '../core/index.js';

const role = z.enum(['system', 'developer', 'user', 'assistant']);

export const promptDeclaration = z.strictObject({
  name: z.string().min(1),
  messages: z.array(z.strictObject({ role, content: z.string() })).min(1),
  variables: z
    .record(
      z.string(),
      z.strictObject({
        required: z.boolean().optional(),
        default: z.union([z.string(), z.number(), z.boolean()]).transform(String).optional(),
        description: z.string().optional(),
      }),
    )
    .default({}),
  params: pinnedParamsSchema.default({}),
  message: z.string().optional(),
  labels: z.array(z.string()).default([]),
});

export const adapterDeclaration = z.strictObject({
  name: z.string().min(1),
  base_model: z.string().min(1),
  upstream_adapter: z.string().min(1),
  metadata: z.record(z.string(), z.unknown()).default({}),
});

export const stackDeclaration = z.strictObject({
  name: z.string().min(1),
  model: z.string().min(1),
  adapter: z.string().min(1).nullish(),
  prompt: z.string().min(1).nullish(),
  knowledge: z.string().min(1).nullish(),
  guard: z.string().min(1).nullish(),
  retrieval: z.record(z.string(), z.unknown()).nullish(),
  params: pinnedParamsSchema.default({}),
  message: z.string().optional(),
});

export const deploymentDeclaration = z.strictObject({
  stack: z.string().min(1),
  environment: z.string().min(1).default('production'),
  version: z.union([z.literal('latest'), z.number().int().positive()]).default('latest'),
});

export const applyDocumentSchema = z.looseObject({
  /** Validated by the guard policy schema when applied. */
  guard_policies: z.array(z.record(z.string(), z.unknown())).default([]),
  prompts: z.array(promptDeclaration).default([]),
  adapters: z.array(adapterDeclaration).default([]),
  stacks: z.array(stackDeclaration).default([]),
  deployments: z.array(deploymentDeclaration).default([]),
});

export type ApplyDocument = z.infer<typeof applyDocumentSchema>;

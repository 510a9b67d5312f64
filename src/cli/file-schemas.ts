/**
 * The schemas of the files the CLI sends: one prompt (`prompt push`) and one stack
 * (`stack create -f`). Kept apart from the commands and loaded on demand, because zod is a
 * noticeable part of the CLI's start-up time and most commands read no file.
 */
import { z } from 'zod';

/**
 * One prompt per file — the same shape as a `prompts:` entry of an apply document. Unknown
 * keys (a typo like `varaibles`) are reported, not ignored.
 */
export const promptFileSchema = z.strictObject({
  name: z.string().trim().min(1).optional(),
  /** Commit message; `--message` wins. */
  message: z.string().optional(),
  /** Labels to point at the version; `--label` adds to them. */
  labels: z.array(z.string().min(1)).optional(),
  messages: z.array(z.strictObject({ role: z.string().min(1), content: z.string() })).min(1),
  variables: z
    .record(
      z.string(),
      z.strictObject({
        required: z.boolean().optional(),
        default: z.union([z.string(), z.number(), z.boolean()]).optional(),
        description: z.string().optional(),
      }),
    )
    .optional(),
  params: z.record(z.string(), z.unknown()).optional(),
});

export type PromptFile = z.infer<typeof promptFileSchema>;

/** A stack file: the POST /api/stacks body, with component references as `name[@ref]`. */
export const stackFileSchema = z.strictObject({
  name: z.string().trim().min(1).optional(),
  model: z.string().trim().min(1).optional(),
  adapter: z.string().trim().min(1).nullable().optional(),
  prompt: z.string().trim().min(1).nullable().optional(),
  knowledge: z.string().trim().min(1).nullable().optional(),
  guard: z.string().trim().min(1).nullable().optional(),
  retrieval: z.record(z.string(), z.unknown()).nullable().optional(),
  params: z.record(z.string(), z.unknown()).optional(),
  message: z.string().optional(),
});

export type StackFile = z.infer<typeof stackFileSchema>;

/**
 * The OpenAI generation fields StackOps checks, written once: the gateway applies them to a
 * request, and the control plane to the parameters a stack or a prompt pins — which the
 * gateway merges into every request it serves, so a value it would refuse from a caller must
 * be refused when it is stored, not discovered later as an upstream 400 on every request.
 */
import { z } from 'zod';

/** Each checked field; fields not named here (vendor extras such as `top_k`) pass through. */
export const generationParamFields = {
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  max_tokens: z.number().int().positive().nullish(),
  max_completion_tokens: z.number().int().positive().nullish(),
  n: z
    .number()
    .int()
    .refine((value) => value === 1, 'only n=1 is supported')
    .nullish(),
  stop: z.union([z.string(), z.array(z.string()).max(4)]).nullish(),
  seed: z.number().int().nullish(),
};

/**
 * The request's own parts: a stack or prompt parameter with one of these names would be
 * overridden by the request (model, messages), decided by the caller (stream), or taken for
 * a template value (variables) — never what its author meant.
 */
const notAParameter = (reason: string) =>
  z.never({ error: `not a generation parameter: ${reason}` }).optional();

/** Parameters a stack or a prompt pins (prompt defaults < stack params < the request's fields). */
export const pinnedParamsSchema = z.looseObject({
  ...generationParamFields,
  model: notAParameter('the stack names its model'),
  messages: notAParameter('the prompt and the request make the messages'),
  stream: notAParameter('the caller chooses to stream'),
  stream_options: notAParameter('the caller chooses to stream'),
  variables: notAParameter('template values come with the request'),
});

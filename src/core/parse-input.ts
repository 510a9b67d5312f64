/**
 * Parses request input with a zod schema — the gateway's and the control plane's one way to
 * validate bodies and queries; failures become one 400 naming every problem.
 */
import type { z } from 'zod';
import { AppError, formatIssues, formatPath } from './errors.js';

export function parseInput<Schema extends z.ZodType>(
  schema: Schema,
  value: unknown,
  what = 'body',
): z.infer<Schema> {
  const result = schema.safeParse(value ?? {});
  if (!result.success) {
    const first = result.error.issues[0];
    throw new AppError('invalid_request', `Invalid ${what}: ${formatIssues(result.error.issues)}`, {
      param: first === undefined ? undefined : formatPath(first.path) || undefined,
      details: result.error.issues.map((issue) => ({
        path: formatPath(issue.path),
        message: issue.message,
        line: formatIssues([issue]),
      })),
    });
  }
  return result.data;
}

/**
 * The one error type of the `stackops` client commands. `main.ts` prints it as
 * `error: <message>` on stderr and exits with its `exitCode`: 2 for usage mistakes (like
 * commander's own), 1 for everything else — an API error, an unreachable server, a bad file.
 */

import { CommanderError } from 'commander';

export type CliErrorCode =
  /** The command line itself is wrong: a malformed `--param`, a missing argument. */
  | 'usage'
  /** The server answered with an error (its `{"error":{…}}` shape, or an unexpected body). */
  | 'api'
  /** The server could not be reached: refused, unknown host, timeout. */
  | 'connection'
  /** No URL or key configured, or the credentials file is unreadable. */
  | 'credentials'
  /** A local file (prompt, stack, apply document) is missing or invalid. */
  | 'file';

export interface CliErrorOptions {
  /** HTTP status, for `api` errors. */
  status?: number;
  /** The API's error `code` (`not_found`, `invalid_request`…), for `api` errors. */
  apiCode?: string;
  cause?: unknown;
}

export class CliError extends Error {
  readonly code: CliErrorCode;
  readonly status: number | undefined;
  readonly apiCode: string | undefined;

  constructor(code: CliErrorCode, message: string, options: CliErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CliError';
    this.code = code;
    this.status = options.status;
    this.apiCode = options.apiCode;
  }

  get exitCode(): number {
    return this.code === 'usage' ? 2 : 1;
  }
}

export const usageError = (message: string): CliError => new CliError('usage', message);

/**
 * The exit code for an error that ended a command, printing it unless commander already did.
 * Commander errors are usage errors (2), except help and version output (0).
 */
export function exitCodeFor(
  error: unknown,
  write: (text: string) => void = (text) => process.stderr.write(text),
): number {
  if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
  if (error instanceof CliError) {
    write(`error: ${error.message}\n`);
    return error.exitCode;
  }
  write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
  return 1;
}

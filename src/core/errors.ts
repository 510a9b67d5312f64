/**
 * The one error hierarchy of StackOps. Every failure that reaches a client is an `AppError`
 * with a stable `code` (listed once, in `ERROR_CODES`), an HTTP status and an OpenAI-style
 * `type`. The server maps it to `{"error":{"message","type","code","param"}}` in exactly one
 * place; stores and providers throw these rather than inventing their own shapes.
 */

/** Every error code StackOps emits, with its HTTP status and OpenAI error `type`. */
export const ERROR_CODES = {
  invalid_request: { status: 400, type: 'invalid_request_error' },
  invalid_config: { status: 400, type: 'invalid_request_error' },
  unauthorized: { status: 401, type: 'authentication_error' },
  forbidden: { status: 403, type: 'permission_error' },
  not_found: { status: 404, type: 'not_found_error' },
  model_not_found: { status: 404, type: 'invalid_request_error' },
  conflict: { status: 409, type: 'conflict_error' },
  /** A guard policy blocked the input or the output (OpenAI's content-filter refusal). */
  content_filter: { status: 400, type: 'invalid_request_error' },
  payload_too_large: { status: 413, type: 'invalid_request_error' },
  /** The prompt and the requested output do not fit the model's window (OpenAI's own code). */
  context_length_exceeded: { status: 400, type: 'invalid_request_error' },
  rate_limited: { status: 429, type: 'rate_limit_error' },
  /** The client went away before the answer (nginx's 499); recorded on traces, never sent. */
  client_closed: { status: 499, type: 'invalid_request_error' },
  upstream_error: { status: 502, type: 'api_error' },
  upstream_timeout: { status: 504, type: 'timeout_error' },
  upstream_unavailable: { status: 503, type: 'api_error' },
  overloaded: { status: 503, type: 'api_error' },
  internal: { status: 500, type: 'api_error' },
} as const satisfies Record<string, { status: number; type: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface AppErrorOptions {
  /** Name of the offending request field, reported as OpenAI's `param`. */
  param?: string;
  /** Structured details (e.g. the list of validation problems). */
  details?: unknown;
  cause?: unknown;
  /** Whether retrying the same call may succeed (used by the provider retry loop). */
  retryable?: boolean;
  /** Overrides the code's default HTTP status (e.g. an upstream 4xx passed through). */
  status?: number;
  /** Seconds the upstream asked us to wait, from `retry-after`. */
  retryAfterSeconds?: number;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly type: string;
  readonly param: string | undefined;
  readonly details: unknown;
  readonly retryable: boolean;
  readonly retryAfterSeconds: number | undefined;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = options.status ?? ERROR_CODES[code].status;
    this.type = ERROR_CODES[code].type;
    this.param = options.param;
    this.details = options.details;
    this.retryable = options.retryable ?? false;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  /** The OpenAI error body. */
  toBody(): {
    error: { message: string; type: string; code: string; param: string | null; details?: unknown };
  } {
    const error: { message: string; type: string; code: string; param: string | null; details?: unknown } = {
      message: this.message,
      type: this.type,
      code: this.code,
      param: this.param ?? null,
    };
    if (this.details !== undefined) error.details = this.details;
    return { error };
  }
}

export class ValidationError extends AppError {
  constructor(message: string, options: AppErrorOptions = {}) {
    super('invalid_request', message, options);
    this.name = 'ValidationError';
  }
}

export class NotFoundError extends AppError {
  constructor(what: string, options: AppErrorOptions = {}) {
    super('not_found', `${what} not found`, options);
    this.name = 'NotFoundError';
  }
}

export class ConflictError extends AppError {
  constructor(message: string, options: AppErrorOptions = {}) {
    super('conflict', message, options);
    this.name = 'ConflictError';
  }
}

/** A failure talking to an upstream provider. `retryable` drives the retry loop. */
export class UpstreamError extends AppError {
  readonly upstreamStatus: number | undefined;
  constructor(
    code: 'upstream_error' | 'upstream_timeout' | 'upstream_unavailable' | 'rate_limited' | 'invalid_request',
    message: string,
    options: AppErrorOptions & { upstreamStatus?: number } = {},
  ) {
    super(code, message, options);
    this.name = 'UpstreamError';
    this.upstreamStatus = options.upstreamStatus;
  }
}

/** Turns anything thrown into an AppError without losing the original as `cause`. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new AppError('internal', message, { cause: error });
}

/**
 * A field's path as configuration and guard-policy errors name it: indexes in brackets, like
 * the JavaScript that reads it (`rules[0].options.terms[2]`), so a hand-built path and one
 * from a zod issue read the same.
 */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let text = '';
  for (const key of path) {
    if (typeof key === 'number') text += `[${key}]`;
    else text += text === '' ? String(key) : `.${String(key)}`;
  }
  return text;
}

/**
 * Formats zod-like issue lists as one readable message listing every problem. A problem with
 * the whole value is labelled `root` (`(root): …`); with `root` empty it is the message alone,
 * as the CLI prints a file's (`file.yaml: expected object`).
 */
export function formatIssues(
  issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>,
  root = '(root)',
): string {
  return issues
    .map((issue) => {
      const label = issue.path.length ? formatPath(issue.path) : root;
      return label ? `${label}: ${issue.message}` : issue.message;
    })
    .join('; ');
}

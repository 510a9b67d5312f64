/**
 * @module providers/shared/upstream-errors
 *
 * Turns everything that can go wrong talking to an upstream into one `UpstreamError`: HTTP
 * statuses (with `retry-after`), error bodies of every OpenAI-shaped vendor and of Anthropic,
 * in-band stream error events, connection failures, timeouts and aborts. The retry loop in the
 * gateway reads only `code`, `retryable`, `retryAfterSeconds` and `upstreamStatus`.
 */
import { AppError, UpstreamError } from '../../core/index.js';

export type UpstreamErrorCode = ConstructorParameters<typeof UpstreamError>[0];
export type ResponseHeaders = Record<string, string | string[] | undefined>;

/** Longest upstream message we pass on; an HTML error page should not become a 1 MB message. */
const MAX_MESSAGE_LENGTH = 1000;

/** The error class and retryability of an upstream HTTP status. */
export function classifyStatus(status: number): { code: UpstreamErrorCode; retryable: boolean } {
  if (status === 429) return { code: 'rate_limited', retryable: true };
  if (status === 408 || status === 504) return { code: 'upstream_timeout', retryable: true };
  if (status === 503 || status === 529) return { code: 'upstream_unavailable', retryable: true };
  if (status === 409 || status >= 500) return { code: 'upstream_error', retryable: true };
  if (status >= 400) return { code: 'invalid_request', retryable: false };
  return { code: 'upstream_error', retryable: false };
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Seconds to wait from `retry-after-ms` (OpenAI, fractional ms) or `retry-after` (delta
 * seconds or an HTTP date). Undefined when absent or unparsable.
 */
export function parseRetryAfter(headers: ResponseHeaders, now: number = Date.now()): number | undefined {
  const milliseconds = headerValue(headers['retry-after-ms'])?.trim();
  if (milliseconds) {
    const value = Number(milliseconds);
    if (Number.isFinite(value) && value >= 0) return value / 1000;
  }
  const retryAfter = headerValue(headers['retry-after'])?.trim();
  if (!retryAfter) return undefined;
  const seconds = Number(retryAfter);
  if (Number.isFinite(seconds)) return seconds >= 0 ? seconds : undefined;
  const date = Date.parse(retryAfter);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - now) / 1000));
}

function truncate(text: string): string {
  return text.length > MAX_MESSAGE_LENGTH ? `${text.slice(0, MAX_MESSAGE_LENGTH)}…` : text;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export interface ErrorDescription {
  message: string | undefined;
  type: string | undefined;
  code: string | number | undefined;
  param: string | undefined;
}

/**
 * Reads an error payload of any vendor: OpenAI/vLLM `{"error":{"message","type","code","param"}}`,
 * Anthropic `{"type":"error","error":{"type","message"}}`, Ollama/TGI `{"error":"..."}`,
 * FastAPI `{"detail": "..." | [{"msg"}]}` and bare `{"message": "..."}`.
 */
export function describeErrorPayload(payload: unknown): ErrorDescription {
  const description: ErrorDescription = {
    message: undefined,
    type: undefined,
    code: undefined,
    param: undefined,
  };
  if (!isRecord(payload)) return description;
  const error = payload.error;
  const source = isRecord(error) ? error : payload;
  if (typeof error === 'string') description.message = error;
  else if (typeof source.message === 'string') description.message = source.message;
  else if (typeof source.detail === 'string') description.message = source.detail;
  else if (Array.isArray(source.detail)) {
    description.message = source.detail
      .map((item) => (isRecord(item) && typeof item.msg === 'string' ? item.msg : JSON.stringify(item)))
      .join('; ');
  }
  if (typeof source.type === 'string' && source.type !== 'error') description.type = source.type;
  if (typeof source.code === 'string' || typeof source.code === 'number') description.code = source.code;
  if (typeof source.param === 'string') description.param = source.param;
  return description;
}

const STATUS_OF_ERROR_TYPE: Record<string, number> = {
  invalid_request_error: 400,
  authentication_error: 401,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  rate_limit_exceeded: 429,
  insufficient_quota: 429,
  api_error: 500,
  server_error: 500,
  internal_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
};

/** HTTP status implied by an in-band error's numeric code (vLLM) or type (OpenAI, Anthropic). */
function statusOfDescription(description: ErrorDescription): number | undefined {
  const { code, type } = description;
  if (typeof code === 'number' && code >= 400 && code < 600) return code;
  if (typeof code === 'string' && STATUS_OF_ERROR_TYPE[code] !== undefined) return STATUS_OF_ERROR_TYPE[code];
  return type === undefined ? undefined : STATUS_OF_ERROR_TYPE[type];
}

/** An error for a non-2xx upstream response; `bodyText` is the raw response body. */
export function errorFromStatus(
  providerName: string,
  status: number,
  headers: ResponseHeaders,
  bodyText: string,
): UpstreamError {
  let description: ErrorDescription = {
    message: undefined,
    type: undefined,
    code: undefined,
    param: undefined,
  };
  try {
    description = describeErrorPayload(JSON.parse(bodyText));
  } catch {
    // Not JSON (an HTML page from a proxy, plain text from TGI): the text is the message.
  }
  const upstreamMessage = truncate(description.message ?? bodyText.trim()) || `HTTP ${status}`;
  const { code, retryable } = classifyStatus(status);
  const retryAfterSeconds = parseRetryAfter(headers);
  // A 4xx is the caller's fault: pass its status and message through unchanged. Anything else
  // is ours to explain, so name the provider.
  const message =
    code === 'invalid_request'
      ? upstreamMessage
      : `provider "${providerName}" returned ${status}: ${upstreamMessage}`;
  return new UpstreamError(code, message, {
    retryable,
    upstreamStatus: status,
    ...(code === 'invalid_request' ? { status } : {}),
    ...(description.param === undefined ? {} : { param: description.param }),
    ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
  });
}

/** An error for an in-band `{"error": ...}` event inside a 200 stream. */
export function errorFromStreamPayload(providerName: string, payload: unknown): UpstreamError {
  const description = describeErrorPayload(payload);
  const status = statusOfDescription(description);
  const { code, retryable } =
    status === undefined ? { code: 'upstream_error' as const, retryable: false } : classifyStatus(status);
  const kind = description.type ?? (typeof description.code === 'string' ? description.code : 'error');
  const message = `provider "${providerName}" sent a stream error (${kind}): ${truncate(description.message ?? 'no message')}`;
  return new UpstreamError(code, message, {
    retryable,
    ...(status === undefined ? {} : { upstreamStatus: status }),
    ...(code === 'invalid_request' && status !== undefined ? { status } : {}),
  });
}

/** Walks an error and its causes for a Node/undici `code` such as ECONNREFUSED. */
function errorCodeOf(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && isRecord(current); depth++) {
    if (typeof current.code === 'string') return current.code;
    current = current.cause;
  }
  return undefined;
}

/**
 * The error for a call whose signal fired. A reason that is already an AppError (the gateway
 * aborting with its own timeout error) is returned as is; an `AbortSignal.timeout()` reason
 * is a retryable timeout; anything else (the client went away) is a non-retryable abort.
 */
export function abortError(signal: AbortSignal): AppError {
  const reason: unknown = signal.reason;
  if (reason instanceof AppError) return reason;
  if (reason instanceof Error && reason.name === 'TimeoutError') {
    return new UpstreamError('upstream_timeout', 'upstream call timed out', {
      retryable: true,
      cause: reason,
    });
  }
  return new UpstreamError('upstream_error', 'upstream call aborted', {
    retryable: false,
    cause: reason,
    details: { aborted: true },
  });
}

/** What was going on when a transport error happened, for the message. */
export interface FailureContext {
  providerName: string;
  signal: AbortSignal;
  connectTimeoutMs?: number;
  headersTimeoutMs?: number;
  bodyTimeoutMs?: number;
}

/** Maps an exception from undici (before or while reading a response) to an AppError. */
export function errorFromException(error: unknown, context: FailureContext): AppError {
  if (error instanceof AppError) return error;
  if (context.signal.aborted) return abortError(context.signal);
  const code = errorCodeOf(error);
  const detail = error instanceof Error ? error.message : String(error);
  const name = context.providerName;
  switch (code) {
    case 'UND_ERR_CONNECT_TIMEOUT':
      return new UpstreamError(
        'upstream_timeout',
        `provider "${name}": connect timeout after ${context.connectTimeoutMs ?? '?'} ms`,
        {
          retryable: true,
          cause: error,
        },
      );
    case 'UND_ERR_HEADERS_TIMEOUT':
      return new UpstreamError(
        'upstream_timeout',
        `provider "${name}": no response headers within ${context.headersTimeoutMs ?? '?'} ms`,
        {
          retryable: true,
          cause: error,
        },
      );
    case 'UND_ERR_BODY_TIMEOUT':
      return new UpstreamError(
        'upstream_timeout',
        `provider "${name}": response body stalled for ${context.bodyTimeoutMs ?? '?'} ms`,
        {
          retryable: true,
          cause: error,
        },
      );
    case 'UND_ERR_ABORTED':
      return new UpstreamError('upstream_error', `provider "${name}": upstream call aborted`, {
        retryable: false,
        cause: error,
        details: { aborted: true },
      });
    default:
      return new UpstreamError(
        'upstream_unavailable',
        `provider "${name}" unreachable: ${code ? `${code} ` : ''}${detail}`,
        {
          retryable: true,
          cause: error,
        },
      );
  }
}

/**
 * The error for a stream that failed after it started: the body broke off (socket reset) or
 * ended cleanly without its terminator. Either way the stream is not complete.
 */
export function streamInterruptedError(
  error: unknown,
  context: FailureContext,
  terminator: string,
): AppError {
  if (error instanceof AppError) return error;
  if (context.signal.aborted) return abortError(context.signal);
  const detail = error === undefined ? '' : `: ${error instanceof Error ? error.message : String(error)}`;
  const code = errorCodeOf(error);
  if (code === 'UND_ERR_BODY_TIMEOUT') return errorFromException(error, context);
  return new UpstreamError('upstream_error', `stream ended before ${terminator}${detail}`, {
    retryable: true,
    ...(error === undefined ? {} : { cause: error }),
    details: { interrupted: true },
  });
}

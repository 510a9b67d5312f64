/**
 * A small fetch wrapper for the StackOps REST API: base URL, bearer key, JSON both ways.
 * Every failure becomes a `CliError` whose message is ready to print: the API's
 * `{"error":{"message",…}}` for error answers, and a sentence naming the URL when the server
 * cannot be reached at all.
 */
import { CliError } from './cli-error.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';
export type QueryValue = string | number | boolean | undefined;

export interface ApiClientSettings {
  url: string;
  apiKey: string;
  /** Sent as `x-stackops-project`: the project an instance admin key acts in. */
  project?: string;
  /** Per request; a control-plane call that takes longer than this is a broken server. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export interface RequestOptions {
  query?: Record<string, QueryValue>;
  body?: unknown;
}

export interface ApiClient {
  readonly url: string;
  request<T>(method: HttpMethod, path: string, options?: RequestOptions): Promise<T>;
  get<T>(path: string, query?: Record<string, QueryValue>): Promise<T>;
  post<T>(path: string, body: unknown): Promise<T>;
  put<T>(path: string, body: unknown): Promise<T>;
  delete<T>(path: string): Promise<T>;
}

const DEFAULT_TIMEOUT_MS = 60_000;

/** One path segment: names may hold characters that mean something in a URL. */
export const segment = (value: string | number): string => encodeURIComponent(String(value));

export function buildUrl(base: string, path: string, query: Record<string, QueryValue> = {}): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) search.set(key, String(value));
  const text = search.toString();
  return `${base}${path}${text ? `?${text}` : ''}`;
}

export function createApiClient(settings: ApiClientSettings): ApiClient {
  const fetchImplementation = settings.fetch ?? fetch;
  const timeoutMs = settings.timeoutMs ?? DEFAULT_TIMEOUT_MS;

  async function request<T>(method: HttpMethod, path: string, options: RequestOptions = {}): Promise<T> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${settings.apiKey}`,
      accept: 'application/json',
    };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (settings.project) headers['x-stackops-project'] = settings.project;
    let response: Response;
    try {
      response = await fetchImplementation(buildUrl(settings.url, path, options.query), {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw connectionError(settings.url, error, timeoutMs);
    }
    const text = await response.text();
    const body = parseJson(text);
    if (!response.ok) throw apiError(response.status, response.statusText, body, text);
    if (body === undefined && text !== '')
      throw new CliError(
        'api',
        `unexpected answer from ${settings.url}${path}: not JSON (${snippet(text)})`,
        {
          status: response.status,
        },
      );
    return (body ?? null) as T;
  }

  return {
    url: settings.url,
    request,
    get: (path, query) => request('GET', path, { query }),
    post: (path, body) => request('POST', path, { body }),
    put: (path, body) => request('PUT', path, { body }),
    delete: (path) => request('DELETE', path),
  };
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

const snippet = (text: string): string => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 120 ? `${flat.slice(0, 120)}…` : flat;
};

/** The `{"error":{"message","code"}}` of a StackOps (or OpenAI-style) error answer. */
export function apiError(status: number, statusText: string, body: unknown, text: string): CliError {
  const error =
    typeof body === 'object' && body !== null && 'error' in body && typeof body.error === 'object'
      ? body.error
      : null;
  const message = error && 'message' in error && typeof error.message === 'string' ? error.message : null;
  const apiCode = error && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
  if (message === null) {
    const detail = text ? `: ${snippet(text)}` : '';
    return new CliError('api', `HTTP ${status} ${statusText}${detail}`.trim(), { status, apiCode });
  }
  const hint = status === 401 ? ' (check --api-key or STACKOPS_API_KEY, or run stackops login again)' : '';
  const problems = problemLines(error && 'details' in error ? error.details : undefined);
  if (problems !== null) return new CliError('api', problems, { status, apiCode });
  return new CliError('api', `${message}${hint}`, { status, apiCode });
}

/**
 * A validation error's problems one per line, when there are several (`details`: `[{path,
 * message, line}]`, as the policy API and `apply` answer; their `message` joins the lines with
 * "; " on one line).
 */
function problemLines(details: unknown): string | null {
  if (!Array.isArray(details) || details.length < 2) return null;
  const lines: string[] = [];
  for (const detail of details) {
    const line =
      typeof detail === 'object' && detail !== null ? (detail as { line?: unknown }).line : undefined;
    if (typeof line !== 'string') return null;
    lines.push(`  - ${line}`);
  }
  return `${details.length} problems:\n${lines.join('\n')}`;
}

/** The first system error code (`ECONNREFUSED`…) in a fetch failure's cause chain. */
function systemErrorCode(error: unknown, depth = 0): string | undefined {
  if (typeof error !== 'object' || error === null || depth > 5) return undefined;
  if ('code' in error && typeof error.code === 'string' && /^E[A-Z_]+$|CERT|SELF_SIGNED/.test(error.code))
    return error.code;
  // Node tries every address of a host name; the refusals arrive as an AggregateError.
  if (error instanceof AggregateError)
    for (const inner of error.errors) {
      const code = systemErrorCode(inner, depth + 1);
      if (code) return code;
    }
  return 'cause' in error ? systemErrorCode(error.cause, depth + 1) : undefined;
}

function innermostMessage(error: unknown): string {
  let current: unknown = error;
  for (let depth = 0; depth < 5; depth++) {
    if (typeof current === 'object' && current !== null && 'cause' in current && current.cause) {
      current = current.cause;
    } else break;
  }
  return current instanceof Error ? current.message : String(current);
}

export function connectionError(url: string, error: unknown, timeoutMs: number): CliError {
  const prefix = `cannot connect to StackOps at ${url}`;
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError'))
    return new CliError('connection', `StackOps at ${url} did not answer within ${timeoutMs / 1000}s`, {
      cause: error,
    });
  const code = systemErrorCode(error);
  const reason =
    code === 'ECONNREFUSED'
      ? 'connection refused (is it running? start it with: stackops serve)'
      : code === 'ENOTFOUND' || code === 'EAI_AGAIN'
        ? `unknown host ${new URL(url).hostname}`
        : code === 'ECONNRESET'
          ? 'the connection was reset'
          : code === 'ETIMEDOUT'
            ? 'the connection timed out'
            : innermostMessage(error);
  return new CliError('connection', `${prefix}: ${reason}`, { cause: error });
}

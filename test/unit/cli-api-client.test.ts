/**
 * The CLI's fetch wrapper with an injected fetch: URL and headers it sends, the API error
 * shape turned into a printable message, and unreachable servers named by URL.
 */
import { describe, expect, it } from 'vitest';
import { apiError, buildUrl, connectionError, createApiClient } from '../../src/cli/api-client.js';
import { CliError } from '../../src/cli/cli-error.js';

interface Sent {
  url: string;
  init: RequestInit | undefined;
}

function fakeFetch(status: number, body: string, sent: Sent[] = []): typeof fetch {
  return async (input, init) => {
    sent.push({ url: String(input), init });
    return new Response(body, { status, headers: { 'content-type': 'application/json' } });
  };
}

const failure = async (promise: Promise<unknown>): Promise<CliError> => {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(CliError);
    return error as CliError;
  }
  throw new Error('expected a CliError');
};

describe('createApiClient', () => {
  it('sends the bearer key, JSON body and project header to base URL + path', async () => {
    const sent: Sent[] = [];
    const client = createApiClient({
      url: 'http://h:1/prefix',
      apiKey: 'sk-test',
      project: 'proj_x',
      fetch: fakeFetch(201, '{"ok":true}', sent),
    });
    expect(await client.post('/api/prompts', { name: 'a' })).toEqual({ ok: true });
    expect(sent[0]!.url).toBe('http://h:1/prefix/api/prompts');
    expect(sent[0]!.init?.method).toBe('POST');
    expect(sent[0]!.init?.body).toBe('{"name":"a"}');
    expect(sent[0]!.init?.headers).toMatchObject({
      authorization: 'Bearer sk-test',
      'content-type': 'application/json',
      'x-stackops-project': 'proj_x',
    });
  });

  it('omits the body and content type on GET, and undefined query values', async () => {
    const sent: Sent[] = [];
    const client = createApiClient({ url: 'http://h:1', apiKey: 'k', fetch: fakeFetch(200, '{}', sent) });
    await client.get('/api/traces', { model: 'm x', limit: 5, stack: undefined });
    expect(sent[0]!.url).toBe('http://h:1/api/traces?model=m+x&limit=5');
    expect(sent[0]!.init?.body).toBeUndefined();
    expect(sent[0]!.init?.headers).not.toHaveProperty('content-type');
    expect(sent[0]!.init?.headers).not.toHaveProperty('x-stackops-project');
  });

  it('turns the API error shape into its message, keeping status and code', async () => {
    const body = JSON.stringify({
      error: { message: 'Stack "x" not found', type: 'not_found_error', code: 'not_found', param: null },
    });
    const client = createApiClient({ url: 'http://h:1', apiKey: 'k', fetch: fakeFetch(404, body) });
    const error = await failure(client.get('/api/stacks/x'));
    expect(error.message).toBe('Stack "x" not found');
    expect(error).toMatchObject({ code: 'api', status: 404, apiCode: 'not_found', exitCode: 1 });
  });

  it('rejects a 2xx answer that is not JSON', async () => {
    const client = createApiClient({
      url: 'http://h:1',
      apiKey: 'k',
      fetch: fakeFetch(200, '<html>proxy</html>'),
    });
    expect((await failure(client.get('/api/x'))).message).toBe(
      'unexpected answer from http://h:1/api/x: not JSON (<html>proxy</html>)',
    );
  });

  it('names the URL when the server cannot be reached', async () => {
    const refused: typeof fetch = async () => {
      throw new TypeError('fetch failed', {
        cause: new AggregateError([
          Object.assign(new Error('connect ECONNREFUSED ::1:1'), { code: 'ECONNREFUSED' }),
        ]),
      });
    };
    const client = createApiClient({ url: 'http://localhost:1', apiKey: 'k', fetch: refused });
    const error = await failure(client.get('/api/projects'));
    expect(error.code).toBe('connection');
    expect(error.message).toBe(
      'cannot connect to StackOps at http://localhost:1: connection refused (is it running? start it with: stackops serve)',
    );
  });
});

describe('error messages', () => {
  it.each([
    [
      401,
      '',
      '{"error":{"message":"Invalid API key."}}',
      'Invalid API key. (check --api-key or STACKOPS_API_KEY, or run stackops login again)',
    ],
    [
      400,
      '',
      '{"error":{"message":"Invalid body: name: required","code":"invalid_request"}}',
      'Invalid body: name: required',
    ],
    [502, 'Bad Gateway', 'upstream down', 'HTTP 502 Bad Gateway: upstream down'],
    [
      500,
      'Internal Server Error',
      '{"message":"not our shape"}',
      'HTTP 500 Internal Server Error: {"message":"not our shape"}',
    ],
    [503, 'Service Unavailable', '', 'HTTP 503 Service Unavailable'],
    [
      400,
      '',
      '{"error":{"message":"rules[0] (pii, output): bad; rules[2].threshold: too big","details":[{"path":"rules[0].options.x","message":"bad","line":"rules[0] (pii, output): bad"},{"path":"rules[2].threshold","message":"too big","line":"rules[2].threshold: too big"}]}}',
      '2 problems:\n  - rules[0] (pii, output): bad\n  - rules[2].threshold: too big',
    ],
    [
      400,
      '',
      '{"error":{"message":"name: required","details":[{"path":"name","message":"required","line":"name: required"}]}}',
      'name: required',
    ],
  ])('HTTP %i %s', (status, statusText, text, expected) => {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    expect(apiError(status, statusText, body, text).message).toBe(expected);
  });

  it.each([
    [Object.assign(new Error('x'), { code: 'ENOTFOUND' }), 'unknown host h.invalid'],
    [Object.assign(new Error('x'), { code: 'ECONNRESET' }), 'the connection was reset'],
    [new Error('certificate has expired'), 'certificate has expired'],
  ])('connection failure %#', (cause, reason) => {
    const error = connectionError('http://h.invalid:7300', new TypeError('fetch failed', { cause }), 1000);
    expect(error.message).toBe(`cannot connect to StackOps at http://h.invalid:7300: ${reason}`);
  });

  it('reports a timeout with its limit', () => {
    const timeout = new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    expect(connectionError('http://h:1', timeout, 60_000).message).toBe(
      'StackOps at http://h:1 did not answer within 60s',
    );
  });

  it('builds URLs with a prefix and encoded query values', () => {
    expect(buildUrl('http://h', '/api/x', { a: 'b&c', n: 0, skip: undefined, yes: true })).toBe(
      'http://h/api/x?a=b%26c&n=0&yes=true',
    );
  });
});

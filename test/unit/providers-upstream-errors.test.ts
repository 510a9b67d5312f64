/** Upstream error mapping, table-driven: statuses, retry-after, vendor error bodies, transport errors, aborts. */
import { describe, expect, it } from 'vitest';
import { AppError, UpstreamError } from '../../src/core/index.js';
import {
  abortError,
  classifyStatus,
  describeErrorPayload,
  errorFromException,
  errorFromStatus,
  errorFromStreamPayload,
  parseRetryAfter,
  streamInterruptedError,
} from '../../src/providers/shared/upstream-errors.js';

const NOW = Date.parse('2025-01-01T00:00:00Z');
const context = {
  providerName: 'p',
  signal: new AbortController().signal,
  connectTimeoutMs: 100,
  headersTimeoutMs: 200,
};

describe('classifyStatus', () => {
  it.each([
    [400, 'invalid_request', false],
    [401, 'invalid_request', false],
    [404, 'invalid_request', false],
    [408, 'upstream_timeout', true],
    [409, 'upstream_error', true],
    [422, 'invalid_request', false],
    [429, 'rate_limited', true],
    [500, 'upstream_error', true],
    [502, 'upstream_error', true],
    [503, 'upstream_unavailable', true],
    [504, 'upstream_timeout', true],
    [529, 'upstream_unavailable', true],
    [302, 'upstream_error', false],
  ])('%i → %s (retryable %s)', (status, code, retryable) => {
    expect(classifyStatus(status)).toEqual({ code, retryable });
  });
});

describe('parseRetryAfter', () => {
  it.each([
    [{}, undefined],
    [{ 'retry-after': '3' }, 3],
    [{ 'retry-after': '0' }, 0],
    [{ 'retry-after': ' 2.5 ' }, 2.5],
    [{ 'retry-after': '-1' }, undefined],
    [{ 'retry-after': 'soon' }, undefined],
    [{ 'retry-after': '' }, undefined],
    [{ 'retry-after': 'Wed, 01 Jan 2025 00:00:20 GMT' }, 20],
    [{ 'retry-after': 'Tue, 31 Dec 2024 23:59:00 GMT' }, 0],
    [{ 'retry-after-ms': '250' }, 0.25],
    [{ 'retry-after-ms': '250', 'retry-after': '9' }, 0.25],
    [{ 'retry-after-ms': 'bad', 'retry-after': '9' }, 9],
    [{ 'retry-after': ['4', '5'] }, 4],
  ])('%j → %s', (headers, expected) => {
    expect(parseRetryAfter(headers, NOW)).toBe(expected);
  });
});

describe('describeErrorPayload', () => {
  it.each([
    [
      'OpenAI',
      { error: { message: 'bad temp', type: 'invalid_request_error', param: 'temperature', code: null } },
      { message: 'bad temp', type: 'invalid_request_error', param: 'temperature', code: undefined },
    ],
    [
      'Anthropic',
      { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } },
      { message: 'Overloaded', type: 'overloaded_error' },
    ],
    [
      'vLLM',
      { object: 'error', message: 'too long', type: 'BadRequestError', code: 400 },
      { message: 'too long', code: 400 },
    ],
    ['Ollama / TGI', { error: 'model "x" not found' }, { message: 'model "x" not found', type: undefined }],
    ['FastAPI detail string', { detail: 'Not Found' }, { message: 'Not Found' }],
    [
      'FastAPI detail list',
      { detail: [{ msg: 'field required' }, { msg: 'bad' }] },
      { message: 'field required; bad' },
    ],
    ['not an object', 'text', { message: undefined }],
  ])('%s', (_name, payload, expected) => {
    expect(describeErrorPayload(payload)).toMatchObject(expected);
  });
});

describe('errorFromStatus', () => {
  it('passes a 4xx status, message and param through', () => {
    const error = errorFromStatus('p', 400, {}, '{"error":{"message":"bad temp","param":"temperature"}}');
    expect(error).toMatchObject({
      code: 'invalid_request',
      status: 400,
      upstreamStatus: 400,
      param: 'temperature',
      retryable: false,
    });
    expect(error.message).toBe('bad temp');
  });

  it('names the provider for a 5xx and keeps a text body', () => {
    const error = errorFromStatus('vllm', 502, {}, '<html>Bad Gateway</html>');
    expect(error).toMatchObject({ code: 'upstream_error', status: 502, retryable: true });
    expect(error.message).toBe('provider "vllm" returned 502: <html>Bad Gateway</html>');
  });

  it('truncates a huge body and falls back to the status for an empty one', () => {
    expect(errorFromStatus('p', 500, {}, 'x'.repeat(5000)).message.length).toBeLessThan(1100);
    expect(errorFromStatus('p', 500, {}, '').message).toBe('provider "p" returned 500: HTTP 500');
  });

  it('carries retry-after', () => {
    expect(errorFromStatus('p', 429, { 'retry-after': '2' }, '').retryAfterSeconds).toBe(2);
  });
});

describe('errorFromStreamPayload', () => {
  it.each([
    [{ error: { message: 'slow down', type: 'rate_limit_error' } }, 'rate_limited', true],
    [
      { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } },
      'upstream_unavailable',
      true,
    ],
    [{ type: 'error', error: { type: 'api_error', message: 'x' } }, 'upstream_error', true],
    [{ error: { message: 'x', type: 'server_error' } }, 'upstream_error', true],
    [{ error: { message: 'too long', type: 'BadRequestError', code: 400 } }, 'invalid_request', false],
    [{ error: { message: 'x', type: 'invalid_request_error' } }, 'invalid_request', false],
    [{ error: 'something odd' }, 'upstream_error', false],
  ])('%j → %s', (payload, code, retryable) => {
    const error = errorFromStreamPayload('p', payload);
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error).toMatchObject({ code, retryable });
  });
});

describe('errorFromException', () => {
  const withCode = (code: string) => Object.assign(new Error(code), { code });
  it.each([
    [withCode('UND_ERR_CONNECT_TIMEOUT'), 'upstream_timeout', /connect timeout after 100 ms/],
    [withCode('UND_ERR_HEADERS_TIMEOUT'), 'upstream_timeout', /no response headers within 200 ms/],
    [withCode('UND_ERR_BODY_TIMEOUT'), 'upstream_timeout', /stalled/],
    [withCode('ECONNREFUSED'), 'upstream_unavailable', /ECONNREFUSED/],
    [new Error('fetch failed', { cause: withCode('ENOTFOUND') }), 'upstream_unavailable', /ENOTFOUND/],
    [withCode('UND_ERR_SOCKET'), 'upstream_unavailable', /UND_ERR_SOCKET/],
  ])('%s → %s', (thrown, code, message) => {
    const error = errorFromException(thrown, context);
    expect(error).toMatchObject({ code, retryable: true });
    expect(error.message).toMatch(message);
  });

  it('returns an AppError unchanged', () => {
    const original = new AppError('conflict', 'x');
    expect(errorFromException(original, context)).toBe(original);
  });
});

describe('abortError', () => {
  it.each([
    ['an AppError reason is returned as is', new AppError('conflict', 'mine'), 'conflict', false],
    [
      'a TimeoutError is a retryable timeout',
      new DOMException('t', 'TimeoutError'),
      'upstream_timeout',
      true,
    ],
    ['anything else is a non-retryable abort', undefined, 'upstream_error', false],
  ])('%s', (_name, reason, code, retryable) => {
    const controller = new AbortController();
    controller.abort(reason);
    const error = abortError(controller.signal);
    expect(error).toMatchObject({ code, retryable });
    if (reason instanceof AppError) expect(error).toBe(reason);
  });

  it('wins over the transport error once the signal fired', () => {
    const controller = new AbortController();
    controller.abort();
    const error = errorFromException(new Error('socket hang up'), { ...context, signal: controller.signal });
    expect(error.details).toEqual({ aborted: true });
  });
});

describe('streamInterruptedError', () => {
  it('marks a cut stream as interrupted and retryable', () => {
    const error = streamInterruptedError(new Error('other side closed'), context, '[DONE]');
    expect(error).toMatchObject({ code: 'upstream_error', retryable: true, details: { interrupted: true } });
    expect(error.message).toBe('stream ended before [DONE]: other side closed');
    expect(streamInterruptedError(undefined, context, 'message_stop').message).toBe(
      'stream ended before message_stop',
    );
  });
});

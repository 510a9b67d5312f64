/**
 * The error handler on a real Fastify instance: a database that cannot be reached is a 503
 * with retry-after (a client may retry), not a 500 carrying the driver's words; an unexpected
 * error answers a generic 500 naming the request id, its message only in the log.
 */
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/core/errors.js';
import { installErrorHandler } from '../../src/server/error-handler.js';
import { isUnavailableError } from '../../src/store/index.js';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });
const logged: string[] = [];
const app = Fastify({
  logger: {
    level: 'error',
    stream: { write: (line: string) => void logged.push(line) },
  },
});

beforeAll(async () => {
  installErrorHandler(app);
  app.get('/pg-shutdown', async () => {
    throw withCode('terminating connection due to administrator command', '57P01');
  });
  app.get('/pg-cut', async () => {
    throw new Error('Connection terminated unexpectedly');
  });
  app.get('/refused', async () => {
    throw withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED');
  });
  app.get('/bug', async () => {
    throw new TypeError("Cannot read properties of undefined (reading 'secret_column')");
  });
  app.get('/not-found', async () => {
    throw new AppError('not_found', 'Stack "nope" not found');
  });
  await app.ready();
});
afterAll(() => app.close());

describe('error answers', () => {
  it.each(['/pg-shutdown', '/pg-cut', '/refused'])(
    '%s: the database going away is a retryable 503',
    async (url) => {
      const response = await app.inject({ method: 'GET', url });
      expect(response.statusCode).toBe(503);
      expect(response.headers['retry-after']).toBe('1');
      const body = response.json();
      expect(body.error).toMatchObject({ code: 'overloaded', type: 'api_error' });
      expect(body.error.message).not.toMatch(/administrator|ECONNREFUSED|terminated|5432/);
    },
  );

  it('answers an unexpected error with a generic 500 naming the request, the cause only in the log', async () => {
    const response = await app.inject({ method: 'GET', url: '/bug' });
    expect(response.statusCode).toBe(500);
    const body = response.json();
    expect(body.error.code).toBe('internal');
    expect(body.error.message).not.toContain('secret_column');
    expect(body.error.message).toMatch(/^Internal error \(request req-\d+\)/);
    expect(logged.join('')).toContain('secret_column');
  });

  it('passes errors the API means to send unchanged', async () => {
    const response = await app.inject({ method: 'GET', url: '/not-found' });
    expect(response.statusCode).toBe(404);
    expect(response.json().error.message).toBe('Stack "nope" not found');
  });
});

describe('isUnavailableError', () => {
  it('tells a database that cannot be reached from a request the database refused', () => {
    expect(isUnavailableError(withCode('x', '08006'))).toBe(true);
    expect(isUnavailableError(withCode('x', '53300'))).toBe(true);
    // statement_timeout, and pg's own query timeout (no answer at all: a partition)
    expect(isUnavailableError(withCode('canceling statement due to statement timeout', '57014'))).toBe(true);
    expect(isUnavailableError(new Error('Query read timeout'))).toBe(true);
    expect(isUnavailableError(withCode('database is locked', 'SQLITE_BUSY'))).toBe(true);
    expect(isUnavailableError(withCode('x', '23505'))).toBe(false);
    expect(isUnavailableError(withCode('x', '22003'))).toBe(false);
    expect(isUnavailableError(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isUnavailableError(new Error('Connection terminated by a stack named x'))).toBe(false);
    expect(isUnavailableError(null)).toBe(false);
  });
});

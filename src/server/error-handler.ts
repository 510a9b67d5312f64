/**
 * The one place errors become HTTP answers, for the gateway and the control plane alike:
 * `{"error":{"message","type","code","param"}}` with the error's status.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, toAppError } from '../core/index.js';
import { isOutOfRangeError, isUnavailableError, isUnstorableTextError } from '../store/index.js';

function fromFastifyError(error: FastifyError): AppError | null {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError('invalid_request', `Invalid JSON body: ${error.message}`);
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('payload_too_large', 'Request body is too large.');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError('invalid_request', 'Unsupported content type: send application/json.');
    default:
      if (error instanceof SyntaxError)
        return new AppError('invalid_request', `Invalid JSON body: ${error.message}`);
      if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500)
        return new AppError('invalid_request', error.message, { status: error.statusCode });
      return null;
  }
}

/** Seconds a client is asked to wait when the database is unreachable. */
const STORE_RETRY_AFTER_SECONDS = 1;

function fromStoreError(error: unknown): AppError | null {
  if (isUnavailableError(error))
    return new AppError('overloaded', 'The database is unavailable for the moment; retry shortly.', {
      cause: error,
      retryable: true,
      retryAfterSeconds: STORE_RETRY_AFTER_SECONDS,
    });
  if (isOutOfRangeError(error))
    return new AppError(
      'invalid_request',
      'A number in the request is out of range (versions are below 2^31).',
    );
  if (isUnstorableTextError(error))
    return new AppError(
      'invalid_request',
      'Text in the request holds a character that cannot be stored: a NUL (U+0000), or a lone UTF-16 surrogate.',
    );
  return null;
}

export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const appError =
      error instanceof AppError
        ? error
        : (fromFastifyError(error) ?? fromStoreError(error) ?? toAppError(error));
    if (appError.status >= 500 && (appError.code === 'internal' || appError.code === 'overloaded'))
      request.log.error(
        { err: error },
        appError.code === 'internal' ? 'unhandled error' : 'store unavailable',
      );
    if (appError.retryAfterSeconds !== undefined && (appError.status === 429 || appError.status === 503))
      reply.header('retry-after', String(Math.ceil(appError.retryAfterSeconds)));
    // 499 is for our records only; if the client is somehow still there, tell it 400.
    const status = appError.status === 499 ? 400 : appError.status;
    // An unexpected error's own message can carry SQL, paths or a peer's words: it goes to the
    // log, and the client gets the request id to quote.
    const answer =
      appError.code === 'internal'
        ? new AppError('internal', `Internal error (request ${request.id}); the server log has the cause.`)
        : appError;
    void reply.code(status).send(answer.toBody());
  });
  app.setNotFoundHandler((request, reply) => {
    void reply
      .code(404)
      .send(new AppError('not_found', `No route for ${request.method} ${request.url}`).toBody());
  });
}

/**
 * Fastify's routing errors — a malformed URL, a path parameter past its length limit — which
 * never reach the error handler: the same shape, for Fastify's `frameworkErrors` option.
 */
export function answerFrameworkError(
  error: FastifyError,
  _request: FastifyRequest,
  reply: FastifyReply,
): void {
  const appError = fromFastifyError(error) ?? toAppError(error);
  void reply.code(appError.status).send(appError.toBody());
}

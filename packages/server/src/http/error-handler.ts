// Every failure answers JSON `{ error: { code, messageId, message, requestId } }`: client mistakes
// are typed 4xx (malformed JSON, schema violations, oversize bodies), never a 500.
import { isCoreError } from '@tillid/core';
import { isMrtdError } from '@tillid/mrtd';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isServerError, ServerError } from '../errors.ts';
import { LOG } from '../log/log-codes.ts';

export interface ErrorBody {
  readonly error: {
    readonly code: string;
    readonly messageId: string;
    readonly message: string;
    readonly requestId: string;
    readonly details?: Readonly<Record<string, unknown>>;
  };
}

/** The answer for a domain error of another package: its own code, status and message ID. */
export interface HttpErrorShape {
  readonly code: string;
  readonly status: number;
  readonly messageId: string;
  readonly message: string;
  readonly expose: boolean;
  readonly details?: Readonly<Record<string, unknown>> | undefined;
}

function fromDomain(e: unknown): HttpErrorShape | undefined {
  if (isServerError(e) || isCoreError(e)) return e;
  // A document (chip data) the library refuses is the client's input, not our failure.
  if (isMrtdError(e)) {
    return {
      code: e.code,
      status: 422,
      messageId: 'error.document.invalid',
      message: e.message,
      expose: true,
    };
  }
  return undefined;
}

/** Maps fastify's own client errors (by their FST_ codes) to ours. */
function fromFastify(e: FastifyError): ServerError | undefined {
  switch (e.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new ServerError('ERR_BAD_JSON', 'the request body is not valid JSON', {
        status: 400,
        messageId: 'error.badJson',
      });
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ServerError('ERR_PAYLOAD_TOO_LARGE', 'the request body is too large', {
        status: 413,
        messageId: 'error.payloadTooLarge',
      });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new ServerError('ERR_UNSUPPORTED_MEDIA_TYPE', 'unsupported content type', {
        status: 415,
        messageId: 'error.unsupportedMediaType',
      });
    default:
      if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
        return new ServerError('ERR_VALIDATION', e.message, {
          status: e.statusCode,
          messageId: 'error.validation',
        });
      }
      return undefined;
  }
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const domain = fromDomain(error) ?? fromDomain((error as { cause?: unknown } | undefined)?.cause);
    const mapped =
      error && typeof error === 'object' && 'code' in error ? fromFastify(error as FastifyError) : undefined;
    const e: HttpErrorShape =
      domain ??
      mapped ??
      new ServerError('ERR_INTERNAL', 'internal error', {
        status: 500,
        messageId: 'error.internal',
        expose: false,
      });
    if (e.status >= 500)
      request.log.error({ code: LOG.REQUEST_FAILED.code, err: error }, LOG.REQUEST_FAILED.msg);
    else request.log.info({ code: LOG.REQUEST_REJECTED.code, errorCode: e.code }, LOG.REQUEST_REJECTED.msg);
    const body: ErrorBody = {
      error: {
        code: e.code,
        messageId: e.messageId,
        message: e.expose ? e.message : 'internal error',
        requestId: String(request.id),
        ...(e.expose && e.details ? { details: e.details } : {}),
      },
    };
    if ((e.status === 429 || e.status === 503) && typeof e.details?.['retryAfterSeconds'] === 'number') {
      reply.header('retry-after', String(e.details['retryAfterSeconds']));
    }
    return reply.status(e.status).send(body);
  });

  app.setNotFoundHandler((request, reply) => {
    const body: ErrorBody = {
      error: {
        code: 'ERR_NOT_FOUND',
        messageId: 'error.notFound',
        message: `no route for ${request.method} ${request.url.split('?')[0]}`,
        requestId: String(request.id),
      },
    };
    return reply.status(404).send(body);
  });
}

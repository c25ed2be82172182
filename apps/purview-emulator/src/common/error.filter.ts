import { displayValue } from '@purview-emulator/contracts';
import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AtlasErrorResponse, ErrorResponseModel } from '@purview-emulator/contracts';
import { PurviewError } from './errors';
import { requestIdOf } from './request-id';
import { routePathOf } from './route-path';

const ATLAS_PREFIXES = ['/datamap/api', '/catalog/api', '/api/atlas'];

/** The single place errors become responses, in the cloud's own shapes. Unknown errors never leak details. */
@Catch()
export class PurviewErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const request = ctx.getRequest<FastifyRequest>();
    const reply = ctx.getResponse<FastifyReply>();
    const error = this.toPurviewError(exception, request);
    const path = routePathOf(request);
    reply.header('x-ms-error-code', error.code);
    if (ATLAS_PREFIXES.some((p) => path.startsWith(p))) {
      const body: AtlasErrorResponse = {
        requestId: requestIdOf(request),
        errorCode: error.atlasCode ?? atlasCodeFor(error.status),
        errorMessage: error.message,
      };
      void reply.status(error.status).send(body);
      return;
    }
    const body: ErrorResponseModel = {
      error: { code: error.code, message: error.message, ...(error.target ? { target: error.target } : {}) },
    };
    void reply.status(error.status).send(body);
  }

  private toPurviewError(exception: unknown, request: FastifyRequest): PurviewError {
    if (exception instanceof PurviewError) return exception;
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      if (status === Number(HttpStatus.NOT_FOUND)) {
        return new PurviewError(
          status,
          'NotFound',
          `No operation matches ${request.method} ${request.url.split('?')[0]}.`,
        );
      }
      const response = exception.getResponse();
      const message =
        typeof response === 'string' ? response : ((response as { message?: unknown }).message ?? exception.message);
      return new PurviewError(
        status,
        codeFor(status),
        Array.isArray(message) ? message.join('; ') : displayValue(message),
      );
    }
    const fastifyError = exception as { statusCode?: number; code?: string; message?: string };
    if (
      typeof fastifyError?.statusCode === 'number' &&
      fastifyError.statusCode >= 400 &&
      fastifyError.statusCode < 500
    ) {
      // Body parser errors (malformed JSON, wrong content type, body too large).
      return new PurviewError(
        fastifyError.statusCode,
        codeFor(fastifyError.statusCode),
        fastifyError.message ?? 'Bad request.',
      );
    }
    this.logger.error(
      `Unhandled error on ${request.method} ${request.url.split('?')[0]}`,
      (exception as Error)?.stack ?? String(exception),
    );
    return new PurviewError(
      HttpStatus.INTERNAL_SERVER_ERROR,
      'InternalServerError',
      `An internal error occurred. Request id: ${requestIdOf(request)}.`,
    );
  }
}

function codeFor(status: number): string {
  switch (status) {
    case 400:
      return 'BadRequest';
    case 401:
      return 'Unauthorized';
    case 403:
      return 'Forbidden';
    case 404:
      return 'NotFound';
    case 405:
      return 'MethodNotAllowed';
    case 409:
      return 'Conflict';
    case 413:
      return 'RequestEntityTooLarge';
    case 415:
      return 'UnsupportedMediaType';
    default:
      return status >= 500 ? 'InternalServerError' : 'BadRequest';
  }
}

function atlasCodeFor(status: number): string {
  switch (status) {
    case 400:
      return 'ATLAS-400-00-001';
    case 401:
      return 'ATLAS-401-00-001';
    case 403:
      return 'ATLAS-403-00-001';
    case 404:
      return 'ATLAS-404-00-001';
    case 409:
      return 'ATLAS-409-00-001';
    default:
      return status >= 500 ? 'ATLAS-500-00-001' : `ATLAS-${status}-00-001`;
  }
}

import { HttpStatus } from '@nestjs/common';

/**
 * One error type for every API family. The global filter renders it in the shape of the route's family:
 * scanning/ARM `{error:{code,message}}` or Atlas `{requestId,errorCode,errorMessage}`.
 */
export class PurviewError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly target?: string,
    /** Atlas error code (e.g. ATLAS-404-00-005) when the error is raised by the data map. */
    readonly atlasCode?: string,
  ) {
    super(message);
  }

  static badRequest(message: string, code = 'BadRequest', target?: string): PurviewError {
    return new PurviewError(HttpStatus.BAD_REQUEST, code, message, target);
  }

  static notFound(what: string, name: string, code = 'NotFound'): PurviewError {
    return new PurviewError(HttpStatus.NOT_FOUND, code, `${what} '${name}' was not found.`);
  }

  static conflict(message: string, code = 'Conflict'): PurviewError {
    return new PurviewError(HttpStatus.CONFLICT, code, message);
  }

  static unauthorized(message: string, code = 'Unauthorized'): PurviewError {
    return new PurviewError(HttpStatus.UNAUTHORIZED, code, message);
  }

  static forbidden(message: string, code = 'Forbidden'): PurviewError {
    return new PurviewError(HttpStatus.FORBIDDEN, code, message);
  }

  static atlas(status: number, atlasCode: string, message: string): PurviewError {
    return new PurviewError(status, atlasCode, message, undefined, atlasCode);
  }
}

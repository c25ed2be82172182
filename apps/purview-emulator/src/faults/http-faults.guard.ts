import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { HttpFault } from '@purview-emulator/contracts';
import { PurviewError } from '../common/errors';
import { FaultsService } from './faults.service';

const CODES: Record<number, string> = {
  429: 'TooManyRequests',
  500: 'InternalServerError',
  502: 'BadGateway',
  503: 'ServiceUnavailable',
  504: 'GatewayTimeout',
};

/**
 * `http` faults, as the last global guard (after authentication, roles and api-version, as Azure's throttling answers
 * a caller it knows): a matching request waits `delayMs`, then is answered with the fault's status in its route's
 * error shape, with `Retry-After` on 429 and 503 as Azure sends it. A guard, not an interceptor: with no fault in
 * force it costs one check, where any global interceptor puts every request through RxJS. The emulator's own routes
 * (`/_emulator/…`, the runtime protocol included) are never hit, so a fault can always be listed and cleared.
 */
@Injectable()
export class HttpFaultsGuard implements CanActivate {
  constructor(private readonly faults: FaultsService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (!this.faults.any('http')) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const path = request.url.split('?')[0].toLowerCase();
    if (path.startsWith('/_emulator/')) return true;
    const fault = this.faults.take(
      'http',
      (f) => (!f.method || f.method === request.method) && path.startsWith(f.path.toLowerCase()),
      `${request.method} ${request.url.split('?')[0]}`,
    );
    if (fault) await answer(fault, context.switchToHttp().getResponse<FastifyReply>());
    return true;
  }
}

async function answer(fault: HttpFault, reply: FastifyReply): Promise<void> {
  if (fault.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
  if (fault.status === undefined) return;
  const retryAfter = fault.retryAfterSeconds ?? (fault.status === 429 || fault.status === 503 ? 1 : undefined);
  if (retryAfter !== undefined) void reply.header('Retry-After', String(retryAfter));
  const message =
    fault.message ??
    (fault.status === 429
      ? `Rate limit is exceeded. Try again in ${retryAfter} seconds.`
      : `The service is unavailable (${CODES[fault.status]}, injected by /_emulator/faults).`);
  throw new PurviewError(fault.status, CODES[fault.status], message);
}

import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';

const REQUEST_ID = Symbol('requestId');
const CLIENT_REQUEST_ID = Symbol('clientRequestId');
export const CLIENT_REQUEST_ID_HEADER = 'x-ms-client-request-id';
/** Azure Storage echoes a client request id of at most 1024 visible ASCII characters, and drops any other. */
const ECHOABLE = /^[\x20-\x7e]{1,1024}$/;

/** The client's `x-ms-client-request-id` when Azure would echo it (one value, 1-1024 visible ASCII characters). */
export function clientRequestIdOf(headers: Record<string, string | string[] | undefined>): string | undefined {
  const value = headers[CLIENT_REQUEST_ID_HEADER];
  return typeof value === 'string' && ECHOABLE.test(value) ? value : undefined;
}

/**
 * Every response carries `x-ms-request-id`, as Purview's do; error bodies reuse the same id. A request's
 * `x-ms-client-request-id` comes back unchanged, as Azure services do, so clients can match answers to their calls.
 */
export function registerRequestId(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', async (request, reply) => {
    const id = randomUUID();
    (request as unknown as Record<symbol, string>)[REQUEST_ID] = id;
    reply.header('x-ms-request-id', id);
    const clientRequestId = clientRequestIdOf(request.headers);
    if (clientRequestId !== undefined) {
      (request as unknown as Record<symbol, string>)[CLIENT_REQUEST_ID] = clientRequestId;
      reply.header(CLIENT_REQUEST_ID_HEADER, clientRequestId);
    }
  });
}

export function requestIdOf(request: FastifyRequest): string {
  return (request as unknown as Record<symbol, string>)[REQUEST_ID] ?? randomUUID();
}

export function clientRequestIdOfRequest(request: FastifyRequest): string | undefined {
  return (request as unknown as Record<symbol, string | undefined>)[CLIENT_REQUEST_ID];
}

import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';

const REQUEST_ID = Symbol('requestId');

/** Every response carries `x-ms-request-id`, as Purview's do; error bodies reuse the same id. */
export function registerRequestId(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', async (request, reply) => {
    const id = randomUUID();
    (request as unknown as Record<symbol, string>)[REQUEST_ID] = id;
    reply.header('x-ms-request-id', id);
  });
}

export function requestIdOf(request: FastifyRequest): string {
  return (request as unknown as Record<symbol, string>)[REQUEST_ID] ?? randomUUID();
}

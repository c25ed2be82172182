import type { FastifyInstance } from 'fastify';

const RECORDED = new WeakMap<FastifyInstance, { method: string; url: string }[]>();

/**
 * Records every route Fastify registers (Nest's and plugins'), from before Nest adds any: the docs test compares
 * the document with what the server really routes, not with the metadata the document was made from.
 */
export function recordRoutes(fastify: FastifyInstance): void {
  const routes: { method: string; url: string }[] = [];
  RECORDED.set(fastify, routes);
  fastify.addHook('onRoute', (route) => {
    for (const method of ([] as string[]).concat(route.method)) routes.push({ method, url: route.url });
  });
}

export function registeredRoutes(fastify: FastifyInstance): readonly { method: string; url: string }[] {
  return RECORDED.get(fastify) ?? [];
}

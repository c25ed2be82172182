import type { FastifyRequest } from 'fastify';

/**
 * The path pattern of the route the router matched (`/scan/datasources/:dataSourceName`); for no route, the
 * request path with repeated slashes folded. Anything keyed on paths must see what the router saw: the router
 * ignores repeated and trailing slashes, so the raw URL (`//scan/…`) is not the route.
 */
export function routePathOf(request: FastifyRequest): string {
  return request.routeOptions?.url ?? request.url.split('?')[0].replace(/\/{2,}/g, '/');
}

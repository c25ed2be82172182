import type { FastifyRequest } from 'fastify';
import type { PagedList } from '@purview-emulator/contracts';
import { PurviewError } from './errors';

export const DEFAULT_PAGE_SIZE = 100;

/** Reads `$skipToken`/`skipToken` (an opaque offset) and `$top`; bad values are a 400, not a silent first page. */
export function pageOf(request: FastifyRequest, defaultSize = DEFAULT_PAGE_SIZE): { skip: number; take: number } {
  const query = (request.query ?? {}) as Record<string, string | undefined>;
  const token = query.$skipToken ?? query.skipToken;
  let skip = 0;
  if (token !== undefined) {
    const decoded = Number(Buffer.from(token, 'base64url').toString('utf8'));
    if (!Number.isInteger(decoded) || decoded < 0)
      throw PurviewError.badRequest(
        `The skip token '${token}' is not valid; pass back the nextLink you received.`,
        'InvalidSkipToken',
      );
    skip = decoded;
  }
  let take = defaultSize;
  if (query.$top !== undefined) {
    take = Number(query.$top);
    if (!Number.isInteger(take) || take < 1 || take > 1000)
      throw PurviewError.badRequest(`$top must be an integer from 1 to 1000, not '${query.$top}'.`, 'InvalidTop');
  }
  return { skip, take };
}

/** The absolute URL of the next page, or undefined on the last page. */
export function nextLinkOf(request: FastifyRequest, skip: number, take: number, total: number): string | undefined {
  if (skip + take >= total) return undefined;
  const url = new URL(request.originalUrl ?? request.url, baseUrlOf(request));
  url.searchParams.delete('skipToken');
  url.searchParams.set('$skipToken', Buffer.from(String(skip + take)).toString('base64url'));
  return url.toString();
}

/** A page of a list in the scanning shape `{value, count, nextLink?}`, fetched with the request's skip token. */
export async function pagedList<T>(
  request: FastifyRequest,
  fetch: (skip: number, take: number) => Promise<{ value: T[]; count: number }>,
  defaultSize = DEFAULT_PAGE_SIZE,
): Promise<PagedList<T>> {
  const { skip, take } = pageOf(request, defaultSize);
  const { value, count } = await fetch(skip, take);
  const nextLink = nextLinkOf(request, skip, take, count);
  return { value, count, ...(nextLink ? { nextLink } : {}) };
}

/** Scheme and host the client used, so links in responses work through any host name or port. */
export function baseUrlOf(request: FastifyRequest): string {
  const host = firstHeader(request.headers['x-forwarded-host']) ?? request.headers.host ?? 'localhost';
  const proto = firstHeader(request.headers['x-forwarded-proto']) ?? request.protocol ?? 'http';
  return `${proto}://${host}`;
}

/** A header a proxy may have sent twice arrives as an array: the first value is the client's. */
function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { RELAY_QUERY_PREFIX, RELAY_WS_PREFIX } from '@purview-emulator/contracts';

/**
 * The pure parts of the Hybrid Connections protocol (relay.md): what an upgrade asks for, which token a sender
 * presents, which headers and query parameters reach the listener, and how reason phrases are kept printable.
 */

/** RFC 7230 connection headers the relay never forwards (the doc keeps Via). */
export const HOP_BY_HOP = new Set([
  'connection',
  'content-length',
  'host',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'close',
  'keep-alive',
  'proxy-connection',
]);

const TOKEN_HEADER = 'servicebusauthorization';

/** An upgrade under `/$hc/`: the entity path (no leading slash) and the `sb-hc-action`; undefined for any other path. */
export function upgradeTargetOf(url: URL): { entityPath: string; action: string } | undefined {
  // Some clients send `$` percent-encoded.
  const pathname = safeDecode(url.pathname.replace(/^\/%24hc\//i, RELAY_WS_PREFIX));
  if (!pathname.toLowerCase().startsWith(RELAY_WS_PREFIX.toLowerCase())) return undefined;
  return {
    entityPath: pathname.slice(RELAY_WS_PREFIX.length).replace(/^\/+/, ''),
    action: url.searchParams.get('sb-hc-action') ?? '',
  };
}

/** The entity path of an HTTP sender's request (no leading slash); undefined for `/` and the `$hc` space, which are not HTTP senders'. */
export function httpEntityPathOf(url: URL): string | undefined {
  const entityPath = safeDecode(url.pathname).replace(/^\/+/, '');
  return !entityPath || entityPath.startsWith('$hc') ? undefined : entityPath;
}

/** The token a request presents: sb-hc-token, then ServiceBusAuthorization, then a SAS `Authorization` header. */
export function tokenOf(req: IncomingMessage, url: URL | undefined): string | undefined {
  const query = url?.searchParams.get('sb-hc-token');
  if (query) return query;
  const header = req.headers[TOKEN_HEADER];
  if (typeof header === 'string' && header) return header;
  const authorization = req.headers.authorization;
  return authorization && /^SharedAccessSignature\s/i.test(authorization) ? authorization : undefined;
}

/** Authorization is evaluated (and stripped) only when neither sb-hc-token nor ServiceBusAuthorization is present. */
export function usesAuthorizationHeader(req: IncomingMessage, url: URL): boolean {
  return !url.searchParams.get('sb-hc-token') && !req.headers[TOKEN_HEADER] && !!req.headers.authorization;
}

/** The sender's headers, original case, duplicates joined with ", ", without relay authorization (and hop-by-hop ones for HTTP). */
export function forwardedHeaders(
  req: Pick<IncomingMessage, 'rawHeaders'>,
  options: { keepConnectionHeaders?: boolean; stripAuthorization?: boolean },
): Record<string, string> {
  const out: Record<string, string> = {};
  const names = new Map<string, string>();
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i];
    const lower = name.toLowerCase();
    if (lower === TOKEN_HEADER) continue;
    if (
      lower === 'authorization' &&
      (options.stripAuthorization || /^SharedAccessSignature\s/i.test(req.rawHeaders[i + 1]))
    )
      continue;
    if (!options.keepConnectionHeaders && HOP_BY_HOP.has(lower)) continue;
    const existing = names.get(lower);
    if (existing) out[existing] = `${out[existing]}, ${req.rawHeaders[i + 1]}`;
    else {
      names.set(lower, name);
      out[name] = req.rawHeaders[i + 1];
    }
  }
  return out;
}

/** The query without `sb-hc-…=` parameters; order, duplicates, empty parts and `sb-hc-x` without '=' stay (as the .NET tests expect). */
export function strippedQuery(rawUrl: string): string {
  const q = rawUrl.indexOf('?');
  if (q === -1) return '';
  const kept = rawUrl
    .slice(q + 1)
    .split('&')
    .filter((part) => !(part.toLowerCase().startsWith(RELAY_QUERY_PREFIX) && part.includes('=')));
  return kept.length === 0 ? '' : `?${kept.join('&')}`;
}

/** Non-relay query parameters of a sender's URL, ready to prefix the relay's own (`a=1&`), or ''. */
export function appQuery(url: URL): string {
  const parts: string[] = [];
  for (const [key, value] of url.searchParams)
    if (!key.toLowerCase().startsWith(RELAY_QUERY_PREFIX))
      parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(value)}`);
  return parts.length ? `${parts.join('&')}&` : '';
}

export function encodeEntityPath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

/** Listeners connect to the hybrid connection's path exactly (any case, a trailing slash allowed), never to a suffix. */
export function sameEntity(hcPath: string, entityPath: string): boolean {
  return hcPath.toLowerCase() === entityPath.replace(/\/+$/, '').toLowerCase();
}

/** Close codes that may be sent in a close frame: 1005/1006 only report what happened, 1004 is reserved. */
export function isSendableCloseCode(code: number): boolean {
  return (
    (code >= 1000 && code <= 1014 && code !== 1004 && code !== 1005 && code !== 1006) || (code >= 3000 && code <= 4999)
  );
}

export function remoteOf(req: IncomingMessage): { address: string; port: number } {
  return { address: req.socket.remoteAddress ?? 'unknown', port: req.socket.remotePort ?? 0 };
}

export function hostOf(req: IncomingMessage): string {
  return req.headers.host || `${req.socket.localAddress}:${req.socket.localPort}`;
}

export function wsScheme(req: IncomingMessage): 'ws' | 'wss' {
  return (req.socket as TLSSocket).encrypted ? 'wss' : 'ws';
}

/** A reason phrase: printable ASCII only, one line, bounded. */
export function sanitizeReason(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, ' ').slice(0, 512);
}

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

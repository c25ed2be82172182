import { STATUS_CODES } from 'node:http';

/**
 * How a request goes through a forward proxy: `CONNECT` opens a tunnel (https://, wss://: the proxy sees only
 * host:port); `forward` sends a plain http:// request in absolute form (`GET http://host:port/path`).
 */
export type ProxyRequestKind = 'CONNECT' | 'forward';

export function proxyAuthMessage(proxyUrl: string): string {
  return `The proxy ${proxyUrl} requires authentication (HTTP 407 Proxy Authentication Required): the proxy user name or password is missing or wrong. Set them with 'shir proxy set --mode custom --address … --port … --user <name> --password <password>'.`;
}

/** What a proxy's own refusal means, and what to do about it; `detail` is the proxy's error code (Squid: ERR_ACCESS_DENIED). */
export function proxyRefusalMessage(refusal: {
  statusCode: number;
  statusText?: string;
  proxyUrl: string;
  target: string;
  kind: ProxyRequestKind;
  detail?: string;
}): string {
  const { statusCode, proxyUrl, target, kind } = refusal;
  if (statusCode === 407) return proxyAuthMessage(proxyUrl);
  const status =
    `HTTP ${statusCode} ${refusal.statusText || STATUS_CODES[statusCode] || ''}`.trim() +
    (refusal.detail ? `, ${refusal.detail}` : '');
  const port = target.slice(target.lastIndexOf(':') + 1);
  const bypass = `or add ${target} to the bypass list ('shir proxy set … --bypass ${target}')`;
  if (statusCode === 403 || statusCode === 405) {
    const why =
      kind === 'CONNECT'
        ? `${target} is reached with CONNECT (https:// and wss://), which a stock Squid allows only to port 443: serve it on port 443, have the proxy allow CONNECT to port ${port} (Squid: 'acl SSL_ports port ${port}'), ${bypass}.`
        : `have the proxy allow requests to ${target}, ${bypass}.`;
    return `The proxy ${proxyUrl} refused the request (${status}): its access rules deny this destination or method; ${why}`;
  }
  if (statusCode === 502 || statusCode === 503 || statusCode === 504) {
    return `The proxy ${proxyUrl} could not reach ${target} (${status}): the target is down, or the proxy cannot reach it (name, route or firewall on the proxy's side).`;
  }
  return `The proxy ${proxyUrl} refused the request to ${target} (${status}).`;
}

/** A forward proxy answered the request itself (a refusal, an unreachable target) instead of passing it on. */
export class ProxyRefusedError extends Error {
  override name = 'ProxyRefusedError';
  constructor(
    readonly statusCode: number,
    readonly statusText: string,
    readonly proxyUrl: string,
    /** host:port the request was for. */
    readonly target: string,
    readonly kind: ProxyRequestKind,
    /** The proxy's own error code when it gives one (Squid's X-Squid-Error). */
    readonly detail?: string,
  ) {
    super(proxyRefusalMessage({ statusCode, statusText, proxyUrl, target, kind, detail }));
  }
}

/**
 * Whether a response to a forwarded request is the proxy's own answer, from the marks proxies put on their error
 * pages: Squid's `X-Squid-Error` (ERR_ACCESS_DENIED, ERR_CONNECT_FAIL…) and RFC 9209's `Proxy-Status` with an
 * `error=` parameter. Returns the proxy's error code, or undefined when the response comes from the target.
 */
export function proxyErrorMark(header: (name: string) => string | undefined | null): string | undefined {
  const squid = header('x-squid-error');
  if (squid) return squid.trim();
  const status = header('proxy-status');
  const error = status ? /;\s*error=("?)([^;",]+)\1/i.exec(status) : null;
  return error ? error[2] : undefined;
}

/** A header lookup over undici's raw headers ([name, value, name, value…] as Buffers or strings). */
export function rawHeaderLookup(
  raw: readonly (Buffer | string)[] | null | undefined,
): (name: string) => string | undefined {
  return (name) => {
    for (let i = 0; raw && i + 1 < raw.length; i += 2) {
      if (String(raw[i]).toLowerCase() === name) return String(raw[i + 1]);
    }
    return undefined;
  };
}

/**
 * The proxy refusal behind an error, walking `cause`: our ProxyRefusedError, or a storage SDK error whose response
 * carries a proxy's error mark (the SDK's proxy agents hand the proxy's answer over as the response).
 */
export function proxyRefusalOf(error: unknown, proxyUrl = 'in use'): ProxyRefusedError | undefined {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current && typeof current === 'object' && !seen.has(current)) {
    seen.add(current);
    if (current instanceof ProxyRefusedError) return current;
    const copied = copiedRefusal(current);
    if (copied) return copied;
    const e = current as {
      statusCode?: unknown;
      response?: {
        headers?: { get?: (name: string) => string | undefined };
        request?: { url?: string; proxySettings?: unknown };
      };
      request?: { url?: string };
      cause?: unknown;
    };
    const get = e.response?.headers?.get;
    if (typeof e.statusCode === 'number' && typeof get === 'function') {
      const mark = proxyErrorMark((name) => get.call(e.response!.headers, name));
      if (mark) {
        const url = e.response?.request?.url ?? e.request?.url;
        const target = url ? hostPort(new URL(url)) : 'the target';
        const kind = url?.startsWith('https:') ? 'CONNECT' : 'forward';
        return new ProxyRefusedError(e.statusCode, STATUS_CODES[e.statusCode] ?? '', proxyUrl, target, kind, mark);
      }
    }
    current = e.cause;
  }
  return undefined;
}

/**
 * fetch keeps a cause only when it is an Error of its own realm; one from another realm (a test sandbox) arrives as
 * `new Error(String(cause))`. Read such a copy back from its text.
 */
function copiedRefusal(error: object): ProxyRefusedError | undefined {
  const message = (error as { message?: unknown }).message;
  const match =
    typeof message === 'string'
      ? /^Proxy(?:Connect|Refused)Error: (The proxy (\S+) .*\(HTTP (\d{3})[^)]*\).*)$/s.exec(message)
      : null;
  if (!match) return undefined;
  const copy = new ProxyRefusedError(
    Number(match[3]),
    '',
    match[2],
    '',
    /CONNECT/.test(match[1]) ? 'CONNECT' : 'forward',
  );
  copy.message = match[1];
  return copy;
}

/** host:port of a URL, with its default port spelled out. */
export function hostPort(url: URL): string {
  const port = url.port || (url.protocol === 'https:' || url.protocol === 'wss:' ? '443' : '80');
  return `${url.hostname}:${port}`;
}

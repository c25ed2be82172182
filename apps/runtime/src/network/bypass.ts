import { isIP } from 'node:net';

/**
 * Which hosts go around the proxy. One grammar for the bypass list of `shir proxy set --bypass` and for NO_PROXY:
 * entries separated by commas, semicolons or spaces, each one of
 *   `*`                  every host
 *   `host` / `1.2.3.4`   that host exactly (any port)
 *   `host:port`          that host on that port only
 *   `.example.com`       example.com and every host under it (as NO_PROXY has it)
 *   `*.example.com`      the same (as the SHIR's <bypasslist> has it)
 *   `10.0.0.0/8`         an IPv4 range
 *   `<local>`            loopback addresses, `localhost` and host names without a dot (the SHIR's bypassonlocal)
 */
export function parseBypassList(text: string | readonly string[] | undefined): string[] {
  const items = typeof text === 'string' ? [text] : [...(text ?? [])];
  return items
    .flatMap((item) => item.split(/[,;\s]+/))
    .map((item) => item.trim().toLowerCase())
    .filter((item) => item.length > 0);
}

/** Why a bypass entry cannot be used, or undefined when it is fine. */
export function invalidBypassEntry(entry: string): string | undefined {
  if (entry === '*' || entry === '<local>') return undefined;
  if (/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(entry)) {
    const [ip, bits] = entry.split('/');
    return isIP(ip) === 4 && Number(bits) <= 32
      ? undefined
      : `'${entry}' is not a valid IPv4 range (for example 10.0.0.0/8)`;
  }
  const { host, port } = splitHostPort(entry.replace(/^\*\./, '.'));
  if (port !== undefined && !(Number.isInteger(port) && port >= 1 && port <= 65535))
    return `'${entry}' has an invalid port`;
  const bare = host.replace(/^\./, '');
  if (isIP(bare.replace(/^\[|\]$/g, ''))) return undefined;
  if (!/^[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*$/.test(bare)) {
    return `'${entry}' is not a host name, a *.domain, a .domain, an IP address, an IPv4 range or <local>`;
  }
  return undefined;
}

function splitHostPort(entry: string): { host: string; port?: number } {
  const bracketed = /^(\[[^\]]+\])(?::(\d+))?$/.exec(entry);
  if (bracketed) return { host: bracketed[1], port: bracketed[2] ? Number(bracketed[2]) : undefined };
  const parts = entry.split(':');
  if (parts.length === 2) return { host: parts[0], port: parts[1] === '' ? NaN : Number(parts[1]) };
  return { host: entry };
}

function ipv4ToInt(ip: string): number {
  return ip.split('.').reduce((acc, part) => (acc << 8) + Number(part), 0) >>> 0;
}

function isLoopback(host: string): boolean {
  return (
    host === 'localhost' || host.endsWith('.localhost') || /^127\./.test(host) || host === '::1' || host === '[::1]'
  );
}

/** Whether `url` (or a host and port) is bypassed by one of `entries` (already parsed). */
export function isBypassed(url: URL, entries: readonly string[]): boolean {
  const host = url.hostname.toLowerCase().replace(/^\[|\]$/g, '');
  const port = Number(url.port || (url.protocol === 'https:' || url.protocol === 'wss:' ? 443 : 80));
  for (const entry of entries) {
    if (entry === '*') return true;
    if (entry === '<local>') {
      if (isLoopback(host) || (!host.includes('.') && !host.includes(':'))) return true;
      continue;
    }
    if (entry.includes('/')) {
      const [range, bits] = entry.split('/');
      if (isIP(host) === 4) {
        const mask = Number(bits) === 0 ? 0 : (~0 << (32 - Number(bits))) >>> 0;
        if ((ipv4ToInt(host) & mask) === (ipv4ToInt(range) & mask)) return true;
      }
      continue;
    }
    const split = splitHostPort(entry.replace(/^\*\./, '.'));
    if (split.port !== undefined && split.port !== port) continue;
    const pattern = split.host.replace(/^\[|\]$/g, '');
    if (pattern.startsWith('.')) {
      if (host === pattern.slice(1) || host.endsWith(pattern)) return true;
    } else if (host === pattern) {
      return true;
    }
  }
  return false;
}

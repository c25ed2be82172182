import { describeError } from '../redact';
import { proxyAuthMessage, ProxyRefusedError, proxyRefusalOf } from './proxy-refusal';

const CODE_WORDS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ETIMEDOUT: 'timed out',
  UND_ERR_CONNECT_TIMEOUT: 'connect timed out',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'DNS lookup failed (temporary)',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EPIPE: 'connection closed',
  UND_ERR_SOCKET: 'connection closed by the other side',
  // The runtime itself dropped its connections (new proxy settings, or a component restart).
  UND_ERR_DESTROYED: 'connection closed by this runtime while it restarted its connections',
};

/** The system code behind an error (walking `cause` and AggregateError), or the first words of its message. */
export function systemErrorCode(error: unknown): string {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current && typeof current === 'object' && !seen.has(current)) {
    seen.add(current);
    const candidate = current as { code?: unknown; errors?: unknown[]; cause?: unknown };
    if (typeof candidate.code === 'string' && candidate.code !== 'UND_ERR_ABORTED') return candidate.code;
    const inner = Array.isArray(candidate.errors)
      ? candidate.errors.find((e) => typeof (e as { code?: unknown })?.code === 'string')
      : undefined;
    if (inner) return (inner as { code: string }).code;
    current = candidate.cause;
  }
  return describeError(error).slice(0, 80);
}

/** The code an UnreachableError carries when the proxy refused its credentials. */
export const PROXY_AUTH_CODE = 'HTTP 407 Proxy Authentication Required';

/** Whether an error (or its causes) is a proxy refusing authentication (407). */
export function isProxyAuthError(error: unknown): boolean {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current && typeof current === 'object' && !seen.has(current)) {
    seen.add(current);
    if (current instanceof ProxyRefusedError && current.statusCode === 407) return true;
    const e = current as { message?: unknown; statusCode?: unknown; code?: unknown; cause?: unknown };
    if (e.statusCode === 407 || e.code === 'PROXY_AUTH') return true;
    if (typeof e.message === 'string' && /\(407\)|\b407 Proxy Authentication Required/i.test(e.message)) return true;
    if (e.code === PROXY_AUTH_CODE) return true;
    current = e.cause;
  }
  return false;
}

/** One line for a failed connection: a 407 says to fix the proxy credentials, other proxy refusals what they mean; system codes get words. */
export function explainNetworkError(error: unknown, proxyUrl?: string): string {
  if (isProxyAuthError(error)) return proxyAuthMessage(proxyUrl ?? proxyRefusalOf(error)?.proxyUrl ?? 'in use');
  const refusal = proxyRefusalOf(error, proxyUrl);
  if (refusal) return refusal.message;
  const code = systemErrorCode(error);
  const words = CODE_WORDS[code];
  return words ? `${code}: ${words}` : code;
}

/**
 * Redaction for everything a runtime prints. Nothing it logs may carry the auth key, the node credential, a SAS
 * token or a SAS URL: URLs lose their query string, fragment and user info; loose SAS signatures lose their value;
 * auth keys and node credentials lose their secret part; `Authorization: …` headers lose their value.
 */
const URL_PATTERN = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>`]+/gi;
const AUTH_KEY_PATTERN = /\bIR@([^@\s]+)@([^@\s]+)@([^@\s]*)@[A-Za-z0-9+/=_-]+/g;
const SIG_PATTERN = /\b(sig=)[^&\s"'<>]+/gi;
/** Node credentials are `{nodeId}.{secret}`: the node id may stay, the secret may not. */
const NODE_CREDENTIAL_PATTERN = /\b([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.[A-Za-z0-9_-]{16,}/gi;
const AUTHORIZATION_PATTERN = /\b(authorization["']?\s*[:=]\s*["']?(?:Node|Bearer|Basic|SharedKey)?\s*)[^\s"',}]+/gi;

export const REDACTED = '***';

/** A URL without its query string, fragment or user info: `https://host/path?sv=…&sig=…` → `https://host/path`. */
export function redactUrl(url: string): string {
  const base = url.replace(/[?#].*$/s, '');
  try {
    const parsed = new URL(base);
    const path = parsed.pathname === '/' && !base.endsWith('/') ? '' : parsed.pathname;
    return `${parsed.protocol}//${parsed.host}${path}`;
  } catch {
    return base.replace(/\/\/[^/@]*@/, '//');
  }
}

/** Any text with every URL reduced by `redactUrl`, and SAS signatures, auth-key secrets and node credentials masked. */
export function redactText(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) if (secret && secret.length >= 6) out = out.split(secret).join(REDACTED);
  return out
    .replace(URL_PATTERN, (url) => {
      // Punctuation ending a sentence stays outside the URL.
      const trail = /[.,;:)\]]+$/.exec(url)?.[0] ?? '';
      return redactUrl(trail ? url.slice(0, -trail.length) : url) + trail;
    })
    .replace(AUTH_KEY_PATTERN, (_m, id: string, account: string, endpoint: string) => `IR@${id}@${account}@${endpoint}@${REDACTED}`)
    .replace(SIG_PATTERN, `$1${REDACTED}`)
    .replace(NODE_CREDENTIAL_PATTERN, `$1.${REDACTED}`)
    .replace(AUTHORIZATION_PATTERN, `$1${REDACTED}`);
}

/** The first line of any thrown value's message, redacted. */
export function describeError(error: unknown, secrets: readonly string[] = []): string {
  const message = error instanceof Error ? error.message : String(error);
  const firstLine = message.split('\n')[0].trim();
  return redactText(firstLine || (error instanceof Error ? error.name : 'unknown error'), secrets);
}

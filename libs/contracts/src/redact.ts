/**
 * The one redaction every part uses (emulator logs, runtime output, scan-engine errors), with one mask. Nothing
 * printed may carry a SAS signature or token, a relay token, an OAuth token or secret, an account key, an auth key's
 * secret, a node credential or an Authorization header's value.
 */
export const REDACTED = '***';

const URL_PATTERN = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>`]+/gi;
const AUTH_KEY_PATTERN = /\bIR@([^@\s]+)@([^@\s]+)@([^@\s]*)@[A-Za-z0-9+/=_-]+/g;
/**
 * `name=value` secrets, in query strings (sig=, sb-hc-token=, access_token=…) and connection strings (AccountKey=…;).
 * Not preceded by a letter, digit, `_` or `-`, so `x-sig=` or `api-token=` names are left alone.
 */
const NAMED_SECRET_PATTERN =
  /(?<![A-Za-z0-9_-])(sig|sb-hc-token|token|access_token|id_token|refresh_token|client_secret|client_assertion|password|AccountKey|SharedAccessKey|SharedAccessSignature)=[^&;\s"'<>]+/gi;
/** OAuth authorization codes: only as a query parameter (`code=` elsewhere is usually an error code). */
const CODE_PARAMETER_PATTERN = /([?&]code=)[^&\s"'<>#]+/gi;
/** Node credentials are `{nodeId}.{secret}`: the node id may stay, the secret may not. */
const NODE_CREDENTIAL_PATTERN =
  /\b([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.[A-Za-z0-9_-]{16,}/gi;
const AUTHORIZATION_PATTERN =
  /\b((?:ServiceBus)?authorization["']?\s*[:=]\s*["']?(?:Node|Bearer|Basic|SharedKey|SharedAccessSignature)?\s*)[^\s"',}]+/gi;

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

/**
 * Any text with `secrets` (at least 6 characters; shorter ones would mask ordinary words) masked, every absolute
 * URL reduced by `redactUrl`, and named secrets, auth-key secrets, node credentials and Authorization values masked.
 * A bare path keeps its query string with only the secret values masked (`/x?api-version=1&sig=***`).
 */
export function redactSecrets(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) if (secret && secret.length >= 6) out = out.split(secret).join(REDACTED);
  return out
    .replace(URL_PATTERN, (url) => {
      // Punctuation ending a sentence stays outside the URL.
      const trail = /[.,;:)\]]+$/.exec(url)?.[0] ?? '';
      return redactUrl(trail ? url.slice(0, -trail.length) : url) + trail;
    })
    .replace(
      AUTH_KEY_PATTERN,
      (_m, id: string, account: string, endpoint: string) => `IR@${id}@${account}@${endpoint}@${REDACTED}`,
    )
    .replace(NAMED_SECRET_PATTERN, (_m, name: string) => `${name}=${REDACTED}`)
    .replace(CODE_PARAMETER_PATTERN, `$1${REDACTED}`)
    .replace(NODE_CREDENTIAL_PATTERN, `$1.${REDACTED}`)
    .replace(AUTHORIZATION_PATTERN, `$1${REDACTED}`);
}

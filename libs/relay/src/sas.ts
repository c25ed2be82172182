import { timingSafeEqual } from 'node:crypto';
import { parseSasToken, sasSignature } from '@purview-emulator/contracts';

export type RelayRight = 'Listen' | 'Send';

/** A shared access rule of a hybrid connection: a key name, its key, and what tokens signed with it may do. */
export interface SasRule {
  keyName: string;
  key: string;
  rights: readonly RelayRight[];
}

/** Why a token was refused: 401 (missing, malformed, forged or expired) or 403 (wrong entity or right). */
export class SasRejected extends Error {
  constructor(
    readonly status: 401 | 403,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Validates a SAS token for one hybrid connection as Azure Relay does (relay.md §4): the signature over the raw
 * `sr` and `se` with the named rule's key, the expiry, then the scope. The scope check ignores scheme, host, port,
 * case and a trailing slash, so every producer's `sr` works (hyco keeps `:443`, .NET adds a slash) and the
 * emulator can be reached under any name. Returns the token's expiry in seconds.
 */
export function checkSasToken(
  token: string | undefined,
  hybridConnectionPath: string,
  rules: readonly SasRule[],
  right: RelayRight,
  nowSeconds: number,
): number {
  if (!token) {
    throw new SasRejected(
      401,
      'No SAS token: send "ServiceBusAuthorization: SharedAccessSignature sr=…&sig=…&se=…&skn=…" or the sb-hc-token query parameter.',
    );
  }
  let parsed;
  try {
    parsed = parseSasToken(token);
  } catch (error) {
    throw new SasRejected(401, `Malformed token: ${(error as Error).message}`);
  }
  const rule =
    rules.find((r) => r.keyName === parsed.keyName) ??
    rules.find((r) => r.keyName.toLowerCase() === parsed.keyName.toLowerCase());
  if (!rule)
    throw new SasRejected(
      401,
      `The token is signed with key '${parsed.keyName}', which is not a shared access rule of hybrid connection '${hybridConnectionPath}'.`,
    );
  const expected = Buffer.from(sasSignature(parsed.resourceRaw, parsed.expiresAtSeconds, rule.key));
  const actual = Buffer.from(parsed.signature);
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) {
    throw new SasRejected(
      401,
      `The token's signature does not match key '${rule.keyName}': it was signed with another key (regenerated?) or altered.`,
    );
  }
  if (parsed.expiresAtSeconds <= nowSeconds) {
    throw new SasRejected(401, `The token expired at ${new Date(parsed.expiresAtSeconds * 1000).toISOString()}.`);
  }
  const scope = entityPathOf(parsed.resource);
  const entity = hybridConnectionPath.toLowerCase();
  if (scope !== '' && scope !== entity && !scope.startsWith(`${entity}/`)) {
    throw new SasRejected(403, `The token is for '${scope}', not for hybrid connection '${hybridConnectionPath}'.`);
  }
  if (!rule.rights.includes(right)) {
    throw new SasRejected(
      403,
      `Rule '${rule.keyName}' grants ${rule.rights.join(' and ')}, not ${right}, on hybrid connection '${hybridConnectionPath}'.`,
    );
  }
  return parsed.expiresAtSeconds;
}

/** The entity path a token's `sr` names: lower case, no slashes around, without the `$hc/` some producers keep. */
export function entityPathOf(resource: string): string {
  let pathname: string;
  try {
    pathname = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(resource) ? resource : `http://${resource}`).pathname;
  } catch {
    return '\0invalid';
  }
  let path: string;
  try {
    path = decodeURIComponent(pathname);
  } catch {
    path = pathname;
  }
  return path
    .replace(/^\/+|\/+$/g, '')
    .replace(/^\$hc(\/|$)/i, '')
    .toLowerCase();
}

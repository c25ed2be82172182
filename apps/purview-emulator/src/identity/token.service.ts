import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import * as jose from 'jose';
import { KEY_VAULT_RESOURCE, PURVIEW_RESOURCE, PurviewRole, WELL_KNOWN_TENANT_ID } from '@purview-emulator/contracts';
import { EMULATOR_CONFIG, EmulatorConfig } from '../config/emulator-config';
import { Clock } from '../common/clock';
import { SigningKeysRepository } from './signing-keys.repository';
import { ClientRegistration } from './clients';
import { DatabaseSecrets } from '../database/database-secrets';

const ALGORITHM = 'RS256';
/** Verified tokens remembered; a client reuses its token for an hour, so a few hundred cover any test suite. */
const VERIFIED_CACHE_SIZE = 1000;

interface VerifiedToken {
  principal: Principal;
  notBeforeMs: number;
  expiresMs: number;
}

/** Azure Resource Manager: what `https://management.azure.com/.default` tokens are for (Entra puts the slash in `aud`). */
export const ARM_RESOURCE = 'https://management.azure.com/';
/** The audiences ARM accepts, as its InvalidAuthenticationTokenAudience message lists them. */
export const ARM_AUDIENCES = [
  'https://management.core.windows.net/',
  'https://management.core.windows.net',
  'https://management.azure.com/',
  'https://management.azure.com',
];

/** What a verified bearer token says about its caller. */
export interface Principal {
  clientId: string;
  objectId: string;
  tenantId: string;
  roles: PurviewRole[];
}

export class TokenRejected extends Error {
  /** `claim`: the JWT claim that failed (`exp`, `aud`, `iss`, …), so ARM routes can answer with ARM's own codes. */
  constructor(
    message: string,
    readonly claim?: string,
  ) {
    super(message);
  }
}

/** Issues and verifies Entra-ID-shaped JWTs for the Purview resource, signed with the persisted key. */
@Injectable()
export class TokenService implements OnModuleInit {
  private privateKey!: jose.CryptoKey;
  private publicKey!: jose.CryptoKey;
  private publicJwk!: jose.JWK;
  private kid!: string;
  /** Token (and audiences) → what verifying it found: an RSA verification costs more than the rest of a read. */
  private readonly verified = new Map<string, VerifiedToken>();

  constructor(
    @Inject(EMULATOR_CONFIG) private readonly config: EmulatorConfig,
    private readonly keys: SigningKeysRepository,
    private readonly clock: Clock,
    private readonly secrets: DatabaseSecrets,
  ) {}

  async onModuleInit(): Promise<void> {
    let stored = await this.keys.findCurrent();
    if (!stored) {
      const pair = await jose.generateKeyPair(ALGORITHM, { extractable: true, modulusLength: 2048 });
      const kid = randomUUID();
      stored = {
        kid,
        algorithm: ALGORITHM,
        privateJwk: this.secrets.seal(
          'signing_keys.private_jwk',
          kid,
          JSON.stringify(await jose.exportJWK(pair.privateKey)),
        ),
        publicJwk: JSON.stringify(await jose.exportJWK(pair.publicKey)),
        createdAt: this.clock.iso(),
      };
      await this.keys.save(stored);
    }
    this.kid = stored.kid;
    const privateJwk = this.secrets.open('signing_keys.private_jwk', stored.kid, stored.privateJwk);
    this.privateKey = (await jose.importJWK(JSON.parse(privateJwk) as jose.JWK, ALGORITHM)) as jose.CryptoKey;
    this.publicKey = (await jose.importJWK(JSON.parse(stored.publicJwk) as jose.JWK, ALGORITHM)) as jose.CryptoKey;
    this.publicJwk = { ...(JSON.parse(stored.publicJwk) as jose.JWK), kid: this.kid, use: 'sig', alg: ALGORITHM };
  }

  get tenantId(): string {
    return WELL_KNOWN_TENANT_ID;
  }

  /** `base`: the emulator origin the caller used (MSAL requires the issuer on the authority's own scheme and host). */
  issuer(tenantId = this.tenantId, base = this.config.publicUrl): string {
    return `${base}/${tenantId}/v2.0`;
  }

  /** The emulator's own origins, over HTTP and HTTPS (with the loopback names its certificate covers); each is a valid issuer base. */
  origins(): string[] {
    const aliases = ['localhost', '127.0.0.1'].map(
      (hostname) => Object.assign(new URL(this.config.publicHttpsUrl), { hostname }).origin,
    );
    return [...new Set([this.config.publicUrl, new URL(this.config.publicHttpsUrl).origin, ...aliases])];
  }

  /** The issuer base for a request: over HTTPS the origin the caller used when it is one of ours, as Entra's authority host. */
  issuerBaseFor(protocol: string, host: string | undefined): string {
    if (protocol !== 'https') return this.config.publicUrl;
    const origin = `https://${host ?? ''}`.toLowerCase();
    return this.origins().includes(origin) ? origin : new URL(this.config.publicHttpsUrl).origin;
  }

  /**
   * The token audience for a requested resource: Purview, Key Vault (the emulator's vault), or ARM — asked for by name or, as @azure/arm-* clients do
   * when only their endpoint is set, by the emulator's own address.
   */
  audienceFor(resource: string): string | undefined {
    const r = resource.replace(/\/+$/, '').toLowerCase();
    if (r === PURVIEW_RESOURCE) return PURVIEW_RESOURCE;
    if (r === KEY_VAULT_RESOURCE) return KEY_VAULT_RESOURCE;
    if (ARM_AUDIENCES.includes(r) || this.origins().includes(r)) return ARM_RESOURCE;
    return undefined;
  }

  jwks(): { keys: jose.JWK[] } {
    return { keys: [this.publicJwk] };
  }

  /** Client credentials check; constant-time on the secret. */
  authenticateClient(clientId: string, clientSecret: string): ClientRegistration | undefined {
    // Entra ID treats client ids (GUIDs) case-insensitively.
    const client = this.config.clients.find((c) => c.clientId.toLowerCase() === clientId.toLowerCase());
    if (!client) return undefined;
    const a = createHash('sha256').update(clientSecret).digest();
    const b = createHash('sha256').update(client.clientSecret).digest();
    return timingSafeEqual(a, b) ? client : undefined;
  }

  async issue(
    client: ClientRegistration,
    audience = PURVIEW_RESOURCE,
    issuerBase = this.config.publicUrl,
  ): Promise<{ token: string; expiresIn: number }> {
    const now = Math.floor(this.clock.nowMs() / 1000);
    const expiresIn = this.config.tokenLifetimeSeconds;
    const objectId = deterministicGuid(client.clientId);
    const token = await new jose.SignJWT({
      tid: this.tenantId,
      appid: client.clientId,
      azp: client.clientId,
      oid: objectId,
      roles: [...client.roles],
      ver: '2.0',
    })
      .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT', kid: this.kid })
      .setIssuer(this.issuer(this.tenantId, issuerBase))
      .setAudience(audience)
      .setSubject(objectId)
      .setIssuedAt(now)
      .setNotBefore(now)
      .setExpirationTime(now + expiresIn)
      .setJti(randomUUID())
      .sign(this.privateKey);
    return { token, expiresIn };
  }

  /**
   * Verifies signature, issuer, audience and lifetime (on the emulator clock). A token verified before is checked
   * again only for its lifetime, against the clock as it is now (which `PUT /_emulator/clock` may have moved);
   * outside its lifetime it goes through the full check, which gives the reason.
   */
  async verify(token: string, audience: string[] = [PURVIEW_RESOURCE, `${PURVIEW_RESOURCE}/`]): Promise<Principal> {
    const key = `${audience.join(' ')}\n${token}`;
    const known = this.verified.get(key);
    const nowMs = this.clock.nowMs();
    if (known && known.notBeforeMs <= nowMs && nowMs < known.expiresMs) return known.principal;
    try {
      const { payload } = await jose.jwtVerify(token, this.publicKey, {
        issuer: this.origins().map((origin) => this.issuer(this.tenantId, origin)),
        audience,
        algorithms: [ALGORITHM],
        currentDate: this.clock.now(),
      });
      const principal: Principal = {
        clientId: claim(payload.appid) ?? claim(payload.azp) ?? '',
        objectId: claim(payload.oid) ?? payload.sub ?? '',
        tenantId: claim(payload.tid) ?? '',
        roles: Array.isArray(payload.roles) ? (payload.roles as PurviewRole[]) : [],
      };
      this.remember(key, {
        principal,
        notBeforeMs: (payload.nbf ?? payload.iat ?? 0) * 1000,
        // jose refuses a token without `exp` only when asked to; without one it never expires.
        expiresMs: payload.exp === undefined ? Number.POSITIVE_INFINITY : payload.exp * 1000,
      });
      return principal;
    } catch (error) {
      const reason =
        error instanceof jose.errors.JWTExpired
          ? 'The token has expired.'
          : error instanceof jose.errors.JWTClaimValidationFailed
            ? `The token's ${error.claim} claim is not valid for this emulator.`
            : 'The token signature or format is not valid.';
      throw new TokenRejected(reason, error instanceof jose.errors.JWTClaimValidationFailed ? error.claim : undefined);
    }
  }

  private remember(key: string, entry: VerifiedToken): void {
    if (this.verified.size >= VERIFIED_CACHE_SIZE) this.verified.delete(this.verified.keys().next().value!);
    this.verified.set(key, entry);
  }
}

/** A stable GUID for a client id, so a client keeps its object id across restarts. */
function deterministicGuid(input: string): string {
  const h = createHash('sha1').update(`purview-emulator:${input}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16], 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** A string claim, or nothing when the token lacks it (or carries something else under that name). */
function claim(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import * as jose from 'jose';
import { PURVIEW_RESOURCE, PurviewRole, WELL_KNOWN_TENANT_ID } from '@purview-emulator/contracts';
import { EMULATOR_CONFIG, EmulatorConfig } from '../config/emulator-config';
import { Clock } from '../common/clock';
import { SigningKeysRepository } from './signing-keys.repository';
import { ClientRegistration, WELL_KNOWN_CLIENT } from './clients';

const ALGORITHM = 'RS256';

/** What a verified bearer token says about its caller. */
export interface Principal {
  clientId: string;
  objectId: string;
  tenantId: string;
  roles: PurviewRole[];
}

export class TokenRejected extends Error {}

/** Issues and verifies Entra-ID-shaped JWTs for the Purview resource, signed with the persisted key. */
@Injectable()
export class TokenService implements OnModuleInit {
  private privateKey!: jose.CryptoKey;
  private publicKey!: jose.CryptoKey;
  private publicJwk!: jose.JWK;
  private kid!: string;
  private readonly clients: ClientRegistration[] = [WELL_KNOWN_CLIENT];

  constructor(
    @Inject(EMULATOR_CONFIG) private readonly config: EmulatorConfig,
    private readonly keys: SigningKeysRepository,
    private readonly clock: Clock,
  ) {}

  async onModuleInit(): Promise<void> {
    let stored = await this.keys.findCurrent();
    if (!stored) {
      const pair = await jose.generateKeyPair(ALGORITHM, { extractable: true, modulusLength: 2048 });
      const kid = randomUUID();
      stored = {
        kid,
        algorithm: ALGORITHM,
        privateJwk: JSON.stringify(await jose.exportJWK(pair.privateKey)),
        publicJwk: JSON.stringify(await jose.exportJWK(pair.publicKey)),
        createdAt: this.clock.iso(),
      };
      await this.keys.save(stored);
    }
    this.kid = stored.kid;
    this.privateKey = (await jose.importJWK(JSON.parse(stored.privateJwk) as jose.JWK, ALGORITHM)) as jose.CryptoKey;
    this.publicKey = (await jose.importJWK(JSON.parse(stored.publicJwk) as jose.JWK, ALGORITHM)) as jose.CryptoKey;
    this.publicJwk = { ...(JSON.parse(stored.publicJwk) as jose.JWK), kid: this.kid, use: 'sig', alg: ALGORITHM };
  }

  get tenantId(): string {
    return WELL_KNOWN_TENANT_ID;
  }

  issuer(tenantId = this.tenantId): string {
    return `${this.config.publicUrl}/${tenantId}/v2.0`;
  }

  jwks(): { keys: jose.JWK[] } {
    return { keys: [this.publicJwk] };
  }

  /** Client credentials check; constant-time on the secret. */
  authenticateClient(clientId: string, clientSecret: string): ClientRegistration | undefined {
    const client = this.clients.find((c) => c.clientId === clientId);
    if (!client) return undefined;
    const a = createHash('sha256').update(clientSecret).digest();
    const b = createHash('sha256').update(client.clientSecret).digest();
    return timingSafeEqual(a, b) ? client : undefined;
  }

  async issue(client: ClientRegistration, audience = PURVIEW_RESOURCE): Promise<{ token: string; expiresIn: number }> {
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
      .setIssuer(this.issuer())
      .setAudience(audience)
      .setSubject(objectId)
      .setIssuedAt(now)
      .setNotBefore(now)
      .setExpirationTime(now + expiresIn)
      .setJti(randomUUID())
      .sign(this.privateKey);
    return { token, expiresIn };
  }

  /** Verifies signature, issuer, audience and lifetime (on the emulator clock). */
  async verify(token: string): Promise<Principal> {
    try {
      const { payload } = await jose.jwtVerify(token, this.publicKey, {
        issuer: this.issuer(),
        audience: [PURVIEW_RESOURCE, `${PURVIEW_RESOURCE}/`],
        algorithms: [ALGORITHM],
        currentDate: this.clock.now(),
      });
      return {
        clientId: String(payload.appid ?? payload.azp ?? ''),
        objectId: String(payload.oid ?? payload.sub ?? ''),
        tenantId: String(payload.tid ?? ''),
        roles: Array.isArray(payload.roles) ? (payload.roles as PurviewRole[]) : [],
      };
    } catch (error) {
      const reason = error instanceof jose.errors.JWTExpired ? 'The token has expired.' : error instanceof jose.errors.JWTClaimValidationFailed ? `The token's ${error.claim} claim is not valid for this emulator.` : 'The token signature or format is not valid.';
      throw new TokenRejected(reason);
    }
  }
}

/** A stable GUID for a client id, so a client keeps its object id across restarts. */
function deterministicGuid(input: string): string {
  const h = createHash('sha1').update(`purview-emulator:${input}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16], 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

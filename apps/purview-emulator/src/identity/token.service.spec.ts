import { randomBytes } from 'node:crypto';
import * as jose from 'jose';
import { loadConfig } from '../config/emulator-config';
import { Clock } from '../common/clock';
import { WELL_KNOWN_CLIENT } from './clients';
import type { SigningKeyEntity } from './signing-key.entity';
import type { SigningKeysRepository } from './signing-keys.repository';
import { TokenRejected, TokenService } from './token.service';
import { DatabaseSecrets } from '../database/database-secrets';

/** Signing keys are sealed at rest; these tests keep them in memory under a throwaway key. */
const secrets = new DatabaseSecrets(randomBytes(32), 'file');

/** An in-memory key store: the database is a boundary here, the token logic is what is tested. */
function memoryKeys(): SigningKeysRepository & { stored: SigningKeyEntity[] } {
  const stored: SigningKeyEntity[] = [];
  return {
    stored,
    findCurrent: async () => stored[stored.length - 1] ?? null,
    save: async (key: SigningKeyEntity) => void stored.push(key),
  } as unknown as SigningKeysRepository & { stored: SigningKeyEntity[] };
}

describe('TokenService', () => {
  const config = loadConfig({ PURVIEW_EMULATOR_PORT: '5380' });

  it('issues Entra-shaped tokens for the Purview resource and verifies them', async () => {
    const service = new TokenService(config, memoryKeys(), new Clock(), secrets);
    await service.onModuleInit();
    const { token, expiresIn } = await service.issue(WELL_KNOWN_CLIENT);
    expect(expiresIn).toBe(3599);
    const claims = jose.decodeJwt(token);
    expect(claims).toEqual(
      expect.objectContaining({
        aud: 'https://purview.azure.net',
        iss: 'http://127.0.0.1:5380/00000000-0000-0000-0000-000000000000/v2.0',
        tid: '00000000-0000-0000-0000-000000000000',
        appid: 'purview-emulator',
      }),
    );
    expect(claims.roles).toEqual(['Collection Admin', 'Data Source Admin', 'Data Curator', 'Data Reader']);
    await expect(service.verify(token)).resolves.toEqual(expect.objectContaining({ clientId: 'purview-emulator' }));
  });

  it('keeps its signing key, so tokens survive a restart', async () => {
    const keys = memoryKeys();
    const first = new TokenService(config, keys, new Clock(), secrets);
    await first.onModuleInit();
    const { token } = await first.issue(WELL_KNOWN_CLIENT);
    const second = new TokenService(config, keys, new Clock(), secrets);
    await second.onModuleInit();
    expect(keys.stored).toHaveLength(1);
    // Stored sealed: the private JWK never reaches the key store in plain text.
    expect(keys.stored[0].privateJwk).not.toContain('"d"');
    await expect(second.verify(token)).resolves.toBeDefined();
  });

  it('rejects expired, foreign and malformed tokens with a reason', async () => {
    const clock = new Clock();
    const service = new TokenService(config, memoryKeys(), clock, secrets);
    await service.onModuleInit();
    const { token } = await service.issue(WELL_KNOWN_CLIENT);
    clock.setOffset(3600 * 1000);
    await expect(service.verify(token)).rejects.toThrow(new TokenRejected('The token has expired.'));
    clock.setOffset(0);
    const other = new TokenService(config, memoryKeys(), clock, secrets);
    await other.onModuleInit();
    await expect(other.verify(token)).rejects.toThrow(TokenRejected);
    await expect(service.verify('abc')).rejects.toThrow(TokenRejected);
  });

  it('remembers a verified token only within its lifetime and for the audiences it was verified for', async () => {
    const clock = new Clock();
    const service = new TokenService(config, memoryKeys(), clock, secrets);
    await service.onModuleInit();
    const { token } = await service.issue(WELL_KNOWN_CLIENT);
    await expect(service.verify(token)).resolves.toBeDefined();
    // Verified once for Purview's audience, the token still is no ARM token.
    await expect(service.verify(token, ['https://management.azure.com/'])).rejects.toThrow(TokenRejected);
    await expect(service.verify(token)).resolves.toBeDefined();
    // The clock moved past its expiry after it was verified (and remembered): now it is refused.
    clock.setOffset(3600 * 1000);
    await expect(service.verify(token)).rejects.toThrow(new TokenRejected('The token has expired.'));
    clock.setOffset(0);
    await expect(service.verify(token)).resolves.toBeDefined();
    // A tampered copy of a remembered token is a different token: checked, and refused.
    const signatureStart = token.lastIndexOf('.') + 1;
    const flipped = token[signatureStart] === 'A' ? 'B' : 'A';
    const tampered = `${token.slice(0, signatureStart)}${flipped}${token.slice(signatureStart + 1)}`;
    await expect(service.verify(tampered)).rejects.toThrow(TokenRejected);
  });

  it('authenticates clients by secret', () => {
    const service = new TokenService(config, memoryKeys(), new Clock(), secrets);
    expect(service.authenticateClient('purview-emulator', 'purview-emulator-secret')).toBe(WELL_KNOWN_CLIENT);
    expect(service.authenticateClient('purview-emulator', 'wrong')).toBeUndefined();
    expect(service.authenticateClient('someone', 'purview-emulator-secret')).toBeUndefined();
  });
});

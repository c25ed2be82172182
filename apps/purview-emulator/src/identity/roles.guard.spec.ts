import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import type { FastifyRequest } from 'fastify';
import { loadConfig } from '../config/emulator-config';
import { Clock } from '../common/clock';
import { PurviewError } from '../common/errors';
import { ACCESS } from './access-policy';
import { BearerAuthGuard } from './bearer-auth.guard';
import { RequireRoles } from './require-roles.decorator';
import { Public } from './authentication.decorators';
import { RolesGuard } from './roles.guard';
import type { SigningKeyEntity } from './signing-key.entity';
import type { SigningKeysRepository } from './signing-keys.repository';
import { TokenService } from './token.service';
import { DatabaseSecrets } from '../database/database-secrets';

/** Signing keys are sealed at rest; these tests keep them in memory under a throwaway key. */
const secrets = new DatabaseSecrets(randomBytes(32), 'file');

@RequireRoles(ACCESS.manageIntegrationRuntimes)
class Decorated {
  manage(): void {}
  @RequireRoles(ACCESS.readIntegrationRuntimes)
  read(): void {}
  @RequireRoles('Data Curator')
  byName(): void {}
}

class Undecorated {
  handle(): void {}
}

/** A wiring mistake: public, yet role-protected. */
@Public()
@RequireRoles(ACCESS.manageIntegrationRuntimes)
class PublicWithRoles {
  handle(): void {}
}

/** Tokens from a real TokenService, verified by the real BearerAuthGuard, which puts the principal on the request. */
describe('RolesGuard', () => {
  const config = loadConfig({
    PURVIEW_EMULATOR_CLIENTS: JSON.stringify([
      { clientId: 'reader-app', clientSecret: 's', roles: ['Data Reader'] },
      { clientId: 'admin-app', clientSecret: 's', roles: ['Data Source Admin'] },
    ]),
  });
  const stored: SigningKeyEntity[] = [];
  const keys = {
    findCurrent: async () => stored[0] ?? null,
    save: async (key: SigningKeyEntity) => void stored.push(key),
  } as unknown as SigningKeysRepository;
  const tokens = new TokenService(config, keys, new Clock(), secrets);
  const guard = new RolesGuard(new Reflector());

  beforeAll(() => tokens.onModuleInit());

  /** Runs both guards as the app does; resolves to RolesGuard's answer, rejects with its PurviewError. */
  async function check(
    client: string | undefined,
    url: string,
    type: new () => object,
    handler: string,
  ): Promise<boolean> {
    const headers: Record<string, string> = {};
    if (client)
      headers.authorization = `Bearer ${(await tokens.issue(config.clients.find((c) => c.clientId === client)!)).token}`;
    const request = { url, headers, protocol: 'http', host: '127.0.0.1:5380' } as unknown as FastifyRequest;
    const context = new ExecutionContextHost(
      [request, { header: () => undefined }],
      type,
      (type.prototype as Record<string, () => void>)[handler],
    );
    context.setType('http');
    await new BearerAuthGuard(tokens, new Reflector()).canActivate(context);
    return guard.canActivate(context);
  }

  it('applies the class default and lets a route override it', async () => {
    await expect(check('reader-app', '/scan/integrationruntimes/ir', Decorated, 'read')).resolves.toBe(true);
    await expect(check('reader-app', '/scan/integrationruntimes/ir', Decorated, 'manage')).rejects.toThrow(
      /does not have the Data Source Admin role/,
    );
    await expect(check('admin-app', '/scan/integrationruntimes/ir', Decorated, 'manage')).resolves.toBe(true);
  });

  it('takes plain role names too', async () => {
    await expect(check('reader-app', '/scan/x', Decorated, 'byName')).rejects.toThrow(
      new PurviewError(
        403,
        'Forbidden',
        "The client 'reader-app' does not have the Data Curator role, which this operation requires. Roles it has: Data Reader.",
      ),
    );
  });

  it('goes by the handler and its controller, never by the URL', async () => {
    await expect(check('reader-app', '/_emulator/integrationruntimes/ir/relay', Undecorated, 'handle')).resolves.toBe(
      true,
    );
    await expect(check('reader-app', '//scan/integrationruntimes/ir', Decorated, 'manage')).rejects.toMatchObject({
      status: 403,
    });
    await expect(check('reader-app', '/anything', Decorated, 'manage')).rejects.toMatchObject({ status: 403 });
  });

  it('needs a bearer token on a route nobody marked public, whatever its URL (default-deny)', async () => {
    await expect(check(undefined, '/_emulator/health', Undecorated, 'handle')).rejects.toMatchObject({
      status: 401,
      code: 'Unauthorized',
    });
  });

  it('fails closed when a role-protected route is reached without a verified token', async () => {
    await expect(check(undefined, '/_emulator/elsewhere', PublicWithRoles, 'handle')).rejects.toMatchObject({
      status: 401,
      message: expect.stringContaining('needs a bearer token'),
    });
  });
});

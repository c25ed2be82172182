import 'reflect-metadata';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { WELL_KNOWN_CLIENT_SECRET } from '@purview-emulator/contracts';
import { createEmulatorApp } from '../app.factory';
import { loadConfig } from '../config/emulator-config';

/** GET /_emulator/info is unauthenticated: it may show the well-known secret only while that secret really works. */
describe('GET /_emulator/info', () => {
  let dataDir: string;
  let app: NestFastifyApplication | undefined;

  const infoWith = async (
    env: NodeJS.ProcessEnv,
  ): Promise<{ text: string; body: { wellKnownCredentials: Record<string, unknown> } }> => {
    app = await createEmulatorApp(
      loadConfig({ PURVIEW_DATA_DIR: dataDir, AZURITE_BLOB_PORT: '1', AZURITE_QUEUE_PORT: '1', ...env }),
      { logger: false },
    );
    return request(app.getHttpServer()).get('/_emulator/info').expect(200);
  };

  beforeEach(() => (dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'emulator-info-'))));
  afterEach(async () => {
    await app?.close();
    app = undefined;
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('shows the well-known client secret when the well-known client uses it', async () => {
    const info = await infoWith({});
    expect(info.body.wellKnownCredentials).toEqual(
      expect.objectContaining({ clientId: 'purview-emulator', clientSecret: WELL_KNOWN_CLIENT_SECRET }),
    );
  });

  it('shows no client secret once the configuration gives the well-known client another one', async () => {
    const info = await infoWith({
      PURVIEW_EMULATOR_CLIENTS: JSON.stringify([
        { clientId: 'purview-emulator', clientSecret: 'a-private-secret', roles: ['Data Reader'] },
      ]),
    });
    expect(info.body.wellKnownCredentials).toEqual(expect.objectContaining({ clientId: 'purview-emulator' }));
    expect(info.body.wellKnownCredentials).not.toHaveProperty('clientSecret');
    expect(info.text).not.toContain(WELL_KNOWN_CLIENT_SECRET);
    expect(info.text).not.toContain('a-private-secret');
  });

  it('shows the well-known secret when the configuration redefines the client (any case) with that same secret', async () => {
    const info = await infoWith({
      PURVIEW_EMULATOR_CLIENTS: JSON.stringify([
        { clientId: 'Purview-Emulator', clientSecret: WELL_KNOWN_CLIENT_SECRET, roles: ['Data Reader'] },
      ]),
    });
    expect(info.body.wellKnownCredentials).toEqual(expect.objectContaining({ clientSecret: WELL_KNOWN_CLIENT_SECRET }));
  });
});

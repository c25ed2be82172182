import 'reflect-metadata';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { createEmulatorApp } from '../../app.factory';
import { loadConfig } from '../../config/emulator-config';

export const ACCOUNT = 'lineageacct';

/** Clients of the data map HTTP specs, one per role (and one with none). */
const CLIENTS = [
  { clientId: 'reader-app', clientSecret: 'reader-secret', roles: ['Data Reader'] },
  { clientId: 'curator-app', clientSecret: 'curator-secret', roles: ['Data Curator'] },
  { clientId: 'admin-app', clientSecret: 'admin-secret', roles: ['Collection Admin'] },
];

export interface DataMapHttp {
  app: NestFastifyApplication;
  http: TestAgent;
  reader: Record<string, string>;
  curator: Record<string, string>;
  admin: Record<string, string>;
  close(): Promise<void>;
}

/** The whole emulator app (real tokens, guards and error filter) on a fresh data directory; storage is not used. */
export async function startDataMapApp(prefix: string): Promise<DataMapHttp> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const app = await createEmulatorApp(
    loadConfig({
      PURVIEW_DATA_DIR: dataDir,
      PURVIEW_ACCOUNT_NAME: ACCOUNT,
      PURVIEW_EMULATOR_PORT: '5380',
      AZURITE_BLOB_PORT: '1',
      AZURITE_QUEUE_PORT: '1',
      PURVIEW_EMULATOR_CLIENTS: JSON.stringify(CLIENTS),
    }),
    { logger: false },
  );
  const http = request(app.getHttpServer());
  const tokens: Record<string, string> = {};
  for (const c of CLIENTS) {
    const response = await http
      .post('/00000000-0000-0000-0000-000000000000/oauth2/v2.0/token')
      .type('form')
      .send({
        grant_type: 'client_credentials',
        client_id: c.clientId,
        client_secret: c.clientSecret,
        scope: 'https://purview.azure.net/.default',
      })
      .expect(200);
    tokens[c.clientId] = (response.body as { access_token: string }).access_token;
  }
  const bearer = (client: string): Record<string, string> => ({ authorization: `Bearer ${tokens[client]}` });
  return {
    app,
    http,
    reader: bearer('reader-app'),
    curator: bearer('curator-app'),
    admin: bearer('admin-app'),
    close: async () => {
      await app.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

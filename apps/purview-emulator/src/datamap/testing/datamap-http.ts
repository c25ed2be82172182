import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { createEmulatorApp } from '../../app.factory';
import { loadConfig } from '../../config/emulator-config';

/** The whole emulator app over HTTP with a Data Reader and a Data Curator client, for the data map's HTTP specs. */
export interface DataMapHttp {
  app: NestFastifyApplication;
  http: TestAgent;
  reader: Record<string, string>;
  curator: Record<string, string>;
  close(): Promise<void>;
}

export async function startDataMapHttp(name: string): Promise<DataMapHttp> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `${name}-`));
  const clients = [
    { clientId: 'reader-app', clientSecret: 'reader-secret', roles: ['Data Reader'] },
    { clientId: 'curator-app', clientSecret: 'curator-secret', roles: ['Data Curator'] },
  ];
  const app = await createEmulatorApp(
    loadConfig({
      PURVIEW_DATA_DIR: dataDir,
      PURVIEW_EMULATOR_PORT: '5380',
      AZURITE_BLOB_PORT: '1',
      AZURITE_QUEUE_PORT: '1',
      PURVIEW_EMULATOR_CLIENTS: JSON.stringify(clients),
    }),
    { logger: false },
  );
  const http = request(app.getHttpServer());
  const tokens: Record<string, string> = {};
  for (const c of clients) {
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
  return {
    app,
    http,
    reader: { authorization: `Bearer ${tokens['reader-app']}` },
    curator: { authorization: `Bearer ${tokens['curator-app']}` },
    close: async () => {
      await app.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Atlas's error body. */
export function atlasError(code: string, message?: string | RegExp): Record<string, unknown> {
  return {
    requestId: expect.any(String),
    errorCode: code,
    errorMessage:
      message === undefined
        ? expect.any(String)
        : typeof message === 'string'
          ? message
          : expect.stringMatching(message),
  };
}

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { createEmulatorApp } from '../../app.factory';
import { loadConfig } from '../../config/emulator-config';

/** The whole emulator app (tokens, guards, error filter) with a Data Reader and a Data Curator client. */
export interface DataMapTestApp {
  app: NestFastifyApplication;
  http: TestAgent;
  reader: Record<string, string>;
  curator: Record<string, string>;
  close(): Promise<void>;
}

/** Starts the app on a fresh data directory; storage is not needed (Azurite's ports point nowhere). */
export async function startDataMapApp(prefix: string): Promise<DataMapTestApp> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
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

/** An Atlas error body with the given code (and message, exact or matching). */
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

import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type TestAgent from 'supertest/lib/agent';
import { createTestApp, requestToken } from '../../testing/test-app';

/** Clients of the data map HTTP specs, one per role the data map checks. */
const CLIENTS = [
  { clientId: 'reader-app', clientSecret: 'reader-secret', roles: ['Data Reader'] },
  { clientId: 'curator-app', clientSecret: 'curator-secret', roles: ['Data Curator'] },
  { clientId: 'admin-app', clientSecret: 'admin-secret', roles: ['Collection Admin'] },
];

/** An account name for specs that assert the root collection (named after the account). */
export const ACCOUNT = 'lineageacct';

/** The whole emulator app (real tokens, guards, error filter) with one `authorization` header per role. */
export interface DataMapHttp {
  app: NestFastifyApplication;
  http: TestAgent;
  reader: Record<string, string>;
  curator: Record<string, string>;
  admin: Record<string, string>;
  close(): Promise<void>;
}

/**
 * Starts the app (createTestApp: no storage) with the three clients above, on a fresh data directory or on
 * `dataDir` (which the test then owns, e.g. to restart on it).
 */
export async function startDataMapHttp(options: { account?: string; dataDir?: string } = {}): Promise<DataMapHttp> {
  const testApp = await createTestApp({
    env: {
      PURVIEW_EMULATOR_CLIENTS: JSON.stringify(CLIENTS),
      ...(options.account ? { PURVIEW_ACCOUNT_NAME: options.account } : {}),
      ...(options.dataDir ? { PURVIEW_DATA_DIR: options.dataDir } : {}),
    },
  });
  const bearer = async (clientId: string) => {
    const client = CLIENTS.find((c) => c.clientId === clientId)!;
    return { authorization: `Bearer ${await requestToken(testApp.http, client.clientId, client.clientSecret)}` };
  };
  return {
    app: testApp.app,
    http: testApp.http,
    reader: await bearer('reader-app'),
    curator: await bearer('curator-app'),
    admin: await bearer('admin-app'),
    close: () => testApp.close(),
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

/** The storage account of `blobEntity`'s qualifiedNames. */
export const BLOB_BASE = 'https://acct.blob.core.windows.net';

/** An `azure_blob_path` entity at `path` under BLOB_BASE, named after its last segment (`extra` attributes win). */
export function blobEntity(path: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const name = path.split('/').pop()!;
  return { typeName: 'azure_blob_path', attributes: { qualifiedName: `${BLOB_BASE}/${path}`, name, ...extra } };
}

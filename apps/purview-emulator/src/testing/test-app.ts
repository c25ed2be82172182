import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test, type TestingModuleBuilder } from '@nestjs/testing';
import request, { type Response } from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import {
  REFERENCE_RUNTIME_VERSION,
  type RegisterNodeResponse,
  WELL_KNOWN_CLIENT_ID,
  WELL_KNOWN_CLIENT_SECRET,
  WELL_KNOWN_TENANT_ID,
} from '@purview-emulator/contracts';
import { freePort, tempDir } from '@purview-emulator/testing';
import { createEmulatorApp } from '../app.factory';
import { EmulatorConfig, loadConfig } from '../config/emulator-config';

export interface TestAppOptions {
  /**
   * The emulator's environment, as loadConfig reads it, over these defaults: a fresh temp PURVIEW_DATA_DIR, port
   * 5380 (or the free port `listen` picks) and Azurite ports 1 (nothing listens there: ingestion just keeps waiting).
   */
  env?: Record<string, string>;
  /** Replaces providers; for boundaries only, e.g. `(b) => b.overrideProvider(X).useValue(fakeX)`. */
  override?: (builder: TestingModuleBuilder) => TestingModuleBuilder;
  /** Listens on a free loopback port (for real sockets: fetch, WebSockets, the relay); see `baseUrl`. */
  listen?: boolean;
}

export interface TestApp {
  readonly app: NestFastifyApplication;
  readonly config: EmulatorConfig;
  readonly dataDir: string;
  /** supertest without credentials. */
  readonly http: TestAgent;
  /** supertest sending `Authorization: Bearer <token>`. */
  readonly api: TestAgent;
  /** A Purview token of the well-known client (every role), from the app's own token endpoint. */
  readonly token: string;
  /** http://127.0.0.1:<port> when `listen`. */
  readonly baseUrl?: string;
  /** Closes the app; deletes the data dir unless `env` named it (then the test owns it, e.g. to restart on it). */
  close(): Promise<void>;
}

/**
 * The whole emulator for a test, built by the same createEmulatorApp as main.ts: the body parsers, body limit, URL
 * rewriting, request ids, error filter, auth and api-version guards and the relay are the ones users get.
 */
export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const ownDir =
    options.env?.PURVIEW_DATA_DIR || options.env?.PURVIEW_IN_MEMORY ? undefined : tempDir('emulator-test-');
  const port = options.listen ? await freePort() : 5380;
  const config = loadConfig({
    PURVIEW_EMULATOR_PORT: String(port),
    AZURITE_BLOB_PORT: '1',
    AZURITE_QUEUE_PORT: '1',
    ...(ownDir ? { PURVIEW_DATA_DIR: ownDir.path } : {}),
    ...options.env,
  });
  const override = options.override;
  const app = await createEmulatorApp(config, {
    logger: false,
    create: override
      ? async (module, adapter, appOptions) =>
          (
            await override(Test.createTestingModule({ imports: [module] })).compile()
          ).createNestApplication<NestFastifyApplication>(adapter, appOptions)
      : undefined,
  });
  try {
    let baseUrl: string | undefined;
    if (options.listen) {
      await app.listen(port, '127.0.0.1');
      baseUrl = `http://127.0.0.1:${port}`;
    }
    const http = request(app.getHttpServer());
    const token = await requestToken(http, WELL_KNOWN_CLIENT_ID, WELL_KNOWN_CLIENT_SECRET);
    const api = request.agent(app.getHttpServer()).set('authorization', `Bearer ${token}`);
    return {
      app,
      config,
      dataDir: config.dataDir,
      http,
      api,
      token,
      baseUrl,
      close: async () => {
        await app.close();
        ownDir?.remove();
      },
    };
  } catch (error) {
    await app.close();
    ownDir?.remove();
    throw error;
  }
}

/** A Purview token for a configured client (client credentials), from the app's own token endpoint. */
export async function requestToken(http: TestAgent, clientId: string, clientSecret: string): Promise<string> {
  const response = await http.post(`/${WELL_KNOWN_TENANT_ID}/oauth2/v2.0/token`).type('form').send({
    grant_type: 'client_credentials',
    client_id: clientId,
    client_secret: clientSecret,
    scope: 'https://purview.azure.net/.default',
  });
  if (response.status !== 200) throw new Error(`The token endpoint answered ${response.status}: ${response.text}`);
  return response.body.access_token as string;
}

/**
 * Registers a node with an auth key through the runtime protocol, as `shir register` does: the answer, and the
 * `Authorization: Node …` header its later calls carry.
 */
export async function registerTestNode(
  http: TestAgent,
  authKey: string,
  nodeName = 'n1',
): Promise<{ response: Response; node: { authorization: string } }> {
  const response = await http
    .post('/_emulator/runtime/register')
    .send({ authKey, nodeName, machineName: 'h1', version: REFERENCE_RUNTIME_VERSION, cores: 2, memoryMb: 4096 });
  if (response.status !== 200) throw new Error(`Registering ${nodeName} answered ${response.status}: ${response.text}`);
  return { response, node: { authorization: `Node ${(response.body as RegisterNodeResponse).nodeCredential}` } };
}

import 'reflect-metadata';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import fc from 'fast-check';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { createEmulatorApp } from '../app.factory';
import { loadConfig } from '../config/emulator-config';
import {
  bodyText,
  bulkBody,
  classificationRuleBody,
  clockBody,
  dataSourceBody,
  entityBody,
  resourceName,
  runBody,
  runtimeBody,
  scanBody,
  scanFilterBody,
  scanRulesetBody,
  searchBody,
  tokenForm,
} from './testing/fuzz-bodies';

/**
 * Bad input must never be a 500 (issue 8): generated bodies, mostly near-valid with hostile parts, go to every route
 * that takes input, through the whole app. Reproducible: the seed is fixed (FUZZ_SEED overrides it) and a failure
 * reports the seed, the request and the reply.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20240808);
const RUNS = Number(process.env.FUZZ_RUNS ?? 250);
const TIMEOUT_MS = 60_000;
const V = '?api-version=2023-09-01';
const TOKEN_PATH = '/00000000-0000-0000-0000-000000000000/oauth2/v2.0/token';

interface Call {
  method: 'put' | 'post';
  url: string;
  body: string;
  contentType?: string;
}

describe(`input fuzzing (seed ${SEED}, ${RUNS} bodies per route)`, () => {
  let dataDir: string;
  let app: NestFastifyApplication;
  let http: TestAgent;
  let token: string;

  /** In-process (Fastify's inject): the same routing, parsers, guards and filter as a socket, several times faster. */
  const send = (call: Call) =>
    app
      .getHttpAdapter()
      .getInstance()
      .inject({
        method: call.method.toUpperCase() as 'PUT' | 'POST',
        url: call.url,
        headers: { authorization: `Bearer ${token}`, 'content-type': call.contentType ?? 'application/json' },
        payload: call.body,
      });

  /** Sends every generated call; any 5xx fails with the seed, the call and the reply. */
  async function fuzz(calls: fc.Arbitrary<Call>, after?: (status: number) => Promise<void>): Promise<void> {
    await fc.assert(
      fc.asyncProperty(calls, async (call) => {
        const response = await send(call);
        if (after) await after(response.statusCode);
        if (response.statusCode >= 500) {
          const shown =
            call.body.length > 2000 ? `${call.body.slice(0, 2000)}… (${call.body.length} characters)` : call.body;
          throw new Error(
            `${call.method.toUpperCase()} ${call.url} answered ${response.statusCode} ${response.body.slice(0, 500)}\nbody: ${shown}\nreproduce with FUZZ_SEED=${SEED}`,
          );
        }
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
  }

  const newToken = async (): Promise<string> => {
    const response = await http
      .post(TOKEN_PATH)
      .type('form')
      .send({
        grant_type: 'client_credentials',
        client_id: 'purview-emulator',
        client_secret: 'purview-emulator-secret',
        scope: 'https://purview.azure.net/.default',
      })
      .expect(200);
    return response.body.access_token as string;
  };

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'input-fuzz-'));
    app = await createEmulatorApp(
      loadConfig({
        PURVIEW_DATA_DIR: dataDir,
        PURVIEW_EMULATOR_PORT: '5380',
        AZURITE_BLOB_PORT: '1',
        AZURITE_QUEUE_PORT: '1',
      }),
      { logger: false },
    );
    http = request(app.getHttpServer());
    token = await newToken();
    // What scans and runs refer to.
    const auth = { authorization: `Bearer ${token}` };
    await http.put(`/scan/integrationruntimes/fuzz-ir${V}`).set(auth).send({ kind: 'SelfHosted' }).expect(201);
    await http
      .put(`/scan/datasources/fuzz-ds${V}`)
      .set(auth)
      .send({ kind: 'AzureStorage', properties: { endpoint: 'https://devstoreaccount1.blob.core.windows.net/' } })
      .expect(201);
    await http
      .put(`/scan/datasources/fuzz-ds/scans/fuzz-scan${V}`)
      .set(auth)
      .send({ kind: 'AzureStorageMsi', properties: { connectedVia: { referenceName: 'fuzz-ir' } } })
      .expect(201);
  });

  afterAll(async () => {
    await app?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it(
    'PUT integration runtime',
    () =>
      fuzz(
        fc.record({
          method: fc.constant('put' as const),
          url: resourceName.map((n) => `/scan/integrationruntimes/${n}${V}`),
          body: bodyText(runtimeBody),
        }),
      ),
    TIMEOUT_MS,
  );

  it(
    'PUT data source',
    () =>
      fuzz(
        fc.record({
          method: fc.constant('put' as const),
          url: resourceName.map((n) => `/scan/datasources/${n}${V}`),
          body: bodyText(dataSourceBody),
        }),
      ),
    TIMEOUT_MS,
  );

  it(
    'PUT scan',
    () =>
      fuzz(
        fc.record({
          method: fc.constant('put' as const),
          url: resourceName.map((n) => `/scan/datasources/fuzz-ds/scans/${n}${V}`),
          body: bodyText(scanBody),
        }),
      ),
    TIMEOUT_MS,
  );

  it(
    'PUT classification rule, scan rule set, scan filter',
    () =>
      fuzz(
        fc.oneof(
          fc.record({
            method: fc.constant('put' as const),
            url: resourceName.map((n) => `/scan/classificationrules/${n}${V}`),
            body: bodyText(classificationRuleBody),
          }),
          fc.record({
            method: fc.constant('put' as const),
            url: resourceName.map((n) => `/scan/scanrulesets/${n}${V}`),
            body: bodyText(scanRulesetBody),
          }),
          fc.record({
            method: fc.constant('put' as const),
            url: fc.constant(`/scan/datasources/fuzz-ds/scans/fuzz-scan/filters/custom${V}`),
            body: bodyText(scanFilterBody),
          }),
        ),
      ),
    TIMEOUT_MS,
  );

  it(
    'run a scan (POST …/run, POST …:run, PUT …/runs/{runId})',
    () => {
      const runId = fc.oneof(
        fc.uuid(),
        fc.constantFrom('{138301e4-f4f9-4ab5-b734-bac446b236e7}', 'not-a-guid', '%7B%7D'),
      );
      const scanLevel = fc.constantFrom('Full', 'incremental', 'Partial', '%00', '');
      const base = '/scan/datasources/fuzz-ds/scans/fuzz-scan';
      return fuzz(
        fc.oneof(
          fc.record({
            method: fc.constant('post' as const),
            url: fc.constant(`${base}/run${V}`),
            body: bodyText(runBody),
          }),
          fc.record({
            method: fc.constant('post' as const),
            url: fc.tuple(runId, scanLevel).map(([id, level]) => `${base}:run${V}&runId=${id}&scanLevel=${level}`),
            body: bodyText(runBody),
          }),
          fc.record({
            method: fc.constant('put' as const),
            url: fc.tuple(runId, scanLevel).map(([id, level]) => `${base}/runs/${id}${V}&scanLevel=${level}`),
            body: fc.constant(''),
          }),
        ),
      );
    },
    TIMEOUT_MS,
  );

  it(
    'POST Atlas entity',
    () =>
      fuzz(
        fc.record({
          method: fc.constant('post' as const),
          url: fc.constant(`/datamap/api/atlas/v2/entity${V}`),
          body: bodyText(entityBody),
        }),
      ),
    TIMEOUT_MS,
  );

  it(
    'POST Atlas entity/bulk',
    () =>
      fuzz(
        fc.record({
          method: fc.constant('post' as const),
          url: fc.constantFrom(
            `/datamap/api/atlas/v2/entity/bulk${V}`,
            '/catalog/api/collections/fuzz/entity/bulk?api-version=2022-03-01-preview',
          ),
          body: bodyText(bulkBody),
        }),
      ),
    TIMEOUT_MS,
  );

  it(
    'POST search query',
    () =>
      fuzz(
        fc.record({
          method: fc.constant('post' as const),
          url: fc.constantFrom(
            `/datamap/api/search/query${V}`,
            '/catalog/api/search/query?api-version=2022-03-01-preview',
          ),
          body: bodyText(searchBody),
        }),
      ),
    TIMEOUT_MS,
  );

  it(
    'POST token (form)',
    () =>
      fuzz(
        fc.record({
          method: fc.constant('post' as const),
          url: fc.constantFrom(
            TOKEN_PATH,
            '/00000000-0000-0000-0000-000000000000/oauth2/token',
            '/other-tenant/oauth2/v2.0/token',
          ),
          body: tokenForm,
          contentType: fc.constant('application/x-www-form-urlencoded'),
        }),
      ),
    TIMEOUT_MS,
  );

  it(
    'PUT emulator clock (admin token)',
    () =>
      fuzz(
        fc.record({
          method: fc.constant('put' as const),
          url: fc.constant('/_emulator/clock'),
          body: bodyText(clockBody),
        }),
        async (status) => {
          if (status !== 200) return; // the clock did not move
          // Put the clock back, so that tokens stay valid for the next call; a token issued at the moved time is valid then.
          token = await newToken();
          const reset = await http.delete('/_emulator/clock').set({ authorization: `Bearer ${token}` });
          expect(reset.status).toBe(200);
          token = await newToken();
        },
      ),
    TIMEOUT_MS,
  );
});

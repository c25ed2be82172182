import 'reflect-metadata';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { DataSource } from 'typeorm';
import { DEVSTORE_KEY, INTERACTIVE_NODE_PATHS } from '@purview-emulator/contracts';
import { createEmulatorApp } from '../app.factory';
import { Clock } from '../common/clock';
import { loadConfig } from '../config/emulator-config';
import { InteractiveAuthoringEntity } from './interactive-authoring.entity';
import {
  INTERACTIVE_TRANSPORT,
  InteractiveHttpRequest,
  InteractiveHttpResponse,
  InteractiveTransport,
  InteractiveTransportError,
} from './interactive-transport';

/**
 * The whole emulator app (auth, URL rewriting, error filter, the IR status route) with the relay replaced by a
 * scripted node: what the emulator sends to the node, and how it turns the node's answers into the API's.
 */
describe('interactive authoring over HTTP', () => {
  let dataDir: string;
  let app: NestFastifyApplication;
  let http: TestAgent;
  let token: string;
  let clock: Clock;
  const V = '?api-version=2023-09-01';
  const BLOB_PORT = 10999;
  const sent: { irName: string; request: InteractiveHttpRequest; timeoutMs: number }[] = [];
  let answer: (irName: string, request: InteractiveHttpRequest) => Promise<InteractiveHttpResponse>;

  const auth = (): Record<string, string> => ({ authorization: `Bearer ${token}` });
  const post = (url: string, body?: object) =>
    http
      .post(url)
      .set(auth())
      .send(body ?? {});
  const lastBody = () => JSON.parse(sent[sent.length - 1].request.body);
  const nodeAnswers = (status: number, body: unknown) => {
    answer = async () => ({ status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  };

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'interactive-http-'));
    app = await createEmulatorApp(
      loadConfig({
        PURVIEW_DATA_DIR: dataDir,
        PURVIEW_EMULATOR_PORT: '5380',
        AZURITE_BLOB_PORT: String(BLOB_PORT),
        AZURITE_QUEUE_PORT: '1',
      }),
      { logger: false },
    );
    http = request(app.getHttpServer());
    clock = app.get(Clock);
    const transport = app.get<InteractiveTransport>(INTERACTIVE_TRANSPORT);
    transport.request = async (irName, req, options) => {
      sent.push({ irName, request: req, timeoutMs: options.timeoutMs });
      return answer(irName, req);
    };
    const response = await http
      .post('/00000000-0000-0000-0000-000000000000/oauth2/v2.0/token')
      .type('form')
      .send({
        grant_type: 'client_credentials',
        client_id: 'purview-emulator',
        client_secret: 'purview-emulator-secret',
        scope: 'https://purview.azure.net/.default',
      })
      .expect(200);
    token = response.body.access_token;
    for (const ir of ['shir-a', 'shir-b'])
      await http.put(`/scan/integrationruntimes/${ir}${V}`).set(auth()).send({ kind: 'SelfHosted' }).expect(201);
    await http
      .put(`/scan/datasources/storage-a${V}`)
      .set(auth())
      .send({ kind: 'AzureStorage', properties: { endpoint: 'https://devstoreaccount1.blob.core.windows.net/' } })
      .expect(201);
    await http
      .put(`/scan/datasources/storage-a/scans/scan-1${V}`)
      .set(auth())
      .send({ kind: 'AzureStorageMsi', properties: { connectedVia: { referenceName: 'shir-a' } } })
      .expect(201);
  });

  beforeEach(() => {
    sent.length = 0;
    clock.setOffset(0);
    nodeAnswers(200, { succeeded: true, message: 'Connection successful.' });
  });

  afterAll(async () => {
    await app.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  describe('the switch', () => {
    it('is off by default, and a request then is a 409 that says how to enable it', async () => {
      const status = await http.get(`/scan/integrationruntimes/shir-b/status${V}`).set(auth()).expect(200);
      expect(status.body.properties.typeProperties.interactiveQuery).toEqual({
        status: 'Disabled',
        disabledReason: 'Interactive authoring has not been enabled on this integration runtime.',
      });
      const refused = await post(`/scan/datasources/storage-a:testConnection${V}`, {
        integrationRuntimeName: 'shir-b',
      }).expect(409);
      expect(refused.headers['x-ms-error-code']).toBe('InteractiveAuthoringDisabled');
      expect(refused.body.error.message).toBe(
        'Interactive authoring is disabled on integration runtime \'shir-b\'. Interactive authoring has not been enabled on this integration runtime. Enable it with POST /scan/integrationruntimes/shir-b:enableInteractiveQuery and the body {"autoTerminationMinutes": 60}, then try again.',
      );
      expect(sent).toHaveLength(0);
    });

    it('enables with 202 {} and an Operation-Location, shows in the status, and switches itself off on the emulator clock', async () => {
      const enabled = await post(`/scan/integrationruntimes/shir-a:enableInteractiveQuery${V}`, {
        autoTerminationMinutes: 10,
      }).expect(202);
      expect(enabled.body).toEqual({});
      expect(enabled.headers['operation-location']).toBe(
        'http://127.0.0.1:5380/scan/integrationruntimes/shir-a/status?api-version=2023-09-01',
      );
      const status = (await http.get(`/scan/integrationruntimes/shir-a/status${V}`).set(auth()).expect(200)).body
        .properties.typeProperties.interactiveQuery;
      expect(status).toEqual({
        status: 'Enabled',
        autoTerminationMinutes: 10,
        enabledTime: expect.any(String),
        autoTerminationTime: expect.any(String),
      });
      expect(Date.parse(status.autoTerminationTime) - Date.parse(status.enabledTime)).toBe(10 * 60_000);
      await post(`/scan/datasources/storage-a:testConnection${V}`).expect(200);

      clock.setOffset(10 * 60_000 - 1000);
      await post(`/scan/datasources/storage-a:testConnection${V}`).expect(200);
      clock.setOffset(10 * 60_000 + 1000);
      const after = (await http.get(`/scan/integrationruntimes/shir-a/status${V}`).set(auth()).expect(200)).body
        .properties.typeProperties.interactiveQuery;
      expect(after).toEqual({
        status: 'Disabled',
        autoTerminationMinutes: 10,
        disabledReason: expect.stringMatching(/switched itself off at .*, 10 minute\(s\) after it was enabled/),
      });
      const refused = await post(`/scan/datasources/storage-a:testConnection${V}`).expect(409);
      expect(refused.body.error.message).toMatch(/switched itself off/);
      expect(sent).toHaveLength(2);
    });

    it('accepts every spelling, defaults to 60 minutes, and disables with 200 and no body', async () => {
      await post(`/scan/integrationruntimes/shir-a/:enableInteractiveQuery${V}`, { autoTerminationMinutes: 5 }).expect(
        202,
      );
      await post(`/scan/integrationruntimes/shir-a/enableInteractiveQuery${V}`).expect(202);
      const status = (await http.get(`/scan/integrationruntimes/shir-a/status${V}`).set(auth()).expect(200)).body
        .properties.typeProperties.interactiveQuery;
      expect(status.autoTerminationMinutes).toBe(60);
      const disabled = await post(`/scan/integrationruntimes/shir-a:disableInteractiveQuery${V}`).expect(200);
      expect(disabled.text).toBe('');
      await post(`/scan/integrationruntimes/shir-a/disableInteractiveQuery${V}`).expect(200);
      const off = (await http.get(`/scan/integrationruntimes/shir-a/status${V}`).set(auth()).expect(200)).body
        .properties.typeProperties.interactiveQuery;
      expect(off).toEqual({
        status: 'Disabled',
        autoTerminationMinutes: 60,
        disabledReason: expect.stringMatching(/^Interactive authoring was disabled at /),
      });
      expect((await post(`/scan/datasources/storage-a:browse${V}`).expect(409)).body.error.code).toBe(
        'InteractiveAuthoringDisabled',
      );
    });

    it('validates the body and the integration runtime', async () => {
      const bad = await post(`/scan/integrationruntimes/shir-a:enableInteractiveQuery${V}`, {
        autoTerminationMinutes: 0,
      }).expect(400);
      expect(bad.body.error.message).toMatch(/autoTerminationMinutes must be at least 1/);
      await post(`/scan/integrationruntimes/shir-a:enableInteractiveQuery${V}`, {
        autoTerminationMinutes: 'ten',
      }).expect(400);
      const missing = await post(`/scan/integrationruntimes/nope-ir:enableInteractiveQuery${V}`, {
        autoTerminationMinutes: 5,
      }).expect(404);
      expect(missing.headers['x-ms-error-code']).toBe('IntegrationRuntimeNotFound');
      await post(`/scan/integrationruntimes/nope-ir:disableInteractiveQuery${V}`).expect(404);
    });
  });

  describe('requests to the node', () => {
    beforeEach(async () => {
      await post(`/scan/integrationruntimes/shir-a:enableInteractiveQuery${V}`, { autoTerminationMinutes: 60 }).expect(
        202,
      );
    });

    it('sends test connection to the IR of the scans, with the Azurite URL and a read/list SAS', async () => {
      const response = await post(`/scan/datasources/storage-a:testConnection${V}`).expect(200);
      expect(response.body).toEqual({
        succeeded: true,
        message: 'Connection successful.',
        integrationRuntimeName: 'shir-a',
      });
      expect(sent).toHaveLength(1);
      expect(sent[0]).toMatchObject({
        irName: 'shir-a',
        timeoutMs: 30_000,
        request: {
          method: 'POST',
          path: INTERACTIVE_NODE_PATHS.testConnection,
          headers: { 'content-type': 'application/json' },
        },
      });
      const { source } = lastBody();
      expect(source).toMatchObject({
        kind: 'AzureStorage',
        endpoint: 'https://devstoreaccount1.blob.core.windows.net/',
        accountName: 'devstoreaccount1',
        qualifiedNameBase: 'https://devstoreaccount1.blob.core.windows.net',
        serviceUrl: `http://127.0.0.1:${BLOB_PORT}/devstoreaccount1`,
        excludeContainers: ['purview-ingestion'],
      });
      const sas = new URLSearchParams(source.sasToken);
      expect(sas.get('sp')).toBe('rl');
      expect(sas.get('sig')).toEqual(expect.any(String));
      expect(Date.parse(sas.get('se')!) - Date.now()).toBeLessThanOrEqual(5 * 60_000 + 1000);
    });

    it('signs the SAS with a given account key, which never reaches the node, or passes a given SAS as is', async () => {
      await post(`/scan/datasources/storage-a:testConnection${V}`).expect(200);
      const ownSig = new URLSearchParams(lastBody().source.sasToken).get('sig');
      const wrongKey = Buffer.from('a wrong key, a wrong key, a wrong key!').toString('base64');
      await post(`/scan/datasources/storage-a:testConnection${V}`, { credential: { accountKey: wrongKey } }).expect(
        200,
      );
      expect(sent[1].request.body).not.toContain(wrongKey);
      expect(new URLSearchParams(lastBody().source.sasToken).get('sig')).not.toBe(ownSig);
      await post(`/scan/datasources/storage-a:testConnection${V}`, { credential: { accountKey: DEVSTORE_KEY } }).expect(
        200,
      );
      expect(new URLSearchParams(lastBody().source.sasToken).get('sp')).toBe('rl');
      await post(`/scan/datasources/storage-a:testConnection${V}`, {
        credential: { sasToken: '?sv=2024&sig=given' },
      }).expect(200);
      expect(lastBody().source.sasToken).toBe('sv=2024&sig=given');
      await post(`/scan/datasources/storage-a:testConnection${V}`, { credential: { password: 'x' } }).expect(400);
    });

    it('passes a failed test connection through as a 200 result', async () => {
      nodeAnswers(200, {
        succeeded: false,
        code: 'AuthenticationFailed',
        message: 'The storage account refused the credential.',
        nodeName: 'node1',
      });
      const response = await post(`/scan/datasources/storage-a:testConnection${V}`, {
        credential: { accountKey: Buffer.from('wrong').toString('base64') },
      }).expect(200);
      expect(response.body).toEqual({
        succeeded: false,
        code: 'AuthenticationFailed',
        message: 'The storage account refused the credential.',
        nodeName: 'node1',
        integrationRuntimeName: 'shir-a',
      });
    });

    it('browses and previews with the path and paging the caller gave', async () => {
      nodeAnswers(200, {
        path: 'data/',
        items: [{ name: 'a.csv', path: 'data/a.csv', type: 'File', qualifiedName: 'q' }],
      });
      const browsed = await post(`/scan/datasources/storage-a:browse${V}`, {
        path: 'data/',
        maxItems: 2,
        continuationToken: 'next',
      }).expect(200);
      expect(browsed.body.items).toHaveLength(1);
      expect(sent[0].request.path).toBe(INTERACTIVE_NODE_PATHS.browse);
      expect(lastBody()).toMatchObject({ path: 'data/', maxItems: 2, continuationToken: 'next' });
      await post(`/scan/datasources/storage-a/-/browse${V}`).expect(200);
      expect(lastBody()).toMatchObject({ path: '', maxItems: 1000 });
      nodeAnswers(200, {
        path: 'data/a.csv',
        qualifiedName: 'q',
        format: 'CSV',
        columns: [{ name: 'id', type: 'Int64' }],
        sampledRows: 1,
        errorRows: 0,
        status: 'ok',
      });
      await post(`/scan/datasources/storage-a:previewSchema${V}`, { path: 'data/a.csv' }).expect(200);
      expect(sent[2].request.path).toBe(INTERACTIVE_NODE_PATHS.previewSchema);
      expect((await post(`/scan/datasources/storage-a:previewSchema${V}`).expect(400)).body.error.message).toMatch(
        /'path' is required/,
      );
    });

    it('refuses path traversal and absolute paths before anything reaches a node', async () => {
      for (const bad of [
        '../x',
        'data/../../etc',
        '/etc/passwd',
        'data/%2e%2e/x',
        'C:\\Windows',
        'https://evil.example/x',
      ]) {
        const response = await post(`/scan/datasources/storage-a:browse${V}`, { path: bad }).expect(400);
        expect(response.headers['x-ms-error-code']).toBe('InvalidPath');
      }
      await post(`/scan/datasources/storage-a:previewSchema${V}`, { path: '/data/a.csv' }).expect(400);
      await post(`/scan/datasources/storage-a:testConnection${V}`, { path: 'data/../other' }).expect(400);
      expect(sent).toHaveLength(0);
    });

    it("turns the node's 4xx into the same status and code, in the scanning error shape", async () => {
      nodeAnswers(400, {
        error: {
          code: 'AuthenticationFailed',
          message: "The storage account 'devstoreaccount1' refused the credential (403 AuthorizationFailure).",
        },
      });
      const refused = await post(`/scan/datasources/storage-a:browse${V}`, { path: 'data/' }).expect(400);
      expect(refused.headers['x-ms-error-code']).toBe('AuthenticationFailed');
      expect(refused.body.error).toMatchObject({
        code: 'AuthenticationFailed',
        message: expect.stringMatching(/refused the credential/),
      });
      nodeAnswers(404, { error: { code: 'ContainerNotFound', message: "Container 'x' does not exist." } });
      expect((await post(`/scan/datasources/storage-a:browse${V}`, { path: 'xyz/' }).expect(404)).body.error.code).toBe(
        'ContainerNotFound',
      );
      nodeAnswers(500, { error: { code: 'InternalError', message: 'boom' } });
      expect((await post(`/scan/datasources/storage-a:browse${V}`).expect(409)).body.error.message).toMatch(
        /failed to handle the request \(500 InternalError\): boom/,
      );
      answer = async () => ({ status: 200, body: Buffer.from(JSON.stringify({ path: '', items: [] })) });
      expect((await post(`/scan/datasources/storage-a:browse${V}`).expect(200)).body).toEqual({
        path: '',
        items: [],
        integrationRuntimeName: 'shir-a',
      });
    });

    it("refuses a node's 200 answer that does not fit the contract, naming what is wrong", async () => {
      nodeAnswers(200, { path: 'data/a.csv', columns: [{ name: 'id', type: 'Integer' }] });
      const refused = await post(`/scan/datasources/storage-a:previewSchema${V}`, { path: 'data/a.csv' }).expect(409);
      expect(refused.body.error.code).toBe('InteractiveRequestFailed');
      expect(refused.body.error.message).toMatch(
        /answered \/interactive\/previewSchema with a body the emulator does not understand \(qualifiedName: Required; format: Required; columns\.0\.type: Invalid enum value/,
      );
      nodeAnswers(200, { succeeded: 'yes', message: 'ok' });
      expect((await post(`/scan/datasources/storage-a:testConnection${V}`).expect(409)).body.error.message).toMatch(
        /succeeded: Expected boolean, received string/,
      );
    });

    it('says when no node listens, or none answers in time', async () => {
      answer = async () => {
        throw new InteractiveTransportError('NoNodeListening', 'No listener on hybrid connection shir-a.');
      };
      const none = await post(`/scan/datasources/storage-a:testConnection${V}`).expect(409);
      expect(none.body.error).toMatchObject({
        code: 'NoNodeConnected',
        message: expect.stringMatching(
          /No node of integration runtime 'shir-a' can take the request.*No listener on hybrid connection shir-a\..*shir start/,
        ),
      });
      answer = async () => {
        throw new InteractiveTransportError('Timeout', 'The listener did not answer.');
      };
      expect((await post(`/scan/datasources/storage-a:testConnection${V}`).expect(408)).body.error.code).toBe(
        'InteractiveRequestTimedOut',
      );
      answer = async () => {
        throw new Error('socket hang up');
      };
      expect((await post(`/scan/datasources/storage-a:testConnection${V}`).expect(409)).body.error.code).toBe(
        'RelayRequestFailed',
      );
    });
  });

  describe('which data source and integration runtime', () => {
    it('needs an IR when no scan names one, or scans name several; an explicit one wins', async () => {
      await http
        .put(`/scan/datasources/storage-b${V}`)
        .set(auth())
        .send({ kind: 'AzureStorage', properties: { endpoint: 'https://devstoreaccount1.blob.core.windows.net/' } })
        .expect(201);
      const none = await post(`/scan/datasources/storage-b:testConnection${V}`).expect(400);
      expect(none.body.error).toMatchObject({
        code: 'IntegrationRuntimeRequired',
        message: expect.stringMatching(/has no scan that connects via.*"integrationRuntimeName"/),
      });
      await http
        .put(`/scan/datasources/storage-b/scans/scan-1${V}`)
        .set(auth())
        .send({ kind: 'AzureStorageMsi', properties: { connectedVia: { referenceName: 'shir-a' } } })
        .expect(201);
      await http
        .put(`/scan/datasources/storage-b/scans/scan-2${V}`)
        .set(auth())
        .send({ kind: 'AzureStorageMsi', properties: { connectedVia: { referenceName: 'shir-b' } } })
        .expect(201);
      const several = await post(`/scan/datasources/storage-b:testConnection${V}`).expect(400);
      expect(several.body.error.message).toMatch(/several integration runtimes \('shir-a', 'shir-b'\)/);
      await post(`/scan/integrationruntimes/shir-b:enableInteractiveQuery${V}`, { autoTerminationMinutes: 5 }).expect(
        202,
      );
      await post(`/scan/datasources/storage-b:testConnection${V}`, { integrationRuntimeName: 'shir-b' }).expect(200);
      expect(sent[0].irName).toBe('shir-b');
      expect(
        (
          await post(`/scan/datasources/storage-b:testConnection${V}`, { integrationRuntimeName: 'nope-ir' }).expect(
            404,
          )
        ).body.error.code,
      ).toBe('IntegrationRuntimeNotFound');
    });

    it('answers 404 for an unknown data source and 400 for kinds the scan engine does not read', async () => {
      expect((await post(`/scan/datasources/nope-ds:browse${V}`).expect(404)).body.error.code).toBe(
        'DataSourceNotFound',
      );
      await http
        .put(`/scan/datasources/sql-a${V}`)
        .set(auth())
        .send({ kind: 'AzureSqlDatabase', properties: { serverEndpoint: 'x.database.windows.net' } })
        .expect(201);
      const sql = await post(`/scan/datasources/sql-a:browse${V}`, { integrationRuntimeName: 'shir-a' }).expect(400);
      expect(sql.body.error).toMatchObject({
        code: 'UnsupportedDataSourceKind',
        message: expect.stringMatching(
          /kind AzureSqlDatabase.*AzureStorage, AdlsGen2, AzurePostgreSql, AmazonPostgreSql, AzureMySql\.$/,
        ),
      });
    });

    it('keeps the switch in a table that matches its entity (migration 1764300000004), gone with its IR', async () => {
      const db = app.get(DataSource);
      const meta = db.getMetadata(InteractiveAuthoringEntity);
      const actual = (
        await db.query<{ name: string; type: string; notnull: number; pk: number }[]>(
          `PRAGMA table_info("${meta.tableName}")`,
        )
      )
        .map((c) => ({
          name: c.name,
          type: c.type.toLowerCase(),
          nullable: c.notnull === 0 && c.pk === 0,
          primary: c.pk > 0,
        }))
        .sort((a, b) => a.name.localeCompare(b.name));
      const expected = meta.columns
        .map((c) => ({
          name: c.databaseName,
          type: db.driver.normalizeType(c).toLowerCase(),
          nullable: c.isNullable,
          primary: c.isPrimary,
        }))
        .sort((a, b) => a.name.localeCompare(b.name));
      expect(actual).toEqual(expected);

      await http.put(`/scan/integrationruntimes/shir-gone${V}`).set(auth()).send({ kind: 'SelfHosted' }).expect(201);
      await post(`/scan/integrationruntimes/shir-gone:enableInteractiveQuery${V}`, {
        autoTerminationMinutes: 5,
      }).expect(202);
      const count = async () =>
        (await db.query<{ n: number }[]>(`SELECT COUNT(*) AS n FROM "interactive_authoring"`))[0].n;
      const before = await count();
      await http.delete(`/scan/integrationruntimes/shir-gone${V}`).set(auth()).expect(204);
      expect(await count()).toBe(before - 1);
      await http.put(`/scan/integrationruntimes/shir-gone${V}`).set(auth()).send({ kind: 'SelfHosted' }).expect(201);
      expect(
        (await http.get(`/scan/integrationruntimes/shir-gone/status${V}`).set(auth()).expect(200)).body.properties
          .typeProperties.interactiveQuery.status,
      ).toBe('Disabled');
    });

    it('needs a bearer token', async () => {
      await http.post(`/scan/datasources/storage-a:testConnection${V}`).send({}).expect(401);
      await http.post(`/scan/integrationruntimes/shir-a:enableInteractiveQuery${V}`).send({}).expect(401);
    });
  });
});

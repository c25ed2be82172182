import 'reflect-metadata';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { createEmulatorApp } from '../app.factory';
import { loadConfig } from '../config/emulator-config';
import { MAX_BODY_BYTES, MAX_JSON_DEPTH } from './body-parsers';

/** Bodies that once made the emulator answer 500 (issue 8): each must be a 400 in the route's error shape. */
describe('bad input over HTTP', () => {
  const V = '?api-version=2023-09-01';
  const SEARCH = `/datamap/api/search/query${V}`;
  const BULK = `/datamap/api/atlas/v2/entity/bulk${V}`;
  const QN = 'https://devstoreaccount1.blob.core.windows.net/bad-input/a.csv';
  let dataDir: string;
  let app: NestFastifyApplication;
  let http: TestAgent;
  let token: string;
  const auth = (): Record<string, string> => ({ authorization: `Bearer ${token}` });

  /** `{"x":{"x":…{"x":1}…}}`, `depth` objects deep. */
  const nested = (depth: number): string => `${'{"x":'.repeat(depth)}1${'}'.repeat(depth)}`;

  const expectScanningError = (response: request.Response, code?: string): void => {
    expect(response.status).toBe(400);
    expect(Object.keys(response.body)).toEqual(['error']);
    expect(typeof response.body.error.message).toBe('string');
    if (code) expect(response.body.error.code).toBe(code);
  };
  const expectAtlasError = (response: request.Response): void => {
    expect(response.status).toBe(400);
    expect(Object.keys(response.body).sort()).toEqual(['errorCode', 'errorMessage', 'requestId']);
    expect(response.body.errorCode).toMatch(/^ATLAS-400-/);
  };

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bad-input-http-'));
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
    await http
      .put(`/scan/datasources/bad-ds${V}`)
      .set(auth())
      .send({ kind: 'AzureStorage', properties: { endpoint: 'https://devstoreaccount1.blob.core.windows.net/' } })
      .expect(201);
    await http
      .post(BULK)
      .set(auth())
      .send({ entities: [{ typeName: 'azure_blob_path', attributes: { qualifiedName: QN, name: 'a.csv' } }] })
      .expect(200);
  });

  afterEach(async () => {
    // The process stays healthy: the database still answers.
    await http.get(`/scan/datasources/bad-ds${V}`).set(auth()).expect(200);
  });

  afterAll(async () => {
    await app?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  describe('search', () => {
    it('refuses keywords of 50,001 characters with 400 in the Atlas shape', async () => {
      const response = await http
        .post(SEARCH)
        .set(auth())
        .send({ keywords: 'a'.repeat(50_001) });
      expectAtlasError(response);
      expect(response.body.errorMessage).toMatch(/'keywords'.*at most/);
    });

    it('refuses a keyword term longer than the term limit, even when the whole string is short enough', async () => {
      const response = await http
        .post(SEARCH)
        .set(auth())
        .send({ keywords: `csv ${'%'.repeat(1001)}` });
      expectAtlasError(response);
    });

    it('still finds assets with ordinary keywords', async () => {
      const response = await http.post(SEARCH).set(auth()).send({ keywords: 'a.csv' }).expect(200);
      expect(response.body.value.map((v: { qualifiedName: string }) => v.qualifiedName)).toContain(QN);
    });

    it.each(['contains', 'prefix', 'eq'])(
      'refuses a %s attribute filter value of 50,001 characters',
      async (operator) => {
        const response = await http
          .post(SEARCH)
          .set(auth())
          .send({ filter: { attributeName: 'qualifiedName', operator, attributeValue: '%'.repeat(50_001) } });
        expectAtlasError(response);
        expect(response.body.errorMessage).toMatch(/attributeValue.*at most/);
      },
    );

    it('refuses an over-long string anywhere in the filter', async () => {
      expectAtlasError(
        await http
          .post(SEARCH)
          .set(auth())
          .send({ filter: { fileExtension: '_'.repeat(50_001) } }),
      );
      expectAtlasError(
        await http
          .post(SEARCH)
          .set(auth())
          .send({ filter: { kind: 'TypeFilter', typeName: 'x'.repeat(50_001) } }),
      );
    });

    it('answers a filter that ORs a thousand clauses, the most a filter may have (SQLite expression depth)', async () => {
      const or = Array.from({ length: 998 }, (_, i) => ({ entityType: `type_${i}` }));
      const response = await http
        .post(SEARCH)
        .set(auth())
        .send({ filter: { or: [...or, { entityType: 'azure_blob_path' }] } });
      expect(response.status).toBe(200);
      expect(response.body.value.map((v: { qualifiedName: string }) => v.qualifiedName)).toContain(QN);
    });
  });

  describe('deeply nested JSON', () => {
    it('accepts a body nested exactly to the limit', async () => {
      const depth = MAX_JSON_DEPTH - 2; // the body and properties are two levels
      const body = `{"kind":"AzureStorage","properties":{"endpoint":"https://devstoreaccount1.blob.core.windows.net/","extra":${nested(depth)}}}`;
      await http
        .put(`/scan/datasources/bad-ds${V}`)
        .set(auth())
        .set('content-type', 'application/json')
        .send(body)
        .expect(200);
    });

    it('refuses a data source whose unknown property is nested 3,000 levels deep', async () => {
      const body = `{"kind":"AzureStorage","properties":{"endpoint":"https://devstoreaccount1.blob.core.windows.net/","extra":${nested(3000)}}}`;
      const response = await http
        .put(`/scan/datasources/deep-ds${V}`)
        .set(auth())
        .set('content-type', 'application/json')
        .send(body);
      expectScanningError(response, 'JsonTooDeep');
      expect(response.body.error.message).toContain(`${MAX_JSON_DEPTH} levels`);
      await http.get(`/scan/datasources/deep-ds${V}`).set(auth()).expect(404);
    });

    it('refuses a scan whose unknown property is nested 3,000 levels deep', async () => {
      const body = `{"kind":"AzureStorageMsi","properties":{"scanRulesetName":"AzureStorage","scanRulesetType":"System","extra":${nested(3000)}}}`;
      expectScanningError(
        await http
          .put(`/scan/datasources/bad-ds/scans/deep-scan${V}`)
          .set(auth())
          .set('content-type', 'application/json')
          .send(body),
        'JsonTooDeep',
      );
    });

    it('refuses arrays nested too deep as well, and does not count brackets inside strings', async () => {
      const arrays = `{"kind":"AzureStorage","properties":{"extra":${'['.repeat(5000)}${']'.repeat(5000)}}}`;
      expectScanningError(
        await http
          .put(`/scan/datasources/deep-ds${V}`)
          .set(auth())
          .set('content-type', 'application/json')
          .send(arrays),
        'JsonTooDeep',
      );
      const inString = JSON.stringify({
        kind: 'AzureStorage',
        properties: { endpoint: 'https://devstoreaccount1.blob.core.windows.net/', note: `\\"${'{['.repeat(1000)}` },
      });
      await http
        .put(`/scan/datasources/bad-ds${V}`)
        .set(auth())
        .set('content-type', 'application/json')
        .send(inString)
        .expect(200);
    });

    it("answers 413 in the route's shape for a body over the size limit", async () => {
      const huge = JSON.stringify({ keywords: 'x'.repeat(MAX_BODY_BYTES) });
      const atlas = await http.post(SEARCH).set(auth()).set('content-type', 'application/json').send(huge);
      expect(atlas.status).toBe(413);
      expect(Object.keys(atlas.body).sort()).toEqual(['errorCode', 'errorMessage', 'requestId']);
      const scanning = await http
        .put(`/scan/datasources/big-ds${V}`)
        .set(auth())
        .set('content-type', 'application/json')
        .send(huge);
      expect(scanning.status).toBe(413);
      expect(scanning.body.error.code).toBe('RequestEntityTooLarge');
    });

    it('refuses an entity attribute nested 10,000 levels deep with 400 in the Atlas shape', async () => {
      const body = `{"entities":[{"typeName":"azure_blob_path","attributes":{"qualifiedName":"${QN}","name":"a.csv","deep":${nested(10_000)}}}]}`;
      const response = await http.post(BULK).set(auth()).set('content-type', 'application/json').send(body);
      expectAtlasError(response);
      expect(response.body.errorMessage).toContain(`${MAX_JSON_DEPTH} levels`);
    });
  });

  describe('token endpoint', () => {
    const TOKEN = '/00000000-0000-0000-0000-000000000000/oauth2/v2.0/token';
    const form = 'grant_type=client_credentials&client_id=purview-emulator&client_secret=purview-emulator-secret';

    it('refuses a repeated parameter as Entra ID does (AADSTS9000411)', async () => {
      const response = await http
        .post(TOKEN)
        .type('form')
        .send(`${form}&scope=https%3A%2F%2Fpurview.azure.net%2F.default&scope=x`)
        .expect(400);
      expect(response.body).toEqual(expect.objectContaining({ error: 'invalid_request', error_codes: [9000411] }));
      expect(response.body.error_description).toContain("The parameter 'scope' is duplicated.");
      await http
        .post('/00000000-0000-0000-0000-000000000000/oauth2/token')
        .type('form')
        .send(`${form}&resource=a&resource=b`)
        .expect(400);
    });

    it('treats parameters that are not strings (a JSON body) as missing', async () => {
      const response = await http
        .post(TOKEN)
        .send({
          grant_type: 'client_credentials',
          client_id: 'purview-emulator',
          client_secret: 'purview-emulator-secret',
          scope: 5,
        })
        .expect(400);
      expect(response.body.error).toBe('invalid_scope');
    });
  });

  describe('data source kinds and string bounds', () => {
    it('refuses a kind the 2023-09-01 spec does not define, naming the valid kinds', async () => {
      const response = await http.put(`/scan/datasources/odd-ds${V}`).set(auth()).send({ kind: 'Nonsense' });
      expectScanningError(response, 'InvalidKind');
      expect(response.body.error.message).toContain('AzureStorage');
      expect(response.body.error.message).toContain('Snowflake');
      await http.get(`/scan/datasources/odd-ds${V}`).set(auth()).expect(404);
    });

    it('refuses a 1 MB kind without echoing it back', async () => {
      const response = await http
        .put(`/scan/datasources/odd-ds${V}`)
        .set(auth())
        .send({ kind: 'A'.repeat(1024 * 1024) });
      expectScanningError(response, 'ValueTooLong');
      expect(response.body.error.message).toBe('kind is 1048576 characters long; at most 2048 are accepted.');
      expect(response.text.length).toBeLessThan(4096);
    });

    it('accepts every kind the spec defines, storing and returning its properties', async () => {
      const response = await http
        .put(`/scan/datasources/sql-ds${V}`)
        .set(auth())
        .send({
          kind: 'AzureSqlDatabase',
          properties: {
            serverEndpoint: 'x.database.windows.net',
            resourceGroup: 'rg',
            subscriptionId: '00000000-0000-0000-0000-000000000001',
          },
        })
        .expect(201);
      expect(response.body.properties).toEqual(
        expect.objectContaining({ serverEndpoint: 'x.database.windows.net', resourceGroup: 'rg' }),
      );
      const got = await http.get(`/scan/datasources/sql-ds${V}`).set(auth()).expect(200);
      expect(got.body.kind).toBe('AzureSqlDatabase');
      expect(got.body.properties.serverEndpoint).toBe('x.database.windows.net');
      await http
        .put(`/scan/datasources/oracle-ds${V}`)
        .set(auth())
        .send({ kind: 'Oracle', properties: { host: 'db', port: '1521', service: 'orcl' } })
        .expect(201);
      await http
        .put(`/scan/datasources/snow-ds${V}`)
        .set(auth())
        .send({ kind: 'Snowflake', properties: { host: 'x.snowflakecomputing.com' } })
        .expect(201);
    });

    it('checks the types of the properties the spec defines for the kind', async () => {
      const wrongType = await http
        .put(`/scan/datasources/sql-ds${V}`)
        .set(auth())
        .send({ kind: 'AzureSqlDatabase', properties: { serverEndpoint: 42 } });
      expectScanningError(wrongType);
      expect(wrongType.body.error.message).toContain('properties.serverEndpoint');
      const port = await http
        .put(`/scan/datasources/mysql-ds${V}`)
        .set(auth())
        .send({ kind: 'AzureMySql', properties: { serverEndpoint: 'x', port: 'three' } });
      expectScanningError(port);
      expect(port.body.error.message).toContain('properties.port');
    });

    it.each([
      ['endpoint', { kind: 'AdlsGen1', properties: { endpoint: 'e'.repeat(5000) } }, 'properties.endpoint'],
      [
        'collection reference',
        { kind: 'AdlsGen1', properties: { collection: { referenceName: 'c'.repeat(5000) } } },
        'properties.collection.referenceName',
      ],
      [
        'description-like free text',
        { kind: 'AdlsGen1', properties: { resourceName: 'r'.repeat(5000) } },
        'properties.resourceName',
      ],
      [
        'unknown property',
        { kind: 'AdlsGen1', properties: { somethingElse: 's'.repeat(100_000) } },
        'properties.somethingElse',
      ],
    ])('refuses an over-long %s, naming the field', async (_, body, field) => {
      const response = await http.put(`/scan/datasources/long-ds${V}`).set(auth()).send(body);
      expectScanningError(response);
      expect(response.body.error.message).toContain(field);
      expect(response.text.length).toBeLessThan(4096);
    });

    it.each([
      ['kind', { kind: 'K'.repeat(5000) }, 'kind'],
      [
        'scanRulesetName',
        { kind: 'AzureStorageMsi', properties: { scanRulesetName: 'r'.repeat(5000) } },
        'properties.scanRulesetName',
      ],
      [
        'connectedVia.referenceName',
        { kind: 'AzureStorageMsi', properties: { connectedVia: { referenceName: 'i'.repeat(5000) } } },
        'properties.connectedVia.referenceName',
      ],
      [
        'collection.referenceName',
        { kind: 'AzureStorageMsi', properties: { collection: { referenceName: 'c'.repeat(5000) } } },
        'properties.collection.referenceName',
      ],
    ])('refuses a scan with an over-long %s', async (_, body, field) => {
      const response = await http.put(`/scan/datasources/bad-ds/scans/long-scan${V}`).set(auth()).send(body);
      expectScanningError(response);
      expect(response.body.error.message).toContain(field);
      expect(response.text.length).toBeLessThan(4096);
    });

    it('refuses an over-long integration runtime kind without echoing it', async () => {
      const response = await http
        .put(`/scan/integrationruntimes/long-ir${V}`)
        .set(auth())
        .send({ kind: 'S'.repeat(1024 * 1024) });
      expectScanningError(response);
      expect(response.text.length).toBeLessThan(4096);
    });
  });
});

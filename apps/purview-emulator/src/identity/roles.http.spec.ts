import 'reflect-metadata';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { createEmulatorApp } from '../app.factory';
import { loadConfig } from '../config/emulator-config';

/**
 * Role checks through the whole app: clients configured the way users configure them, real tokens from the token
 * endpoint, the real guards and error filter. Storage is not needed: Azurite's ports point nowhere.
 */
describe('roles over HTTP', () => {
  const V = '?api-version=2023-09-01';
  const IR = '/scan/integrationruntimes/roles-ir';
  const DS = '/scan/datasources/roles-ds';
  const SCAN = `${DS}/scans/roles-scan`;
  const ATLAS = '/datamap/api/atlas/v2';
  const QN = 'https://devstoreaccount1.blob.core.windows.net/roles/a.csv';
  let dataDir: string;
  let app: NestFastifyApplication;
  let http: TestAgent;
  const tokens: Record<string, string> = {};

  const as = (client: string): Record<string, string> => ({ authorization: `Bearer ${tokens[client]}` });
  const forbiddenScanning = (
    body: { error: { code: string; message: string } },
    role: string,
    client: string,
  ): void => {
    expect(body.error.code).toBe('Forbidden');
    expect(body.error.message).toContain(`The client '${client}' does not have the ${role} role`);
  };

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'roles-http-'));
    const clients = [
      { clientId: 'reader-app', clientSecret: 'reader-secret', roles: ['Data Reader'] },
      { clientId: 'curator-app', clientSecret: 'curator-secret', roles: ['Data Curator'] },
      { clientId: 'source-admin-app', clientSecret: 'source-admin-secret', roles: ['Data Source Admin'] },
    ];
    app = await createEmulatorApp(
      loadConfig({
        PURVIEW_DATA_DIR: dataDir,
        PURVIEW_EMULATOR_PORT: '5380',
        AZURITE_BLOB_PORT: '1',
        AZURITE_QUEUE_PORT: '1',
        PURVIEW_EMULATOR_CLIENTS: JSON.stringify(clients),
      }),
      { logger: false },
    );
    http = request(app.getHttpServer());
    for (const [id, secret] of [
      ['purview-emulator', 'purview-emulator-secret'],
      ...clients.map((c) => [c.clientId, c.clientSecret]),
    ]) {
      const response = await http
        .post('/00000000-0000-0000-0000-000000000000/oauth2/v2.0/token')
        .type('form')
        .send({
          grant_type: 'client_credentials',
          client_id: id,
          client_secret: secret,
          scope: 'https://purview.azure.net/.default',
        })
        .expect(200);
      tokens[id] = response.body.access_token;
    }
    // What the protected operations act on, made by the well-known client: an IR with a registered node.
    await http.put(`${IR}${V}`).set(as('purview-emulator')).send({ kind: 'SelfHosted' }).expect(201);
    const keys = (await http.post(`${IR}:listAuthKeys${V}`).set(as('purview-emulator')).expect(200)).body;
    await http
      .post('/_emulator/runtime/register')
      .send({
        authKey: keys.authKey1,
        nodeName: 'node1',
        machineName: 'node1-host',
        version: '5.40.9000.1',
        cores: 2,
        memoryMb: 4096,
      })
      .expect(200);
  });

  afterAll(async () => {
    await app?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  describe('integration runtimes', () => {
    const managing: [string, (agent: TestAgent) => request.Test][] = [
      ['PUT (create or replace)', (a) => a.put(`${IR}${V}`).send({ kind: 'SelfHosted' })],
      [
        'PUT of a new one, before validating its body',
        (a) => a.put(`/scan/integrationruntimes/other-ir${V}`).send({ kind: 'Nonsense' }),
      ],
      ['DELETE', (a) => a.delete(`${IR}${V}`)],
      [':listAuthKeys', (a) => a.post(`${IR}:listAuthKeys${V}`)],
      [':regenerateAuthKey', (a) => a.post(`${IR}:regenerateAuthKey${V}`).send({ keyName: 'authKey1' })],
      ['GET node', (a) => a.get(`${IR}/nodes/node1${V}`)],
      ['PATCH node', (a) => a.patch(`${IR}/nodes/node1${V}`).send({ concurrentJobsLimit: 1 })],
      ['DELETE node', (a) => a.delete(`${IR}/nodes/node1${V}`)],
      [
        'GET node of an IR that does not exist (403 before 404)',
        (a) => a.get(`/scan/integrationruntimes/missing-ir/nodes/node1${V}`),
      ],
    ];

    it.each(managing)('%s needs Data Source Admin: 403 naming the role, the client and its roles', async (_, call) => {
      const response = await call(http).set(as('reader-app')).expect(403);
      expect(response.headers['x-ms-error-code']).toBe('Forbidden');
      expect(response.body.error.message).toBe(
        "The client 'reader-app' does not have the Data Source Admin role, which managing integration runtimes, their keys and nodes requires. Roles it has: Data Reader.",
      );
      forbiddenScanning((await call(http).set(as('curator-app')).expect(403)).body, 'Data Source Admin', 'curator-app');
    });

    it('lets a Data Reader list, get and read the status of integration runtimes', async () => {
      expect(
        (await http.get(`/scan/integrationruntimes${V}`).set(as('reader-app')).expect(200)).body.value.map(
          (r: { name: string }) => r.name,
        ),
      ).toContain('roles-ir');
      await http.get(`${IR}${V}`).set(as('reader-app')).expect(200);
      const status = (await http.get(`${IR}/status${V}`).set(as('reader-app')).expect(200)).body;
      expect(status.properties.typeProperties.nodes.map((n: { nodeName: string }) => n.nodeName)).toEqual(['node1']);
      await http.get(`/scan/integrationruntimes/missing-ir/status${V}`).set(as('reader-app')).expect(404);
      await http.get(`${IR}/monitoringData${V}`).set(as('reader-app')).expect(200);
    });

    it('lets a Data Source Admin manage integration runtimes and their nodes', async () => {
      const admin = as('source-admin-app');
      await http.put(`/scan/integrationruntimes/admin-ir${V}`).set(admin).send({ kind: 'SelfHosted' }).expect(201);
      await http.post(`/scan/integrationruntimes/admin-ir:listAuthKeys${V}`).set(admin).expect(200);
      await http
        .post(`/scan/integrationruntimes/admin-ir:regenerateAuthKey${V}`)
        .set(admin)
        .send({ keyName: 'authKey2' })
        .expect(200);
      await http.get(`${IR}/nodes/node1${V}`).set(admin).expect(200);
      await http.get(`${IR}/monitoringData${V}`).set(admin).expect(200);
      await http.get(`${IR}/status${V}`).set(admin).expect(200);
      await http.delete(`/scan/integrationruntimes/admin-ir${V}`).set(admin).expect(204);
    });
  });

  describe('scanning', () => {
    const writes: [string, (agent: TestAgent) => request.Test][] = [
      [
        'PUT data source',
        (a) =>
          a.put(`${DS}${V}`).send({
            kind: 'AzureStorage',
            properties: { endpoint: 'https://devstoreaccount1.blob.core.windows.net/' },
          }),
      ],
      ['DELETE data source', (a) => a.delete(`${DS}${V}`)],
      [
        'PUT scan',
        (a) =>
          a.put(`${SCAN}${V}`).send({
            kind: 'AzureStorageMsi',
            properties: { scanRulesetName: 'AzureStorage', scanRulesetType: 'System' },
          }),
      ],
      ['DELETE scan', (a) => a.delete(`${SCAN}${V}`)],
      ['PUT run', (a) => a.put(`${SCAN}/runs/00000000-0000-4000-8000-000000000001${V}`)],
      ['POST run', (a) => a.post(`${SCAN}/run${V}`).send({})],
      [':run', (a) => a.post(`${SCAN}:run${V}`)],
      [':cancel', (a) => a.post(`${SCAN}/runs/00000000-0000-4000-8000-000000000001:cancel${V}`)],
    ];

    it.each(writes)('%s needs Data Source Admin', async (_, call) => {
      forbiddenScanning((await call(http).set(as('reader-app')).expect(403)).body, 'Data Source Admin', 'reader-app');
      forbiddenScanning((await call(http).set(as('curator-app')).expect(403)).body, 'Data Source Admin', 'curator-app');
    });

    it('lets a Data Source Admin manage data sources and scans, and a Data Reader read them', async () => {
      await http
        .put(`${DS}${V}`)
        .set(as('source-admin-app'))
        .send({ kind: 'AzureStorage', properties: { endpoint: 'https://devstoreaccount1.blob.core.windows.net/' } })
        .expect(201);
      await http
        .put(`${SCAN}${V}`)
        .set(as('source-admin-app'))
        .send({
          kind: 'AzureStorageMsi',
          properties: {
            scanRulesetName: 'AzureStorage',
            scanRulesetType: 'System',
            connectedVia: { referenceName: 'roles-ir' },
          },
        })
        .expect(201);
      expect(
        (await http.get(`/scan/datasources${V}`).set(as('reader-app')).expect(200)).body.value.map(
          (d: { name: string }) => d.name,
        ),
      ).toContain('roles-ds');
      await http.get(`${DS}${V}`).set(as('reader-app')).expect(200);
      await http.get(`${DS}/scans${V}`).set(as('reader-app')).expect(200);
      await http.get(`${SCAN}${V}`).set(as('reader-app')).expect(200);
      await http.get(`${SCAN}/runs${V}`).set(as('reader-app')).expect(200);
    });
  });

  describe('data map', () => {
    const entity = { entity: { typeName: 'azure_blob_path', attributes: { qualifiedName: QN, name: 'a.csv' } } };

    it('needs Data Curator to write entities, answered in the Atlas error shape', async () => {
      const writes = [
        http.post(`${ATLAS}/entity${V}`).send(entity),
        http.post(`${ATLAS}/entity/bulk${V}`).send({ entities: [entity.entity] }),
        http.post(`/catalog/api/atlas/v2/entity${V}`).send(entity),
        http.post(`/catalog/api/collections/finance/entity${V}`).send(entity),
        http.delete(`${ATLAS}/entity/guid/00000000-0000-0000-0000-000000000000${V}`),
        http.delete(`${ATLAS}/entity/bulk${V}&guid=00000000-0000-0000-0000-000000000000`),
        http.delete(
          `${ATLAS}/entity/uniqueAttribute/type/azure_blob_path${V}&attr:qualifiedName=${encodeURIComponent(QN)}`,
        ),
      ];
      for (const call of writes) {
        const response = await call.set(as('reader-app')).expect(403);
        expect(response.body).toEqual({
          requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
          errorCode: 'ATLAS-403-00-001',
          errorMessage:
            "The client 'reader-app' does not have the Data Curator role, which creating, updating and deleting data map entities requires. Roles it has: Data Reader.",
        });
      }
      const adminOnly = await http.post(`${ATLAS}/entity${V}`).set(as('source-admin-app')).send(entity).expect(403);
      expect(adminOnly.body.errorMessage).toContain(
        "The client 'source-admin-app' does not have the Data Curator role",
      );
    });

    it('lets a Data Curator write and a Data Reader read and search; a Data Source Admin alone does not see assets', async () => {
      const created = (await http.post(`${ATLAS}/entity${V}`).set(as('curator-app')).send(entity).expect(200)).body;
      const guid = created.mutatedEntities.CREATE[0].guid as string;
      await http.get(`${ATLAS}/entity/guid/${guid}${V}`).set(as('reader-app')).expect(200);
      await http.get(`${ATLAS}/entity/guid/${guid}/header${V}`).set(as('reader-app')).expect(200);
      await http
        .get(`${ATLAS}/entity/uniqueAttribute/type/azure_blob_path${V}&attr:qualifiedName=${encodeURIComponent(QN)}`)
        .set(as('reader-app'))
        .expect(200);
      expect(
        (await http.post(`/datamap/api/search/query${V}`).set(as('reader-app')).send({ keywords: 'a.csv' }).expect(200))
          .body['@search.count'],
      ).toBeGreaterThanOrEqual(1);
      const hidden = await http.get(`${ATLAS}/entity/guid/${guid}${V}`).set(as('source-admin-app')).expect(403);
      expect(hidden.body.errorMessage).toBe(
        "The client 'source-admin-app' has none of the roles Data Reader or Data Curator, one of which reading and searching the data map requires. Roles it has: Data Source Admin.",
      );
      await http.delete(`${ATLAS}/entity/guid/${guid}${V}`).set(as('curator-app')).expect(200);
    });
  });

  it('lets the well-known client do everything', async () => {
    const all = as('purview-emulator');
    await http.put(`/scan/integrationruntimes/all-ir${V}`).set(all).send({ kind: 'SelfHosted' }).expect(201);
    await http
      .post(`/scan/integrationruntimes/all-ir:regenerateAuthKey${V}`)
      .set(all)
      .send({ keyName: 'authKey1' })
      .expect(200);
    await http.get(`/scan/integrationruntimes/all-ir/status${V}`).set(all).expect(200);
    await http.patch(`${IR}/nodes/node1${V}`).set(all).send({ concurrentJobsLimit: 1 }).expect(200);
    await http.get(`${IR}/monitoringData${V}`).set(all).expect(200);
    await http
      .put(`/scan/datasources/all-ds${V}`)
      .set(all)
      .send({ kind: 'AzureStorage', properties: { endpoint: 'https://devstoreaccount1.blob.core.windows.net/' } })
      .expect(201);
    await http
      .put(`/scan/datasources/all-ds/scans/all-scan${V}`)
      .set(all)
      .send({
        kind: 'AzureStorageMsi',
        properties: {
          scanRulesetName: 'AzureStorage',
          scanRulesetType: 'System',
          connectedVia: { referenceName: 'all-ir' },
        },
      })
      .expect(201);
    await http.delete(`/scan/datasources/all-ds/scans/all-scan${V}`).set(all).expect(204);
    const created = (
      await http
        .post(`${ATLAS}/entity${V}`)
        .set(all)
        .send({ entity: { typeName: 'azure_blob_path', attributes: { qualifiedName: `${QN}.all`, name: 'all' } } })
        .expect(200)
    ).body;
    await http.get(`${ATLAS}/entity/guid/${created.mutatedEntities.CREATE[0].guid}${V}`).set(all).expect(200);
    await http.post(`/datamap/api/search/query${V}`).set(all).send({ keywords: 'all' }).expect(200);
    await http.delete(`${IR}/nodes/node1${V}`).set(all).expect(200);
    await http.delete(`/scan/integrationruntimes/all-ir${V}`).set(all).expect(204);
  });
});

import { randomUUID } from 'node:crypto';
import { INGESTION_CONTAINER, INGESTION_QUEUE } from '@purview-emulator/contracts';
import { Azurite, pollUntil, startAzurite } from '@purview-emulator/testing';
import { IngestionService } from '../ingestion/ingestion.service';
import { StorageAccountsService } from '../storage/storage-accounts.service';
import { createTestApp, TestApp } from '../testing/test-app';

const V = '?api-version=2023-09-01';
const DM = '?api-version=2023-09-01';
const ENDPOINT = 'https://devstoreaccount1.blob.core.windows.net/';

/** `POST /_emulator/reset` against a real Azurite (ingestion storage is part of what a reset empties). */
describe('POST /_emulator/reset', () => {
  let azurite: Azurite;
  let test: TestApp;
  let nodeCredential: string;

  beforeAll(async () => {
    azurite = await startAzurite({ inMemory: true });
    test = await createTestApp({
      env: {
        AZURITE_BLOB_PORT: String(azurite.ports.blob),
        AZURITE_QUEUE_PORT: String(azurite.ports.queue),
      },
    });
    await pollUntil(async () => (await test.http.get('/_emulator/health')).status === 200, {
      timeoutMs: 30_000,
      description: 'the emulator to be healthy',
    });
  }, 60_000);

  afterAll(async () => {
    await test?.close();
    await azurite?.stop();
  });

  /** Something of every kind: a runtime with a node, a source, a scan, a run, a custom type, an entity, a fault, a moved clock. */
  async function fill(): Promise<{ entityGuid: string }> {
    await test.api.put(`/scan/integrationruntimes/reset-ir${V}`).send({ kind: 'SelfHosted' }).expect(201);
    const keys = (await test.api.post(`/scan/integrationruntimes/reset-ir/-/listAuthKeys${V}`).expect(200)).body;
    const node = await test.http
      .post('/_emulator/runtime/register')
      .send({
        authKey: keys.authKey1,
        nodeName: 'n1',
        machineName: 'h1',
        version: '5.40.9000.1',
        cores: 2,
        memoryMb: 4096,
      })
      .expect(200);
    nodeCredential = node.body.nodeCredential as string;
    await test.api
      .put(`/scan/datasources/reset-ds${V}`)
      .send({ kind: 'AzureStorage', properties: { endpoint: ENDPOINT } })
      .expect(201);
    await test.api
      .put(`/scan/datasources/reset-ds/scans/reset-scan${V}`)
      .send({ kind: 'AzureStorageMsi', properties: { connectedVia: { referenceName: 'reset-ir' } } })
      .expect(201);
    await test.api.put(`/scan/datasources/reset-ds/scans/reset-scan/runs/${randomUUID()}${V}`).expect(202);
    await test.api
      .post(`/datamap/api/atlas/v2/types/typedefs${DM}`)
      .send({ entityDefs: [{ name: 'reset_table', superTypes: ['DataSet'], attributeDefs: [] }] })
      .expect(200);
    const created = await test.api
      .post(`/datamap/api/atlas/v2/entity${DM}`)
      .send({ entity: { typeName: 'reset_table', attributes: { qualifiedName: 'reset://t1', name: 't1' } } })
      .expect(200);
    await test.api.post('/_emulator/faults').send({ kind: 'http', path: '/nothing', status: 503 }).expect(201);
    await test.api.put('/_emulator/clock').send({ advanceSeconds: 120 }).expect(200);
    return { entityGuid: (created.body.mutatedEntities.CREATE as { guid: string }[])[0].guid };
  }

  const nodeCall = () => test.http.get('/_emulator/runtime/node').set('authorization', `Node ${nodeCredential}`);

  it('refuses what it cannot keep, and callers without an admin token', async () => {
    const bad = await test.api.post('/_emulator/reset?keep=everything').expect(400);
    expect(bad.body.error.message).toContain("keep may only name integrationRuntimes; 'everything' cannot be kept");
    await test.http.post('/_emulator/reset').expect(401);
  });

  it('keeps integration runtimes, keys and nodes on request, and empties the rest', async () => {
    const { entityGuid } = await fill();
    // /_emulator/info says what is there, table by table.
    const before = (await test.http.get('/_emulator/info').expect(200)).body.rows;
    expect(before).toEqual(
      expect.objectContaining({ data_sources: 1, scans: 1, scan_runs: 1, integration_runtimes: 1 }),
    );
    expect(before.signing_keys).toBeUndefined();
    const report = await test.api.post('/_emulator/reset?keep=integrationRuntimes').expect(200);
    const after = (await test.http.get('/_emulator/info').expect(200)).body.rows;
    expect(after).toEqual(
      expect.objectContaining({ data_sources: 0, scans: 0, scan_runs: 0, integration_runtimes: 1 }),
    );
    expect(report.body).toEqual(expect.objectContaining({ kept: ['integrationRuntimes'], problems: [] }));
    expect(report.body.deleted).toEqual(expect.objectContaining({ data_sources: 1, scans: 1, scan_runs: 1 }));
    expect(report.body.deleted.integration_runtimes).toBeUndefined();

    // The token in hand still works (the signing key stays); the runtime and its node are still there.
    await test.api.get(`/scan/integrationruntimes/reset-ir${V}`).expect(200);
    await nodeCall().expect(200);
    expect((await test.api.get(`/scan/datasources${V}`).expect(200)).body.value).toEqual([]);
    await test.api.get(`/datamap/api/atlas/v2/entity/guid/${entityGuid}${DM}`).expect(404);
    await test.api.get(`/datamap/api/atlas/v2/types/typedef/name/reset_table${DM}`).expect(404);
    await test.api.get(`/datamap/api/atlas/v2/types/typedef/name/DataSet${DM}`).expect(200);
    // The search index followed the entity table: nothing indexed, nothing found.
    const index = (await test.api.get('/_emulator/search/index').expect(200)).body;
    expect(index).toEqual(expect.objectContaining({ state: 'current', indexedRows: 0, entityRows: 0 }));
    const found = await test.api.post(`/datamap/api/search/query${DM}`).send({ keywords: 't1' }).expect(200);
    expect(found.body.value).toEqual([]);
    expect((await test.api.get('/_emulator/faults').expect(200)).body.count).toBe(0);
    expect((await test.http.get('/_emulator/clock').expect(200)).body.offsetSeconds).toBe(0);
  });

  it('empties everything without keep: runtimes and nodes too (a running node is told it is no longer registered)', async () => {
    await test.api.put(`/scan/integrationruntimes/reset-ir${V}`).send({ kind: 'SelfHosted' });
    const report = await test.api.post('/_emulator/reset').expect(200);
    expect(report.body.kept).toEqual([]);
    expect(report.body.deleted.integration_runtimes).toBe(1);
    await test.api.get(`/scan/integrationruntimes/reset-ir${V}`).expect(404);
    expect((await nodeCall().expect(401)).body.error.code).toBe('InvalidNodeCredential');
    // The same names can be used again at once.
    await fill();
  });

  it('empties ingestion storage: batches of runs that no longer exist are not ingested later', async () => {
    // The consumer stopped, a message put in the queue stays there until the reset.
    await test.app.get(IngestionService).stop();
    const storage = test.app.get(StorageAccountsService);
    const queue = storage.queueServiceClient().getQueueClient(INGESTION_QUEUE);
    const runId = randomUUID();
    await storage
      .blobServiceClient()
      .getContainerClient(INGESTION_CONTAINER)
      .getBlockBlobClient(`runs/${runId}/batch-0001.json`)
      .upload('{}', 2);
    await queue.sendMessage(JSON.stringify({ version: 1, runId, batchId: 'b', sequence: 1 }));
    expect((await queue.getProperties()).approximateMessagesCount).toBe(1);

    const report = await test.api.post('/_emulator/reset').expect(200);
    expect(report.body.problems).toEqual([]);
    expect((await queue.getProperties()).approximateMessagesCount).toBe(0);
    const left = [];
    for await (const blob of storage
      .blobServiceClient()
      .getContainerClient(INGESTION_CONTAINER)
      .listBlobsFlat({ prefix: 'runs/' }))
      left.push(blob.name);
    expect(left).toEqual([]);
  });
});

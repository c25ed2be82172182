import { Test, TestingModule } from '@nestjs/testing';
import { INGESTION_CONTAINER, INGESTION_QUEUE, IngestionBatch, IngestionMessage } from '@purview-emulator/contracts';
import { Azurite, freePort, pollUntil, startAzurite, tempDir, TempDir } from '@purview-emulator/testing';
import { ConfigModule } from '../config/config.module';
import { loadConfig } from '../config/emulator-config';
import { DatabaseModule } from '../database/database.module';
import { DataMapModule } from '../datamap/datamap.module';
import { DataMapService } from '../datamap/datamap.service';
import { StorageModule } from '../storage/storage.module';
import { StorageAccountsService } from '../storage/storage-accounts.service';
import { IngestionProcessor } from './ingestion.processor';
import { IngestionService } from './ingestion.service';
import { IngestionStorage, POISON_QUEUE } from './ingestion-storage';
import { INGESTION_OPTIONS, INGESTION_RESULT_SINK, IngestedBatchResult, IngestionResultSink } from './ingestion-result-sink';

jest.setTimeout(60_000);

const RUN_ID = '6f9619ff-8b86-d011-b42d-00c04fc964ff';
const BASE = 'https://acct.blob.core.windows.net';
/** A custom Azurite account (AZURITE_ACCOUNTS), served by this test's Azurite and used as the ingestion account. */
const ACCOUNT = 'ingesttest';
const ACCOUNT_KEY = Buffer.from('purview-emulator-ingestion-test-key-0123456789abcdef').toString('base64');

/** The scanning module's side of ingestion, faked: it dedupes batches by batchId like the real one. */
class FakeSink implements IngestionResultSink {
  readonly recorded = new Map<string, IngestedBatchResult>();
  readonly answers: string[] = [];
  readonly failures: { runId: string; message: string }[] = [];

  async recordIngestedBatch(runId: string, batchId: string, result: IngestedBatchResult): Promise<'recorded' | 'duplicate' | 'unknown-run'> {
    const answer = runId !== RUN_ID ? 'unknown-run' : this.recorded.has(batchId) ? 'duplicate' : 'recorded';
    if (answer === 'recorded') this.recorded.set(batchId, result);
    this.answers.push(answer);
    return answer;
  }

  async failIngestion(runId: string, message: string): Promise<void> {
    this.failures.push({ runId, message });
  }
}

async function buildModule(env: Record<string, string>, sink: IngestionResultSink, dir: string): Promise<TestingModule> {
  const moduleRef = await Test.createTestingModule({
    imports: [ConfigModule.forRoot(loadConfig({ PURVIEW_DATA_DIR: dir, PURVIEW_INGESTION_POLL_MS: '20', ...env })), DatabaseModule, DataMapModule, StorageModule],
    providers: [
      IngestionStorage,
      IngestionProcessor,
      IngestionService,
      { provide: INGESTION_RESULT_SINK, useValue: sink },
      { provide: INGESTION_OPTIONS, useValue: { keepBlobs: false } },
    ],
  })
    .setLogger({ log() {}, warn() {}, error() {}, debug() {}, verbose() {} } as never)
    .compile();
  await moduleRef.init();
  return moduleRef;
}

describe('ingestion consumer against Azurite', () => {
  let azurite: Azurite;
  let dataDir: TempDir;
  let moduleRef: TestingModule;
  const sink = new FakeSink();
  let storage: StorageAccountsService;

  const batch: IngestionBatch = {
    version: 1,
    runId: RUN_ID,
    jobId: 'job-1',
    batchId: 'batch-0001',
    sequence: 1,
    assets: [
      { typeName: 'azure_blob_container', attributes: { qualifiedName: `${BASE}/data`, name: 'data' } },
      {
        typeName: 'azure_blob_path',
        attributes: { qualifiedName: `${BASE}/data/a.csv`, name: 'a.csv', size: 3 },
        relationshipAttributes: { parent: { typeName: 'azure_blob_container', uniqueAttributes: { qualifiedName: `${BASE}/data` } } },
        classifications: [{ typeName: 'MICROSOFT.PERSONAL.EMAIL' }],
      },
      { typeName: 'tabular_schema', attributes: { qualifiedName: `${BASE}/data/a.csv#__tabular_schema`, name: 'a.csv' } },
      { typeName: 'azure_blob_path', attributes: { qualifiedName: `${BASE}/data/broken` } },
    ] as IngestionBatch['assets'],
  };
  const message: IngestionMessage = { version: 1, runId: RUN_ID, jobId: 'job-1', batchId: 'batch-0001', sequence: 1, blobName: `runs/${RUN_ID}/batch-0001.json`, assetCount: 4 };

  const container = () => storage.blobServiceClient().getContainerClient(INGESTION_CONTAINER);
  const queue = (name = INGESTION_QUEUE) => storage.queueServiceClient().getQueueClient(name);
  const uploadBatch = () => container().getBlockBlobClient(message.blobName).upload(JSON.stringify(batch), Buffer.byteLength(JSON.stringify(batch)));
  const queueIsEmpty = async () => {
    const props = await queue().getProperties();
    if ((props.approximateMessagesCount ?? 0) !== 0) throw new Error(`${props.approximateMessagesCount} message(s) still queued`);
    return true;
  };

  beforeAll(async () => {
    dataDir = tempDir('ingestion-');
    const ports = { blob: await freePort(), queue: await freePort() };
    // Boot the emulator side first: the consumer must wait for Azurite without blocking init.
    moduleRef = await buildModule(
      { AZURITE_BLOB_PORT: String(ports.blob), AZURITE_QUEUE_PORT: String(ports.queue), AZURITE_ACCOUNTS: `${ACCOUNT}:${ACCOUNT_KEY}`, PURVIEW_INGESTION_ACCOUNT: ACCOUNT },
      sink,
      dataDir.path,
    );
    storage = moduleRef.get(StorageAccountsService);
    azurite = await startAzurite({ ports, accounts: [{ name: ACCOUNT, key: ACCOUNT_KEY }] });
    await pollUntil(() => moduleRef.get(IngestionService).health().state === 'Ready', { timeoutMs: 30_000, description: 'ingestion to become Ready' });
  });

  afterAll(async () => {
    await moduleRef?.close();
    await azurite?.stop();
    dataDir?.remove();
  });

  it('created the container and both queues', async () => {
    expect(await container().exists()).toBe(true);
    expect(await queue().exists()).toBe(true);
    expect(await queue(POISON_QUEUE).exists()).toBe(true);
  });

  it('ingests a batch into the data map, reports it and cleans up', async () => {
    await uploadBatch();
    await queue().sendMessage(JSON.stringify(message));
    const dataMap = moduleRef.get(DataMapService);
    const file = await pollUntil(() => dataMap.getByUniqueAttribute('azure_blob_path', `${BASE}/data/a.csv`), { timeoutMs: 20_000, description: 'the file entity' });
    expect(file.entity).toMatchObject({ updatedBy: 'scanner', classifications: [{ typeName: 'MICROSOFT.PERSONAL.EMAIL' }] });
    expect(file.entity.relationshipAttributes.parent).toMatchObject({ typeName: 'azure_blob_container' });
    await pollUntil(() => sink.answers.length > 0, { timeoutMs: 20_000, description: 'the batch to be recorded' });
    expect(sink.answers).toEqual(['recorded']);
    // 2 counted assets (the schema is not counted), 1 failed (no name), 1 relationship.
    expect(sink.recorded.get('batch-0001')).toEqual({ assetsSucceeded: 2, assetsFailed: 1, relationships: 1 });
    await pollUntil(queueIsEmpty, { timeoutMs: 20_000, description: 'the message to be deleted' });
    await pollUntil(async () => !(await container().getBlockBlobClient(message.blobName).exists()), { timeoutMs: 20_000, description: 'the blob to be deleted' });
    expect(moduleRef.get(IngestionService).health()).toMatchObject({ state: 'Ready', ingestedBatches: 1 });
  });

  it('treats a redelivered batch (base64-encoded this time) as a no-op', async () => {
    const dataMap = moduleRef.get(DataMapService);
    const before = (await dataMap.getByUniqueAttribute('azure_blob_path', `${BASE}/data/a.csv`)).entity;
    await uploadBatch();
    await queue().sendMessage(Buffer.from(JSON.stringify(message)).toString('base64'));
    await pollUntil(() => sink.answers.length > 1, { timeoutMs: 20_000, description: 'the duplicate to be reported' });
    expect(sink.answers).toEqual(['recorded', 'duplicate']);
    await pollUntil(queueIsEmpty, { timeoutMs: 20_000, description: 'the message to be deleted' });
    const after = (await dataMap.getByUniqueAttribute('azure_blob_path', `${BASE}/data/a.csv`)).entity;
    expect(after).toEqual(before);
    expect(after.version).toBe(0);
  });

  it('moves garbage and messages without a blob to the poison queue, failing the run when known', async () => {
    await queue().sendMessage('this is not json');
    const orphan = { ...message, batchId: 'batch-0002', blobName: `runs/${RUN_ID}/batch-0002.json` };
    await queue().sendMessage(JSON.stringify(orphan));
    const poisoned = await pollUntil(
      async () => {
        const peeked = await queue(POISON_QUEUE).peekMessages({ numberOfMessages: 32 });
        return peeked.peekedMessageItems.length >= 2 && peeked.peekedMessageItems.map((m) => m.messageText);
      },
      { timeoutMs: 20_000, description: 'two poison messages' },
    );
    expect(poisoned.sort()).toEqual([JSON.stringify(orphan), 'this is not json'].sort());
    await pollUntil(queueIsEmpty, { timeoutMs: 20_000, description: 'the queue to drain' });
    expect(sink.failures).toEqual([{ runId: RUN_ID, message: expect.stringContaining('batch-0002.json') }]);
    expect(sink.answers).toEqual(['recorded', 'duplicate']);
  });
});

describe('ingestion consumer without Azurite', () => {
  it('does not block boot, reports Starting while it retries, and stops cleanly', async () => {
    const dir = tempDir('ingestion-down-');
    const port = await freePort(); // nothing listens there
    const moduleRef = await buildModule({ AZURITE_BLOB_PORT: String(port), AZURITE_QUEUE_PORT: String(port) }, new FakeSink(), dir.path);
    try {
      const service = moduleRef.get(IngestionService);
      expect(service.health().state).toBe('Starting');
      await pollUntil(() => service.health().lastError !== undefined, { description: 'a connection error' });
      expect(service.health()).toMatchObject({ state: 'Starting', ingestedBatches: 0 });
      expect(service.health().detail).not.toMatch(/sig=|AccountKey/);
    } finally {
      await moduleRef.close();
      dir.remove();
    }
  });
});

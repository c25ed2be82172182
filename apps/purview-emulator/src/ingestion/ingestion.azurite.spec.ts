import { Test, TestingModule } from '@nestjs/testing';
import { INGESTION_CONTAINER, INGESTION_QUEUE, IngestionBatch, IngestionMessage } from '@purview-emulator/contracts';
import { Azurite, eventually, freePort, pollUntil, startAzurite, tempDir, TempDir } from '@purview-emulator/testing';
import { ConfigModule } from '../config/config.module';
import { loadConfig } from '../config/emulator-config';
import { DatabaseModule } from '../database/database.module';
import { DataMapModule } from '../datamap/datamap.module';
import { DataMapService } from '../datamap/datamap.service';
import { StorageModule } from '../storage/storage.module';
import { StorageAccountsService } from '../storage/storage-accounts.service';
import { IngestionProcessor } from './ingestion.processor';
import { IngestionService, VISIBILITY_TIMEOUT_SECONDS } from './ingestion.service';
import { IngestionLeftoverSweeper } from './ingestion-leftovers';
import { IngestionStorage, POISON_QUEUE } from './ingestion-storage';
import {
  INGESTION_OPTIONS,
  INGESTION_RESULT_SINK,
  IngestedBatchResult,
  IngestionOptions,
  IngestionResultSink,
} from './ingestion-result-sink';

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
  /** Calls made; with `gate` set, each call waits for it (a consumer busy with, or dying over, a batch). */
  calls = 0;
  gate?: Promise<void>;

  async recordIngestedBatch(
    runId: string,
    batchId: string,
    result: IngestedBatchResult,
  ): Promise<'recorded' | 'duplicate' | 'unknown-run'> {
    this.calls++;
    if (this.gate) await this.gate;
    const answer = runId !== RUN_ID ? 'unknown-run' : this.recorded.has(batchId) ? 'duplicate' : 'recorded';
    if (answer === 'recorded') this.recorded.set(batchId, result);
    this.answers.push(answer);
    return answer;
  }

  async failIngestion(runId: string, message: string): Promise<void> {
    this.failures.push({ runId, message });
  }

  /** Runs that have ended (a real sink also waits out the grace period). */
  readonly ended = new Set<string>();

  async batchState(runId: string, batchId: string): Promise<'recorded' | 'run-ended' | 'open' | 'unknown-run'> {
    if (runId !== RUN_ID && !this.ended.has(runId)) return 'unknown-run';
    if (runId === RUN_ID && this.recorded.has(batchId)) return 'recorded';
    return this.ended.has(runId) ? 'run-ended' : 'open';
  }

  async endedRuns(runIds: readonly string[]): Promise<string[]> {
    return runIds.filter((id) => this.ended.has(id));
  }
}

async function buildModule(
  env: Record<string, string>,
  sink: IngestionResultSink,
  dir: string,
  options: IngestionOptions = { keepBlobs: false },
): Promise<TestingModule> {
  const moduleRef = await Test.createTestingModule({
    imports: [
      ConfigModule.forRoot(loadConfig({ PURVIEW_DATA_DIR: dir, PURVIEW_INGESTION_POLL_MS: '20', ...env })),
      DatabaseModule,
      DataMapModule,
      StorageModule,
    ],
    providers: [
      IngestionStorage,
      IngestionProcessor,
      IngestionService,
      IngestionLeftoverSweeper,
      { provide: INGESTION_RESULT_SINK, useValue: sink },
      { provide: INGESTION_OPTIONS, useValue: options },
    ],
  })
    .setLogger({ log() {}, warn() {}, error() {}, debug() {}, verbose() {} })
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
  let azuriteEnv: Record<string, string>;

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
        relationshipAttributes: {
          parent: { typeName: 'azure_blob_container', uniqueAttributes: { qualifiedName: `${BASE}/data` } },
        },
        classifications: [{ typeName: 'MICROSOFT.PERSONAL.EMAIL' }],
      },
      {
        typeName: 'tabular_schema',
        attributes: { qualifiedName: `${BASE}/data/a.csv#__tabular_schema`, name: 'a.csv' },
      },
      { typeName: 'azure_blob_path', attributes: { qualifiedName: `${BASE}/data/broken` } },
    ] as IngestionBatch['assets'],
  };
  const message: IngestionMessage = {
    version: 1,
    runId: RUN_ID,
    jobId: 'job-1',
    batchId: 'batch-0001',
    sequence: 1,
    blobName: `runs/${RUN_ID}/batch-0001.json`,
    assetCount: 4,
  };

  const container = () => storage.blobServiceClient().getContainerClient(INGESTION_CONTAINER);
  const queue = (name = INGESTION_QUEUE) => storage.queueServiceClient().getQueueClient(name);
  const uploadBatch = () =>
    container()
      .getBlockBlobClient(message.blobName)
      .upload(JSON.stringify(batch), Buffer.byteLength(JSON.stringify(batch)));
  const queueIsEmpty = async () => {
    const props = await queue().getProperties();
    if ((props.approximateMessagesCount ?? 0) !== 0)
      throw new Error(`${props.approximateMessagesCount} message(s) still queued`);
    return true;
  };

  beforeAll(async () => {
    dataDir = tempDir('ingestion-');
    const ports = { blob: await freePort(), queue: await freePort() };
    // Boot the emulator side first: the consumer must wait for Azurite without blocking init.
    moduleRef = await buildModule(
      {
        AZURITE_BLOB_PORT: String(ports.blob),
        AZURITE_QUEUE_PORT: String(ports.queue),
        AZURITE_ACCOUNTS: `${ACCOUNT}:${ACCOUNT_KEY}`,
        PURVIEW_INGESTION_ACCOUNT: ACCOUNT,
      },
      sink,
      dataDir.path,
    );
    storage = moduleRef.get(StorageAccountsService);
    azuriteEnv = {
      AZURITE_BLOB_PORT: String(ports.blob),
      AZURITE_QUEUE_PORT: String(ports.queue),
      AZURITE_ACCOUNTS: `${ACCOUNT}:${ACCOUNT_KEY}`,
      PURVIEW_INGESTION_ACCOUNT: ACCOUNT,
    };
    azurite = await startAzurite({ ports, accounts: [{ name: ACCOUNT, key: ACCOUNT_KEY }] });
    await pollUntil(() => moduleRef.get(IngestionService).health().state === 'Ready', {
      timeoutMs: 30_000,
      description: 'ingestion to become Ready',
    });
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

  it('ingests a batch into the data map, reports it, its lag, and cleans up', async () => {
    const lags: number[] = [];
    moduleRef.get(IngestionService).onIngested((seconds) => lags.push(seconds));
    await uploadBatch();
    const sentAt = Date.now();
    await queue().sendMessage(JSON.stringify(message));
    const dataMap = moduleRef.get(DataMapService);
    const file = await pollUntil(() => dataMap.getByUniqueAttribute('azure_blob_path', `${BASE}/data/a.csv`), {
      timeoutMs: 20_000,
      description: 'the file entity',
    });
    expect(file.entity).toMatchObject({
      updatedBy: 'scanner',
      classifications: [{ typeName: 'MICROSOFT.PERSONAL.EMAIL' }],
    });
    expect(file.entity.relationshipAttributes.parent).toMatchObject({ typeName: 'azure_blob_container' });
    await pollUntil(() => sink.answers.length > 0, { timeoutMs: 20_000, description: 'the batch to be recorded' });
    expect(sink.answers).toEqual(['recorded']);
    // 2 counted assets (the schema is not counted), 1 failed (no name), 1 relationship; the keys of every asset written
    // (schema included) go with the record, for deleted-asset detection.
    expect(sink.recorded.get('batch-0001')).toEqual({
      assetsSucceeded: 2,
      assetsFailed: 1,
      relationships: 1,
      assets: [
        { typeName: 'azure_blob_container', qualifiedName: `${BASE}/data` },
        { typeName: 'azure_blob_path', qualifiedName: `${BASE}/data/a.csv` },
        { typeName: 'tabular_schema', qualifiedName: `${BASE}/data/a.csv#__tabular_schema` },
      ],
    });
    await pollUntil(queueIsEmpty, { timeoutMs: 20_000, description: 'the message to be deleted' });
    await pollUntil(async () => !(await container().getBlockBlobClient(message.blobName).exists()), {
      timeoutMs: 20_000,
      description: 'the blob to be deleted',
    });
    expect(moduleRef.get(IngestionService).health()).toMatchObject({ state: 'Ready', ingestedBatches: 1 });
    // One lag, from queueing to ingestion: at most the time since it was sent plus the second the queue rounds down.
    expect(lags).toEqual([expect.any(Number)]);
    expect(lags[0]).toBeGreaterThanOrEqual(0);
    expect(lags[0]).toBeLessThanOrEqual((Date.now() - sentAt) / 1000 + 1);
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

  it('gets a message back within the visibility timeout when the consumer that took it stops (not after a minute)', async () => {
    const service = moduleRef.get(IngestionService);
    const held = { ...message, batchId: 'batch-0003', sequence: 3, blobName: `runs/${RUN_ID}/batch-0003.json` };
    const body = JSON.stringify({ ...batch, batchId: held.batchId, sequence: 3 });
    await container().getBlockBlobClient(held.blobName).upload(body, Buffer.byteLength(body));
    let die!: (error: Error) => void;
    sink.gate = new Promise<void>((_resolve, reject) => (die = reject));
    const callsBefore = sink.calls;
    await queue().sendMessage(JSON.stringify(held));
    await eventually(() => expect(sink.calls).toBe(callsBefore + 1), {
      timeoutMs: 20_000,
      description: 'the consumer to take the message',
    });
    // The consumer goes away in the middle of the batch: the message stays on the queue, invisible, unrenewed.
    const stopping = service.stop();
    die(new Error('consumer died'));
    await stopping;
    sink.gate = undefined;
    const stoppedAt = Date.now();
    service.start();
    // Within the (default) visibility timeout and a poll or two; it used to stay invisible for 60 s.
    await eventually(() => expect(sink.answers.at(-1)).toBe('recorded'), {
      timeoutMs: 20_000,
      description: 'the held batch to be ingested after the restart',
    });
    expect(Date.now() - stoppedAt).toBeLessThan((VISIBILITY_TIMEOUT_SECONDS + 5) * 1000);
    await eventually(queueIsEmpty, { timeoutMs: 20_000, description: 'the message to be deleted' });
  });

  it('keeps a message invisible for as long as it works on it, by renewing its visibility', async () => {
    // This suite's consumer steps aside; a second one with a 2 s visibility timeout takes the message.
    const service = moduleRef.get(IngestionService);
    await service.stop();
    const slowSink = new FakeSink();
    let finish!: () => void;
    slowSink.gate = new Promise<void>((resolve) => (finish = resolve));
    const dir = tempDir('ingestion-slow-');
    const slow = await buildModule(azuriteEnv, slowSink, dir.path, { keepBlobs: false, visibilityTimeoutSeconds: 2 });
    try {
      await uploadBatch();
      await queue().sendMessage(JSON.stringify(message));
      await eventually(() => expect(slowSink.calls).toBe(1), {
        timeoutMs: 20_000,
        description: 'the consumer to take the message',
      });
      // Three timeouts' worth of work: the message must never become visible meanwhile.
      const busyUntil = Date.now() + 6000;
      while (Date.now() < busyUntil) {
        expect((await queue().peekMessages({ numberOfMessages: 32 })).peekedMessageItems).toHaveLength(0);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      finish();
      await eventually(queueIsEmpty, { timeoutMs: 20_000, description: 'the message to be deleted' });
      expect(slowSink.calls).toBe(1);
      expect(slowSink.answers).toEqual(['recorded']);
    } finally {
      finish();
      await slow.close();
      dir.remove();
      service.start();
    }
  });
  it('deletes what ended runs left under runs/{runId}/: at start-up, then as runs end; never blobs of live or unknown runs', async () => {
    const ended = 'a1b2c3d4-0000-4000-8000-000000000001';
    const later = 'a1b2c3d4-0000-4000-8000-000000000002';
    const unknown = 'a1b2c3d4-0000-4000-8000-000000000003';
    const leftovers = [
      `runs/${ended}/parts/0/job-00001.json`,
      `runs/${ended}/parts/1/job-00002.json`,
      `runs/${later}/parts/0/job-00001.json`,
      `runs/${unknown}/x.json`,
    ];
    for (const name of leftovers) await container().getBlockBlobClient(name).upload('{}', 2);
    const names = async () => {
      const found: string[] = [];
      for await (const blob of container().listBlobsFlat({ prefix: 'runs/' })) found.push(blob.name);
      return found.sort();
    };
    // A message of the ended run still on the queue: its blob goes, and the message is dropped, not poisoned.
    const late = { ...message, runId: ended, batchId: 'late', blobName: leftovers[0] };
    const leftoverSink = new FakeSink();
    leftoverSink.ended.add(ended);
    const dir = tempDir('ingestion-leftovers-');
    const service = moduleRef.get(IngestionService);
    await service.stop(); // this suite's consumer steps aside
    const swept = await buildModule(azuriteEnv, leftoverSink, dir.path, {
      keepBlobs: false,
      leftoverGraceSeconds: 0,
      leftoverSweepMs: 200,
    });
    try {
      await eventually(async () => expect(await names()).toEqual([leftovers[2], leftovers[3]]), {
        timeoutMs: 20_000,
        description: "the ended run's blobs to go at start-up",
      });
      await queue().sendMessage(JSON.stringify(late));
      await eventually(queueIsEmpty, { timeoutMs: 20_000, description: 'the late message to be handled' });
      expect(
        (await queue(POISON_QUEUE).peekMessages({ numberOfMessages: 32 })).peekedMessageItems.map((m) => m.messageText),
      ).not.toContain(JSON.stringify(late));
      expect(leftoverSink.failures).toEqual([]);
      // The other run ends: its blobs go at the next sweep; the unknown run's stay.
      leftoverSink.ended.add(later);
      await eventually(async () => expect(await names()).toEqual([leftovers[3]]), {
        timeoutMs: 20_000,
        description: "the later run's blobs to go",
      });
    } finally {
      await swept.close();
      dir.remove();
      await container().getBlockBlobClient(leftovers[3]).deleteIfExists();
      service.start();
    }
  });
});

describe('ingestion consumer without Azurite', () => {
  it('does not block boot, reports Starting while it retries, and stops cleanly', async () => {
    const dir = tempDir('ingestion-down-');
    const port = await freePort(); // nothing listens there
    const moduleRef = await buildModule(
      { AZURITE_BLOB_PORT: String(port), AZURITE_QUEUE_PORT: String(port) },
      new FakeSink(),
      dir.path,
    );
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

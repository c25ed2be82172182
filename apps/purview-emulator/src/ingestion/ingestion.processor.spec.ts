import { ResetHooks } from '../common/reset-hooks';
import type { IngestionMessage } from '@purview-emulator/contracts';
import type { DataMapService } from '../datamap/datamap.service';
import type { Repository } from 'typeorm';
import type { FaultSpec } from '@purview-emulator/contracts';
import { Clock } from '../common/clock';
import type { FaultEntity } from '../faults/fault.entity';
import { FaultsService } from '../faults/faults.service';
import { IngestionProcessor } from './ingestion.processor';
import type { IngestionResultSink } from './ingestion-result-sink';
import type { IngestionStorage, ReceivedIngestionMessage } from './ingestion-storage';

const MESSAGE: IngestionMessage = {
  version: 1,
  runId: 'run-1',
  jobId: 'job-1',
  batchId: 'b-1',
  sequence: 1,
  blobName: 'runs/run-1/b-1.json',
  assetCount: 1,
};
const BATCH = JSON.stringify({
  version: 1,
  runId: 'run-1',
  jobId: 'job-1',
  batchId: 'b-1',
  sequence: 1,
  assets: [{ typeName: 't', attributes: { qualifiedName: 'q', name: 'n' } }],
});

/** Faults kept in memory: the table is the boundary here, FaultsService's matching and counting are real. */
async function faultsWith(...specs: FaultSpec[]): Promise<FaultsService> {
  const rows: unknown[] = [];
  const repository = {
    find: async () => rows,
    insert: async (row: unknown) => void rows.push(row),
    update: async () => undefined,
    delete: async () => undefined,
  };
  const faults = new FaultsService(repository as unknown as Repository<FaultEntity>, new Clock(), new ResetHooks());
  (faults as unknown as { logger: unknown }).logger = { warn() {}, error() {} };
  await faults.onModuleInit();
  for (const spec of specs) await faults.add(spec);
  return faults;
}

function setup(options: { upsert?: () => Promise<unknown>; keepBlobs?: boolean; faults?: FaultsService } = {}) {
  const calls: string[] = [];
  const storage = {
    downloadBatch: jest.fn(async () => BATCH),
    deleteMessage: jest.fn(async () => void calls.push('deleteMessage')),
    deleteBlob: jest.fn(async () => void calls.push('deleteBlob')),
    sendToPoison: jest.fn(async () => void calls.push('poison')),
    renewVisibility: jest.fn(async () => void calls.push('renewVisibility')),
  };
  const dataMap = {
    upsertAssets: jest.fn(options.upsert ?? (async () => ({ created: 1, updated: 0, unchanged: 0, relationships: 0 }))),
  };
  const sink: IngestionResultSink = {
    recordIngestedBatch: jest.fn(async () => 'recorded' as const),
    failIngestion: jest.fn(async () => undefined),
    batchState: jest.fn(async () => 'open' as const),
    endedRuns: jest.fn(async () => []),
  };
  const processor = new IngestionProcessor(
    storage as unknown as IngestionStorage,
    dataMap as unknown as DataMapService,
    sink,
    { keepBlobs: options.keepBlobs ?? false },
    options.faults,
  );
  (processor as unknown as { logger: unknown }).logger = { log() {}, warn() {}, error() {}, debug() {} };
  return { processor, storage, dataMap, sink, calls };
}

const received = (dequeueCount: number, messageText = JSON.stringify(MESSAGE)): ReceivedIngestionMessage => ({
  messageId: 'm',
  popReceipt: 'p',
  dequeueCount,
  messageText,
  insertedOn: new Date(),
});

describe('IngestionProcessor', () => {
  it('deletes the message before the blob, so a crash in between never strands a message without its blob', async () => {
    const { processor, calls, sink } = setup();
    expect(await processor.process(received(1))).toEqual({
      kind: 'ingested',
      runId: 'run-1',
      batchId: 'b-1',
      recorded: 'recorded',
    });
    expect(calls).toEqual(['deleteMessage', 'deleteBlob']);
    expect(sink.recordIngestedBatch).toHaveBeenCalledWith('run-1', 'b-1', {
      assetsSucceeded: 1,
      assetsFailed: 0,
      relationships: 0,
      assets: [{ typeName: 't', qualifiedName: 'q' }],
    });
  });

  it('keeps blobs when asked to', async () => {
    const { processor, calls } = setup({ keepBlobs: true });
    await processor.process(received(1));
    expect(calls).toEqual(['deleteMessage']);
  });

  it('leaves the message on the queue when the data map fails (it is retried)', async () => {
    const { processor, calls, sink } = setup({ upsert: async () => Promise.reject(new Error('disk full')) });
    await expect(processor.process(received(1))).rejects.toThrow('disk full');
    expect(calls).toEqual([]);
    expect(sink.recordIngestedBatch).not.toHaveBeenCalled();
  });

  it('poisons a message delivered more than 5 times and fails its run', async () => {
    const { processor, calls, sink, dataMap } = setup();
    expect((await processor.process(received(6))).kind).toBe('poisoned');
    expect(calls).toEqual(['poison', 'deleteMessage']);
    expect(sink.failIngestion).toHaveBeenCalledWith('run-1', expect.stringContaining('6 times'));
    expect(dataMap.upsertAssets).not.toHaveBeenCalled();
    expect((await setup().processor.process(received(5))).kind).toBe('ingested');
  });

  it('poisons a batch whose blob is missing, failing the run', async () => {
    const { processor, storage, sink } = setup();
    storage.downloadBatch.mockResolvedValueOnce(undefined as never);
    expect((await processor.process(received(1))).kind).toBe('poisoned');
    expect(sink.failIngestion).toHaveBeenCalledWith('run-1', expect.stringContaining('does not exist'));
    expect(sink.batchState).toHaveBeenCalledWith('run-1', 'b-1');
  });

  it.each(['recorded', 'run-ended'] as const)(
    'drops, without failing the run, a message whose blob is gone when the batch is %s',
    async (state) => {
      // 'recorded': a later attempt re-sent the batch under the same id, and the first message ingested the blob both
      // point at; 'run-ended': the run's leftovers were swept.
      const { processor, storage, sink, calls, dataMap } = setup();
      storage.downloadBatch.mockResolvedValueOnce(undefined as never);
      (sink.batchState as jest.Mock).mockResolvedValueOnce(state);
      expect(await processor.process(received(1))).toEqual(
        expect.objectContaining({ kind: 'dropped', runId: 'run-1', batchId: 'b-1' }),
      );
      expect(calls).toEqual(['deleteMessage']);
      expect(sink.failIngestion).not.toHaveBeenCalled();
      expect(dataMap.upsertAssets).not.toHaveBeenCalled();
    },
  );

  it('under a reject fault, poisons the batch and fails its run; the next batch goes through', async () => {
    const faults = await faultsWith({ kind: 'ingestion', action: 'reject', count: 1 });
    const { processor, calls, sink, dataMap } = setup({ faults });
    expect(await processor.process(received(1))).toEqual({
      kind: 'poisoned',
      reason: 'the batch was rejected by an ingestion fault injected with /_emulator/faults',
    });
    expect(calls).toEqual(['poison', 'deleteMessage']);
    expect(sink.failIngestion).toHaveBeenCalledWith('run-1', expect.stringContaining('rejected by an ingestion fault'));
    expect(dataMap.upsertAssets).not.toHaveBeenCalled();
    expect((await processor.process(received(1))).kind).toBe('ingested');
  });

  it('under a delay fault, leaves the message in the queue for delaySeconds and ingests nothing yet', async () => {
    const faults = await faultsWith({ kind: 'ingestion', action: 'delay', delaySeconds: 30 });
    const { processor, storage, calls, dataMap } = setup({ faults });
    expect(await processor.process(received(1))).toEqual({ kind: 'delayed', delaySeconds: 30 });
    expect(storage.renewVisibility).toHaveBeenCalledWith(expect.objectContaining({ messageId: 'm' }), 30, undefined);
    expect(calls).toEqual(['renewVisibility']);
    expect(dataMap.upsertAssets).not.toHaveBeenCalled();
    expect(faults.list()[0].fired).toBe(1);
  });
});

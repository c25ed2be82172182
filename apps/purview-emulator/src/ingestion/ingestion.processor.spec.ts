import type { IngestionMessage } from '@purview-emulator/contracts';
import type { DataMapService } from '../datamap/datamap.service';
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

function setup(options: { upsert?: () => Promise<unknown>; keepBlobs?: boolean } = {}) {
  const calls: string[] = [];
  const storage = {
    downloadBatch: jest.fn(async () => BATCH),
    deleteMessage: jest.fn(async () => void calls.push('deleteMessage')),
    deleteBlob: jest.fn(async () => void calls.push('deleteBlob')),
    sendToPoison: jest.fn(async () => void calls.push('poison')),
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
  );
  (processor as unknown as { logger: unknown }).logger = { log() {}, warn() {}, error() {}, debug() {} };
  return { processor, storage, dataMap, sink, calls };
}

const received = (dequeueCount: number, messageText = JSON.stringify(MESSAGE)): ReceivedIngestionMessage => ({
  messageId: 'm',
  popReceipt: 'p',
  dequeueCount,
  messageText,
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
});

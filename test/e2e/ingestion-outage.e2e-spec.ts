import * as path from 'node:path';
import { QueueServiceClient, StorageSharedKeyCredential } from '@azure/storage-queue';
import {
  DEVSTORE_ACCOUNT,
  DEVSTORE_KEY,
  INGESTION_CONTAINER,
  ScanNotificationCode,
  type ScanResultWithIngestion,
  type SelfHostedIntegrationRuntimeStatus,
} from '@purview-emulator/contracts';
import { type Azurite, freePort, letters, pollUntil, startAzurite } from '@purview-emulator/testing';
import { devstoreBlobService } from '../../scripts/src/stack/seed';
import { TestStack } from './harness';

/**
 * An outage of the ingestion storage alone, held exactly while a node uploads: the ingestion queue is served by a
 * second Azurite (PURVIEW_STORAGE_QUEUE_ENDPOINT), which is stopped for 15 s once the first batch is announced and
 * started again on the same port and data; the source (blobs of the first Azurite) stays up, so the node keeps
 * reading until its next upload waits on the queue. The node's upload retries (~31 s) must outlast the outage: the
 * run ends Succeeded on its first attempt, every asset counted once, and no batch blob or poison message is left.
 * With the 13 s the retries used to last, the upload failed and the part needed another attempt.
 */
describe('an ingestion storage outage during uploads', () => {
  const FILES = 1500;
  let stack: TestStack;
  let queueAzurite: Azurite;
  let queuePorts: { blob: number; queue: number; table: number };
  let queueLocation: string;

  beforeAll(async () => {
    queuePorts = { blob: await freePort(), queue: await freePort(), table: await freePort() };
    stack = new TestStack({
      PURVIEW_JOB_LEASE_SECONDS: '10',
      PURVIEW_STORAGE_QUEUE_ENDPOINT: `http://127.0.0.1:${queuePorts.queue}`,
    });
    queueLocation = path.join(stack.dataDir, 'azurite-queue');
    queueAzurite = await startAzurite({ dir: queueLocation, ports: queuePorts });
    await stack.start();
    await stack.client.scan('PUT', '/integrationruntimes/up-shir', { kind: 'SelfHosted', properties: {} });
    const { authKey1 } = await stack.client.scan<{ authKey1: string }>(
      'POST',
      '/integrationruntimes/up-shir:listAuthKeys',
    );
    expect((await stack.shir(['register', '--key', authKey1, '--node-name', 'node1'], stack.home('node1'))).code).toBe(
      0,
    );
    stack.startNode('node1');
    const container = devstoreBlobService(stack.ports.blob).getContainerClient('upload-data');
    await container.createIfNotExists();
    const csv = ['id,email,comment']
      .concat(Array.from({ length: 50 }, (_, i) => `${i},user${i}@contoso.com,${'x'.repeat(40)}`))
      .join('\n');
    for (let start = 0; start < FILES; start += 50) {
      await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          container.getBlockBlobClient(`f/file-${letters(start + i)}.csv`).upload(csv, csv.length),
        ),
      );
    }
    await stack.client.scan('PUT', '/datasources/upload', {
      kind: 'AzureStorage',
      properties: { endpoint: 'https://devstoreaccount1.blob.core.windows.net/' },
    });
    await stack.client.scan('PUT', '/datasources/upload/scans/up-scan', {
      kind: 'AzureStorageMsi',
      properties: { connectedVia: { referenceName: 'up-shir' } },
    });
    await pollUntil(
      async () =>
        (await stack.client.scan<SelfHostedIntegrationRuntimeStatus>('GET', '/integrationruntimes/up-shir/status'))
          .properties.state === 'Online'
          ? true
          : undefined,
      { timeoutMs: 30_000, description: 'the node to be Online' },
    );
  });

  afterAll(async () => {
    await stack?.stop();
    await queueAzurite?.stop();
  });

  it('ends Succeeded on the first attempt when the ingestion queue is down for 15 s mid-upload, every asset once, nothing left behind', async () => {
    const runId = await stack.client.runScan('upload', 'up-scan');
    const get = () =>
      stack.client.scan<ScanResultWithIngestion>('GET', `/datasources/upload/scans/up-scan/runs/${runId}`);
    const uploaded = (run: ScanResultWithIngestion) =>
      Number(/(\d+) batches uploaded so far/.exec(run.emulatorDiagnostics?.reason ?? '')?.[1] ?? 0);
    // The first batch is announced (blob and message), and discovery goes on: more uploads are to come.
    const before = await pollUntil(
      async () => {
        const run = await get();
        return uploaded(run) >= 1 ? run : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 50, description: 'the first batch to be uploaded' },
    );
    expect(before.discoveryExecutionDetails.status).toBe('Running');

    await queueAzurite.stop();
    await new Promise((resolve) => setTimeout(resolve, 15_000)); // the outage itself
    // The node is still on its first attempt and has not finished: an upload was waiting on the queue.
    const during = await get();
    expect({ status: during.status, discovery: during.discoveryExecutionDetails.status }).toEqual({
      status: 'InProgress',
      discovery: 'Running',
    });
    queueAzurite = await startAzurite({ dir: queueLocation, ports: queuePorts });

    const run = await pollUntil(
      async () => {
        const r = await get();
        return ['Succeeded', 'Failed', 'Canceled'].includes(r.status) ? r : undefined;
      },
      { timeoutMs: 150_000, intervalMs: 250, description: `run ${runId} to finish after the outage` },
    );
    expect({ status: run.status, error: run.error }).toEqual({ status: 'Succeeded', error: null });
    // The uploads outlasted the outage: no attempt was given up.
    expect(run.diagnostics.notifications.filter((n) => n.code === ScanNotificationCode.JobRetried)).toEqual([]);
    // Sources were never down: every file was read. account + service + container + the files, each counted once.
    expect(run.discoveryExecutionDetails.status).toBe('Succeeded');
    expect(run.assetsDiscovered).toBe(FILES + 3);
    expect(run.ingestionExecutionDetails.statistics.assets).toEqual({ succeeded: FILES + 3, failed: 0, processing: 0 });
    // Every batch blob was ingested and deleted; no message was poisoned.
    const left: string[] = [];
    for await (const blob of devstoreBlobService(stack.ports.blob)
      .getContainerClient(INGESTION_CONTAINER)
      .listBlobsFlat({ prefix: `runs/${runId}/` }))
      left.push(blob.name);
    expect(left).toEqual([]);
    const queues = new QueueServiceClient(
      `http://127.0.0.1:${queuePorts.queue}/${DEVSTORE_ACCOUNT}`,
      new StorageSharedKeyCredential(DEVSTORE_ACCOUNT, DEVSTORE_KEY),
    );
    expect(
      (await queues.getQueueClient('purview-ingestion-poison').peekMessages({ numberOfMessages: 32 }))
        .peekedMessageItems,
    ).toEqual([]);
  }, 300_000);
});

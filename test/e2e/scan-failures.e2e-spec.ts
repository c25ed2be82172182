import * as path from 'node:path';
import {
  INGESTION_CONTAINER,
  ScanNotificationCode,
  type ScanResultWithIngestion,
  type SelfHostedIntegrationRuntimeStatus,
} from '@purview-emulator/contracts';
import { eventually, letters, pollUntil, startAzurite } from '@purview-emulator/testing';
import { devstoreBlobService } from '../../scripts/src/stack/seed';
import { DEVSTORE_KEY } from '@purview-emulator/contracts';
import { TestStack } from './harness';

/**
 * Runs that cannot succeed end Failed with an error that says why, through real processes: a storage account the
 * emulator knows but Azurite does not serve (the node's listing is refused), and a scan without a runtime.
 */
describe('scan runs that fail', () => {
  // The emulator believes in `ghostaccount`; Azurite (default accounts) has never heard of it.
  const stack = new TestStack({
    AZURITE_ACCOUNTS: `devstoreaccount1:${DEVSTORE_KEY};ghostaccount:${Buffer.alloc(32, 1).toString('base64')}`,
  });

  beforeAll(async () => {
    await stack.start();
    await stack.startRuntimeNode('fail-shir', 'node1');
    await stack.waitOnline('fail-shir');
  });

  afterAll(async () => {
    await stack.stop();
  });

  async function finished(ds: string, scan: string, runId: string): Promise<ScanResultWithIngestion> {
    return pollUntil(
      async () => {
        const run = await stack.client.scan<ScanResultWithIngestion>(
          'GET',
          `/datasources/${ds}/scans/${scan}/runs/${runId}`,
        );
        return ['Succeeded', 'Failed', 'Canceled'].includes(run.status) ? run : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 200, description: `run ${runId} to finish` },
    );
  }

  it('fails a run whose source the node cannot read, saying what failed', async () => {
    await stack.client.scan('PUT', '/datasources/ghost', {
      kind: 'AzureStorage',
      properties: { endpoint: 'https://ghostaccount.blob.core.windows.net/' },
    });
    await stack.client.scan('PUT', '/datasources/ghost/scans/ghost-scan', {
      kind: 'AzureStorageMsi',
      properties: { connectedVia: { referenceName: 'fail-shir' } },
    });
    const runId = await stack.client.runScan('ghost', 'ghost-scan');
    const run = await finished('ghost', 'ghost-scan', runId);
    expect(run.status).toBe('Failed');
    expect(run.discoveryExecutionDetails.status).toBe('Failed');
    expect(run.error?.code).toBe('ScanFailed');
    expect(run.errorMessage).toMatch(/ghostaccount/);
    expect(run.errorMessage).not.toMatch(/sig=/);
    expect(run.endTime).not.toBeNull();
    // The node survives a failed job and keeps working.
    const status = await stack.client.scan<SelfHostedIntegrationRuntimeStatus>(
      'GET',
      '/integrationruntimes/fail-shir/status',
    );
    expect(status.properties.typeProperties.nodes[0].status).toBe('Online');
  });

  it('fails a run at once when its scan names no integration runtime, and says how to fix it', async () => {
    await stack.client.scan('PUT', '/datasources/plain', {
      kind: 'AzureStorage',
      properties: { endpoint: 'https://devstoreaccount1.blob.core.windows.net/' },
    });
    await stack.client.scan('PUT', '/datasources/plain/scans/auto-ir', { kind: 'AzureStorageMsi', properties: {} });
    const runId = await stack.client.runScan('plain', 'auto-ir');
    const run = await finished('plain', 'auto-ir', runId);
    expect(run.status).toBe('Failed');
    expect(run.errorMessage).toMatch(/connectedVia/);
  });
});

/**
 * A storage outage in the middle of a scan, on real processes: Azurite (the source and the ingestion storage) is
 * stopped for 15 s while a node scans, then started again on the same ports and data. The run must not fail: the
 * node's uploads outlast the outage (or the part is re-queued), files it could not read are reported as such, and
 * no batch blob is left behind.
 */
describe('a storage outage during a scan', () => {
  const stack = new TestStack({ PURVIEW_JOB_LEASE_SECONDS: '10' });
  const FILES = 1000;

  beforeAll(async () => {
    await stack.start();
    await stack.startRuntimeNode('blip-shir', 'node1');
    const container = devstoreBlobService(stack.ports.blob).getContainerClient('blip-data');
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
    await stack.client.scan('PUT', '/datasources/blip', {
      kind: 'AzureStorage',
      properties: { endpoint: 'https://devstoreaccount1.blob.core.windows.net/' },
    });
    await stack.client.scan('PUT', '/datasources/blip/scans/blip-scan', {
      kind: 'AzureStorageMsi',
      properties: { connectedVia: { referenceName: 'blip-shir' } },
    });
    await stack.waitOnline('blip-shir');
  });

  afterAll(async () => {
    await stack.stop();
  });

  it('ends Succeeded after Azurite is stopped for 15 s mid-scan, says which files failed, and leaves no batch blob', async () => {
    const runId = await stack.client.runScan('blip', 'blip-scan');
    const get = () =>
      stack.client.scan<ScanResultWithIngestion>('GET', `/datasources/blip/scans/blip-scan/runs/${runId}`);
    // Past the listing (the node reports progress once it reads files), before the end.
    const started = await pollUntil(
      async () => {
        const run = await get();
        return run.status !== 'Queued' && run.assetsDiscovered > 3 ? run : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 50, description: 'the scan to be reading files' },
    );
    expect(started.status).toBe('InProgress');

    await stack.azurite.stop();
    await new Promise((resolve) => setTimeout(resolve, 15_000)); // the outage itself
    stack.azurite = await startAzurite({ dir: path.join(stack.dataDir, 'azurite'), ports: stack.azurite.ports });

    const run = await pollUntil(
      async () => {
        const r = await get();
        return ['Succeeded', 'Failed', 'Canceled'].includes(r.status) ? r : undefined;
      },
      { timeoutMs: 150_000, intervalMs: 250, description: `run ${runId} to finish after the outage` },
    );
    expect({ status: run.status, error: run.error }).toEqual({ status: 'Succeeded', error: null });
    // account + service + container + the files.
    expect(run.assetsDiscovered).toBe(FILES + 3);
    // Every notification code is the spec's int32.
    expect(run.diagnostics.notifications.every((n) => Number.isInteger(n.code))).toBe(true);
    const failed = run.discoveryExecutionDetails.statistics.assets.failed;
    if (failed > 0) {
      // Files read during the outage failed: a partial run says so, and names them.
      expect(run.discoveryExecutionDetails.status).toBe('CompletedWithExceptions');
      const named = run.diagnostics.notifications.filter((n) => n.code === ScanNotificationCode.FileNotRead);
      expect(named.length).toBe(Math.min(failed, 10));
      expect(named[0].message).toMatch(
        /^Could not read https:\/\/devstoreaccount1\.blob\.core\.windows\.net\/blip-data\/f\/file-[a-z]+\.csv/,
      );
    } else {
      expect(run.discoveryExecutionDetails.status).toBe('Succeeded');
    }
    // Every announced batch was ingested and deleted; nothing a failed upload wrote stays behind. The last batch's
    // blob goes just after the batch is recorded (which may be what ends the run), so this waits for it.
    const blobsLeft = async (): Promise<string[]> => {
      const left: string[] = [];
      for await (const blob of devstoreBlobService(stack.ports.blob)
        .getContainerClient(INGESTION_CONTAINER)
        .listBlobsFlat({ prefix: `runs/${runId}/` }))
        left.push(blob.name);
      return left;
    };
    await eventually(async () => expect(await blobsLeft()).toEqual([]), {
      timeoutMs: 15_000,
      description: `no batch blob left under runs/${runId}/`,
    });
    expect(JSON.stringify(run.diagnostics)).not.toMatch(/sig=/);
  }, 300_000);
});

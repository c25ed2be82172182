import type { ScanResultWithIngestion, SelfHostedIntegrationRuntimeStatus, Trigger } from '@purview-emulator/contracts';
import { pollUntil } from '@purview-emulator/testing';
import { PurviewClient } from '../../scripts/src/stack/purview-client';
import { devstoreBlobService } from '../../scripts/src/stack/seed';
import { TestStack } from './harness';

/**
 * A scan's trigger fires on the emulator clock: an hourly trigger, the clock advanced an hour, and a Scheduled run
 * of the scan is there when the clock call answers, then scanned by a real node from real Azurite and ingested.
 */
describe('scan triggers on the emulator clock', () => {
  let stack: TestStack;
  // A moved clock expires tokens issued before the move: a fresh client after each move.
  let client: PurviewClient;
  const SCAN = '/datasources/scheduled/scans/hourly';

  beforeAll(async () => {
    stack = new TestStack();
    await stack.start();
    client = stack.client;
    await client.scan('PUT', '/integrationruntimes/trigger-shir', { kind: 'SelfHosted', properties: {} });
    const { authKey1 } = await client.scan<{ authKey1: string }>(
      'POST',
      '/integrationruntimes/trigger-shir:listAuthKeys',
    );
    expect((await stack.shir(['register', '--key', authKey1, '--node-name', 'node1'], stack.home('node1'))).code).toBe(
      0,
    );
    stack.startNode('node1');
    const container = devstoreBlobService(stack.ports.blob).getContainerClient('scheduled-data');
    await container.createIfNotExists();
    const csv = 'id,email\n1,ada@contoso.com\n2,grace@contoso.com\n';
    await container.getBlockBlobClient('people/people.csv').upload(csv, csv.length);
    await client.scan('PUT', '/datasources/scheduled', {
      kind: 'AzureStorage',
      properties: { endpoint: 'https://devstoreaccount1.blob.core.windows.net/' },
    });
    await client.scan('PUT', SCAN, {
      kind: 'AzureStorageMsi',
      properties: { connectedVia: { referenceName: 'trigger-shir' } },
    });
    await pollUntil(
      async () =>
        (await client.scan<SelfHostedIntegrationRuntimeStatus>('GET', '/integrationruntimes/trigger-shir/status'))
          .properties.state === 'Online'
          ? true
          : undefined,
      { timeoutMs: 30_000, description: 'the node to be Online' },
    );
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it('an hourly trigger, the clock advanced an hour: a Scheduled run appears at once and Succeeds', async () => {
    // The emulator clock starts an hour behind real time, so advancing it an hour brings it back to real time:
    // Azurite checks the SAS the node reads with against real time.
    const { now } = await client.expect<{ now: string }>('PUT', '/_emulator/clock', { offsetSeconds: -3600 });
    client = new PurviewClient(stack.endpoint);
    // Hourly from the next full hour of the emulator clock.
    const start = new Date(Date.parse(now) + 3_600_000);
    start.setUTCMinutes(0, 0, 0);
    const trigger = await client.scan<Trigger>('PUT', `${SCAN}/triggers/default`, {
      properties: {
        scanLevel: 'Full',
        recurrence: { frequency: 'Hour', interval: 1, startTime: start.toISOString(), timeZone: 'UTC' },
      },
    });
    expect(trigger.properties).toMatchObject({ state: 'Enabled', lastScheduled: null });
    expect((await client.scan<{ value: unknown[] }>('GET', `${SCAN}/runs`)).value).toEqual([]);

    await client.expect('PUT', '/_emulator/clock', { advanceSeconds: 3600 });
    client = new PurviewClient(stack.endpoint);
    // The clock call answers once the due trigger has started its run: no waiting for it to appear.
    const [queued, ...others] = (await client.scan<{ value: ScanResultWithIngestion[] }>('GET', `${SCAN}/runs`)).value;
    expect(others).toEqual([]);
    expect(queued).toMatchObject({ runType: 'Scheduled', scanLevelType: 'Full' });
    expect((await client.scan<Trigger>('GET', `${SCAN}/triggers/default`)).properties.lastScheduled).toBe(
      start.toISOString(),
    );

    const run = await pollUntil(
      async () => {
        const r = await client.scan<ScanResultWithIngestion>('GET', `${SCAN}/runs/${queued.id}`);
        return ['Succeeded', 'Failed', 'Canceled'].includes(r.status) ? r : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 250, description: `scheduled run ${queued.id} to finish` },
    );
    expect({ status: run.status, error: run.error, runType: run.runType }).toEqual({
      status: 'Succeeded',
      error: null,
      runType: 'Scheduled',
    });
    // account + service + container + the file, ingested into the data map.
    expect(run.ingestionExecutionDetails.statistics.assets.succeeded).toBeGreaterThanOrEqual(4);
  }, 240_000);
});

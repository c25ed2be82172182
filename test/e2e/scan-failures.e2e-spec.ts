import type { ScanResultWithIngestion, SelfHostedIntegrationRuntimeStatus } from '@purview-emulator/contracts';
import { pollUntil } from '@purview-emulator/testing';
import { DEVSTORE_KEY } from '@purview-emulator/contracts';
import { TestStack } from './harness';

/**
 * Runs that cannot succeed end Failed with an error that says why, through real processes: a storage account the
 * emulator knows but Azurite does not serve (the node's listing is refused), and a scan without a runtime.
 */
describe('scan runs that fail', () => {
  // The emulator believes in `ghostaccount`; Azurite (default accounts) has never heard of it.
  const stack = new TestStack({ AZURITE_ACCOUNTS: `devstoreaccount1:${DEVSTORE_KEY};ghostaccount:${Buffer.alloc(32, 1).toString('base64')}` });

  beforeAll(async () => {
    await stack.start();
    await stack.client.scan('PUT', '/integrationruntimes/fail-shir', { kind: 'SelfHosted', properties: {} });
    const { authKey1 } = await stack.client.scan<{ authKey1: string }>('POST', '/integrationruntimes/fail-shir:listAuthKeys');
    expect((await stack.shir(['register', '--key', authKey1, '--node-name', 'node1'], stack.home('node1'))).code).toBe(0);
    stack.startNode('node1');
    await pollUntil(
      async () => ((await stack.client.scan<SelfHostedIntegrationRuntimeStatus>('GET', '/integrationruntimes/fail-shir/status')).properties.state === 'Online' ? true : undefined),
      { timeoutMs: 30_000, description: 'the node to be Online' },
    );
  });

  afterAll(async () => {
    await stack.stop();
  });

  async function finished(ds: string, scan: string, runId: string): Promise<ScanResultWithIngestion> {
    return pollUntil(
      async () => {
        const run = await stack.client.scan<ScanResultWithIngestion>('GET', `/datasources/${ds}/scans/${scan}/runs/${runId}`);
        return ['Succeeded', 'Failed', 'Canceled'].includes(run.status) ? run : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 200, description: `run ${runId} to finish` },
    );
  }

  it('fails a run whose source the node cannot read, saying what failed', async () => {
    await stack.client.scan('PUT', '/datasources/ghost', { kind: 'AzureStorage', properties: { endpoint: 'https://ghostaccount.blob.core.windows.net/' } });
    await stack.client.scan('PUT', '/datasources/ghost/scans/ghost-scan', { kind: 'AzureStorageMsi', properties: { connectedVia: { referenceName: 'fail-shir' } } });
    const runId = await stack.client.runScan('ghost', 'ghost-scan');
    const run = await finished('ghost', 'ghost-scan', runId);
    expect(run.status).toBe('Failed');
    expect(run.discoveryExecutionDetails.status).toBe('Failed');
    expect(run.error?.code).toBe('ScanFailed');
    expect(run.errorMessage).toMatch(/ghostaccount/);
    expect(run.errorMessage).not.toMatch(/sig=/);
    expect(run.endTime).not.toBeNull();
    // The node survives a failed job and keeps working.
    const status = await stack.client.scan<SelfHostedIntegrationRuntimeStatus>('GET', '/integrationruntimes/fail-shir/status');
    expect(status.properties.typeProperties.nodes[0].status).toBe('Online');
  });

  it('fails a run at once when its scan names no integration runtime, and says how to fix it', async () => {
    await stack.client.scan('PUT', '/datasources/plain', { kind: 'AzureStorage', properties: { endpoint: 'https://devstoreaccount1.blob.core.windows.net/' } });
    await stack.client.scan('PUT', '/datasources/plain/scans/auto-ir', { kind: 'AzureStorageMsi', properties: {} });
    const runId = await stack.client.runScan('plain', 'auto-ir');
    const run = await finished('plain', 'auto-ir', runId);
    expect(run.status).toBe('Failed');
    expect(run.errorMessage).toMatch(/connectedVia/);
  });
});

import type { ScanResultWithIngestion, SelfHostedIntegrationRuntimeStatus } from '@purview-emulator/contracts';
import { SquidProxy, squidSkipReason } from '../../apps/runtime/src/network/testing/squid';
import { pollUntil } from '@purview-emulator/testing';
import type { ManagedProcess } from '../../scripts/src/stack/processes';
import { devstoreBlobService } from '../../scripts/src/stack/seed';
import { TestStack } from './harness';

/**
 * The runtime behind a real, stock Squid (Debian's squid 5.7 with its default access rules: CONNECT only to port 443,
 * WebSocket upgrades not passed on), in front of a real emulator and Azurite on http:// loopback ports. Registration,
 * heartbeats, leases, reads of the source and ingestion go through it as absolute-form requests; the relay's ws://
 * cannot (Squid drops its Upgrade header) and says so; `shir diagnose` passes, and names Squid's refusal of CONNECT.
 */
const skip = squidSkipReason();
if (skip) process.stderr.write(`\n[squid-proxy.e2e-spec] ${skip}\n\n`);
const describeSquid = skip ? describe.skip : describe;

const csv = ['id,email'].concat(Array.from({ length: 8 }, (_, i) => `${i},person${i}@contoso.com`)).join('\n');

interface ProbeJson {
  ok: boolean;
  results: {
    url: string;
    label?: string;
    ok: boolean;
    route: string;
    failedStep?: string;
    reason?: string;
    steps: { step: string; ok: boolean | null }[];
  }[];
}

describeSquid('the runtime behind a stock Squid', () => {
  const stack = new TestStack();
  let squid: SquidProxy;
  let node: ManagedProcess;
  let authKey = '';
  const home = () => stack.home('squid');
  const shir = (args: string[]) => stack.shir(args, home());
  const emulator = () => `127.0.0.1:${stack.ports.emulator}`;

  beforeAll(async () => {
    squid = await SquidProxy.start();
    await stack.start();
    await stack.client.call('PUT', '/scan/integrationruntimes/squid-shir?api-version=2023-09-01', {
      kind: 'SelfHosted',
      properties: {},
    });
    authKey = (await stack.client.scan<{ authKey1: string }>('POST', '/integrationruntimes/squid-shir:listAuthKeys'))
      .authKey1;
    expect(
      (await shir(['proxy', 'set', '--mode', 'custom', '--address', '127.0.0.1', '--port', String(squid.port)])).code,
    ).toBe(0);
  });

  afterAll(async () => {
    await stack.stop();
    await squid?.stop();
  });

  it('registers, heartbeats, leases, reads the source and uploads through Squid, with absolute-form requests only', async () => {
    const registered = await shir(['register', '--key', authKey, '--node-name', 'squid']);
    expect([registered.code, registered.stderr]).toEqual([
      0,
      expect.not.stringMatching(/proxy|unreachable|cancelled/i),
    ]);
    node = stack.startNode('squid', { home: home() });
    await pollUntil(
      async () => {
        const s = await stack.client.scan<SelfHostedIntegrationRuntimeStatus>(
          'GET',
          '/integrationruntimes/squid-shir/status',
        );
        return s.properties.state === 'Online' ? s : undefined;
      },
      { timeoutMs: 30_000, description: 'the node behind Squid Online' },
    );

    const container = devstoreBlobService(stack.ports.blob).getContainerClient('squid-data');
    await container.createIfNotExists();
    await container.getBlockBlobClient('people.csv').upload(csv, Buffer.byteLength(csv));
    expect(
      (
        await stack.client.call('PUT', '/scan/datasources/squid-storage?api-version=2023-09-01', {
          kind: 'AzureStorage',
          properties: { endpoint: 'https://devstoreaccount1.blob.core.windows.net/' },
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await stack.client.call('PUT', '/scan/datasources/squid-storage/scans/squid-scan?api-version=2023-09-01', {
          kind: 'AzureStorageMsi',
          properties: {
            scanRulesetName: 'AzureStorage',
            scanRulesetType: 'System',
            connectedVia: { referenceName: 'squid-shir' },
          },
        })
      ).status,
    ).toBe(201);
    const runId = '5a0f3c1e-8d2b-4b7a-9c1d-2e3f4a5b6c7d';
    expect(
      (
        await stack.client.call(
          'PUT',
          `/scan/datasources/squid-storage/scans/squid-scan/runs/${runId}?api-version=2023-09-01`,
        )
      ).status,
    ).toBe(202);
    const run = await pollUntil(
      async () => {
        const r = await stack.client.scan<ScanResultWithIngestion>(
          'GET',
          `/datasources/squid-storage/scans/squid-scan/runs/${runId}`,
        );
        return ['Succeeded', 'Failed', 'Canceled'].includes(r.status) ? r : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 200, description: 'the scan run behind Squid to finish' },
    );
    expect(run.status).toBe('Succeeded');

    // Squid's access log: the emulator and storage calls, forwarded (TCP_MISS), none refused and no CONNECT.
    expect((await squid.logged('POST', `http://${emulator()}/`, /TCP_MISS\/20\d/)).length).toBeGreaterThan(0);
    // (Squid logs URLs without their query string: the listing and the reads of the file are the GETs.)
    expect(
      (await squid.logged('GET', `http://127.0.0.1:${stack.ports.blob}/devstoreaccount1/squid-data`, /TCP_MISS\/200/))
        .length,
    ).toBeGreaterThan(0);
    expect(
      (await squid.logged('PUT', `http://127.0.0.1:${stack.ports.blob}/`, /TCP_MISS\/201/)).length,
    ).toBeGreaterThan(0);
    expect(
      (await squid.logged('POST', `http://127.0.0.1:${stack.ports.queue}/`, /TCP_MISS\/201/)).length,
    ).toBeGreaterThan(0);
    expect(squid.accessLog().filter((line) => /\sCONNECT\s/.test(line))).toEqual([]);
  });

  it('says why the relay cannot listen through a stock Squid: the Upgrade header is dropped', async () => {
    const line = await pollUntil(() => node.output.find((l) => /Relay: cannot listen/.test(l)), {
      timeoutMs: 20_000,
      description: 'the relay error in the node output',
    });
    expect(line).toMatch(
      /The WebSocket upgrade to ws:\/\/127\.0\.0\.1:\d+\/\S+ came back as HTTP \d{3} .* through the proxy http:\/\/127\.0\.0\.1:\d+: the proxy passed the request on without its Upgrade header\. Stock Squid 5 does that unless 'http_upgrade_request_protocols websocket allow all' is set/,
    );
    expect(line).not.toMatch(/sb-hc-token|ServiceBusAuthorization/);
    process.stderr.write(`[squid-proxy.e2e-spec] the relay through stock Squid: ${line}\n`);
  });

  it('diagnoses every service URL through Squid, and names its refusal of CONNECT to a port other than 443', async () => {
    const ok = await shir(['diagnose', '--json']);
    const report = JSON.parse(ok.stdout) as ProbeJson;
    expect(report.results.filter((r) => !r.ok)).toEqual([]);
    expect(ok.code).toBe(0);
    expect(report.results[0]).toEqual(
      expect.objectContaining({ url: `http://${emulator()}/_emulator/health`, route: `proxy ${squid.url} (custom)` }),
    );
    expect(report.results[0].steps.map((s) => [s.step, s.ok])).toEqual([
      ['dns', true],
      ['tcp', true],
      ['proxy', true],
      ['tls', null],
      ['http', true],
    ]);

    const https = `https://127.0.0.1:${stack.ports.https}/`;
    const refused = await shir(['diagnose', '--url', https]);
    expect(refused.code).toBe(2);
    expect(refused.stdout).toMatch(/✗ Proxy/);
    expect(refused.stdout).toContain(
      `The proxy ${squid.url} refused the request (HTTP 403 Forbidden): its access rules deny this destination or method; 127.0.0.1:${stack.ports.https} is reached with CONNECT`,
    );
    expect(refused.stdout).not.toMatch(/Request was cancelled/);
  });
});

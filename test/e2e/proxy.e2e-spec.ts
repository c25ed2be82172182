import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ScanResultWithIngestion, SelfHostedIntegrationRuntimeStatus } from '@purview-emulator/contracts';
import { openNodeCredential, readNodeConfig } from '../../apps/runtime/src/home/node-config';
import { homePaths } from '../../apps/runtime/src/home/paths';
import { ForwardProxy } from '../../apps/runtime/src/network/testing/forward-proxy';
import { freePort, pollUntil } from '@purview-emulator/testing';
import { startProcess } from '../../scripts/src/stack/processes';
import { devstoreBlobService } from '../../scripts/src/stack/seed';
import { TestStack } from './harness';

/**
 * The runtime's network life on real parts: a real forwarding proxy on loopback (HTTP forward + CONNECT, Basic
 * Proxy-Authorization) in front of a real emulator and Azurite. Registration, heartbeats, leases and ingestion go
 * through it; a wrong password is a clear 407; the bypass list is honoured; saving settings restarts the running host
 * service's connections; `shir diagnose` and `shir logs`; and no secret in any output or log file.
 */
const PROXY_USER = 'shir-proxy-user';
const PROXY_PASSWORD = 'Corr3ct-Proxy-Passw0rd';
const WRONG_PASSWORD = 'Wr0ng-Proxy-Passw0rd';
const csv = ['id,email'].concat(Array.from({ length: 12 }, (_, i) => `${i},person${i}@contoso.com`)).join('\n');

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

describe('proxy, diagnose and the event log', () => {
  const stack = new TestStack();
  let proxy: ForwardProxy;
  let authKey = '';
  const home = () => stack.home('proxied');
  const emulatorHost = () => `127.0.0.1:${stack.ports.emulator}`;
  const shir = (args: string[]) => stack.shir(args, home());
  const setProxy = (password: string, extra: string[] = []) =>
    shir([
      'proxy',
      'set',
      '--mode',
      'custom',
      '--address',
      '127.0.0.1',
      '--port',
      String(proxy.port),
      '--user',
      PROXY_USER,
      '--password',
      password,
      '--json',
      ...extra,
    ]);
  const events = async () =>
    JSON.parse(
      `[${(await shir(['logs', '--json', '-n', '0'])).stdout.trim().split('\n').filter(Boolean).join(',')}]`,
    ) as { event?: string; message: string; pid: number; level: string }[];
  // Calls to the emulator (http://) the proxy forwarded (absolute-form requests; CONNECT is for https:// only).
  const forwarded = () => proxy.seen(emulatorHost()).length;
  const outputs: string[] = [];
  const record = <T extends { stdout: string; stderr: string }>(result: T): T => {
    outputs.push(result.stdout, result.stderr);
    return result;
  };

  beforeAll(async () => {
    proxy = await ForwardProxy.start({ username: PROXY_USER, password: PROXY_PASSWORD });
    await stack.start();
    await stack.client.call('PUT', '/scan/integrationruntimes/proxied-shir?api-version=2023-09-01', {
      kind: 'SelfHosted',
      properties: {},
    });
    authKey = (await stack.client.scan<{ authKey1: string }>('POST', '/integrationruntimes/proxied-shir:listAuthKeys'))
      .authKey1;
  });

  afterAll(async () => {
    await stack.stop();
    await proxy?.close();
  });

  it('stores the proxy with its password encrypted and never shows it', async () => {
    const saved = record(await setProxy(WRONG_PASSWORD, ['--bypass', '*.internal.example']));
    expect(saved.code).toBe(0);
    expect(JSON.parse(saved.stdout)).toEqual(
      expect.objectContaining({
        saved: true,
        mode: 'custom',
        address: '127.0.0.1',
        port: proxy.port,
        user: PROXY_USER,
        passwordSet: true,
        bypass: ['*.internal.example'],
        hostService: null,
      }),
    );
    expect(fs.readFileSync(path.join(home(), 'proxy.json'), 'utf8')).not.toContain(WRONG_PASSWORD);
    const shown = record(await shir(['proxy', 'show']));
    expect(shown.stdout).toMatch(/Password: \(set, stored encrypted\)/);
    const bad = record(await shir(['proxy', 'set', '--mode', 'custom', '--address', '127.0.0.1']));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/needs its port: --port/);
  });

  it('fails registration through a proxy that refuses the password with a clear 407 and the failed step', async () => {
    const result = record(await shir(['register', '--key', authKey, '--node-name', 'proxied', '--json']));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Failed to register this Integration Runtime node!');
    expect(result.stderr).toMatch(/HTTP 407 Proxy Authentication Required.*user name or password is missing or wrong/);
    expect(result.stderr).toMatch(/Failed step: Proxy/);
    expect(JSON.parse(result.stdout).error.code).toBe('ProxyAuthenticationRequired');
    expect(proxy.requests.some((r) => r.target === emulatorHost() && !r.authorized)).toBe(true);
    expect((await events()).some((e) => e.event === 'RegistrationFailed')).toBe(true);
  });

  it('registers and runs through the proxy: registration, heartbeats, leases and ingestion are forwarded by it', async () => {
    expect(record(await setProxy(PROXY_PASSWORD)).code).toBe(0);
    const registered = record(await shir(['register', '--key', authKey, '--node-name', 'proxied']));
    expect(registered.code).toBe(0);
    expect(proxy.seen(emulatorHost()).some((r) => r.method === 'POST' && r.authorized)).toBe(true);
    expect(proxy.seen(emulatorHost(), { includeRefused: true }).filter((r) => r.method === 'CONNECT')).toEqual([]);

    stack.startNode('proxied', { home: home() });
    await pollUntil(
      async () => {
        const s = await stack.client.scan<SelfHostedIntegrationRuntimeStatus>(
          'GET',
          '/integrationruntimes/proxied-shir/status',
        );
        return s.properties.state === 'Online' ? s : undefined;
      },
      { timeoutMs: 30_000, description: 'the proxied node Online' },
    );

    const container = devstoreBlobService(stack.ports.blob).getContainerClient('proxied-data');
    await container.createIfNotExists();
    await container.getBlockBlobClient('people.csv').upload(csv, Buffer.byteLength(csv));
    const ds = await stack.client.call('PUT', '/scan/datasources/proxied-storage?api-version=2023-09-01', {
      kind: 'AzureStorage',
      properties: { endpoint: 'https://devstoreaccount1.blob.core.windows.net/' },
    });
    expect([ds.status, ds.body]).toEqual([201, expect.anything()]);
    const scan = await stack.client.call(
      'PUT',
      '/scan/datasources/proxied-storage/scans/proxied-scan?api-version=2023-09-01',
      {
        kind: 'AzureStorageMsi',
        properties: {
          scanRulesetName: 'AzureStorage',
          scanRulesetType: 'System',
          connectedVia: { referenceName: 'proxied-shir' },
        },
      },
    );
    expect([scan.status, scan.body]).toEqual([201, expect.anything()]);
    const runId = '0d7e8a52-51b9-4e43-9d43-6f0e7d1b2c31';
    const accepted = await stack.client.call(
      'PUT',
      `/scan/datasources/proxied-storage/scans/proxied-scan/runs/${runId}?api-version=2023-09-01`,
    );
    expect([accepted.status, accepted.body]).toEqual([202, expect.anything()]);
    const run = await pollUntil(
      async () => {
        const r = await stack.client.scan<ScanResultWithIngestion>(
          'GET',
          `/datasources/proxied-storage/scans/proxied-scan/runs/${runId}`,
        );
        return ['Succeeded', 'Failed', 'Canceled'].includes(r.status) ? r : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 200, description: 'the proxied scan run to finish' },
    );
    expect(run.status).toBe('Succeeded');
    // Ingestion batches: blob PUT and queue POST, forwarded by the proxy (http:// storage), authorized.
    expect(proxy.seen(`127.0.0.1:${stack.ports.blob}`).some((r) => r.method === 'PUT')).toBe(true);
    // The scan's own reads of the source (listing containers and blobs, reading files) go through it too.
    expect(
      proxy.seen(`127.0.0.1:${stack.ports.blob}`).some((r) => r.method === 'GET' && /comp=list/.test(r.path ?? '')),
    ).toBe(true);
    expect(proxy.seen(`127.0.0.1:${stack.ports.queue}`).some((r) => r.method === 'POST')).toBe(true);
  });

  it('diagnoses every service URL through the proxy, and a data source that cannot be reached', async () => {
    const ok = record(await shir(['diagnose', '--json']));
    const report = JSON.parse(ok.stdout) as ProbeJson;
    expect(report.results[0]).toEqual(
      expect.objectContaining({
        url: `http://${emulatorHost()}/_emulator/health`,
        ok: true,
        route: `proxy ${proxy.url} (custom)`,
      }),
    );
    expect(report.results[0].steps.map((s) => [s.step, s.ok])).toEqual([
      ['dns', true],
      ['tcp', true],
      ['proxy', true],
      ['tls', null],
      ['http', true],
    ]);
    // The service URLs diagnose checks are the ones the integration runtime's /status lists, and all are reachable.
    expect(ok.code).toBe(0);
    const status = await stack.client.scan<{ properties: { typeProperties: { serviceUrls: string[] } } }>(
      'GET',
      '/integrationruntimes/proxied-shir/status',
    );
    expect([...new Set(report.results.map((r) => new URL(r.url).host))].sort()).toEqual(
      [...status.properties.typeProperties.serviceUrls].sort(),
    );
    expect(report.results.map((r) => r.label)).toEqual(
      expect.arrayContaining([
        'Token endpoint',
        'Relay (interactive authoring)',
        'Ingestion storage: blob',
        'Ingestion storage: queue',
        'Update and download',
      ]),
    );

    const closed = await freePort();
    const failing = record(
      await shir(['diagnose', '--data-source-url', `http://127.0.0.1:${closed}/devstoreaccount1`, '--json']),
    );
    expect(failing.code).toBe(2);
    const source = (JSON.parse(failing.stdout) as ProbeJson).results.find((r) => r.label === 'Data source')!;
    expect(source).toEqual(
      expect.objectContaining({
        ok: false,
        failedStep: 'proxy',
        reason: expect.stringMatching(
          /^The proxy .* could not reach 127.0.0.1:\d+ \(HTTP 502 Bad Gateway, destination_unavailable\)/,
        ),
      }),
    );

    const table = record(await shir(['diagnose', '--url', `http://127.0.0.1:${closed}/`]));
    expect(table.code).toBe(2);
    expect(table.stdout).toMatch(/✓ DNS/);
    expect(table.stdout).toMatch(/✗ Proxy/);
    expect(table.stdout).toMatch(/1 of \d+ unreachable/);
  });

  it('restarts the host service connections when the password changes: a wrong one is the SHIR event-log messages and a 407', async () => {
    const changed = record(await setProxy(WRONG_PASSWORD));
    expect(JSON.parse(changed.stdout).hostService).toEqual(expect.objectContaining({ restartedConnections: true }));
    const log = await pollUntil(
      async () => {
        const all = await events();
        return all.some((e) => e.event === 'UnableToConnect' && /407/.test(e.message)) &&
          all.some((e) => e.event === 'ComponentRestart')
          ? all
          : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 200, description: 'UnableToConnect and ComponentRestart in the event log' },
    );
    expect(
      log
        .filter((e) => e.event === 'UnableToConnect')
        .map((e) => e.message)
        .join('\n'),
    ).toMatch(/Unable to connect to the remote server\. .*407 Proxy Authentication Required/);
    expect(log.find((e) => e.event === 'ComponentRestart')!.message).toBe(
      'A component of Integration Runtime has become unresponsive and restarts automatically. Component name: Integration Runtime (Self-hosted).',
    );
    // A call cut by the restart itself may be the last error for a moment; the next attempt meets the 407 again.
    const status = await pollUntil(
      async () => {
        const s = JSON.parse(record(await shir(['status', '--json', '--local'])).stdout) as {
          state: string;
          lastError: string;
        };
        return /407/.test(s.lastError ?? '') ? s : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 200, description: 'shir status to show the 407' },
    );
    expect(status.state).toBe('Connecting');
  });

  it('honours the bypass list: with the emulator bypassed, heartbeats go direct while storage still uses the proxy', async () => {
    const changed = record(await setProxy(PROXY_PASSWORD, ['--bypass', emulatorHost()]));
    expect(JSON.parse(changed.stdout)).toEqual(
      expect.objectContaining({
        bypass: [emulatorHost()],
        hostService: expect.objectContaining({ restartedConnections: true }),
      }),
    );
    await pollUntil(
      async () => {
        const s = JSON.parse((await shir(['status', '--json', '--local'])).stdout) as { state: string };
        return s.state === 'Connected' ? s : undefined;
      },
      { timeoutMs: 30_000, description: 'the node Connected again, direct' },
    );
    const frozen = forwarded();
    const since = new Date().toISOString();
    await pollUntil(
      async () => {
        const s = JSON.parse((await shir(['status', '--json', '--local'])).stdout) as {
          lastHeartbeatAt: string | null;
        };
        return s.lastHeartbeatAt && s.lastHeartbeatAt > since ? s : undefined;
      },
      { timeoutMs: 20_000, description: 'a heartbeat after the bypass took effect' },
    );
    expect(forwarded()).toBe(frozen);
    const storage = `http://127.0.0.1:${stack.ports.blob}/devstoreaccount1`;
    const diagnosed = JSON.parse(record(await shir(['diagnose', '--json', '--url', storage])).stdout) as ProbeJson & {
      notes: string[];
    };
    expect(diagnosed.results[0].route).toBe('direct (bypass list)');
    expect(diagnosed.results.find((r) => r.url === storage)).toEqual(
      expect.objectContaining({ ok: true, route: `proxy ${proxy.url} (custom)` }),
    );
    outputs.push(JSON.stringify(diagnosed));
  });

  it('follows the event log as it grows', async () => {
    const follower = startProcess(
      'logs',
      process.execPath,
      [path.join(__dirname, '../../apps/runtime/dist/cli.js'), 'logs', '--follow', '-n', '0', '--home', home()],
      { env: { ...process.env } },
    );
    try {
      await pollUntil(() => (follower.output.some((l) => /ProxySettingsChanged/.test(l)) ? true : undefined), {
        timeoutMs: 10_000,
        description: 'the existing records',
      });
      const before = follower.output.length;
      record(await shir(['proxy', 'set', '--mode', 'none']));
      await pollUntil(
        () => (follower.output.slice(before).some((l) => /Proxy settings saved: no proxy/.test(l)) ? true : undefined),
        { timeoutMs: 10_000, description: 'the new record in shir logs --follow' },
      );
    } finally {
      outputs.push(follower.output.join('\n'));
      await follower.stop(3000);
    }
  });

  it('never writes a secret: not to any output, not to the event log, not to any file of the home but sealed', async () => {
    const paths = homePaths(home());
    const credential = openNodeCredential(paths, readNodeConfig(paths)!, process.env);
    const everything = [
      stack.allOutput(),
      ...outputs,
      ...fs.readdirSync(paths.logs).map((f) => fs.readFileSync(path.join(paths.logs, f), 'utf8')),
    ].join('\n');
    expect(fs.readdirSync(paths.logs).some((f) => /^events-\d{6}\.log$/.test(f))).toBe(true);
    const secrets = [
      PROXY_PASSWORD,
      WRONG_PASSWORD,
      credential,
      credential.split('.')[1],
      authKey,
      authKey.split('@').pop()!,
      Buffer.from(`${PROXY_USER}:${PROXY_PASSWORD}`).toString('base64'),
    ];
    for (const secret of secrets) expect(everything.includes(secret) ? secret : '').toBe('');
    expect(everything).not.toMatch(/sig=(?!\*\*\*)[A-Za-z0-9%]/);
    for (const file of fs.readdirSync(paths.home).filter((f) => f.endsWith('.json'))) {
      const text = fs.readFileSync(path.join(paths.home, file), 'utf8');
      for (const secret of [PROXY_PASSWORD, WRONG_PASSWORD, credential])
        expect(text.includes(secret) ? `${file}: ${secret}` : '').toBe('');
    }
  });
});

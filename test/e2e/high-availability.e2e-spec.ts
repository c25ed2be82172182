import * as fs from 'node:fs';
import * as path from 'node:path';
import type {
  IntegrationRuntimeMonitoringData,
  ScanResultWithIngestion,
  SelfHostedIntegrationRuntimeStatus,
} from '@purview-emulator/contracts';
import { letters, pollUntil } from '@purview-emulator/testing';
import { PurviewClient } from '../../scripts/src/stack/purview-client';
import { devstoreBlobService } from '../../scripts/src/stack/seed';
import { TestStack } from './harness';

/**
 * A self-hosted integration runtime at full fidelity, on real processes: four nodes behind one IR (the second only
 * after remote access is enabled), a fifth refused, name clashes and --force, dispatcher failover during a storage
 * scan spread over the nodes, node deletion, key regeneration, per-node concurrency limits, backup and restore.
 */
const QN = 'https://devstoreaccount1.blob.core.windows.net';
const IR = 'ha-shir';

type Status = SelfHostedIntegrationRuntimeStatus;

describe('high availability: four nodes, failover, limits, keys, backup', () => {
  const stack = new TestStack({
    PURVIEW_JOB_LEASE_SECONDS: '3',
    PURVIEW_EMULATOR_CLIENTS: JSON.stringify([
      { clientId: 'reader-app', clientSecret: 'reader-secret', roles: ['Data Reader'] },
    ]),
  });
  let authKey1 = '';
  let authKey2 = '';

  const status = () => stack.client.scan<Status>('GET', `/integrationruntimes/${IR}/status`);
  const nodeOf = (s: Status, name: string) => s.properties.typeProperties.nodes.find((n) => n.nodeName === name);
  const register = (name: string, key: string, home = stack.home(name), extra: string[] = []) =>
    stack.shir(['register', '--key', key, '--node-name', name, ...extra], home);
  const onlineNodes = (names: string[]) =>
    pollUntil(
      async () => {
        const s = await status();
        return names.every((n) => nodeOf(s, n)?.status === 'Online') ? s : undefined;
      },
      { timeoutMs: 30_000, description: `${names.join(', ')} Online` },
    );
  const runToEnd = (dataSource: string, scan: string, runId: string) =>
    pollUntil(
      async () => {
        const r = await stack.client.scan<ScanResultWithIngestion>(
          'GET',
          `/datasources/${dataSource}/scans/${scan}/runs/${runId}`,
        );
        return ['Succeeded', 'Failed', 'Canceled'].includes(r.status) ? r : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 200, description: `run ${runId} to finish` },
    );

  beforeAll(async () => {
    await stack.start();
    await stack.client.scan('PUT', `/integrationruntimes/${IR}`, { kind: 'SelfHosted' });
    ({ authKey1, authKey2 } = await stack.client.scan<{ authKey1: string; authKey2: string }>(
      'POST',
      `/integrationruntimes/${IR}:listAuthKeys`,
    ));
    const container = devstoreBlobService(stack.ports.blob).getContainerClient('ha-data');
    await container.createIfNotExists();
    const csv = ['id,email'].concat(Array.from({ length: 20 }, (_, i) => `${i},user${i}@contoso.com`)).join('\n');
    for (let batch = 0; batch < 12; batch++) {
      await Promise.all(
        Array.from({ length: 25 }, (_, i) =>
          container.getBlockBlobClient(`part-${letters(batch)}/file-${letters(i)}.csv`).upload(csv, csv.length),
        ),
      );
    }
    await stack.client.scan('PUT', '/datasources/ha-storage', {
      kind: 'AzureStorage',
      properties: { endpoint: `${QN}/` },
    });
    for (const scan of ['full', 'second', 'third']) {
      await stack.client.scan('PUT', `/datasources/ha-storage/scans/${scan}`, {
        kind: 'AzureStorageMsi',
        properties: { scanRulesetName: 'AzureStorage', scanRulesetType: 'System', connectedVia: { referenceName: IR } },
      });
    }
  });

  afterAll(async () => {
    await stack.stop();
  });

  it('registers a first node; a second is forbidden until remote access is enabled on the first', async () => {
    expect((await register('node1', authKey1)).code).toBe(0);
    stack.startNode('node1');
    await onlineNodes(['node1']);

    const refused = await register('node2', authKey2);
    expect(refused.code).not.toBe(0);
    expect(refused.stdout + refused.stderr).toContain(
      'Registration of new node is forbidden when Remote Access is disabled on another node.',
    );

    const enabled = await stack.shir(['remote-access', 'enable', '--port', '8060', '--json'], stack.home('node1'));
    expect(enabled.code).toBe(0);
    expect(JSON.parse(enabled.stdout).remoteAccess).toEqual(expect.objectContaining({ enabled: true, port: 8060 }));
    expect((await status()).properties.typeProperties.internalChannelEncryption).toBe('NotEncrypted');
  });

  it('takes up to four nodes with either key and refuses a fifth', async () => {
    for (const [name, key] of [
      ['node2', authKey2],
      ['node3', authKey1],
      ['node4', authKey2],
    ] as const) {
      const result = await register(name, key);
      expect({ name, ...result }).toEqual(expect.objectContaining({ code: 0 }));
      stack.startNode(name);
    }
    const all = await onlineNodes(['node1', 'node2', 'node3', 'node4']);
    expect(all.properties.state).toBe('Online');
    expect(all.properties.typeProperties.nodes.filter((n) => n.isActiveDispatcher)).toHaveLength(1);

    const fifth = await register('node5', authKey1);
    expect(fifth.code).not.toBe(0);
    expect(fifth.stdout + fifth.stderr).toMatch(/at most 4/);

    const disable = await stack.shir(['remote-access', 'disable'], stack.home('node1'));
    expect(disable.code).not.toBe(0);
    expect(disable.stdout + disable.stderr).toMatch(/other nodes are registered/);
  });

  it('refuses a duplicate node name, and --force replaces the node (the old one is revoked)', async () => {
    const clash = await register('node4', authKey1, stack.home('node4-new'));
    expect(clash.code).not.toBe(0);
    expect(clash.stdout + clash.stderr).toMatch(/already registered/);

    const forced = await register('node4', authKey1, stack.home('node4-new'), ['--force']);
    expect(forced.code).toBe(0);
    const old = stack.nodes.get('node4')!;
    await pollUntil(() => (old.isRunning() ? undefined : true), {
      timeoutMs: 20_000,
      description: 'the replaced node4 to stop: its credential was revoked',
    });
    expect(old.output.join('\n')).toMatch(/not recognised|revoked/i);
    stack.startNode('node4', { home: stack.home('node4-new') });
    await onlineNodes(['node1', 'node2', 'node3', 'node4']);
  });

  it('spreads a storage scan over the nodes; killing the dispatcher moves the role and the scan still succeeds', async () => {
    const before = await status();
    const dispatcher = before.properties.typeProperties.nodes.find((n) => n.isActiveDispatcher)!.nodeName;
    const runId = await stack.client.runScan('ha-storage', 'full');
    await pollUntil(
      async () => {
        const r = await stack.client.scan<ScanResultWithIngestion>(
          'GET',
          `/datasources/ha-storage/scans/full/runs/${runId}`,
        );
        return r.status !== 'Queued' ? r : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 50, description: 'the run to start' },
    );
    await stack.nodes.get(dispatcher)!.kill();

    const moved = await pollUntil(
      async () => {
        const s = await status();
        const now = s.properties.typeProperties.nodes.find((n) => n.isActiveDispatcher);
        return now && now.nodeName !== dispatcher && nodeOf(s, dispatcher)?.status === 'Offline' ? s : undefined;
      },
      { timeoutMs: 20_000, description: `the dispatcher role to leave ${dispatcher}` },
    );
    expect(moved.properties.state).toBe('Limited');

    const run = await runToEnd('ha-storage', 'full', runId);
    expect(run.status).toBe('Succeeded');
    // account + service + container + 300 blobs.
    expect(run.assetsDiscovered).toBe(303);
    expect(run.assetsClassified).toBe(300);

    stack.startNode(dispatcher, { home: dispatcher === 'node4' ? stack.home('node4-new') : undefined });
    await onlineNodes(['node1', 'node2', 'node3', 'node4']);
    expect(nodeOf(await status(), dispatcher)!.isActiveDispatcher).toBe(false);
  });

  it('takes more than one node into a storage scan, and says which ones', async () => {
    const runId = await stack.client.runScan('ha-storage', 'full');
    const run = await runToEnd('ha-storage', 'full', runId);
    expect(run.status).toBe('Succeeded');
    const nodes = run.emulatorDiagnostics?.nodes ?? [];
    expect(nodes.length).toBeGreaterThan(1);
    expect(nodes.every((n) => ['node1', 'node2', 'node3', 'node4'].includes(n))).toBe(true);
  });

  it('keeps every node within its concurrentJobsLimit under several simultaneous runs', async () => {
    for (const name of ['node1', 'node2', 'node3', 'node4']) {
      const node = await stack.client.scan<{ concurrentJobsLimit: number }>(
        'PATCH',
        `/integrationruntimes/${IR}/nodes/${name}`,
        { concurrentJobsLimit: 1 },
      );
      expect(node.concurrentJobsLimit).toBe(1);
    }
    const refused = await stack.client.call(
      'PATCH',
      `/scan/integrationruntimes/${IR}/nodes/node1?api-version=2023-09-01`,
      { concurrentJobsLimit: 0 },
    );
    expect(refused.status).toBe(400);

    const scans = ['full', 'second', 'third'];
    const runs = await Promise.all(scans.map((scan) => stack.client.runScan('ha-storage', scan)));
    let over: IntegrationRuntimeMonitoringData | undefined;
    const finished = await pollUntil(
      async () => {
        const monitoring = await stack.client.scan<IntegrationRuntimeMonitoringData>(
          'GET',
          `/integrationruntimes/${IR}/monitoringData`,
        );
        if (monitoring.nodes.some((n) => n.concurrentJobsRunning > n.concurrentJobsLimit)) over = monitoring;
        const results = await Promise.all(
          runs.map((id, i) =>
            stack.client.scan<ScanResultWithIngestion>('GET', `/datasources/ha-storage/scans/${scans[i]}/runs/${id}`),
          ),
        );
        return results.every((r) => ['Succeeded', 'Failed', 'Canceled'].includes(r.status)) ? results : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 100, description: 'three simultaneous runs to finish' },
    );
    expect(over).toBeUndefined();
    expect(finished.map((r) => r.status)).toEqual(['Succeeded', 'Succeeded', 'Succeeded']);
  });

  it('rejects a deleted node at its next call, and the node says why', async () => {
    const deleted = await stack.client.call<{ nodeName: string }>(
      'DELETE',
      `/scan/integrationruntimes/${IR}/nodes/node3?api-version=2023-09-01`,
    );
    expect(deleted.status).toBe(200);
    expect(deleted.body.nodeName).toBe('node3');
    const node3 = stack.nodes.get('node3')!;
    await pollUntil(() => (node3.isRunning() ? undefined : true), {
      timeoutMs: 20_000,
      description: 'node3 to stop after its deletion',
    });
    expect(node3.output.join('\n')).toMatch(/not recognised|revoked/i);
    stack.nodes.delete('node3');
  });

  it('refuses the old value of a regenerated key for new nodes while registered nodes stay Online', async () => {
    await stack.client.scan('POST', `/integrationruntimes/${IR}:regenerateAuthKey`, { keyName: 'authKey1' });
    const stale = await register('node3', authKey1, stack.home('node3-again'));
    expect(stale.code).not.toBe(0);
    expect(stale.stdout + stale.stderr).toMatch(/not valid for any integration runtime/);
    const s = await onlineNodes(['node1', 'node2', 'node4']);
    expect(s.properties.state).toBe('Online');
  });

  it('backs up a node on one home and restores it into another: the node comes back Online', async () => {
    const file = path.join(stack.dataDir, 'node2.backup');
    const backup = await stack.shir(
      ['backup', '--file', file, '--password', 'correct horse battery'],
      stack.home('node2'),
    );
    expect(backup.code).toBe(0);
    expect(fs.readFileSync(file, 'utf8')).not.toMatch(/nodeCredential"\s*:\s*"[^"]*\./);
    await stack.nodes.get('node2')!.stop();

    const wrong = await stack.shir(['restore', '--file', file, '--password', 'wrong'], stack.home('node2-restored'));
    expect(wrong.code).not.toBe(0);
    expect(wrong.stdout + wrong.stderr).toMatch(/password/i);
    const restored = await stack.shir(
      ['restore', '--file', file, '--password', 'correct horse battery'],
      stack.home('node2-restored'),
    );
    expect(restored.code).toBe(0);
    stack.startNode('node2', { home: stack.home('node2-restored') });
    await onlineNodes(['node1', 'node2', 'node4']);
  });

  it('lets a Data Reader read status but answers 403, naming the role, to every operation that manages the runtime', async () => {
    const reader = new PurviewClient(stack.endpoint, {
      tenantId: '00000000-0000-0000-0000-000000000000',
      clientId: 'reader-app',
      clientSecret: 'reader-secret',
    });
    expect((await reader.call('GET', `/scan/integrationruntimes/${IR}/status?api-version=2023-09-01`)).status).toBe(
      200,
    );
    const V = '?api-version=2023-09-01';
    const base = `/scan/integrationruntimes/${IR}`;
    const managing: [string, string, unknown?][] = [
      ['PUT', `${base}${V}`, { kind: 'SelfHosted' }],
      ['DELETE', `${base}${V}`],
      ['POST', `${base}:listAuthKeys${V}`],
      ['POST', `${base}:regenerateAuthKey${V}`, { keyName: 'authKey2' }],
      ['GET', `${base}/nodes/node1${V}`],
      ['PATCH', `${base}/nodes/node1${V}`, { concurrentJobsLimit: 1 }],
      ['DELETE', `${base}/nodes/node1${V}`],
    ];
    for (const [method, path, body] of managing) {
      const response = await reader.call<{ error: { code: string; message: string } }>(method, path, body);
      expect({ method, path, status: response.status, code: response.body.error.code }).toEqual({
        method,
        path,
        status: 403,
        code: 'Forbidden',
      });
      expect(response.body.error.message).toMatch(/does not have the Data Source Admin role/);
    }
    expect((await status()).properties.typeProperties.nodes.map((n) => n.nodeName)).toContain('node1');
  });

  it('never writes a secret into any process output', () => {
    const output = stack.allOutput();
    for (const key of [authKey1, authKey2]) {
      expect(output).not.toContain(key);
      expect(output).not.toContain(key.split('@').pop()!);
    }
    expect(output).not.toContain('correct horse battery');
    expect(output).not.toContain('reader-secret');
  });
});

describe('versions: update available, expiring, expired and auto-update, on the emulator clock', () => {
  const stack = new TestStack({ PURVIEW_RUNTIME_RELEASES: '5.39.0.0=2026-06-01' });
  const nodeStatus = async () => {
    // A fresh client each time: a moved clock expires tokens issued before the move.
    const client = new PurviewClient(stack.endpoint);
    const s = await client.scan<Status>('GET', '/integrationruntimes/versions/status');
    return { node: s.properties.typeProperties.nodes[0], reason: s.emulatorDiagnostics?.nodes[0]?.statusReason, ir: s };
  };
  // Moving the clock takes an admin's token, a fresh one: the last move may have expired the one before.
  const setClock = (now?: string) =>
    new PurviewClient(stack.endpoint).call(now ? 'PUT' : 'DELETE', '/_emulator/clock', now ? { now } : undefined);

  beforeAll(async () => {
    await stack.start();
    await stack.client.scan('PUT', '/integrationruntimes/versions', { kind: 'SelfHosted' });
    const { authKey1 } = await stack.client.scan<{ authKey1: string }>(
      'POST',
      '/integrationruntimes/versions:listAuthKeys',
    );
    // SHIR_VERSION stands in for installing an older release: the node registers and runs as 5.39.0.0.
    expect(
      (
        await stack.shir(['register', '--key', authKey1, '--node-name', 'old'], stack.home('old'), {
          SHIR_VERSION: '5.39.0.0',
        })
      ).code,
    ).toBe(0);
    expect((await stack.shir(['auto-update', 'off'], stack.home('old'))).code).toBe(0);
    stack.startNode('old', { env: { SHIR_VERSION: '5.39.0.0' } });
  });

  afterAll(async () => {
    await setClock();
    await stack.stop();
  });

  it('shows UpdateAvailable for an older version, Expiring 90 days before its first birthday, then Expired and Offline', async () => {
    const fresh = await pollUntil(
      async () => ((await nodeStatus()).node?.status === 'Online' ? nodeStatus() : undefined),
      { timeoutMs: 30_000, description: 'the node Online' },
    );
    expect(fresh.node).toEqual(
      expect.objectContaining({
        version: '5.39.0.0',
        versionStatus: 'UpdateAvailable',
        expiryTime: '2027-06-01T00:00:00.000Z',
      }),
    );
    expect(fresh.ir.properties.typeProperties).toEqual(
      expect.objectContaining({ autoUpdate: 'Off', latestVersion: '5.40.9000.1' }),
    );

    expect((await setClock('2027-04-01T00:00:00Z')).status).toBe(200);
    const expiring = await pollUntil(
      async () => {
        const s = await nodeStatus();
        return s.node.versionStatus === 'Expiring' && s.node.status === 'Online' ? s : undefined;
      },
      { timeoutMs: 20_000, description: 'Expiring' },
    );
    expect(expiring.node.expiryTime).toBe('2027-06-01T00:00:00.000Z');

    await setClock('2027-06-02T00:00:00Z');
    const expired = await pollUntil(
      async () => {
        const s = await nodeStatus();
        return s.node.versionStatus === 'Expired' ? s : undefined;
      },
      { timeoutMs: 20_000, description: 'Expired' },
    );
    expect(expired.node.status).toBe('Offline');
    expect(expired.reason).toMatch(/expired on 2027-06-01/);
    expect(expired.ir.properties.state).toBe('Offline');
  });

  it('updates the node when auto-update is turned on, and it comes back Online and UpToDate', async () => {
    const on = await stack.shir(['auto-update', 'on', '--json'], stack.home('old'));
    expect(on.code).toBe(0);
    const updated = await pollUntil(
      async () => {
        const s = await nodeStatus();
        return s.node.version === '5.40.9000.1' && s.node.status === 'Online' ? s : undefined;
      },
      { timeoutMs: 30_000, description: 'the node to update itself' },
    );
    expect(updated.node).toEqual(expect.objectContaining({ versionStatus: 'UpToDate', lastUpdateResult: 'Succeed' }));
  });
});

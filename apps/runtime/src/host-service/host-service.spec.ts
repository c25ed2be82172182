import { newNodeConfig } from '../testing/node-fixtures';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { NodeConfig } from '../home/node-config';
import { homePaths } from '../home/paths';
import { readHostServiceState } from '../home/state-file';
import { createLogger } from '../log';
import { FakeEmulator, sampleJob } from '../testing/fake-emulator';
import { pollUntil } from '@purview-emulator/testing';
import { asset, stubScanner } from '../testing/stub-scanner';
import { HostService, type HostServiceOptions } from './host-service';

const CREDENTIAL = '0b6f3a52-5d0e-4c8b-9a0e-0d2c9f1e7a11.bm9kZS1jcmVkZW50aWFsLXNlY3JldC12YWx1ZS0xMjM0NQ';

let fake: FakeEmulator;
let dir: string;
let lines: string[];
let service: HostService | undefined;

beforeEach(async () => {
  fake = await FakeEmulator.start();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shir-host-'));
  lines = [];
});
afterEach(async () => {
  service?.stop();
  service = undefined;
  await fake.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function config(): NodeConfig {
  return {
    ...newNodeConfig({ emulatorUrl: fake.url }),
    configVersion: 1,
    nodeCredential: { algorithm: 'aes-256-gcm', keySource: 'file', iv: '', tag: '', ciphertext: '' },
  };
}

function startService(overrides: Partial<HostServiceOptions> = {}): { service: HostService; done: Promise<string> } {
  service = new HostService({
    paths: homePaths(dir),
    config: config(),
    credential: CREDENTIAL,
    settings: { maxConcurrentJobs: 2, reconnectMaxMs: 100 },
    logger: createLogger({ write: (l) => lines.push(l) }),
    scanner: stubScanner({ assets: [asset(1), asset(2, { classified: true })] }),
    leaseWaitSeconds: 0.5,
    ...overrides,
  });
  return { service, done: service.run() };
}

const state = () => readHostServiceState(homePaths(dir));
const stateIs = (expected: string) => () => (state()?.state === expected ? state() : undefined);

describe('HostService', () => {
  it('connects with heartbeats, records Connected in state.json, and logs it', async () => {
    const { done, service } = startService();
    const connected = await pollUntil(stateIs('Connected'), { description: 'Connected' });
    expect(connected).toEqual(
      expect.objectContaining({
        pid: process.pid,
        lastError: null,
        runningJobs: 0,
        lastHeartbeatAt: expect.any(String),
      }),
    );
    expect(lines.join('\n')).toContain(
      `INFO Connected to ${fake.url} as node 'node1' of integration runtime 'my-shir'`,
    );

    await pollUntil(() => (fake.calls('heartbeat').length >= 3 ? true : undefined), {
      description: 'heartbeats every heartbeatIntervalSeconds',
    });
    const heartbeat = fake.calls('heartbeat')[0];
    expect(heartbeat.headers.authorization).toBe(`Node ${CREDENTIAL}`);
    expect(heartbeat.json).toEqual({
      version: '5.40.9000.1',
      runningJobs: 0,
      availableMemoryMb: expect.any(Number),
      cpuUtilization: expect.any(Number),
    });
    expect(heartbeat.json.cpuUtilization).toBeGreaterThanOrEqual(0);
    expect(heartbeat.json.cpuUtilization).toBeLessThanOrEqual(100);
    expect(fake.calls('lease')[0].json).toEqual({ maxJobs: 2, waitSeconds: 0.5 });

    service.stop();
    expect(await done).toBe('stopped');
    expect(state()?.state).toBe('Disconnected');
    expect(lines.join('\n')).not.toContain(CREDENTIAL.split('.')[1]);
  });

  it('leases jobs into free slots and runs them to completion', async () => {
    const { done, service } = startService();
    await pollUntil(stateIs('Connected'), { description: 'Connected' });
    fake.queueJob(sampleJob(fake));
    await pollUntil(() => (fake.calls('complete').length === 1 ? true : undefined), {
      description: 'the job to complete',
    });
    expect(fake.calls('complete')[0].json).toEqual(
      expect.objectContaining({ status: 'Succeeded', assetsDiscovered: 2, assetsClassified: 1, batchCount: 1 }),
    );
    await pollUntil(() => (service.runningJobs === 0 ? true : undefined), { description: 'the slot to free up' });
    expect(lines.join('\n')).toMatch(/Scan run run-1 Succeeded: 2 assets discovered, 1 classified, 1 batch$/m);
    service.stop();
    await done;
  });

  it('asks only for as many jobs as it has free slots, and reports running jobs', async () => {
    const { done, service } = startService({ scanner: stubScanner({ assets: [asset(1)], hangAfter: 1 }) });
    await pollUntil(stateIs('Connected'), { description: 'Connected' });
    fake.queueJob(sampleJob(fake, { jobId: 'job-a', scanRun: { ...sampleJob(fake).scanRun, runId: 'job-a' } }));
    await pollUntil(() => (service.runningJobs === 1 ? true : undefined), { description: 'one running job' });
    const before = fake.calls('lease').length;
    await pollUntil(() => (fake.calls('lease').length > before ? true : undefined), {
      description: 'the next lease call',
    });
    expect(fake.calls('lease').at(-1)!.json.maxJobs).toBe(1);
    await pollUntil(() => (fake.calls('heartbeat').some((h) => h.json.runningJobs === 1) ? true : undefined), {
      description: 'a heartbeat with runningJobs 1',
    });
    expect(state()?.runningJobs).toBe(1);
    service.stop();
    expect(await done).toBe('stopped');
    expect(fake.calls('complete')).toHaveLength(0);
  });

  it("follows the service's lower concurrentJobsLimit", async () => {
    fake.handlers.heartbeat = () => ({
      status: 200,
      body: {
        nodeStatus: 'Online',
        integrationRuntimeState: 'Online',
        concurrentJobsLimit: 1,
        heartbeatIntervalSeconds: 0.1,
        offlineAfterSeconds: 2,
      },
    });
    const { done, service } = startService({ settings: { maxConcurrentJobs: 4, reconnectMaxMs: 100 } });
    await pollUntil(() => (service.jobsLimit === 1 ? true : undefined), {
      description: 'the limit to follow the service',
    });
    await pollUntil(() => (fake.calls('lease').some((l) => l.json.maxJobs === 1) ? true : undefined), {
      description: 'a lease for one job',
    });
    service.stop();
    await done;
  });

  it('goes Connecting when the service goes away and comes back by itself', async () => {
    const { done, service } = startService();
    await pollUntil(stateIs('Connected'), { description: 'Connected' });
    await fake.close();
    const connecting = await pollUntil(stateIs('Connecting'), { description: 'Connecting' });
    expect(connecting.lastError).toMatch(/unreachable \((ECONNREFUSED|ECONNRESET|UND_ERR_SOCKET|other side closed)\)/);
    expect(lines.join('\n')).toMatch(/WARN Lost the connection to http:\/\/127.0.0.1:\d+: .*Reconnecting/);

    await fake.listen();
    await pollUntil(stateIs('Connected'), { description: 'Connected again' });
    expect(state()?.lastError).toBeNull();
    service.stop();
    expect(await done).toBe('stopped');
  });

  it('treats 5xx answers as a lost connection too', async () => {
    let failing = true;
    fake.handlers.heartbeat = () =>
      failing
        ? { status: 503, body: { error: { code: 'ServiceUnavailable', message: 'starting' } } }
        : {
            status: 200,
            body: {
              nodeStatus: 'Online',
              integrationRuntimeState: 'Online',
              concurrentJobsLimit: 2,
              heartbeatIntervalSeconds: 0.1,
              offlineAfterSeconds: 2,
            },
          };
    const { done, service } = startService();
    const connecting = await pollUntil(() => (fake.calls('heartbeat').length >= 2 ? state() : undefined), {
      description: 'retries',
    });
    expect(connecting?.state).toBe('Connecting');
    expect(connecting?.lastError).toBe('HTTP 503 ServiceUnavailable: starting');
    expect(fake.calls('lease')).toHaveLength(0);
    failing = false;
    await pollUntil(stateIs('Connected'), { description: 'Connected' });
    service.stop();
    await done;
  });

  it('stops with "revoked" and Disconnected when the service rejects the credential (401)', async () => {
    let revoked = false;
    fake.handlers.heartbeat = () =>
      revoked
        ? {
            status: 401,
            body: { error: { code: 'InvalidNodeCredential', message: 'The node credential is not recognised.' } },
          }
        : {
            status: 200,
            body: {
              nodeStatus: 'Online',
              integrationRuntimeState: 'Online',
              concurrentJobsLimit: 2,
              heartbeatIntervalSeconds: 0.1,
              offlineAfterSeconds: 2,
            },
          };
    const { done } = startService();
    await pollUntil(stateIs('Connected'), { description: 'Connected' });
    revoked = true;
    expect(await done).toBe('revoked');
    expect(state()).toEqual(
      expect.objectContaining({
        state: 'Disconnected',
        lastError: expect.stringContaining("rejected this node's credential"),
      }),
    );
    expect(lines.join('\n')).toMatch(
      /ERROR The integration service rejected this node's credential, so the node is no longer registered: The node credential is not recognised. \(HTTP 401 InvalidNodeCredential\). The node was removed/,
    );
  });

  it('stops promptly while a lease long poll is waiting', async () => {
    const { done, service } = startService({ leaseWaitSeconds: 20 });
    await pollUntil(() => (fake.calls('lease').length === 1 ? true : undefined), { description: 'a long poll' });
    const started = Date.now();
    service.stop();
    expect(await done).toBe('stopped');
    expect(Date.now() - started).toBeLessThan(1000);
    expect(state()?.state).toBe('Disconnected');
  });
});

import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type NewNodeConfig, readNodeConfig, saveNewNode } from '../home/node-config';
import { homePaths } from '../home/paths';
import {
  type HostServiceState,
  isHostServiceProcess,
  readHostServiceState,
  writeHostServiceState,
} from '../home/state-file';
import { FakeEmulator } from '../testing/fake-emulator';
import { pollUntil } from '@purview-emulator/testing';
import { newNodeConfig } from '../testing/node-fixtures';
import type { CommandIO } from './io';
import { runStart } from './start';
import { NOT_REGISTERED, nodeStatus, runStatus } from './status';

const CREDENTIAL = '0b6f3a52-5d0e-4c8b-9a0e-0d2c9f1e7a11.bm9kZS1jcmVkZW50aWFsLXNlY3JldC12YWx1ZS0xMjM0NQ';

function node(emulatorUrl: string): NewNodeConfig {
  return newNodeConfig({ emulatorUrl });
}

function captureIO(env: NodeJS.ProcessEnv = {}): CommandIO & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (l) => stdout.push(l), err: (l) => stderr.push(l), env };
}

let home: string;
let twin: ChildProcess | undefined;
beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'shir-cmd-'));
});
afterEach(() => {
  twin?.kill();
  twin = undefined;
  fs.rmSync(home, { recursive: true, force: true });
});

/** A process that looks like a running host service (`node … start`). */
function startTwin(): number {
  twin = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', 'start'], { stdio: 'ignore' });
  return twin.pid!;
}

const STATE: HostServiceState = {
  pid: 0,
  state: 'Connected',
  since: '2026-11-27T00:00:00.000Z',
  lastHeartbeatAt: '2026-11-27T00:00:05.000Z',
  lastError: null,
  runningJobs: 1,
};

describe('shir status', () => {
  it('says the node is not registered (exit 1), in text and JSON', async () => {
    const io = captureIO();
    expect(await runStatus({ home }, io)).toBe(1);
    expect(io.stderr[0]).toBe(`${NOT_REGISTERED} (home: ${home})`);
    const json = captureIO();
    expect(await runStatus({ home, json: true }, json)).toBe(1);
    expect(JSON.parse(json.stdout[0])).toEqual(expect.objectContaining({ registered: false, state: 'Disconnected' }));
  });

  it('shows the state a live host service wrote (--local: the home only)', async () => {
    saveNewNode(homePaths(home), node('http://127.0.0.1:5380'), CREDENTIAL, {});
    const pid = startTwin();
    writeHostServiceState(homePaths(home), { ...STATE, pid });
    const io = captureIO();
    expect(await runStatus({ home, json: true, local: true }, io)).toBe(0);
    expect(JSON.parse(io.stdout[0])).toEqual({
      registered: true,
      home,
      nodeName: 'node1',
      nodeId: '0b6f3a52-5d0e-4c8b-9a0e-0d2c9f1e7a11',
      integrationRuntime: 'my-shir',
      integrationRuntimeId: '6f1c2f0e-1f2b-4c1e-9a61-0d4c7b5e2a10',
      account: 'acct',
      endpoint: 'http://127.0.0.1:5380',
      state: 'Connected',
      since: STATE.since,
      lastHeartbeatAt: STATE.lastHeartbeatAt,
      lastError: null,
      runningJobs: 1,
      pid,
      version: '5.40.9000.1',
      settings: { logLevel: 'info', remoteAccess: { enabled: false, port: 8060 }, autoUpdate: null },
    });
    const text = captureIO();
    expect(await runStatus({ home, local: true }, text)).toBe(0);
    expect(text.stdout).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Node: +node1 \(/),
        expect.stringMatching(new RegExp(`^State: +Connected since 2026-11-27T00:00:00.000Z \\(pid ${pid}\\)$`)),
        expect.stringMatching(/^Last heartbeat: +2026-11-27T00:00:05.000Z$/),
      ]),
    );
    expect(text.stdout.join('\n')).not.toContain(CREDENTIAL.split('.')[1]);
  });

  it('is Disconnected when the process in state.json is gone, or no state was written', () => {
    saveNewNode(homePaths(home), node('http://127.0.0.1:5380'), CREDENTIAL, {});
    const config = readNodeConfig(homePaths(home))!;
    expect(nodeStatus(home, config, undefined).state).toBe('Disconnected');
    const dead = nodeStatus(home, config, STATE, () => false);
    expect(dead).toEqual(
      expect.objectContaining({
        state: 'Disconnected',
        pid: null,
        runningJobs: 0,
        lastHeartbeatAt: STATE.lastHeartbeatAt,
        lastError: 'The host service is not running.',
      }),
    );
    expect(nodeStatus(home, config, { ...STATE, state: 'Connecting', lastError: 'unreachable' }, () => true)).toEqual(
      expect.objectContaining({ state: 'Connecting', lastError: 'unreachable' }),
    );
  });
});

describe('shir start', () => {
  it('refuses to start a node that is not registered (exit 1)', async () => {
    const io = captureIO();
    expect(await runStart({ home }, io)).toBe(1);
    expect(io.stderr[0]).toBe(`This node is not registered. Run: shir register --key <authKey> (home: ${home})`);
  });

  it('refuses an invalid setting and a missing credential key', async () => {
    saveNewNode(homePaths(home), node('http://127.0.0.1:5380'), CREDENTIAL, {});
    const io = captureIO({ SHIR_MAX_CONCURRENT_JOBS: 'many' });
    expect(await runStart({ home }, io)).toBe(1);
    expect(io.stderr[0]).toMatch(/SHIR_MAX_CONCURRENT_JOBS='many' is not valid: expected a whole number from 1 to 64/);
    fs.rmSync(homePaths(home).credentialKey);
    const io2 = captureIO();
    expect(await runStart({ home }, io2)).toBe(1);
    expect(io2.stderr[0]).toMatch(/credential.key is missing/);
  });

  it('refuses to run a second host service for the same home, naming the process that holds it', async () => {
    saveNewNode(homePaths(home), node('http://127.0.0.1:5380'), CREDENTIAL, {});
    const pid = startTwin();
    fs.writeFileSync(homePaths(home).pid, JSON.stringify({ pid, startedAt: '2026-11-27T00:00:00.000Z' }));
    const io = captureIO();
    expect(await runStart({ home }, io)).toBe(1);
    expect(io.stderr).toEqual([
      `The host service for ${home} is already running (pid ${pid}, started 2026-11-27T00:00:00.000Z). Stop it with 'shir stop'.`,
    ]);
    const detached = captureIO();
    expect(await runStart({ home, detach: true, json: true }, detached)).toBe(1);
    expect(JSON.parse(detached.stdout[0])).toEqual({
      started: false,
      home,
      error: { code: 'HostServiceRunning', message: io.stderr[0] },
    });
  });

  it('takes over a pid file whose process is gone', async () => {
    const fake = await FakeEmulator.start();
    try {
      saveNewNode(homePaths(home), node(fake.url), CREDENTIAL, {});
      const dead = spawn(process.execPath, ['-e', '0']);
      await new Promise((resolve) => dead.once('exit', resolve));
      fs.writeFileSync(homePaths(home).pid, JSON.stringify({ pid: dead.pid, startedAt: '2026-11-27T00:00:00.000Z' }));
      const io = captureIO({ SHIR_SKIP_MACHINE_CHECK: '1' });
      const exit = runStart({ home }, io);
      await pollUntil(() => (readHostServiceState(homePaths(home))?.state === 'Connected' ? true : undefined), {
        description: 'Connected',
      });
      expect(JSON.parse(fs.readFileSync(homePaths(home).pid, 'utf8')).pid).toBe(process.pid);
      process.emit('SIGTERM', 'SIGTERM');
      expect(await exit).toBe(0);
      expect(fs.existsSync(homePaths(home).pid)).toBe(false);
    } finally {
      await fake.close();
    }
  });

  it('does not mistake a reused process id for a running host service', () => {
    const procRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'shir-proc-'));
    try {
      fs.mkdirSync(path.join(procRoot, String(process.pid)));
      const cmdline = (args: string[]) =>
        fs.writeFileSync(path.join(procRoot, String(process.pid), 'cmdline'), `${args.join('\0')}\0`);
      cmdline(['/usr/local/bin/node', '/app/apps/runtime/dist/cli.js', 'start']);
      expect(isHostServiceProcess(process.pid, procRoot)).toBe(true);
      cmdline(['/sbin/docker-init', '--', '/usr/local/bin/shir-entrypoint.sh', 'start']);
      expect(isHostServiceProcess(process.pid, procRoot)).toBe(false);
      cmdline(['node', '/app/apps/runtime/dist/cli.js', 'status', '--json']);
      expect(isHostServiceProcess(process.pid, procRoot)).toBe(false);
      expect(isHostServiceProcess(2 ** 22 + 12345, procRoot)).toBe(false);
    } finally {
      fs.rmSync(procRoot, { recursive: true, force: true });
    }
  });

  it('runs until SIGTERM, then records Disconnected and exits 0 promptly; JSON lines with --json', async () => {
    const fake = await FakeEmulator.start();
    try {
      saveNewNode(homePaths(home), node(fake.url), CREDENTIAL, {});
      const io = captureIO();
      const listenersBefore = process.listenerCount('SIGTERM');
      const exit = runStart({ home, json: true }, io);
      await pollUntil(() => (readHostServiceState(homePaths(home))?.state === 'Connected' ? true : undefined), {
        description: 'Connected',
      });
      expect(fake.calls('heartbeat')[0].headers.authorization).toBe(`Node ${CREDENTIAL}`);
      const started = Date.now();
      process.emit('SIGTERM', 'SIGTERM');
      expect(await exit).toBe(0);
      expect(Date.now() - started).toBeLessThan(2000);
      expect(readHostServiceState(homePaths(home))?.state).toBe('Disconnected');
      const records = io.stdout.map((l) => JSON.parse(l) as { level: string; message: string });
      expect(records.map((r) => r.message)).toEqual(
        expect.arrayContaining([
          `Connected to ${fake.url} as node 'node1' of integration runtime 'my-shir'`,
          'Received SIGTERM: stopping the host service',
        ]),
      );
      expect(io.stdout.join('\n')).not.toContain(CREDENTIAL.split('.')[1]);
      expect(process.listenerCount('SIGTERM')).toBe(listenersBefore);
      expect(fs.existsSync(homePaths(home).pid)).toBe(false);
    } finally {
      await fake.close();
    }
  });

  it('exits 2 when the credential is revoked', async () => {
    const fake = await FakeEmulator.start();
    try {
      fake.handlers.heartbeat = () => ({
        status: 401,
        body: { error: { code: 'InvalidNodeCredential', message: 'The node credential is not recognised.' } },
      });
      saveNewNode(homePaths(home), node(fake.url), CREDENTIAL, {});
      const io = captureIO();
      expect(await runStart({ home }, io)).toBe(2);
      expect(readHostServiceState(homePaths(home))).toEqual(
        expect.objectContaining({
          state: 'Disconnected',
          lastError: expect.stringContaining('register this machine again'),
        }),
      );
    } finally {
      await fake.close();
    }
  });
});

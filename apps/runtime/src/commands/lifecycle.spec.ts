import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readHostServiceLock } from '../home/lock';
import { saveNewNode } from '../home/node-config';
import { homePaths } from '../home/paths';
import { isProcessAlive, readHostServiceState } from '../home/state-file';
import { FakeEmulator } from '../testing/fake-emulator';
import { newNodeConfig } from '../testing/node-fixtures';
import { pollUntil } from '@purview-emulator/testing';
import type { CommandIO } from './io';
import { runStart } from './start';
import { runStatus } from './status';
import { runRestart, runStop } from './stop';

/** The real CLI from its TypeScript sources, as `start --detach` runs it in a child process. */
const CLI = [process.execPath, '-r', path.join(__dirname, '../testing/run-ts.js'), path.join(__dirname, '../cli.ts')];
const CREDENTIAL = '0b6f3a52-5d0e-4c8b-9a0e-0d2c9f1e7a11.bm9kZS1jcmVkZW50aWFsLXNlY3JldC12YWx1ZS0xMjM0NQ';
const WAIT_MS = 45_000;

jest.setTimeout(120_000);

function captureIO(env: NodeJS.ProcessEnv): CommandIO & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (l) => stdout.push(l), err: (l) => stderr.push(l), env };
}

let fake: FakeEmulator;
let home: string;
let env: NodeJS.ProcessEnv;
beforeEach(async () => {
  fake = await FakeEmulator.start();
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'shir-life-'));
  saveNewNode(homePaths(home), newNodeConfig({ emulatorUrl: fake.url }), CREDENTIAL, {});
  env = { PATH: process.env.PATH, SHIR_SKIP_MACHINE_CHECK: '1' };
});
afterEach(async () => {
  const lock = readHostServiceLock(homePaths(home));
  if (lock && lock.pid !== process.pid && isProcessAlive(lock.pid)) process.kill(lock.pid, 'SIGKILL');
  await fake.close();
  fs.rmSync(home, { recursive: true, force: true });
});

describe('shir start --detach, stop, restart (the real CLI in a child process)', () => {
  it('starts in the background, refuses a second start, stops and restarts it', async () => {
    const started = captureIO(env);
    expect(await runStart({ home, detach: true, json: true, waitMs: WAIT_MS }, started, CLI)).toBe(0);
    const result = JSON.parse(started.stdout[0]) as {
      started: boolean;
      pid: number;
      home: string;
      nodeName: string;
      log: string;
    };
    expect(result).toEqual(
      expect.objectContaining({
        started: true,
        pid: expect.any(Number),
        home,
        nodeName: 'node1',
        log: path.join(home, 'logs', 'host-service.out'),
      }),
    );
    expect(result.pid).not.toBe(process.pid);
    expect(readHostServiceLock(homePaths(home))?.pid).toBe(result.pid);
    await pollUntil(() => (readHostServiceState(homePaths(home))?.state === 'Connected' ? true : undefined), {
      description: 'the detached host service Connected',
      timeoutMs: WAIT_MS,
    });
    expect(fake.calls('heartbeat')[0].headers.authorization).toBe(`Node ${CREDENTIAL}`);

    const status = captureIO(env);
    expect(await runStatus({ home, json: true, local: true }, status)).toBe(0);
    expect(JSON.parse(status.stdout[0])).toEqual(expect.objectContaining({ state: 'Connected', pid: result.pid }));

    const second = captureIO(env);
    expect(await runStart({ home }, second)).toBe(1);
    expect(second.stderr[0]).toMatch(
      new RegExp(
        `^The host service for ${home.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is already running \\(pid ${result.pid}, started .+\\)\\. Stop it with 'shir stop'\\.$`,
      ),
    );

    const restarted = captureIO(env);
    expect(await runRestart({ home, json: true, waitMs: WAIT_MS }, restarted, CLI)).toBe(0);
    const again = JSON.parse(restarted.stdout[0]) as { restarted: boolean; previousPid: number; pid: number };
    expect(again).toEqual(
      expect.objectContaining({ restarted: true, previousPid: result.pid, pid: expect.any(Number) }),
    );
    expect(again.pid).not.toBe(result.pid);
    await pollUntil(() => (isProcessAlive(result.pid) ? undefined : true), {
      description: 'the old host service reaped',
    }); // stopped, maybe not reaped yet by this (parent) process

    const stopped = captureIO(env);
    expect(await runStop({ home, json: true }, stopped)).toBe(0);
    expect(JSON.parse(stopped.stdout[0])).toEqual({ stopped: true, wasRunning: true, home, pid: again.pid });
    await pollUntil(() => (isProcessAlive(again.pid) ? undefined : true), { description: 'the host service reaped' });
    expect(fs.existsSync(homePaths(home).pid)).toBe(false);
    expect(readHostServiceState(homePaths(home))?.state).toBe('Disconnected');

    const idle = captureIO(env);
    expect(await runStop({ home }, idle)).toBe(0);
    expect(idle.stdout).toEqual([`The host service for ${home} is not running.`]);

    const output = fs.readFileSync(result.log, 'utf8');
    expect(output).toContain('Connected to');
    expect(output).not.toContain(CREDENTIAL.split('.')[1]);
  });

  it('rotates host-service.out: the host service rotates what it writes, and a start sets a file more than half full aside', async () => {
    const rotated = { ...env, SHIR_EVENT_LOG_MAX_BYTES: '1024', SHIR_EVENT_LOG_FILES: '3' };
    const paths = homePaths(home);
    const file = (name: string) => fs.readFileSync(path.join(paths.logs, name), 'utf8');
    const earlier = 'a line of an earlier run\n'.repeat(20); // 500 bytes: room enough for a start, not for its whole output
    fs.mkdirSync(paths.logs, { recursive: true });
    fs.writeFileSync(paths.detachedOutput, earlier);

    const first = captureIO(rotated);
    expect(await runStart({ home, detach: true, json: true, waitMs: WAIT_MS }, first, CLI)).toBe(0);
    await pollUntil(() => file('host-service.out').includes('Connected to'), {
      description: 'the host service logging Connected',
      timeoutMs: WAIT_MS,
    });
    // The host service itself moved the full file aside, mid-run: the earlier run's lines, then its own first ones.
    expect(file('host-service-000001.out')).toMatch(new RegExp(`^${earlier}\\{"time".*starting`));
    expect(await runStop({ home }, captureIO(rotated))).toBe(0);

    const filler = 'x'.repeat(600);
    fs.appendFileSync(paths.detachedOutput, `${filler}\n`);
    expect(await runStart({ home, detach: true, json: true, waitMs: WAIT_MS }, captureIO(rotated), CLI)).toBe(0);
    await pollUntil(() => file('host-service.out').includes('Connected to'), {
      description: 'the restarted host service logging Connected',
      timeoutMs: WAIT_MS,
    });
    expect(file('host-service-000002.out')).toContain(filler);
    expect(file('host-service.out')).not.toContain(filler);
    const names = fs
      .readdirSync(paths.logs)
      .filter((n) => n.startsWith('host-service'))
      .sort();
    expect(names).toEqual(['host-service-000001.out', 'host-service-000002.out', 'host-service.out']);
    // (host-service-000002.out holds the filler this test appended by hand.)
    for (const name of ['host-service-000001.out', 'host-service.out'])
      expect(fs.statSync(path.join(paths.logs, name)).size).toBeLessThanOrEqual(1024);
  });

  it('reports a host service that fails at once, with its output and exit code', async () => {
    const io = captureIO({ ...env, SHIR_MAX_CONCURRENT_JOBS: 'many' });
    expect(await runStart({ home, detach: true, waitMs: WAIT_MS }, io, CLI)).toBe(1);
    expect(io.stderr[0]).toMatch(
      /^The host service exited with code 1 before it was running\.\nSHIR_MAX_CONCURRENT_JOBS='many' is not valid: expected a whole number from 1 to 64/,
    );
  });
});

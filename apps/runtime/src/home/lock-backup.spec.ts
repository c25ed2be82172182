import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { newNodeConfig } from '../testing/node-fixtures';
import { BackupError, createBackup, openBackup, parseBackup } from './backup';
import { defaultLocalSettings } from './local-settings';
import {
  acquireHostServiceLock,
  HostServiceRunningError,
  readHostServiceLock,
  releaseHostServiceLock,
  runningHostService,
} from './lock';
import { homePaths } from './paths';

let home: string;
let twin: ChildProcess | undefined;
beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'shir-lock-'));
});
afterEach(() => {
  twin?.kill();
  twin = undefined;
  fs.rmSync(home, { recursive: true, force: true });
});

describe('host service lock (pid file)', () => {
  it('is held once per home: a second taker learns the pid and start time; release removes the file', () => {
    const paths = homePaths(home);
    const lock = acquireHostServiceLock(paths, () => new Date('2026-11-27T01:02:03.000Z'));
    try {
      expect(readHostServiceLock(paths)).toEqual(lock);
      expect(lock).toEqual(expect.objectContaining({ pid: process.pid, startedAt: '2026-11-27T01:02:03.000Z' }));
      expect(fs.statSync(paths.pid).mode & 0o777).toBe(0o600);
      expect(() => acquireHostServiceLock(paths)).toThrow(new HostServiceRunningError(home, lock).message);
      expect(() => acquireHostServiceLock(paths)).toThrow(
        `The host service for ${home} is already running (pid ${process.pid}, started 2026-11-27T01:02:03.000Z). Stop it with 'shir stop'.`,
      );
      expect(runningHostService(paths)?.pid).toBe(process.pid);
    } finally {
      releaseHostServiceLock(paths);
    }
    expect(fs.existsSync(paths.pid)).toBe(false);
    expect(runningHostService(paths)).toBeUndefined();
  });

  it('is held by another live host service process', () => {
    const paths = homePaths(home);
    twin = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', 'start'], { stdio: 'ignore' });
    fs.writeFileSync(paths.pid, JSON.stringify({ pid: twin.pid, startedAt: '2026-11-27T00:00:00.000Z' }));
    expect(() => acquireHostServiceLock(paths)).toThrow(HostServiceRunningError);
    expect(runningHostService(paths)?.pid).toBe(twin.pid);
  });

  it('takes over a stale pid file: process gone, a pid now used by something else, our own pid from an earlier life, a bare pid', async () => {
    const paths = homePaths(home);
    const dead = spawn(process.execPath, ['-e', '0']);
    await new Promise((resolve) => dead.once('exit', resolve));
    twin = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' }); // alive, but not `… start`
    const stale = [
      JSON.stringify({ pid: dead.pid, startedAt: 'x' }),
      JSON.stringify({ pid: twin.pid, startedAt: 'x' }),
      JSON.stringify({ pid: process.pid, startedAt: 'x' }),
      `${dead.pid}\n`,
      'garbage',
    ];
    for (const text of stale) {
      fs.writeFileSync(paths.pid, text);
      expect(runningHostService(paths)).toBeUndefined();
      const lock = acquireHostServiceLock(paths);
      expect(readHostServiceLock(paths)).toEqual(lock);
      releaseHostServiceLock(paths);
    }
  });

  it('does not take a pid whose process started at another time (pid reuse)', () => {
    if (!fs.existsSync('/proc/self/stat')) return; // the check needs /proc
    const paths = homePaths(home);
    twin = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', 'start'], { stdio: 'ignore' });
    fs.writeFileSync(paths.pid, JSON.stringify({ pid: twin.pid, startedAt: 'x', processStart: 1 }));
    expect(runningHostService(paths)).toBeUndefined();
  });
});

describe('backup file', () => {
  const contents = {
    config: newNodeConfig(),
    nodeCredential: 'node-id.c2VjcmV0LWNyZWRlbnRpYWw',
    settings: defaultLocalSettings(),
  };

  it('round-trips with the password; the file holds neither the credential nor the password', () => {
    const file = createBackup(contents, 'a long password');
    const text = JSON.stringify(file);
    expect(text).not.toContain('c2VjcmV0LWNyZWRlbnRpYWw');
    expect(text).not.toContain('a long password');
    expect(file).toEqual(
      expect.objectContaining({
        format: 'shir-node-backup',
        formatVersion: 1,
        cipher: 'aes-256-gcm',
        kdf: expect.objectContaining({ name: 'scrypt', N: 32768, r: 8, p: 1 }),
        node: { name: 'node1', integrationRuntime: 'my-shir', account: 'acct' },
      }),
    );
    expect(openBackup(parseBackup(text), 'a long password')).toEqual(contents);
    expect(createBackup(contents, 'a long password').kdf.salt).not.toBe(file.kdf.salt);
  });

  it('refuses a wrong password, a changed header, a foreign file and a newer format', () => {
    const file = createBackup(contents, 'a long password');
    expect(() => openBackup(file, 'another password')).toThrow(expect.objectContaining({ code: 'WrongPassword' }));
    expect(() => openBackup({ ...file, node: { ...file.node, name: 'node9' } }, 'a long password')).toThrow(
      BackupError,
    );
    expect(() => openBackup({ ...file, kdf: { ...file.kdf, N: 16384 } }, 'a long password')).toThrow(
      /password is wrong, or the file was changed/,
    );
    expect(() => parseBackup('{"hello":1}')).toThrow(expect.objectContaining({ code: 'NotABackup' }));
    expect(() => parseBackup('not json')).toThrow(/not a shir backup file/);
    expect(() => parseBackup(JSON.stringify({ ...file, formatVersion: 2 }))).toThrow(
      expect.objectContaining({ code: 'UnsupportedBackupVersion' }),
    );
  });
});

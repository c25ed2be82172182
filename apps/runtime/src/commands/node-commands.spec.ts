import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { formatAuthKey, type RegisterNodeResponse } from '@purview-emulator/contracts';
import { readLocalSettings, updateLocalSettings } from '../home/local-settings';
import { openNodeCredential, readNodeConfig, saveNewNode } from '../home/node-config';
import { homePaths } from '../home/paths';
import { readHostServiceState } from '../home/state-file';
import { DEFAULT_HEARTBEAT, FakeEmulator } from '../testing/fake-emulator';
import { newNodeConfig } from '../testing/node-fixtures';
import { pollUntil } from '@purview-emulator/testing';
import { runBackup, runRestore } from './backup';
import type { CommandIO } from './io';
import { runKey } from './key';
import { machineWarnings } from './machine-check';
import { REGISTRATION_FAILED, runRegister } from './register';
import { runAutoUpdate, runLogLevel, runRemoteAccess } from './settings-commands';
import { runStart } from './start';
import { runStatus } from './status';
import { runUnregister } from './unregister';

const CREDENTIAL = '0b6f3a52-5d0e-4c8b-9a0e-0d2c9f1e7a11.bm9kZS1jcmVkZW50aWFsLXNlY3JldC12YWx1ZS0xMjM0NQ';
const CREDENTIAL_SECRET = CREDENTIAL.split('.')[1];
const NEW_CREDENTIAL = '9d0c4f7e-2a3b-4c5d-8e9f-0a1b2c3d4e5f.bmV3LW5vZGUtY3JlZGVudGlhbC1zZWNyZXQtdmFsdWUtOTg3Ng';
const KEY_SECRET = Buffer.alloc(32, 9).toString('base64');
const PASSWORD = 'correct horse battery staple';
const IR_ID = '6f1c2f0e-1f2b-4c1e-9a61-0d4c7b5e2a10';
const OTHER_IR_ID = '1a2b3c4d-5e6f-4a1b-8c2d-3e4f5a6b7c8d';
/** Quiet machine check: these tests are about the commands, machine-check.spec is about the check. */
const ENV = { SHIR_SKIP_MACHINE_CHECK: '1' };

function captureIO(
  env: NodeJS.ProcessEnv = ENV,
): CommandIO & { stdout: string[]; stderr: string[]; all: () => string } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    stdout,
    stderr,
    out: (l) => stdout.push(l),
    err: (l) => stderr.push(l),
    env,
    all: () => [...stdout, ...stderr].join('\n'),
  };
}

const keyFor = (endpoint: string, irId = IR_ID, account = 'acct') =>
  formatAuthKey({ integrationRuntimeId: irId, accountName: account, serviceEndpoint: endpoint, secret: KEY_SECRET });

let fake: FakeEmulator;
let dir: string;
let home: string;
beforeEach(async () => {
  fake = await FakeEmulator.start();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shir-nodecmd-'));
  home = path.join(dir, 'home');
});
afterEach(async () => {
  await fake.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function registerFixture(target = home): void {
  saveNewNode(homePaths(target), newNodeConfig({ emulatorUrl: fake.url }), CREDENTIAL, {});
}

const registered = (overrides: Partial<RegisterNodeResponse> = {}): RegisterNodeResponse => ({
  accountName: 'acct',
  integrationRuntime: { name: 'my-shir', id: IR_ID },
  node: { name: 'node1', id: '9d0c4f7e-2a3b-4c5d-8e9f-0a1b2c3d4e5f' },
  nodeCredential: NEW_CREDENTIAL,
  heartbeatIntervalSeconds: 5,
  offlineAfterSeconds: 15,
  ...overrides,
});

describe('shir status (service view)', () => {
  it('adds how the integration service sees the node', async () => {
    registerFixture();
    fake.nodeView = {
      ...fake.nodeView,
      statusReason: undefined,
      node: { ...fake.nodeView.node, status: 'Limited', isActiveDispatcher: false, versionStatus: 'Expiring' },
    };
    const io = captureIO();
    expect(await runStatus({ home, json: true }, io)).toBe(0);
    expect(fake.calls('node')[0].headers.authorization).toBe(`Node ${CREDENTIAL}`);
    expect(JSON.parse(io.stdout[0]).service).toEqual({
      reachable: true,
      nodeStatus: 'Limited',
      statusReason: null,
      integrationRuntimeState: 'Online',
      integrationRuntimeStateReason: null,
      isActiveDispatcher: false,
      version: '5.40.9000.1',
      versionStatus: 'Expiring',
      latestVersion: '5.40.9000.1',
      pushedVersion: '5.40.9000.1',
      autoUpdate: 'On',
      remoteAccess: { enabled: false, port: 8060, internalChannelEncryption: 'NotSet' },
      nodeCount: 1,
      lastConnectTime: '2026-11-27T00:00:05.000Z',
    });
    const text = captureIO();
    expect(await runStatus({ home }, text)).toBe(0);
    expect(text.stdout).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Node status: +Limited, worker$/),
        expect.stringMatching(/^Version status: +Expiring/),
        expect.stringMatching(/^Remote access: +disabled$/),
      ]),
    );
    expect(text.all()).not.toContain(CREDENTIAL_SECRET);
  });

  it('still works when the service is down, from the home alone', async () => {
    registerFixture();
    await fake.close();
    const io = captureIO();
    expect(await runStatus({ home, json: true }, io)).toBe(0);
    const status = JSON.parse(io.stdout[0]);
    expect(status).toEqual(expect.objectContaining({ registered: true, nodeName: 'node1', state: 'Disconnected' }));
    expect(status.service).toEqual({
      reachable: false,
      error: expect.stringContaining('is unreachable (ECONNREFUSED)'),
    });
  });
});

describe('shir register --force and the new refusals', () => {
  it('unregisters the node a home holds, then registers with force', async () => {
    registerFixture();
    fake.handlers.register = () => ({ status: 200, body: registered() });
    const io = captureIO();
    expect(
      await runRegister(
        { key: keyFor(`127.0.0.1:${fake.port}`), nodeName: 'node1', home, force: true, json: true },
        io,
      ),
    ).toBe(0);
    const [unregister] = fake.calls('unregister');
    expect(unregister.headers.authorization).toBe(`Node ${CREDENTIAL}`);
    expect(fake.calls('register')[0].json.force).toBe(true);
    expect(JSON.parse(io.stdout[0])).toEqual(
      expect.objectContaining({
        registered: true,
        nodeId: registered().node.id,
        replaced: { nodeName: 'node1', integrationRuntime: 'my-shir', unregistered: true },
      }),
    );
    const config = readNodeConfig(homePaths(home))!;
    expect(openNodeCredential(homePaths(home), config, {})).toBe(NEW_CREDENTIAL);
    expect(io.all()).not.toContain(NEW_CREDENTIAL.split('.')[1]);
    expect(io.all()).not.toContain(KEY_SECRET);
  });

  it('says to add --force when the node name is in use', async () => {
    fake.handlers.register = () => ({
      status: 409,
      body: { error: { code: 'NodeNameInUse', message: "A node named 'node1' is already registered." } },
    });
    const io = captureIO();
    expect(await runRegister({ key: keyFor(`127.0.0.1:${fake.port}`), nodeName: 'node1', home }, io)).toBe(2);
    expect(io.stderr[1]).toMatch(/already in use .*--node-name <name>, or replace that node with --force/);
  });

  it('explains RemoteAccessDisabled with the shir command that fixes it', async () => {
    fake.handlers.register = () => ({
      status: 409,
      body: {
        error: {
          code: 'RemoteAccessDisabled',
          message:
            'Registration of new node is forbidden when Remote Access is disabled on another node. To enable it, …',
        },
      },
    });
    const io = captureIO();
    expect(await runRegister({ key: keyFor(`127.0.0.1:${fake.port}`), nodeName: 'node2', home, json: true }, io)).toBe(
      2,
    );
    expect(io.stderr[0]).toBe(REGISTRATION_FAILED);
    expect(io.stderr[1]).toMatch(/On the machine of that node run: shir remote-access enable/);
    expect(JSON.parse(io.stdout[0]).error.code).toBe('RemoteAccessDisabled');
  });

  it('refuses a malformed SHIR_VERSION before calling the service', async () => {
    const io = captureIO({ ...ENV, SHIR_VERSION: '5.1' });
    expect(await runRegister({ key: keyFor(`127.0.0.1:${fake.port}`), home }, io)).toBe(1);
    expect(io.stderr[1]).toMatch(/SHIR_VERSION='5.1' is not valid: expected a four-part version/);
    expect(fake.requests).toHaveLength(0);
  });

  it('reports SHIR_VERSION as the node version', async () => {
    fake.handlers.register = () => ({ status: 200, body: registered() });
    expect(
      await runRegister(
        { key: keyFor(`127.0.0.1:${fake.port}`), home },
        captureIO({ ...ENV, SHIR_VERSION: '5.30.8000.1' }),
      ),
    ).toBe(0);
    expect(fake.calls('register')[0].json.version).toBe('5.30.8000.1');
  });
});

describe('shir unregister', () => {
  it('removes the node from its integration runtime and clears the home', async () => {
    registerFixture();
    updateLocalSettings(homePaths(home), { logLevel: 'debug' });
    const io = captureIO();
    expect(await runUnregister({ home, json: true }, io)).toBe(0);
    expect(fake.calls('unregister')[0].headers.authorization).toBe(`Node ${CREDENTIAL}`);
    expect(JSON.parse(io.stdout[0])).toEqual({
      unregistered: true,
      removedFromService: true,
      nodeName: 'node1',
      integrationRuntime: 'my-shir',
      account: 'acct',
      home,
    });
    expect(readNodeConfig(homePaths(home))).toBeUndefined();
    expect(fs.existsSync(homePaths(home).settings)).toBe(false);
    expect(io.all()).not.toContain(CREDENTIAL_SECRET);
  });

  it('keeps the home when the service cannot be reached (exit 2), clears it with --force', async () => {
    registerFixture();
    await fake.close();
    const io = captureIO();
    expect(await runUnregister({ home }, io)).toBe(2);
    expect(io.stderr[0]).toMatch(/unreachable \(ECONNREFUSED\).*add --force/);
    expect(readNodeConfig(homePaths(home))).toBeDefined();
    const forced = captureIO();
    expect(await runUnregister({ home, force: true, json: true }, forced)).toBe(0);
    expect(JSON.parse(forced.stdout[0])).toEqual(
      expect.objectContaining({ unregistered: true, removedFromService: false }),
    );
    expect(readNodeConfig(homePaths(home))).toBeUndefined();
  });

  it('treats a node the service no longer knows as removed', async () => {
    registerFixture();
    fake.handlers.unregister = () => ({
      status: 401,
      body: { error: { code: 'InvalidNodeCredential', message: 'unknown node' } },
    });
    const io = captureIO();
    expect(await runUnregister({ home }, io)).toBe(0);
    expect(io.stderr[0]).toMatch(/had already been removed/);
    expect(readNodeConfig(homePaths(home))).toBeUndefined();
  });

  it('says when there is nothing to unregister (exit 1)', async () => {
    const io = captureIO();
    expect(await runUnregister({ home, json: true }, io)).toBe(1);
    expect(JSON.parse(io.stdout[0])).toEqual({
      unregistered: false,
      error: { code: 'NotRegistered', message: expect.stringContaining('shir register --key') },
    });
  });
});

describe('shir key', () => {
  it('re-registers the node under its name with the new key, keeping its settings', async () => {
    registerFixture();
    updateLocalSettings(homePaths(home), { logLevel: 'warn', remoteAccess: { enabled: true, port: 8061 } });
    fake.handlers.register = () => ({ status: 200, body: registered() });
    const key = keyFor(`127.0.0.1:${fake.port}`);
    const io = captureIO();
    expect(await runKey({ key, home, json: true }, io)).toBe(0);
    expect(fake.calls('register')[0].json).toEqual(
      expect.objectContaining({ authKey: key, nodeName: 'node1', force: true }),
    );
    expect(fake.calls('unregister')).toHaveLength(0); // same integration runtime: the service replaced the node
    expect(fake.calls('remote-access')[0].json).toEqual({ enabled: true, port: 8061 });
    expect(fake.calls('remote-access')[0].headers.authorization).toBe(`Node ${NEW_CREDENTIAL}`);
    expect(JSON.parse(io.stdout[0])).toEqual(
      expect.objectContaining({ rekeyed: true, moved: false, nodeName: 'node1', integrationRuntime: 'my-shir' }),
    );
    expect(openNodeCredential(homePaths(home), readNodeConfig(homePaths(home))!, {})).toBe(NEW_CREDENTIAL);
    expect(readLocalSettings(homePaths(home))).toEqual(
      expect.objectContaining({ logLevel: 'warn', remoteAccess: { enabled: true, port: 8061 } }),
    );
    expect(io.all()).not.toContain(KEY_SECRET);
    expect(io.all()).not.toContain(NEW_CREDENTIAL.split('.')[1]);
  });

  it('moves the home to another integration runtime and removes the old node there', async () => {
    registerFixture();
    fake.handlers.register = () => ({
      status: 200,
      body: registered({ accountName: 'other', integrationRuntime: { name: 'other-ir', id: OTHER_IR_ID } }),
    });
    const io = captureIO();
    expect(await runKey({ key: keyFor(`127.0.0.1:${fake.port}`, OTHER_IR_ID, 'other'), home, json: true }, io)).toBe(0);
    expect(fake.calls('unregister')[0].headers.authorization).toBe(`Node ${CREDENTIAL}`);
    expect(JSON.parse(io.stdout[0])).toEqual(
      expect.objectContaining({
        moved: true,
        integrationRuntime: 'other-ir',
        account: 'other',
        previous: { integrationRuntime: 'my-shir', account: 'acct', removed: true },
      }),
    );
    expect(readNodeConfig(homePaths(home))).toEqual(
      expect.objectContaining({ accountName: 'other', integrationRuntime: { name: 'other-ir', id: OTHER_IR_ID } }),
    );
  });

  it('leaves the home as it was when the new key is refused', async () => {
    registerFixture();
    fake.handlers.register = () => ({ status: 401, body: { error: { code: 'InvalidAuthKey', message: 'not valid' } } });
    const io = captureIO();
    expect(await runKey({ key: keyFor(`127.0.0.1:${fake.port}`), home }, io)).toBe(2);
    expect(io.stderr[0]).toBe(REGISTRATION_FAILED);
    expect(io.stderr[1]).toMatch(/not valid for any integration runtime.*The home still holds node 'node1'/);
    expect(openNodeCredential(homePaths(home), readNodeConfig(homePaths(home))!, {})).toBe(CREDENTIAL);
  });
});

describe('shir remote-access', () => {
  it('enables on a port and remembers it; --json prints the settings', async () => {
    registerFixture();
    const io = captureIO();
    expect(await runRemoteAccess('enable', { home, port: '8061', json: true }, io)).toBe(0);
    expect(fake.calls('remote-access')[0].json).toEqual({ enabled: true, port: 8061 });
    expect(JSON.parse(io.stdout[0])).toEqual({
      remoteAccess: { enabled: true, port: 8061, internalChannelEncryption: 'NotEncrypted' },
      nodeName: 'node1',
      home,
    });
    expect(readLocalSettings(homePaths(home)).remoteAccess).toEqual({ enabled: true, port: 8061 });
    const text = captureIO();
    expect(await runRemoteAccess('disable', { home }, text)).toBe(0);
    expect(text.stdout[0]).toBe("Remote access from intranet is disabled for node 'node1'.");
    expect(readLocalSettings(homePaths(home)).remoteAccess).toEqual({ enabled: false, port: 8061 });
  });

  it('explains a refused disable (HTTP 409) and keeps the setting', async () => {
    registerFixture();
    updateLocalSettings(homePaths(home), { remoteAccess: { enabled: true, port: 8060 } });
    fake.handlers['remote-access'] = () => ({
      status: 409,
      body: { error: { code: 'RemoteAccessInUse', message: 'Other nodes are registered.' } },
    });
    const io = captureIO();
    expect(await runRemoteAccess('disable', { home, json: true }, io)).toBe(2);
    expect(io.stderr[0]).toMatch(
      /cannot be disabled while other nodes are registered to integration runtime 'my-shir'/,
    );
    expect(JSON.parse(io.stdout[0]).error.code).toBe('RemoteAccessInUse');
    expect(readLocalSettings(homePaths(home)).remoteAccess.enabled).toBe(true);
  });

  it('rejects a bad port without calling the service (exit 1)', async () => {
    registerFixture();
    const io = captureIO();
    expect(await runRemoteAccess('enable', { home, port: '70000' }, io)).toBe(1);
    expect(io.stderr[0]).toMatch(/port '70000' is not valid/);
    expect(fake.requests).toHaveLength(0);
  });
});

describe('shir auto-update', () => {
  it('sets the integration runtime setting and remembers it', async () => {
    registerFixture();
    const io = captureIO();
    expect(await runAutoUpdate('off', { home, json: true }, io)).toBe(0);
    expect(fake.calls('auto-update')[0].json).toEqual({ autoUpdate: 'Off' });
    expect(JSON.parse(io.stdout[0])).toEqual({ autoUpdate: 'Off', integrationRuntime: 'my-shir', home });
    expect(readLocalSettings(homePaths(home)).autoUpdate).toBe('Off');
    const bad = captureIO();
    expect(await runAutoUpdate('maybe', { home }, bad)).toBe(1);
    expect(bad.stderr[0]).toMatch(/use 'shir auto-update on' or 'shir auto-update off'/);
  });

  it('says the service is unreachable (exit 2)', async () => {
    registerFixture();
    await fake.close();
    const io = captureIO();
    expect(await runAutoUpdate('on', { home }, io)).toBe(2);
    expect(io.stderr[0]).toMatch(/^Cannot turn auto-update on: the integration service at .* is unreachable/);
  });
});

describe('shir log-level', () => {
  it('prints and sets the level; rejects unknown levels', () => {
    const show = captureIO();
    expect(runLogLevel(undefined, { home, json: true }, show)).toBe(0);
    expect(JSON.parse(show.stdout[0])).toEqual({ logLevel: 'info', home });
    const set = captureIO();
    expect(runLogLevel('DEBUG', { home }, set)).toBe(0);
    expect(set.stdout[0]).toBe('Log level: debug (was info).');
    expect(readLocalSettings(homePaths(home)).logLevel).toBe('debug');
    const bad = captureIO();
    expect(runLogLevel('verbose', { home, json: true }, bad)).toBe(1);
    expect(JSON.parse(bad.stdout[0]).error).toEqual({
      code: 'InvalidLogLevel',
      message: "Unknown log level 'verbose': use one of error, warn, info, debug.",
    });
  });

  it('is honoured by the host service: at warn, info lines are dropped', async () => {
    registerFixture();
    updateLocalSettings(homePaths(home), { logLevel: 'warn' });
    const io = captureIO();
    const exit = runStart({ home }, io);
    await pollUntil(() => (readHostServiceState(homePaths(home))?.state === 'Connected' ? true : undefined), {
      description: 'Connected',
    });
    process.emit('SIGTERM', 'SIGTERM');
    expect(await exit).toBe(0);
    expect(io.stdout.filter((l) => / INFO /.test(l))).toEqual([]);
  });
});

describe('shir backup and restore', () => {
  it("round-trips the node, its credential and settings into another home, sealed with that home's key", () => {
    registerFixture();
    updateLocalSettings(homePaths(home), {
      logLevel: 'debug',
      remoteAccess: { enabled: true, port: 8062 },
      autoUpdate: 'Off',
    });
    const file = path.join(dir, 'node1.shirbackup');
    const backup = captureIO();
    expect(runBackup({ file, password: PASSWORD, home, json: true }, backup)).toBe(0);
    expect(JSON.parse(backup.stdout[0])).toEqual(
      expect.objectContaining({ backedUp: true, file, nodeName: 'node1', integrationRuntime: 'my-shir' }),
    );
    const text = fs.readFileSync(file, 'utf8');
    expect(text).not.toContain(CREDENTIAL_SECRET);
    expect(text).not.toContain(PASSWORD);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);

    const target = path.join(dir, 'restored');
    const restore = captureIO();
    expect(runRestore({ file, password: PASSWORD, home: target, json: true }, restore)).toBe(0);
    expect(JSON.parse(restore.stdout[0])).toEqual(
      expect.objectContaining({
        restored: true,
        nodeName: 'node1',
        integrationRuntime: 'my-shir',
        endpoint: fake.url,
        home: target,
      }),
    );
    const paths = homePaths(target);
    const config = readNodeConfig(paths)!;
    expect(config.node).toEqual(readNodeConfig(homePaths(home))!.node);
    expect(fs.readFileSync(paths.credentialKey, 'utf8')).not.toBe(
      fs.readFileSync(homePaths(home).credentialKey, 'utf8'),
    );
    expect(openNodeCredential(paths, config, {})).toBe(CREDENTIAL);
    expect(readLocalSettings(paths)).toEqual(
      expect.objectContaining({ logLevel: 'debug', remoteAccess: { enabled: true, port: 8062 }, autoUpdate: 'Off' }),
    );
    for (const out of [backup, restore]) {
      expect(out.all()).not.toContain(CREDENTIAL_SECRET);
      expect(out.all()).not.toContain(PASSWORD);
    }
  });

  it('says the password is wrong (exit 1) and changes nothing', () => {
    registerFixture();
    const file = path.join(dir, 'b.shirbackup');
    expect(runBackup({ file, password: PASSWORD, home }, captureIO())).toBe(0);
    const target = path.join(dir, 'restored');
    const io = captureIO();
    expect(runRestore({ file, password: 'wrong password', home: target, json: true }, io)).toBe(1);
    expect(io.stderr[0]).toBe(
      'The backup file cannot be decrypted: the password is wrong, or the file was changed. Give the password used with shir backup.',
    );
    expect(JSON.parse(io.stdout[0])).toEqual({
      restored: false,
      error: { code: 'WrongPassword', message: io.stderr[0] },
    });
    expect(readNodeConfig(homePaths(target))).toBeUndefined();
    expect(io.all()).not.toContain('wrong password');
  });

  it('refuses a home that holds a node unless --force, an existing file unless --force, and a missing password', () => {
    registerFixture();
    const file = path.join(dir, 'b.shirbackup');
    expect(runBackup({ file, password: PASSWORD, home }, captureIO())).toBe(0);
    const again = captureIO();
    expect(runBackup({ file, password: PASSWORD, home }, again)).toBe(1);
    expect(again.stderr[0]).toMatch(/already exists.*--force/);
    const held = captureIO();
    expect(runRestore({ file, password: PASSWORD, home }, held)).toBe(1);
    expect(held.stderr[0]).toMatch(/already holds node 'node1'.*--force/);
    expect(runRestore({ file, password: PASSWORD, home, force: true }, captureIO())).toBe(0);
    const noPassword = captureIO();
    expect(runBackup({ file: path.join(dir, 'c'), home }, noPassword)).toBe(1);
    expect(noPassword.stderr[0]).toMatch(/--password <password> or in SHIR_BACKUP_PASSWORD/);
    expect(runBackup({ file: path.join(dir, 'c'), home }, captureIO({ ...ENV, SHIR_BACKUP_PASSWORD: PASSWORD }))).toBe(
      0,
    );
  });
});

describe('auto-update in the host service', () => {
  it('reports upgrading after updateTo, then adopts the version, logs it and keeps it in the home', async () => {
    registerFixture();
    let offered = false;
    fake.handlers.heartbeat = (request) => {
      const updateTo = !offered && request.json.version === '5.30.8000.1' ? '5.41.9100.2' : undefined;
      if (updateTo) offered = true;
      return { status: 200, body: { ...DEFAULT_HEARTBEAT, ...(updateTo ? { updateTo } : {}) } };
    };
    const io = captureIO({ ...ENV, SHIR_VERSION: '5.30.8000.1' });
    const exit = runStart({ home, json: true }, io);
    await pollUntil(() => (readLocalSettings(homePaths(home)).version === '5.41.9100.2' ? true : undefined), {
      description: 'the adopted version',
    });
    await pollUntil(() => (fake.calls('heartbeat').some((c) => c.json.version === '5.41.9100.2') ? true : undefined), {
      description: 'a heartbeat with the new version',
    });
    process.emit('SIGTERM', 'SIGTERM');
    expect(await exit).toBe(0);
    const heartbeats = fake.calls('heartbeat').map((c) => c.json as { version: string; upgrading?: boolean });
    const offeredAt = heartbeats.findIndex((h, i) => i > 0 && h.upgrading === true);
    expect(offeredAt).toBeGreaterThan(0);
    expect(heartbeats[offeredAt]).toEqual(expect.objectContaining({ version: '5.30.8000.1', upgrading: true }));
    expect(heartbeats[offeredAt + 1]).toEqual(expect.objectContaining({ version: '5.41.9100.2' }));
    expect(heartbeats[offeredAt + 1].upgrading).toBeUndefined();
    const messages = io.stdout.map((l) => (JSON.parse(l) as { message: string }).message);
    expect(messages).toContain('Integration Runtime upgraded from 5.30.8000.1 to 5.41.9100.2');
  });
});

describe('machine check', () => {
  it('warns below the documented recommendation (4 cores, 8 GB, 80 GB free disk)', () => {
    expect(machineWarnings({ cores: 4, memoryMb: 8 * 1024, freeDiskMb: 100 * 1024 })).toEqual([]);
    expect(machineWarnings({ cores: 2, memoryMb: 4096, freeDiskMb: 20 * 1024 })).toEqual([
      'warning: this machine has 2 cores; the recommended minimum for a self-hosted integration runtime is 4.',
      'warning: this machine has 4 GB of memory; the recommended minimum for a self-hosted integration runtime is 8 GB.',
      'warning: the disk of the home has 20 GB free; the recommended minimum for a self-hosted integration runtime is 80 GB of free disk.',
    ]);
  });

  it('register warns on stderr and still succeeds', async () => {
    fake.handlers.register = () => ({ status: 200, body: registered() });
    const io = captureIO({});
    expect(await runRegister({ key: keyFor(`127.0.0.1:${fake.port}`), home }, io)).toBe(0);
    // Whatever this machine has, every stderr line is a warning and stdout says it registered.
    expect(io.stderr.every((l) => l.startsWith('warning: '))).toBe(true);
    expect(io.stdout[0]).toMatch(/^Registered node/);
  });
});

import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { formatAuthKey, type RegisterNodeResponse } from '@purview-emulator/contracts';
import { readNodeConfig } from '../home/node-config';
import { homePaths } from '../home/paths';
import { sanitizeNodeName } from '../machine';
import { FakeEmulator } from '../testing/fake-emulator';
import type { CommandIO } from './io';
import { REGISTRATION_FAILED, runRegister } from './register';

const SECRET = Buffer.alloc(32, 7).toString('base64');
const IR_ID = '6f1c2f0e-1f2b-4c1e-9a61-0d4c7b5e2a10';
const keyFor = (endpoint: string) =>
  formatAuthKey({ integrationRuntimeId: IR_ID, accountName: 'acct', serviceEndpoint: endpoint, secret: SECRET });

function captureIO(env: NodeJS.ProcessEnv = {}): CommandIO & { stdout: string[]; stderr: string[]; all: () => string } {
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

const REGISTERED: RegisterNodeResponse = {
  accountName: 'acct',
  integrationRuntime: { name: 'my-shir', id: IR_ID },
  node: { name: 'node1', id: '0b6f3a52-5d0e-4c8b-9a0e-0d2c9f1e7a11' },
  nodeCredential: '0b6f3a52-5d0e-4c8b-9a0e-0d2c9f1e7a11.bm9kZS1jcmVkZW50aWFsLXNlY3JldC12YWx1ZS0xMjM0NQ',
  heartbeatIntervalSeconds: 5,
  offlineAfterSeconds: 30,
};

let fake: FakeEmulator;
let dir: string;
beforeEach(async () => {
  fake = await FakeEmulator.start();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shir-register-'));
});
afterEach(async () => {
  await fake.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('shir register', () => {
  it('registers with the endpoint from the key and keeps the node in its home', async () => {
    fake.handlers.register = () => ({ status: 200, body: REGISTERED });
    const io = captureIO();
    const home = path.join(dir, 'node1');
    const key = keyFor(`127.0.0.1:${fake.port}`);
    expect(await runRegister({ key, nodeName: 'node1', home }, io)).toBe(0);

    const [call] = fake.calls('register');
    expect(call.headers.authorization).toBeUndefined();
    expect(call.json).toEqual({
      authKey: key,
      nodeName: 'node1',
      machineName: os.hostname(),
      version: '5.40.9000.1',
      cores: expect.any(Number),
      memoryMb: expect.any(Number),
      os: expect.any(String),
      force: false,
    });
    expect(io.stdout[0]).toBe(
      `Registered node 'node1' to integration runtime 'my-shir' of account 'acct' at http://127.0.0.1:${fake.port}.`,
    );
    const config = readNodeConfig(homePaths(home))!;
    expect(config).toEqual(
      expect.objectContaining({
        emulatorUrl: `http://127.0.0.1:${fake.port}`,
        accountName: 'acct',
        integrationRuntime: REGISTERED.integrationRuntime,
        node: REGISTERED.node,
      }),
    );
    const files = fs
      .readdirSync(home)
      .map((f) => fs.readFileSync(path.join(home, f), 'utf8'))
      .join('\n');
    expect(files).not.toContain(SECRET);
    expect(files).not.toContain(REGISTERED.nodeCredential.split('.')[1]);
    expect(io.all()).not.toContain(SECRET);
    expect(io.all()).not.toContain(REGISTERED.nodeCredential.split('.')[1]);
  });

  it('defaults the node name to the sanitized host name and prints JSON with --json', async () => {
    fake.handlers.register = (r) => ({
      status: 200,
      body: { ...REGISTERED, node: { ...REGISTERED.node, name: r.json.nodeName } },
    });
    const io = captureIO({ SHIR_HOME: path.join(dir, 'env-home') });
    expect(await runRegister({ key: keyFor(`127.0.0.1:${fake.port}`), json: true }, io)).toBe(0);
    expect(fake.calls('register')[0].json.nodeName).toBe(sanitizeNodeName(os.hostname()));
    expect(JSON.parse(io.stdout[0])).toEqual(
      expect.objectContaining({
        registered: true,
        nodeName: sanitizeNodeName(os.hostname()),
        integrationRuntime: 'my-shir',
        home: path.join(dir, 'env-home'),
      }),
    );
  });

  it.each([401, 404])('explains a key the service does not know (HTTP %d)', async (status) => {
    fake.handlers.register = () => ({
      status,
      body: {
        error: {
          code: 'InvalidAuthKey',
          message: "The authentication key is not valid for any integration runtime of account 'acct'.",
        },
      },
    });
    const io = captureIO();
    const home = path.join(dir, 'bad');
    expect(await runRegister({ key: keyFor(`127.0.0.1:${fake.port}`), home }, io)).toBe(2);
    expect(io.stderr[0]).toBe(REGISTRATION_FAILED);
    expect(io.stderr[1]).toMatch(
      /^The authentication key is not valid for any integration runtime at http:\/\/127\.0\.0\.1:\d+\./,
    );
    expect(io.stderr[1]).toContain(`HTTP ${status} InvalidAuthKey`);
    expect(readNodeConfig(homePaths(home))).toBeUndefined();
    expect(io.all()).not.toContain(SECRET);
  });

  it('says to choose another --node-name when the name is in use (HTTP 409)', async () => {
    fake.handlers.register = () => ({
      status: 409,
      body: {
        error: {
          code: 'NodeNameInUse',
          message: "A node named 'node1' is already registered to integration runtime 'my-shir'.",
        },
      },
    });
    const io = captureIO();
    expect(
      await runRegister({ key: keyFor(`127.0.0.1:${fake.port}`), nodeName: 'node1', home: path.join(dir, 'h') }, io),
    ).toBe(2);
    expect(io.stderr[0]).toBe(REGISTRATION_FAILED);
    expect(io.stderr[1]).toMatch(/The node name 'node1' is already in use .*--node-name/);
  });

  it('says the service is unreachable, with the URL and the underlying code', async () => {
    const spare = http.createServer();
    await new Promise<void>((resolve) => spare.listen(0, '127.0.0.1', resolve));
    const port = (spare.address() as AddressInfo).port;
    await new Promise<void>((resolve) => spare.close(() => resolve()));
    const io = captureIO();
    expect(await runRegister({ key: keyFor(`127.0.0.1:${port}`), home: path.join(dir, 'h') }, io)).toBe(2);
    expect(io.stderr).toEqual([
      REGISTRATION_FAILED,
      expect.stringContaining(`The integration service at http://127.0.0.1:${port} is unreachable (ECONNREFUSED)`),
    ]);
  });

  it('says what is wrong with a malformed key, without calling anything', async () => {
    const io = captureIO();
    expect(await runRegister({ key: 'not-a-key', home: path.join(dir, 'h') }, io)).toBe(1);
    expect(io.stderr).toEqual([REGISTRATION_FAILED, expect.stringMatching(/^The authentication key is malformed: /)]);
    const shortSecret = keyFor(`127.0.0.1:${fake.port}`).replace(/@[^@]+$/, '@abc');
    const io2 = captureIO();
    expect(await runRegister({ key: shortSecret, home: path.join(dir, 'h') }, io2)).toBe(1);
    expect(io2.stderr[1]).toMatch(/secret is not 32 bytes of base64/);
    expect(fake.requests).toHaveLength(0);
  });

  it('rejects an invalid --node-name before calling the service', async () => {
    const io = captureIO();
    expect(
      await runRegister(
        { key: keyFor(`127.0.0.1:${fake.port}`), nodeName: '-bad name', home: path.join(dir, 'h') },
        io,
      ),
    ).toBe(1);
    expect(io.stderr[1]).toMatch(/The node name '-bad name' is not valid/);
    expect(fake.requests).toHaveLength(0);
  });

  it('refuses a home that already holds a node', async () => {
    fake.handlers.register = () => ({ status: 200, body: REGISTERED });
    const home = path.join(dir, 'node1');
    expect(await runRegister({ key: keyFor(`127.0.0.1:${fake.port}`), nodeName: 'node1', home }, captureIO())).toBe(0);
    const io = captureIO();
    expect(await runRegister({ key: keyFor(`127.0.0.1:${fake.port}`), nodeName: 'node2', home, json: true }, io)).toBe(
      1,
    );
    expect(io.stderr).toEqual([
      REGISTRATION_FAILED,
      expect.stringMatching(/already holds node 'node1' of integration runtime 'my-shir'.*Use another --home/),
    ]);
    expect(JSON.parse(io.stdout[0])).toEqual({
      registered: false,
      error: { code: 'HomeAlreadyRegistered', message: io.stderr[1] },
    });
    expect(fake.calls('register')).toHaveLength(1);
  });
});

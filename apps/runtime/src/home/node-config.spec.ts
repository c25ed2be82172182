import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { HomeError } from './files';
import { newNodeConfig } from '../testing/node-fixtures';
import { type NewNodeConfig, openNodeCredential, readNodeConfig, saveNewNode } from './node-config';
import { homePaths, resolveHome } from './paths';
import { ENCRYPTION_KEY_ENV, loadEncryptionKey, open, seal } from './secret-box';

const CREDENTIAL = '0b6f3a52-5d0e-4c8b-9a0e-0d2c9f1e7a11.c2VjcmV0LWNyZWRlbnRpYWwtdmFsdWUtMTIzNDU2Nzg5MA';
const NODE: NewNodeConfig = newNodeConfig({
  integrationRuntime: { name: 'ir', id: '6f1c2f0e-1f2b-4c1e-9a61-0d4c7b5e2a10' },
  heartbeatIntervalSeconds: 5,
  offlineAfterSeconds: 30,
});

let home: string;
beforeEach(() => {
  home = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'shir-home-')), 'home');
});
afterEach(() => fs.rmSync(path.dirname(home), { recursive: true, force: true }));

const mode = (file: string) => fs.statSync(file).mode & 0o777;

describe('home paths', () => {
  it('--home wins over SHIR_HOME, which wins over ~/.shir', () => {
    expect(resolveHome('/a', { SHIR_HOME: '/b' })).toBe('/a');
    expect(resolveHome(undefined, { SHIR_HOME: '/b' })).toBe('/b');
    expect(resolveHome(undefined, {})).toBe(path.join(os.homedir(), '.shir'));
  });
});

describe('secret encryption', () => {
  it('round-trips a secret with AES-256-GCM, with a fresh IV each time', () => {
    fs.mkdirSync(home, { recursive: true });
    const key = loadEncryptionKey(path.join(home, 'credential.key'), { create: true, env: {} })!;
    const a = seal('secret', key, 'ctx');
    const b = seal('secret', key, 'ctx');
    expect(a.iv).not.toBe(b.iv);
    expect(open(a, key, 'ctx')).toBe('secret');
    expect(() => open(a, key, 'other-node')).toThrow(HomeError);
  });

  it('creates credential.key with 32 random bytes and mode 0600, and reuses it', () => {
    fs.mkdirSync(home, { recursive: true });
    const file = path.join(home, 'credential.key');
    const first = loadEncryptionKey(file, { create: true, env: {} })!;
    expect(first.key).toHaveLength(32);
    expect(mode(file)).toBe(0o600);
    expect(loadEncryptionKey(file, { create: true, env: {} })!.key.equals(first.key)).toBe(true);
  });

  it('takes the key from SHIR_ENCRYPTION_KEY when set, and rejects a malformed one', () => {
    fs.mkdirSync(home, { recursive: true });
    const file = path.join(home, 'credential.key');
    const envKey = Buffer.alloc(32, 5);
    const key = loadEncryptionKey(file, { create: true, env: { [ENCRYPTION_KEY_ENV]: envKey.toString('base64') } })!;
    expect(key).toEqual({ key: envKey, source: 'env' });
    expect(fs.existsSync(file)).toBe(false);
    expect(() => loadEncryptionKey(file, { create: true, env: { [ENCRYPTION_KEY_ENV]: 'short' } })).toThrow(
      /SHIR_ENCRYPTION_KEY must be 32 bytes in base64/,
    );
  });
});

describe('node config store', () => {
  it('stores the node with its credential sealed: no plaintext credential on disk', () => {
    const paths = homePaths(home);
    saveNewNode(paths, NODE, CREDENTIAL, {});
    expect(mode(home)).toBe(0o700);
    expect(mode(paths.nodeConfig)).toBe(0o600);
    for (const file of fs.readdirSync(home)) {
      const bytes = fs.readFileSync(path.join(home, file));
      expect(bytes.toString('utf8')).not.toContain(CREDENTIAL);
      expect(bytes.toString('utf8')).not.toContain(CREDENTIAL.split('.')[1]);
      expect(bytes.toString('base64')).not.toContain(Buffer.from(CREDENTIAL).toString('base64').slice(0, 20));
    }
    const stored = JSON.parse(fs.readFileSync(paths.nodeConfig, 'utf8'));
    expect(Object.keys(stored.nodeCredential).sort()).toEqual(['algorithm', 'ciphertext', 'iv', 'keySource', 'tag']);
    expect(JSON.stringify(stored)).not.toMatch(/authKey|IR@/);

    const config = readNodeConfig(paths)!;
    expect(config).toEqual(expect.objectContaining({ ...NODE, configVersion: 1 }));
    expect(openNodeCredential(paths, config, {})).toBe(CREDENTIAL);
  });

  it('can keep the key outside the home (SHIR_ENCRYPTION_KEY) and says when it is missing', () => {
    const paths = homePaths(home);
    const env = { [ENCRYPTION_KEY_ENV]: Buffer.alloc(32, 3).toString('base64') };
    saveNewNode(paths, NODE, CREDENTIAL, env);
    expect(fs.existsSync(paths.credentialKey)).toBe(false);
    const config = readNodeConfig(paths)!;
    expect(openNodeCredential(paths, config, env)).toBe(CREDENTIAL);
    expect(() => openNodeCredential(paths, config, {})).toThrow(/sealed with SHIR_ENCRYPTION_KEY, which is not set/);
    expect(() =>
      openNodeCredential(paths, config, { [ENCRYPTION_KEY_ENV]: Buffer.alloc(32, 4).toString('base64') }),
    ).toThrow(/cannot be decrypted/);
  });

  it('refuses a second node in the same home and reports a damaged config', () => {
    const paths = homePaths(home);
    expect(readNodeConfig(paths)).toBeUndefined();
    saveNewNode(paths, NODE, CREDENTIAL, {});
    expect(() => saveNewNode(paths, NODE, CREDENTIAL, {})).toThrow(/already holds a registered node/);
    fs.writeFileSync(paths.nodeConfig, '{oops');
    expect(() => readNodeConfig(paths)).toThrow(/not valid JSON/);
  });
});

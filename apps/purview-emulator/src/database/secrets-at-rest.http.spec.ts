import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import * as jose from 'jose';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { parseAuthKey } from '@purview-emulator/contracts';
import { createEmulatorApp } from '../app.factory';
import { loadConfig } from '../config/emulator-config';
import { MIGRATIONS } from './migrations';

// Each test starts the whole emulator several times (an RSA signing key is generated on each first start).
jest.setTimeout(30_000);

const V = '?api-version=2023-09-01';
const DB = 'purview-emulator.sqlite';
const KEY_FILE = 'encryption.key';

function configFor(dataDir: string, env: NodeJS.ProcessEnv = {}) {
  return loadConfig({
    PURVIEW_DATA_DIR: dataDir,
    PURVIEW_EMULATOR_PORT: '5380',
    AZURITE_BLOB_PORT: '1',
    AZURITE_QUEUE_PORT: '1',
    ...env,
  });
}

function mode(file: string): number {
  return fs.statSync(file).mode & 0o777;
}

/** Every byte SQLite keeps on disk for the database: the file, its WAL and its shared memory. */
function rawDatabase(dataDir: string): Buffer {
  return Buffer.concat(
    ['', '-wal', '-shm']
      .map((suffix) => path.join(dataDir, `${DB}${suffix}`))
      .filter((f) => fs.existsSync(f))
      .map((f) => fs.readFileSync(f)),
  );
}

async function tokenOf(app: NestFastifyApplication): Promise<string> {
  const response = await request(app.getHttpServer())
    .post('/00000000-0000-0000-0000-000000000000/oauth2/v2.0/token')
    .type('form')
    .send({
      grant_type: 'client_credentials',
      client_id: 'purview-emulator',
      client_secret: 'purview-emulator-secret',
      scope: 'https://purview.azure.net/.default',
    })
    .expect(200);
  return response.body.access_token as string;
}

/** Creates an IR, lists its keys and asks for its relay SAS key: every secret the emulator keeps for an IR. */
async function secretsOfNewRuntime(app: NestFastifyApplication, name: string): Promise<string[]> {
  const http = request(app.getHttpServer());
  const auth = { authorization: `Bearer ${await tokenOf(app)}` };
  await http.put(`/scan/integrationruntimes/${name}${V}`).set(auth).send({ kind: 'SelfHosted' }).expect(201);
  const keys = await http.post(`/scan/integrationruntimes/${name}:listAuthKeys${V}`).set(auth).expect(200);
  const relay = await http.get(`/_emulator/integrationruntimes/${name}/relay`).set(auth).expect(200);
  return [
    parseAuthKey(keys.body.authKey1).secret,
    parseAuthKey(keys.body.authKey2).secret,
    relay.body.sasKey as string,
  ];
}

describe('secrets at rest', () => {
  let root: string;
  const apps: NestFastifyApplication[] = [];

  const start = async (dataDir: string, env: NodeJS.ProcessEnv = {}): Promise<NestFastifyApplication> => {
    const app = await createEmulatorApp(configFor(dataDir, env), { logger: false });
    apps.push(app);
    return app;
  };
  const stop = async (app: NestFastifyApplication): Promise<void> => {
    apps.splice(apps.indexOf(app), 1);
    await app.close();
  };

  beforeEach(() => (root = fs.mkdtempSync(path.join(os.tmpdir(), 'secrets-at-rest-'))));
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('creates the data dir 0700 and the database, WAL, SHM and key file 0600 even with umask 000', async () => {
    const dataDir = path.join(root, 'data');
    const previous = process.umask(0o000);
    try {
      const app = await start(dataDir);
      await secretsOfNewRuntime(app, 'ir-modes');
      expect(mode(dataDir)).toBe(0o700);
      for (const name of [DB, `${DB}-wal`, `${DB}-shm`, KEY_FILE])
        expect([name, mode(path.join(dataDir, name))]).toEqual([name, 0o600]);
    } finally {
      process.umask(previous);
    }
  });

  it('tightens a data dir and database files that an older version left readable by others', async () => {
    const dataDir = path.join(root, 'data');
    fs.mkdirSync(dataDir, { mode: 0o755 });
    fs.chmodSync(dataDir, 0o755);
    for (const suffix of ['', '-wal', '-shm']) {
      fs.writeFileSync(path.join(dataDir, `${DB}${suffix}`), '', { mode: 0o644 });
      fs.chmodSync(path.join(dataDir, `${DB}${suffix}`), 0o644);
    }
    const app = await start(dataDir);
    await secretsOfNewRuntime(app, 'ir-tighten');
    expect(mode(dataDir)).toBe(0o700);
    for (const name of [DB, `${DB}-wal`, `${DB}-shm`])
      expect([name, mode(path.join(dataDir, name))]).toEqual([name, 0o600]);
  });

  it('keeps no auth key, relay SAS key or signing private key in plain text in the database or its WAL, and reads them back after a restart', async () => {
    const dataDir = path.join(root, 'data');
    const app = await start(dataDir);
    const secrets = await secretsOfNewRuntime(app, 'ir-plain');
    const token = await tokenOf(app);
    const whileRunning = rawDatabase(dataDir);
    for (const secret of secrets) expect(whileRunning.includes(secret)).toBe(false);
    // The private JWK's "d" (and primes) are the only place `"d":"` could appear; the public JWK has n and e only.
    expect(whileRunning.includes('"d":"')).toBe(false);
    await stop(app);
    const closed = rawDatabase(dataDir);
    for (const secret of secrets) expect(closed.includes(secret)).toBe(false);
    expect(closed.includes('"d":"')).toBe(false);

    const again = await start(dataDir);
    const http = request(again.getHttpServer());
    const keys = await http
      .post(`/scan/integrationruntimes/ir-plain:listAuthKeys${V}`)
      .set({ authorization: `Bearer ${token}` })
      .expect(200);
    expect([parseAuthKey(keys.body.authKey1).secret, parseAuthKey(keys.body.authKey2).secret]).toEqual(
      secrets.slice(0, 2),
    );
    const relay = await http
      .get('/_emulator/integrationruntimes/ir-plain/relay')
      .set({ authorization: `Bearer ${token}` })
      .expect(200);
    expect(relay.body.sasKey).toBe(secrets[2]);
  });

  it('encrypts the plain-text secrets of a database written by the previous version, which stays readable', async () => {
    const dataDir = path.join(root, 'data');
    fs.mkdirSync(dataDir);
    // What the previous version wrote: the schema migrations, then its rows with secrets in plain text.
    const pair = await jose.generateKeyPair('RS256', { extractable: true, modulusLength: 2048 });
    const privateJwk = await jose.exportJWK(pair.privateKey);
    const publicJwk = await jose.exportJWK(pair.publicKey);
    const old = {
      kid: randomUUID(),
      irId: randomUUID(),
      authKey1: 'b2xkLWF1dGgta2V5LW9uZS1zZWNyZXQtdmFsdWUtMDE=',
      authKey2: 'b2xkLWF1dGgta2V5LXR3by1zZWNyZXQtdmFsdWUtMDI=',
      manageKey: 'b2xkLW1hbmFnZS1zYXMta2V5LXNlY3JldC12YWx1ZTM=',
      listenKey: 'b2xkLWxpc3Rlbi1zYXMta2V5LXNlY3JldC12YWx1ZTQ=',
    };
    const T = '2026-01-01T00:00:00.000Z';
    const before = new DataSource({
      type: 'better-sqlite3',
      database: path.join(dataDir, DB),
      migrations: MIGRATIONS,
      migrationsTransactionMode: 'each',
      prepareDatabase: (db: { pragma(sql: string): unknown }) => void db.pragma('journal_mode = WAL'),
    });
    await before.initialize();
    await before.runMigrations();
    await before.query(
      `INSERT INTO signing_keys (kid, algorithm, private_jwk, public_jwk, created_at) VALUES (?, 'RS256', ?, ?, ?)`,
      [old.kid, JSON.stringify(privateJwk), JSON.stringify(publicJwk), T],
    );
    await before.query(
      `INSERT INTO integration_runtimes (id, name, kind, description, auth_key1, auth_key2, created_at, updated_at) VALUES (?, 'ir-old', 'SelfHosted', NULL, ?, ?, ?, ?)`,
      [old.irId, old.authKey1, old.authKey2, T, T],
    );
    await before.query(
      `INSERT INTO relay_hybrid_connections (integration_runtime_id, path, enabled, manage_key, listen_key, created_at) VALUES (?, ?, 1, ?, ?, ?)`,
      [old.irId, old.irId, old.manageKey, old.listenKey, T],
    );
    await before.destroy();
    expect(rawDatabase(dataDir).includes(old.authKey1)).toBe(true);

    const app = await start(dataDir);
    const plaintext = [old.authKey1, old.authKey2, old.manageKey, old.listenKey, privateJwk.d!, '"d":"'];
    const running = rawDatabase(dataDir);
    for (const secret of plaintext) expect([secret, running.includes(secret)]).toEqual([secret, false]);
    const token = await tokenOf(app);
    const http = request(app.getHttpServer());
    // The old signing key still signs: its kid and public key are what the JWKS publishes, and tokens verify with it.
    const jwks = await http.get('/00000000-0000-0000-0000-000000000000/discovery/v2.0/keys').expect(200);
    expect(jwks.body.keys).toEqual([expect.objectContaining({ kid: old.kid, n: publicJwk.n })]);
    await jose.jwtVerify(token, pair.publicKey);
    const keys = await http
      .post(`/scan/integrationruntimes/ir-old:listAuthKeys${V}`)
      .set({ authorization: `Bearer ${token}` })
      .expect(200);
    expect([parseAuthKey(keys.body.authKey1).secret, parseAuthKey(keys.body.authKey2).secret]).toEqual([
      old.authKey1,
      old.authKey2,
    ]);
    const relay = await http
      .get('/_emulator/integrationruntimes/ir-old/relay')
      .set({ authorization: `Bearer ${token}` })
      .expect(200);
    expect(relay.body.sasKey).toBe(old.manageKey);
    await stop(app);

    const closed = rawDatabase(dataDir);
    for (const secret of plaintext) expect([secret, closed.includes(secret)]).toEqual([secret, false]);
    expect(mode(path.join(dataDir, KEY_FILE))).toBe(0o600);
  });

  it('refuses to start, saying why, with a wrong or missing key; and never writes a key file for PURVIEW_ENCRYPTION_KEY', async () => {
    const withFile = path.join(root, 'with-file');
    const secrets = await secretsOfNewRuntime(await start(withFile), 'ir-key');
    for (const app of apps.splice(0)) await app.close();
    const otherKey = Buffer.alloc(32, 9).toString('base64');
    await expect(start(withFile, { PURVIEW_ENCRYPTION_KEY: otherKey })).rejects.toThrow(
      /cannot be decrypted with PURVIEW_ENCRYPTION_KEY.*encrypted with the key in .*encryption\.key/,
    );
    const keyText = fs.readFileSync(path.join(withFile, KEY_FILE), 'utf8');
    fs.rmSync(path.join(withFile, KEY_FILE));
    await expect(start(withFile)).rejects.toThrow(/encryption\.key, which is missing/);
    expect(fs.existsSync(path.join(withFile, KEY_FILE))).toBe(false);
    // The key itself, given through the variable, opens the database.
    const restored = await start(withFile, { PURVIEW_ENCRYPTION_KEY: keyText.trim() });
    const keys = await request(restored.getHttpServer())
      .post(`/scan/integrationruntimes/ir-key:listAuthKeys${V}`)
      .set({ authorization: `Bearer ${await tokenOf(restored)}` })
      .expect(200);
    expect(parseAuthKey(keys.body.authKey1).secret).toBe(secrets[0]);

    const withEnv = path.join(root, 'with-env');
    const envKey = Buffer.alloc(32, 5).toString('base64');
    await secretsOfNewRuntime(await start(withEnv, { PURVIEW_ENCRYPTION_KEY: envKey }), 'ir-env');
    expect(fs.existsSync(path.join(withEnv, KEY_FILE))).toBe(false);
    for (const app of apps.splice(0)) await app.close();
    await expect(start(withEnv)).rejects.toThrow(/encrypted with PURVIEW_ENCRYPTION_KEY, which is not set/);
    await expect(start(withEnv, { PURVIEW_ENCRYPTION_KEY: otherKey })).rejects.toThrow(
      /cannot be decrypted with PURVIEW_ENCRYPTION_KEY: it is not the key/,
    );
  });

  it('refuses a malformed PURVIEW_ENCRYPTION_KEY, naming the variable', () => {
    for (const bad of ['short', Buffer.alloc(16).toString('base64'), 'not base64 at all!']) {
      expect(() => configFor(root, { PURVIEW_ENCRYPTION_KEY: bad })).toThrow(
        'PURVIEW_ENCRYPTION_KEY must be 32 bytes in base64 (for example: openssl rand -base64 32).',
      );
    }
  });
});

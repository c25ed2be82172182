import 'reflect-metadata';
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as os from 'node:os';
import * as path from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ClientSecretCredential } from '@azure/identity';
import { SecretClient } from '@azure/keyvault-secrets';
import { DataSource } from 'typeorm';
import { WELL_KNOWN_CLIENT_ID, WELL_KNOWN_CLIENT_SECRET, WELL_KNOWN_TENANT_ID } from '@purview-emulator/contracts';
import { createEmulatorApp } from '../app.factory';
import { EmulatorConfig, loadConfig } from '../config/emulator-config';
import { HttpsListener, listenHttps } from '../tls/https-listener';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: any;
}

/** A raw HTTPS call trusting only the emulator's CA; `host` sends another Host (and SNI) than the address dialled. */
function call(
  port: number,
  ca: string,
  method: string,
  target: string,
  options: { host?: string; token?: string; body?: unknown } = {},
): Promise<Answer> {
  const host = options.host ?? 'localhost';
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        host: '127.0.0.1',
        port,
        method,
        path: target,
        ca,
        servername: host,
        headers: {
          host: `${host}:${port}`,
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
          ...(payload
            ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) }
            : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text ? JSON.parse(text) : undefined });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/**
 * The Key Vault secrets data plane over HTTPS, driven by Microsoft's own SecretClient (challenge auth against the
 * emulator's token endpoint through @azure/identity) and by raw calls for the wire details SecretClient hides.
 */
describe('Key Vault secrets (SecretClient over HTTPS)', () => {
  let dataDir: string;
  let app: NestFastifyApplication;
  let config: EmulatorConfig;
  let listener: HttpsListener;
  let client: SecretClient;
  let credential: ClientSecretCredential;
  let vaultToken: string;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'key-vault-'));
    config = loadConfig({
      PURVIEW_DATA_DIR: dataDir,
      PURVIEW_EMULATOR_PORT: '0',
      PURVIEW_EMULATOR_HTTPS_PORT: '0',
      AZURITE_BLOB_PORT: '1',
      AZURITE_QUEUE_PORT: '1',
      PURVIEW_EMULATOR_CLIENTS: JSON.stringify([
        { clientId: WELL_KNOWN_CLIENT_ID, clientSecret: WELL_KNOWN_CLIENT_SECRET, roles: ['Data Source Admin'] },
        { clientId: 'reader-app', clientSecret: 'reader-secret', roles: ['Data Reader'] },
      ]),
    });
    app = await createEmulatorApp(config, { logger: false });
    await app.listen(0, '127.0.0.1');
    listener = await listenHttps(app, config);
    credential = new ClientSecretCredential(WELL_KNOWN_TENANT_ID, WELL_KNOWN_CLIENT_ID, WELL_KNOWN_CLIENT_SECRET, {
      authorityHost: config.publicHttpsUrl,
      disableInstanceDiscovery: true,
      tlsOptions: { ca: listener.tls.caPem },
    });
    client = new SecretClient(`https://localhost:${listener.port}`, credential, {
      disableChallengeResourceVerification: true,
      tlsOptions: { ca: listener.tls.caPem },
      retryOptions: { maxRetries: 0 },
    });
    vaultToken = (await credential.getToken('https://vault.azure.net/.default')).token;
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('challenges an unauthenticated call as Key Vault does, naming the authority and the vault resource', async () => {
    const answer = await call(listener.port, listener.tls.caPem, 'GET', '/secrets?api-version=2025-07-01');
    expect(answer.status).toBe(401);
    expect(answer.headers['www-authenticate']).toBe(
      `Bearer authorization="https://localhost:${listener.port}/${WELL_KNOWN_TENANT_ID}", resource="https://vault.azure.net"`,
    );
    expect(answer.body.error).toEqual({ code: 'Unauthorized', message: expect.stringContaining('AKV10000') });
  });

  it('refuses a Purview token (wrong audience) and a client without the Data Source Admin role', async () => {
    const purview = await credential.getToken('https://purview.azure.net/.default');
    const wrongAudience = await call(listener.port, listener.tls.caPem, 'GET', '/secrets?api-version=7.5', {
      token: purview.token,
    });
    expect(wrongAudience.status).toBe(401);
    expect(wrongAudience.body.error.message).toContain('AKV10022');
    const reader = new ClientSecretCredential(WELL_KNOWN_TENANT_ID, 'reader-app', 'reader-secret', {
      authorityHost: config.publicHttpsUrl,
      disableInstanceDiscovery: true,
      tlsOptions: { ca: listener.tls.caPem },
    });
    const readerToken = (await reader.getToken('https://vault.azure.net/.default')).token;
    const forbidden = await call(listener.port, listener.tls.caPem, 'GET', '/secrets?api-version=7.5', {
      token: readerToken,
    });
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.error.message).toContain('Data Source Admin');
  });

  it('sets, gets (latest and by version), lists, updates and deletes secrets with SecretClient', async () => {
    const first = await client.setSecret('storage-key', 'first-value', { contentType: 'text/plain', tags: { a: 'b' } });
    expect(first.value).toBe('first-value');
    expect(first.properties.id).toBe(
      `https://localhost:${listener.port}/secrets/storage-key/${first.properties.version}`,
    );
    expect(first.properties.version).toMatch(/^[0-9a-f]{32}$/);
    expect(first.properties).toEqual(
      expect.objectContaining({
        enabled: true,
        contentType: 'text/plain',
        tags: { a: 'b' },
        recoveryLevel: 'Purgeable',
      }),
    );
    const second = await client.setSecret('storage-key', 'second-value');
    expect((await client.getSecret('storage-key')).value).toBe('second-value');
    expect((await client.getSecret('storage-key', { version: first.properties.version! })).value).toBe('first-value');
    await client.setSecret('other', 'x');

    const names: string[] = [];
    for await (const p of client.listPropertiesOfSecrets()) names.push(p.name);
    expect(names).toEqual(['other', 'storage-key']);
    const versions: string[] = [];
    for await (const p of client.listPropertiesOfSecretVersions('storage-key')) versions.push(p.version!);
    expect(versions.sort()).toEqual([first.properties.version, second.properties.version].sort());

    await client.updateSecretProperties('storage-key', second.properties.version!, { enabled: false });
    await expect(client.getSecret('storage-key')).rejects.toMatchObject({ statusCode: 403 });
    await client.updateSecretProperties('storage-key', second.properties.version!, { enabled: true });

    const poller = await client.beginDeleteSecret('other');
    const deleted = await poller.pollUntilDone();
    expect(deleted.name).toBe('other');
    await expect(client.getSecret('other')).rejects.toMatchObject({ statusCode: 404, code: 'SecretNotFound' });
  });

  it('asks for the latest version with a trailing slash, as SecretClient does, and pages with maxresults', async () => {
    await client.setSecret('paged-1', 'v');
    await client.setSecret('paged-2', 'v');
    const latest = await call(listener.port, listener.tls.caPem, 'GET', '/secrets/paged-1/?api-version=2025-07-01', {
      token: vaultToken,
    });
    expect(latest.status).toBe(200);
    expect(latest.body).toEqual({
      id: expect.stringMatching(/\/secrets\/paged-1\/[0-9a-f]{32}$/),
      value: 'v',
      attributes: {
        enabled: true,
        created: expect.any(Number),
        updated: expect.any(Number),
        recoveryLevel: 'Purgeable',
      },
    });
    const page = await call(listener.port, listener.tls.caPem, 'GET', '/secrets?api-version=7.4&maxresults=1', {
      token: vaultToken,
    });
    expect(page.body.value).toHaveLength(1);
    expect(page.body.value[0]).not.toHaveProperty('value');
    const next = new URL(page.body.nextLink as string);
    expect(next.searchParams.get('$skiptoken')).toBeTruthy();
    const rest = await call(listener.port, listener.tls.caPem, 'GET', `${next.pathname}${next.search}`, {
      token: vaultToken,
    });
    expect(rest.body.value).toHaveLength(1);
    expect(rest.body.value[0].id).not.toBe(page.body.value[0].id);
    // SecretClient follows nextLink itself: with maxresults 1 it still lists every secret.
    const names: string[] = [];
    for await (const p of client.listPropertiesOfSecrets().byPage({ maxPageSize: 1 }))
      names.push(...p.map((s) => s.name));
    expect(names).toEqual(expect.arrayContaining(['paged-1', 'paged-2']));
  });

  it('answers errors in Key Vault shape: unknown or missing api-version, bad name, unknown secret or version', async () => {
    const ask = (target: string, method = 'GET', body?: unknown) =>
      call(listener.port, listener.tls.caPem, method, target, { token: vaultToken, body });
    const unknownVersion = await ask('/secrets?api-version=1999-01-01');
    expect(unknownVersion.status).toBe(400);
    expect(unknownVersion.body.error.code).toBe('BadParameter');
    expect((await ask('/secrets')).body.error.code).toBe('BadParameter');
    expect((await ask('/secrets/bad_name?api-version=7.5', 'PUT', { value: 'x' })).body.error.code).toBe(
      'BadParameter',
    );
    expect((await ask('/secrets/ok-name?api-version=7.5', 'PUT', { value: 3 })).status).toBe(400);
    const missing = await ask('/secrets/nope?api-version=7.5');
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ error: { code: 'SecretNotFound', message: expect.stringContaining('nope') } });
    await client.setSecret('has-versions', 'v');
    expect((await ask(`/secrets/has-versions/${'0'.repeat(32)}?api-version=7.5`)).status).toBe(404);
    expect((await ask('/secrets/nope?api-version=7.5', 'DELETE')).status).toBe(404);
  });

  it('names the vault by the Host ({vault}.vault.azure.net, covered by the certificate), else the default vault', async () => {
    const put = await call(listener.port, listener.tls.caPem, 'PUT', '/secrets/only-here?api-version=7.5', {
      host: 'myvault.vault.azure.net',
      token: vaultToken,
      body: { value: 'in-myvault' },
    });
    expect(put.status).toBe(200);
    expect(put.body.id).toMatch(
      new RegExp(`^https://myvault\\.vault\\.azure\\.net:${listener.port}/secrets/only-here/`),
    );
    const inMyVault = await call(listener.port, listener.tls.caPem, 'GET', '/secrets/only-here?api-version=7.5', {
      host: 'MyVault.vault.azure.net',
      token: vaultToken,
    });
    expect(inMyVault.body.value).toBe('in-myvault');
    await expect(client.getSecret('only-here')).rejects.toMatchObject({ statusCode: 404 });
  });

  it('keeps secret values encrypted at rest', async () => {
    await client.setSecret('at-rest', 'plain-text-that-must-not-be-stored');
    const rows = await app
      .get(DataSource)
      .query<{ value: string }[]>(`SELECT "value" FROM "key_vault_secrets" WHERE "name" = 'at-rest'`);
    expect(rows).toHaveLength(1);
    expect(rows[0].value).toMatch(/^aes256gcm:/);
    expect(rows[0].value).not.toContain('plain-text');
  });
});

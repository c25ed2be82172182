import 'reflect-metadata';
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as os from 'node:os';
import * as path from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ClientSecretCredential } from '@azure/identity';
import { PurviewManagementClient } from '@azure/arm-purview';
import * as jose from 'jose';
import { WebSocket } from 'ws';
import {
  createSasToken,
  IntegrationRuntimeRelay,
  WELL_KNOWN_CLIENT_ID,
  WELL_KNOWN_CLIENT_SECRET,
  WELL_KNOWN_TENANT_ID,
} from '@purview-emulator/contracts';
import { createEmulatorApp } from '../app.factory';
import { EmulatorConfig, loadConfig } from '../config/emulator-config';
import { HttpsListener, listenHttps } from '../tls/https-listener';
import { attachRelay } from '../relay/attach-relay';

/** A request over HTTPS that trusts only the emulator's CA (Node's fetch takes no per-call CA). */
function httpsRequest(
  url: string,
  options: { ca: string; method?: string; headers?: Record<string, string> },
): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      url,
      { method: options.method ?? 'GET', headers: options.headers, ca: options.ca },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined });
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/**
 * The real app on real ports, HTTP and HTTPS, driven by Microsoft's own clients: @azure/identity gets tokens from
 * the emulator's token endpoint (as its authority) and @azure/arm-purview reads the account. Storage is not
 * needed: Azurite's ports point nowhere.
 */
describe.each(['managed', 'ingestion'] as const)(
  'the account over HTTPS with Microsoft clients (%s storage)',
  (storageMode) => {
    let dataDir: string;
    let app: NestFastifyApplication;
    let config: EmulatorConfig;
    let listener: HttpsListener;
    let endpoint: string;
    let credential: ClientSecretCredential;
    const SUBSCRIPTION = '11111111-2222-3333-4444-555555555555';

    beforeAll(async () => {
      dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'account-https-'));
      config = loadConfig({
        PURVIEW_DATA_DIR: dataDir,
        PURVIEW_EMULATOR_PORT: '0',
        PURVIEW_EMULATOR_HTTPS_PORT: '0',
        AZURITE_BLOB_PORT: '1',
        AZURITE_QUEUE_PORT: '1',
        PURVIEW_ACCOUNT_STORAGE_MODE: storageMode,
      });
      app = await createEmulatorApp(config, { logger: false });
      await app.listen(0, '127.0.0.1');
      listener = await listenHttps(app, config);
      attachRelay(app, listener.server);
      endpoint = config.publicHttpsUrl;
      // What the README documents: the emulator as authority host, no instance discovery, the emulator's CA.
      credential = new ClientSecretCredential(WELL_KNOWN_TENANT_ID, WELL_KNOWN_CLIENT_ID, WELL_KNOWN_CLIENT_SECRET, {
        authorityHost: endpoint,
        disableInstanceDiscovery: true,
        tlsOptions: { ca: listener.tls.caPem },
      });
    }, 60_000);

    afterAll(async () => {
      await app?.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    });

    it('serves HTTPS on the configured (here: free) port with a certificate from the local CA', async () => {
      expect(endpoint).toBe(`https://127.0.0.1:${listener.port}`);
      expect(listener.tls.caPath).toBe(path.join(dataDir, 'tls', 'ca.pem'));
      const health = await httpsRequest(`${endpoint}/_emulator/health`, { ca: listener.tls.caPem });
      expect([200, 503]).toContain(health.status);
      expect(health.body.account).toBe('emulator');
    });

    it('gives @azure/identity a Purview token over HTTPS, and the token works on /scan', async () => {
      const token = await credential.getToken('https://purview.azure.net/.default');
      const claims = jose.decodeJwt(token.token);
      expect(claims.aud).toBe('https://purview.azure.net');
      // MSAL accepts only an issuer on its authority's own origin.
      expect(claims.iss).toBe(`${endpoint}/${WELL_KNOWN_TENANT_ID}/v2.0`);
      const list = await httpsRequest(`${endpoint}/scan/integrationruntimes?api-version=2023-09-01`, {
        ca: listener.tls.caPem,
        headers: { authorization: `Bearer ${token.token}` },
      });
      expect(list.status).toBe(200);
      expect(list.body).toEqual(expect.objectContaining({ value: [] }));
      const account = await httpsRequest(`${endpoint}/account?api-version=2019-11-01-preview`, {
        ca: listener.tls.caPem,
        headers: { authorization: `Bearer ${token.token}` },
      });
      expect(account.body).toEqual(expect.objectContaining({ name: 'emulator', type: 'Microsoft.Purview/accounts' }));
    });

    it('lets @azure/arm-purview read the account (api-version 2021-07-01) in this storage mode', async () => {
      const client = new PurviewManagementClient(credential, SUBSCRIPTION, {
        endpoint,
        credentialScopes: ['https://management.azure.com/.default'],
        tlsOptions: { ca: listener.tls.caPem },
      });
      const account = await client.accounts.get('any-resource-group', 'emulator');
      expect(account).toEqual(
        expect.objectContaining({
          id: `/subscriptions/${SUBSCRIPTION}/resourceGroups/any-resource-group/providers/Microsoft.Purview/accounts/emulator`,
          name: 'emulator',
          type: 'Microsoft.Purview/accounts',
          provisioningState: 'Succeeded',
          friendlyName: 'emulator',
        }),
      );
      expect(account.endpoints).toEqual({
        catalog: `${endpoint}/catalog`,
        guardian: `${endpoint}/guardian`,
        scan: `${endpoint}/scan`,
      });
      if (storageMode === 'managed') {
        expect(account.managedResources?.storageAccount).toBe(
          `/subscriptions/${SUBSCRIPTION}/resourceGroups/managed-rg-emulator/providers/Microsoft.Storage/storageAccounts/devstoreaccount1`,
        );
        expect(account.createdAt!.getTime()).toBeLessThan(Date.parse('2023-12-15'));
      } else {
        expect(account.managedResources?.storageAccount).toBeUndefined();
        expect(account.createdAt!.getTime()).toBeGreaterThanOrEqual(Date.parse('2023-12-15'));
      }
      const listed = [];
      for await (const a of client.accounts.listByResourceGroup('rg2')) listed.push(a);
      expect(listed.map((a) => a.id)).toEqual([
        `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg2/providers/Microsoft.Purview/accounts/emulator`,
      ]);
      await expect(client.accounts.listKeys('rg', 'emulator')).resolves.toBeDefined();
      await expect(client.accounts.get('rg', 'someone-else')).rejects.toEqual(
        expect.objectContaining({ statusCode: 404, code: 'ResourceNotFound' }),
      );
    });

    it('also works when only the endpoint is set: the SDK then asks for a token for the emulator address', async () => {
      const client = new PurviewManagementClient(credential, SUBSCRIPTION, {
        endpoint,
        tlsOptions: { ca: listener.tls.caPem },
      });
      await expect(client.accounts.get('rg', 'emulator')).resolves.toEqual(
        expect.objectContaining({ name: 'emulator' }),
      );
    });

    it('shows the storage of this mode in api-version 2023-05-01-preview', async () => {
      const client = new PurviewManagementClient(credential, SUBSCRIPTION, {
        endpoint,
        apiVersion: '2023-05-01-preview',
        credentialScopes: ['https://management.azure.com/.default'],
        tlsOptions: { ca: listener.tls.caPem },
      });
      // arm-purview 1.1.0 models 2021-07-01, so read the raw body of the newer version through the same pipeline.
      let raw: any;
      await client.accounts.get('rg', 'emulator', {
        onResponse: (response) => void (raw = JSON.parse(response.bodyAsText ?? '{}')),
      });
      expect(raw.properties.endpoints.guardian).toBeUndefined();
      expect(raw.properties.accountStatus).toEqual({ accountProvisioningState: 'Succeeded', errorDetails: {} });
      if (storageMode === 'managed') {
        expect(raw.properties.ingestionStorage).toBeUndefined();
        expect(raw.properties.managedResources.storageAccount).toMatch(/storageAccounts\/devstoreaccount1$/);
      } else {
        expect(raw.properties.ingestionStorage).toEqual({
          primaryEndpoint: 'http://127.0.0.1:1/devstoreaccount1/',
          publicNetworkAccess: 'Enabled',
        });
        expect(raw.properties.managedResources).toEqual({});
      }
    });

    it('answers ARM errors in ARM shape: no token, a Purview token, a bad api-version', async () => {
      const url = `${endpoint}/subscriptions/${SUBSCRIPTION}/resourceGroups/rg/providers/Microsoft.Purview/accounts/emulator`;
      const ca = listener.tls.caPem;
      const anonymous = await httpsRequest(`${url}?api-version=2021-07-01`, { ca });
      expect(anonymous).toEqual({
        status: 401,
        body: {
          error: {
            code: 'AuthenticationFailed',
            message: "Authentication failed. The 'Authorization' header is missing.",
          },
        },
      });
      const purviewToken = (await credential.getToken('https://purview.azure.net/.default')).token;
      const wrongAudience = await httpsRequest(`${url}?api-version=2021-07-01`, {
        ca,
        headers: { authorization: `Bearer ${purviewToken}` },
      });
      expect(wrongAudience.status).toBe(401);
      expect(wrongAudience.body.error.code).toBe('InvalidAuthenticationTokenAudience');
      const armToken = (await credential.getToken('https://management.azure.com/.default')).token;
      const badVersion = await httpsRequest(`${url}?api-version=2019-01-01`, {
        ca,
        headers: { authorization: `Bearer ${armToken}` },
      });
      expect(badVersion.status).toBe(400);
      expect(badVersion.body.error.code).toBe('NoRegisteredProviderFound');
      const noVersion = await httpsRequest(url, { ca, headers: { authorization: `Bearer ${armToken}` } });
      expect(noVersion.body.error.code).toBe('MissingApiVersionParameter');
      // An ARM token is not a Purview token.
      const scan = await httpsRequest(`${endpoint}/scan/integrationruntimes?api-version=2023-09-01`, {
        ca,
        headers: { authorization: `Bearer ${armToken}` },
      });
      expect(scan.status).toBe(401);
    });

    it('lists every host a node must reach in /status serviceUrls and View Service URLs', async () => {
      const token = (await credential.getToken('https://purview.azure.net/.default')).token;
      const ca = listener.tls.caPem;
      const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
      const created = await new Promise<number>((resolve, reject) => {
        const req = https.request(
          `${endpoint}/scan/integrationruntimes/shir1?api-version=2023-09-01`,
          { method: 'PUT', headers, ca },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on('error', reject);
        req.end(JSON.stringify({ kind: 'SelfHosted', properties: {} }));
      });
      expect([200, 201]).toContain(created);
      // Nodes speak HTTP to the address in their key: account, token, relay, runtime protocol and updates; then storage.
      const expected = [new URL(config.publicUrl).host, '127.0.0.1:1'];
      const status = await httpsRequest(`${endpoint}/scan/integrationruntimes/shir1/status?api-version=2023-09-01`, {
        ca,
        headers,
      });
      expect(status.body.properties.typeProperties.serviceUrls).toEqual(expected);
      const view = await httpsRequest(`${endpoint}/_emulator/integrationruntimes/shir1/serviceUrls`, { ca, headers });
      expect(view.status).toBe(200);
      expect(view.body.serviceUrls).toEqual(expected);
      expect(view.body.endpoints.map((e: { purpose: string }) => e.purpose)).toEqual(
        expect.arrayContaining(['Token endpoint', 'Relay (interactive authoring)', 'Update and download']),
      );
      expect(view.body.endpoints.find((e: { purpose: string }) => e.purpose.endsWith(': blob')).purpose).toBe(
        storageMode === 'managed' ? 'Managed storage account: blob' : 'Ingestion storage: blob',
      );
      const missing = await httpsRequest(`${endpoint}/_emulator/integrationruntimes/nope/serviceUrls`, { ca, headers });
      expect(missing.status).toBe(404);
    });

    it('serves the relay over wss:// on the HTTPS port', async () => {
      const token = (await credential.getToken('https://purview.azure.net/.default')).token;
      const ca = listener.tls.caPem;
      const relay = (
        await httpsRequest(`${endpoint}/_emulator/integrationruntimes/shir1/relay`, {
          ca,
          headers: { authorization: `Bearer ${token}` },
        })
      ).body as IntegrationRuntimeRelay;
      expect(relay.listenUrl.startsWith(`wss://127.0.0.1:${listener.port}/$hc/`)).toBe(true);
      const sas = createSasToken(
        relay.listenUrl.split('?')[0].replace(/^wss:/, 'https:'),
        relay.sasKeyName,
        relay.sasKey,
        Math.floor(Date.now() / 1000) + 600,
      );
      const ws = new WebSocket(relay.listenUrl, { ca, headers: { ServiceBusAuthorization: sas } });
      try {
        await new Promise<void>((resolve, reject) => {
          ws.once('open', () => resolve());
          ws.once('unexpected-response', (_req, res) =>
            reject(new Error(`relay refused the listener: ${res.statusCode} ${res.statusMessage}`)),
          );
          ws.once('error', reject);
        });
      } finally {
        ws.terminate();
      }
    });
  },
);

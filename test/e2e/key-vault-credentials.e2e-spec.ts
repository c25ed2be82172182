import * as fs from 'node:fs';
import * as path from 'node:path';
import { SecretClient } from '@azure/keyvault-secrets';
import {
  DEVSTORE_KEY,
  type ScanResultWithIngestion,
  type SelfHostedIntegrationRuntimeStatus,
  WELL_KNOWN_CLIENT_ID,
  WELL_KNOWN_CLIENT_SECRET,
  WELL_KNOWN_TENANT_ID,
} from '@purview-emulator/contracts';
import { pollUntil } from '@purview-emulator/testing';
import { devstoreBlobService } from '../../scripts/src/stack/seed';
import { TestStack } from './harness';
import { secretClientOf } from './key-vault';

const WRONG_KEY = Buffer.alloc(64, 7).toString('base64');

/**
 * Credential scans on real processes (Azurite, the emulator, a `shir` node): Microsoft's SecretClient stores the
 * Azurite account key in the emulator's Key Vault, a Key Vault connection and an AccountKey credential point at it,
 * and a scan with that credential reads the account with that key; a credential whose secret is a wrong key fails
 * the run with AuthenticationFailed, naming the credential and the secret, never the value. A ServicePrincipal
 * credential whose client secret is in Key Vault signs in and scans; a wrong client secret fails the same way.
 */
describe('scans with a Key Vault-backed credential', () => {
  const stack = new TestStack();
  let secrets: SecretClient;

  beforeAll(async () => {
    await stack.start();
    secrets = secretClientOf(stack);

    const container = devstoreBlobService(stack.ports.blob).getContainerClient('kv-data');
    await container.createIfNotExists();
    const csv = 'id,email\n1,ada@example.com\n2,alan@example.com\n';
    await container.getBlockBlobClient('people.csv').upload(csv, Buffer.byteLength(csv));

    await stack.client.scan('PUT', '/integrationruntimes/kv-shir', { kind: 'SelfHosted', properties: {} });
    const { authKey1 } = await stack.client.scan<{ authKey1: string }>(
      'POST',
      '/integrationruntimes/kv-shir:listAuthKeys',
    );
    expect((await stack.shir(['register', '--key', authKey1, '--node-name', 'node1'], stack.home('node1'))).code).toBe(
      0,
    );
    stack.startNode('node1');
    await pollUntil(
      async () =>
        (await stack.client.scan<SelfHostedIntegrationRuntimeStatus>('GET', '/integrationruntimes/kv-shir/status'))
          .properties.state === 'Online'
          ? true
          : undefined,
      { timeoutMs: 30_000, description: 'the node to be Online' },
    );
  }, 120_000);

  afterAll(async () => {
    await stack.stop();
  });

  async function finished(scan: string, runId: string): Promise<ScanResultWithIngestion> {
    return pollUntil(
      async () => {
        const run = await stack.client.scan<ScanResultWithIngestion>(
          'GET',
          `/datasources/kv-storage/scans/${scan}/runs/${runId}`,
        );
        return ['Succeeded', 'Failed', 'Canceled'].includes(run.status) ? run : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 200, description: `run ${runId} to finish` },
    );
  }

  it('stores the keys with SecretClient and points a Key Vault connection and credentials at them', async () => {
    const stored = await secrets.setSecret('azurite-key', DEVSTORE_KEY);
    expect(stored.properties.vaultUrl).toBe(`https://localhost:${stack.ports.https}`);
    await secrets.setSecret('wrong-key', WRONG_KEY);
    expect((await secrets.getSecret('azurite-key')).value).toBe(DEVSTORE_KEY);

    await stack.client.scan('PUT', '/azureKeyVaults/e2e-kv', {
      properties: { baseUrl: `https://localhost:${stack.ports.https}/`, description: 'the emulator vault' },
    });
    for (const [name, secretName] of [
      ['azurite-cred', 'azurite-key'],
      ['wrong-cred', 'wrong-key'],
    ]) {
      const credential = await stack.client.scan<{ properties: Record<string, unknown> }>(
        'PUT',
        `/credentials/${name}`,
        {
          kind: 'AccountKey',
          properties: {
            typeProperties: {
              accountKey: {
                type: 'AzureKeyVaultSecret',
                secretName,
                store: { referenceName: 'e2e-kv', type: 'LinkedServiceReference' },
              },
            },
          },
        },
      );
      expect(JSON.stringify(credential)).not.toContain(DEVSTORE_KEY);
    }
    await stack.client.scan('PUT', '/datasources/kv-storage', {
      kind: 'AzureStorage',
      properties: { endpoint: 'https://devstoreaccount1.blob.core.windows.net/' },
    });
    for (const [scan, credential] of [
      ['right-key-scan', 'azurite-cred'],
      ['wrong-key-scan', 'wrong-cred'],
    ])
      await stack.client.scan('PUT', `/datasources/kv-storage/scans/${scan}`, {
        kind: 'AzureStorageCredential',
        properties: {
          credential: { referenceName: credential, credentialType: 'AccountKey' },
          connectedVia: { referenceName: 'kv-shir' },
        },
      });
  });

  it('scans with the Azurite key from Key Vault: the run Succeeds and finds the blob', async () => {
    const run = await finished('right-key-scan', await stack.client.runScan('kv-storage', 'right-key-scan'));
    expect(run.error ?? null).toBeNull();
    expect(run.status).toBe('Succeeded');
    expect(run.assetsDiscovered).toBeGreaterThanOrEqual(1);
  });

  it('fails with a wrong key as AuthenticationFailed, naming the credential and the secret, never the value', async () => {
    const run = await finished('wrong-key-scan', await stack.client.runScan('kv-storage', 'wrong-key-scan'));
    expect(run.status).toBe('Failed');
    expect(run.error?.code).toBe('AuthenticationFailed');
    expect(run.errorMessage).toContain("credential 'wrong-cred'");
    expect(run.errorMessage).toContain("secret 'wrong-key' of Key Vault connection 'e2e-kv'");
    expect(JSON.stringify(run)).not.toContain(WRONG_KEY);
    expect(run.errorMessage).not.toMatch(/sig=/);
    // Secret values are never logged, by the emulator, the node or storage.
    expect(stack.allOutput()).not.toContain(WRONG_KEY);
  });

  it('scans with a ServicePrincipal credential whose client secret is in Key Vault; a wrong secret fails naming it', async () => {
    await secrets.setSecret('sp-secret', WELL_KNOWN_CLIENT_SECRET);
    await secrets.setSecret('sp-wrong-secret', 'not-the-client-secret');
    for (const [name, secretName] of [
      ['sp-cred', 'sp-secret'],
      ['sp-wrong-cred', 'sp-wrong-secret'],
    ]) {
      await stack.client.scan('PUT', `/credentials/${name}`, {
        kind: 'ServicePrincipal',
        properties: {
          typeProperties: {
            servicePrincipalId: WELL_KNOWN_CLIENT_ID,
            tenant: WELL_KNOWN_TENANT_ID,
            servicePrincipalKey: { type: 'AzureKeyVaultSecret', secretName, store: { referenceName: 'e2e-kv' } },
          },
        },
      });
      await stack.client.scan('PUT', `/datasources/kv-storage/scans/${name}-scan`, {
        kind: 'AzureStorageCredential',
        properties: {
          credential: { referenceName: name, credentialType: 'ServicePrincipal' },
          connectedVia: { referenceName: 'kv-shir' },
        },
      });
    }
    const right = await finished('sp-cred-scan', await stack.client.runScan('kv-storage', 'sp-cred-scan'));
    expect(right.error ?? null).toBeNull();
    expect(right.status).toBe('Succeeded');
    expect(right.assetsDiscovered).toBeGreaterThanOrEqual(1);
    const wrong = await finished('sp-wrong-cred-scan', await stack.client.runScan('kv-storage', 'sp-wrong-cred-scan'));
    expect(wrong.status).toBe('Failed');
    expect(wrong.error?.code).toBe('AuthenticationFailed');
    expect(wrong.errorMessage).toContain("credential 'sp-wrong-cred'");
    expect(wrong.errorMessage).toContain("secret 'sp-wrong-secret' of Key Vault connection 'e2e-kv'");
    expect(JSON.stringify(wrong)).not.toContain('not-the-client-secret');
    expect(stack.allOutput()).not.toContain('not-the-client-secret');
  });

  it('keeps the secrets, the connection and the credentials across an emulator restart, the values still sealed', async () => {
    await stack.emulator.stop(5000);
    await stack.startEmulator();
    expect((await secrets.getSecret('wrong-key')).value).toBe(WRONG_KEY);
    const credential = await stack.client.scan<{ kind: string }>('GET', '/credentials/azurite-cred');
    expect(credential.kind).toBe('AccountKey');
    const database = fs
      .readdirSync(stack.dataDir)
      .filter((f) => /\.(db|sqlite)(-wal)?$/.test(f))
      .map((f) => fs.readFileSync(path.join(stack.dataDir, f)));
    expect(database.length).toBeGreaterThan(0);
    for (const bytes of database) expect(bytes.includes(Buffer.from(WRONG_KEY))).toBe(false);
  });
});

import { randomUUID } from 'node:crypto';
import {
  AccountSASPermissions,
  SASProtocol,
  StorageSharedKeyCredential,
  generateAccountSASQueryParameters,
} from '@azure/storage-blob';
import {
  type ScanJob,
  type ScanResultWithIngestion,
  storageSourceOf,
  WELL_KNOWN_TENANT_ID,
} from '@purview-emulator/contracts';
import { contractViolations, CREDENTIAL_DEFINITION_BY_KIND, SCANNING_2023_09_01 } from '@purview-emulator/testing';
import { createTestApp, TestApp } from '../testing/test-app';

import { IntegrationRuntimeDirectory } from '../integration-runtimes/integration-runtime-directory';
import { JobNode, ScanJobsService } from '../scanning/scan-jobs.service';

const V = '?api-version=2023-09-01';
const KV = '?api-version=7.5';
const ENDPOINT = 'https://devstoreaccount1.blob.core.windows.net/';
const WRONG_KEY = Buffer.from('not the storage account key').toString('base64');
const NODE: JobNode = { nodeId: 'node-1-id', nodeName: 'node1', integrationRuntimeName: 'shir-1' };

/** The IR directory is a boundary here: shir-1 exists and has one node taking jobs. */
const runtimes: IntegrationRuntimeDirectory = Object.assign(
  Object.create(IntegrationRuntimeDirectory.prototype) as IntegrationRuntimeDirectory,
  {
    findRuntime: jest.fn(async (name: string) =>
      name.toLowerCase() === 'shir-1' ? { id: 'ir-shir-1', name: 'shir-1', kind: 'SelfHosted' as const } : undefined,
    ),
    schedulingNodes: jest.fn(async () => [
      {
        nodeId: NODE.nodeId,
        nodeName: 'node1',
        online: true,
        acceptsJobs: true,
        expired: false,
        concurrentJobsLimit: 8,
      },
    ]),
    addDeletionCheck: jest.fn(),
    addStatusExtension: jest.fn(),
    onDeleted: jest.fn(),
  },
);

/** Whether an account SAS was signed with `key`: re-signs its own fields with that key and compares signatures. */
function signedWith(sasToken: string, accountName: string, key: string): boolean {
  const q = new URLSearchParams(sasToken);
  const again = generateAccountSASQueryParameters(
    {
      startsOn: new Date(q.get('st')!),
      expiresOn: new Date(q.get('se')!),
      permissions: AccountSASPermissions.parse(q.get('sp')!),
      services: q.get('ss')!,
      resourceTypes: q.get('srt')!,
      protocol: q.get('spr') as SASProtocol,
      version: q.get('sv')!,
    },
    new StorageSharedKeyCredential(accountName, key),
  );
  return again.signature === q.get('sig');
}

/** Every way a body departs from its 2023-09-01 definition. */
const violations = (type: string, body: unknown): string[] => contractViolations(SCANNING_2023_09_01, type, body);

describe('Key Vault connections, credentials and credential scans over HTTP', () => {
  let emulator: TestApp;
  let http: TestApp['api'];
  let vaultToken: string;
  let accountKey: string;

  const putSecret = (name: string, value: string) =>
    emulator.http.put(`/secrets/${name}${KV}`).set('authorization', `Bearer ${vaultToken}`).send({ value }).expect(200);

  const accountKeyCredential = (secretName: string, vault = 'kv-main') => ({
    kind: 'AccountKey',
    properties: {
      description: 'Azurite key',
      typeProperties: {
        accountKey: {
          type: 'AzureKeyVaultSecret',
          secretName,
          store: { referenceName: vault, type: 'LinkedServiceReference' },
        },
      },
    },
  });

  beforeAll(async () => {
    emulator = await createTestApp({
      override: (builder) => builder.overrideProvider(IntegrationRuntimeDirectory).useValue(runtimes),
    });
    http = emulator.api;
    accountKey = emulator.config.storage.accounts.find((a) => a.name === 'devstoreaccount1')!.key;
    const token = await emulator.http.post(`/${WELL_KNOWN_TENANT_ID}/oauth2/v2.0/token`).type('form').send({
      grant_type: 'client_credentials',
      client_id: 'purview-emulator',
      client_secret: 'purview-emulator-secret',
      scope: 'https://vault.azure.net/.default',
    });
    vaultToken = token.body.access_token as string;
  });

  afterAll(async () => {
    await emulator?.close();
  });

  describe('azureKeyVaults', () => {
    it('creates (201), replaces (200), reads and lists connections in the spec shape', async () => {
      const body = { properties: { baseUrl: 'https://myvault.vault.azure.net/', description: 'This is a Key Vault' } };
      const created = await http.put(`/scan/azureKeyVaults/kv-a${V}`).send(body).expect(201);
      expect(created.body).toEqual({
        id: 'azureKeyVaults/kv-a',
        name: 'kv-a',
        properties: { baseUrl: 'https://myvault.vault.azure.net/', description: 'This is a Key Vault' },
      });
      await http.put(`/scan/azureKeyVaults/kv-a${V}`).send(body).expect(200);
      expect((await http.get(`/scan/azureKeyVaults/KV-A${V}`).expect(200)).body.name).toBe('kv-a');
      const list = await http.get(`/scan/azureKeyVaults${V}`).expect(200);
      expect(list.body).toEqual({ value: [created.body], count: 1 });
      expect(violations('AzureKeyVaultList', list.body)).toEqual([]);
      // 2023-09-01 declares 204; the earlier versions answered 200 with the deleted connection.
      await http.delete(`/scan/azureKeyVaults/kv-a${V}`).expect(204);
      await http.put(`/scan/azureKeyVaults/kv-a${V}`).send(body).expect(201);
      const deleted = await http.delete(`/scan/azureKeyVaults/kv-a?api-version=2022-07-01-preview`).expect(200);
      expect(deleted.body).toEqual(created.body);
    });

    it('answers 400 for a bad name or baseUrl, 404 for an unknown connection', async () => {
      const badUrl = await http
        .put(`/scan/azureKeyVaults/kv-b${V}`)
        .send({ properties: { baseUrl: 'not a url' } })
        .expect(400);
      expect(badUrl.body.error).toEqual(expect.objectContaining({ code: 'InvalidKeyVaultUrl' }));
      const missingUrl = await http.put(`/scan/azureKeyVaults/kv-b${V}`).send({ properties: {} }).expect(400);
      expect(missingUrl.body.error.message).toContain('baseUrl');
      await http
        .put(`/scan/azureKeyVaults/bad_name!${V}`)
        .send({ properties: { baseUrl: 'https://x.vault.azure.net/' } })
        .expect(400);
      const missing = await http.get(`/scan/azureKeyVaults/nope${V}`).expect(404);
      expect(missing.body.error.code).toBe('KeyVaultConnectionNotFound');
      await http.delete(`/scan/azureKeyVaults/nope${V}`).expect(404);
    });
  });

  describe('credentials', () => {
    beforeAll(async () => {
      await http
        .put(`/scan/azureKeyVaults/kv-main${V}`)
        .send({ properties: { baseUrl: 'https://localhost:8443/' } })
        .expect(201);
    });

    it('stores every kind of the spec, returning references and never a value', async () => {
      const secret = (secretName: string) => ({ secretName, store: { referenceName: 'kv-main' } });
      const bodies: Record<string, Record<string, unknown> | undefined> = {
        AccountKey: { accountKey: secret('k') },
        ServicePrincipal: { servicePrincipalId: 'app', servicePrincipalKey: secret('sp'), tenant: 't' },
        BasicAuth: { user: 'u', password: secret('p') },
        SqlAuth: { user: 'u', password: secret('p') },
        AmazonARN: { roleARN: 'arn:aws:iam::123456789012:role/x' },
        ConsumerKeyAuth: { user: 'u', password: secret('p'), consumerKey: 'ck', consumerSecret: secret('cs') },
        DelegatedAuth: { clientId: 'c', user: 'u', password: secret('p') },
        ManagedIdentity: { principalId: 'p', tenantId: 't', resourceId: 'r' },
      };
      for (const [kind, typeProperties] of Object.entries(bodies)) {
        const name = `cred-${kind.toLowerCase()}`;
        const created = await http
          .put(`/scan/credentials/${name}${V}`)
          .send({ kind, properties: { description: kind, typeProperties } })
          .expect(201);
        expect(created.body).toEqual({ name, kind, properties: { description: kind, typeProperties } });
        expect(violations(CREDENTIAL_DEFINITION_BY_KIND[kind], created.body)).toEqual([]);
      }
      // The spec's example: BasicAuth with a description only.
      const example = await http
        .put(`/scan/credentials/myCredential${V}`)
        .send({ kind: 'BasicAuth', properties: { description: 'test description' } })
        .expect(201);
      expect(example.body).toEqual({
        name: 'myCredential',
        kind: 'BasicAuth',
        properties: { description: 'test description' },
      });
      await http
        .put(`/scan/credentials/myCredential${V}`)
        .send({ kind: 'BasicAuth', properties: { description: 'again' } })
        .expect(200);
      const list = await http.get(`/scan/credentials${V}`).expect(200);
      expect(list.body.count).toBe(9);
      for (const item of list.body.value as { kind: string }[])
        expect(violations(CREDENTIAL_DEFINITION_BY_KIND[item.kind], item)).toEqual([]);
      expect((await http.get(`/scan/credentials/cred-accountkey${V}`).expect(200)).body.kind).toBe('AccountKey');
    });

    it('answers 400 for an unknown kind, a kind without its secret, a secret given as a value, an unknown Key Vault connection', async () => {
      const kind = await http
        .put(`/scan/credentials/cred-one${V}`)
        .send({ kind: 'Password', properties: {} })
        .expect(400);
      expect(kind.body.error).toEqual(
        expect.objectContaining({ code: 'InvalidKind', message: expect.stringContaining('AccountKey') }),
      );
      await http
        .put(`/scan/credentials/cred-one${V}`)
        .send({ kind: 'AccountKey', properties: { typeProperties: {} } })
        .expect(400);
      await http
        .put(`/scan/credentials/cred-one${V}`)
        .send({
          kind: 'AccountKey',
          properties: { typeProperties: { accountKey: { type: 'SecureString', value: 'k' } } },
        })
        .expect(400);
      const unknownVault = await http
        .put(`/scan/credentials/cred-one${V}`)
        .send(accountKeyCredential('k', 'no-such-kv'))
        .expect(400);
      expect(violations('ErrorResponseModel', unknownVault.body)).toEqual([]);
      expect(unknownVault.body.error).toEqual(
        expect.objectContaining({
          code: 'KeyVaultConnectionNotFound',
          message: expect.stringContaining("'no-such-kv'"),
        }),
      );
      expect((await http.get(`/scan/credentials/cred-one${V}`).expect(404)).body.error.code).toBe('CredentialNotFound');
      await http.delete(`/scan/credentials/cred-one${V}`).expect(404);
    });

    it('refuses to delete a Key Vault connection a credential uses, or a credential a scan uses (409)', async () => {
      await http.put(`/scan/credentials/in-use${V}`).send(accountKeyCredential('k')).expect(201);
      const vault = await http.delete(`/scan/azureKeyVaults/kv-main${V}`).expect(409);
      expect(vault.body.error).toEqual(
        expect.objectContaining({ code: 'KeyVaultConnectionInUse', message: expect.stringContaining("'in-use'") }),
      );
      await http
        .put(`/scan/datasources/ds-in-use${V}`)
        .send({ kind: 'AzureStorage', properties: { endpoint: ENDPOINT } })
        .expect(201);
      await http
        .put(`/scan/datasources/ds-in-use/scans/scan-s${V}`)
        .send({
          kind: 'AzureStorageCredential',
          properties: { credential: { referenceName: 'IN-USE', credentialType: 'AccountKey' } },
        })
        .expect(201);
      const credential = await http.delete(`/scan/credentials/in-use${V}`).expect(409);
      expect(credential.body.error).toEqual(
        expect.objectContaining({ code: 'CredentialInUse', message: expect.stringContaining("'ds-in-use/scan-s'") }),
      );
      await http.delete(`/scan/datasources/ds-in-use/scans/scan-s${V}`).expect(204);
      await http.delete(`/scan/credentials/in-use${V}`).expect(204);
    });
  });

  describe('a credential scan', () => {
    let jobs: ScanJobsService;
    let wrong: { runId: string; job: ScanJob };

    const getRun = async (scan: string, runId: string): Promise<ScanResultWithIngestion> =>
      (await http.get(`/scan/datasources/cred-ds/scans/${scan}/runs/${runId}${V}`).expect(200))
        .body as ScanResultWithIngestion;

    beforeAll(async () => {
      jobs = emulator.app.get(ScanJobsService);
      await http
        .put(`/scan/azureKeyVaults/scan-kv${V}`)
        .send({ properties: { baseUrl: 'https://scanvault.vault.azure.net/' } })
        .expect(201);
      await http
        .put(`/scan/datasources/cred-ds${V}`)
        .send({ kind: 'AzureStorage', properties: { endpoint: ENDPOINT } })
        .expect(201);
      for (const [scan, credential] of [
        ['right', 'right-key'],
        ['wrong', 'wrong-key'],
        ['gone', 'no-secret'],
        ['basic', 'a-basic'],
        ['nobody', 'no-such-credential'],
        ['sp-right', 'sp-right'],
        ['sp-wrong', 'sp-wrong'],
        ['identity', 'an-identity'],
      ]) {
        await http
          .put(`/scan/datasources/cred-ds/scans/${scan}${V}`)
          .send({
            kind: 'AzureStorageCredential',
            properties: {
              credential: { referenceName: credential, credentialType: 'AccountKey' },
              connectedVia: { referenceName: 'shir-1' },
            },
          })
          .expect(201);
      }
    });

    /** Stores the secret in vault `scanvault` (what scan-kv's baseUrl names) through its Host, as a real vault URL would. */
    const putVaultSecret = (name: string, value: string) =>
      emulator.http
        .put(`/secrets/${name}${KV}`)
        .set('host', 'scanvault.vault.azure.net')
        .set('authorization', `Bearer ${vaultToken}`)
        .send({ value })
        .expect(200);

    it("gives the node a SAS signed with the credential's Key Vault secret, for that job", async () => {
      await putVaultSecret('azurite-key', accountKey);
      await putVaultSecret('other-key', WRONG_KEY);
      // The same name in the default vault holds another value: the connection's vault is the one that counts.
      await putSecret('azurite-key', WRONG_KEY);
      await http
        .put(`/scan/credentials/right-key${V}`)
        .send(accountKeyCredential('azurite-key', 'scan-kv'))
        .expect(201);
      await http.put(`/scan/credentials/wrong-key${V}`).send(accountKeyCredential('other-key', 'scan-kv')).expect(201);

      await http.put(`/scan/datasources/cred-ds/scans/right/runs/${randomUUID()}${V}`).expect(202);
      const [right] = await jobs.leaseJobs(NODE, 1, 0);
      expect(signedWith(storageSourceOf(right).sasToken, 'devstoreaccount1', accountKey)).toBe(true);
      expect(JSON.stringify(right)).not.toContain(accountKey);

      const runId = randomUUID();
      await http.put(`/scan/datasources/cred-ds/scans/wrong/runs/${runId}${V}`).expect(202);
      const [job] = await jobs.leaseJobs(NODE, 1, 0);
      expect(signedWith(storageSourceOf(job).sasToken, 'devstoreaccount1', WRONG_KEY)).toBe(true);
      expect(signedWith(storageSourceOf(job).sasToken, 'devstoreaccount1', accountKey)).toBe(false);
      wrong = { runId, job };
    });

    it('fails a run storage refused as AuthenticationFailed, naming the credential and the secret, never the value', async () => {
      const { runId, job } = wrong;
      await jobs.completeJob(NODE, job.jobId, {
        leaseId: job.leaseId,
        status: 'Failed',
        assetsDiscovered: 0,
        assetsClassified: 0,
        assetsFailed: 0,
        batchCount: 0,
        error: {
          code: 'ScanFailed',
          message: 'Cannot list containers of http://127.0.0.1:10000/devstoreaccount1: 403 AuthenticationFailed',
        },
      });
      const run = await getRun('wrong', runId);
      expect(run.status).toBe('Failed');
      expect(run.error).toEqual({
        code: 'AuthenticationFailed',
        message: expect.stringContaining("credential 'wrong-key'"),
      });
      expect(run.error!.message).toContain("secret 'other-key' of Key Vault connection 'scan-kv'");
      expect(JSON.stringify(run)).not.toContain(WRONG_KEY);
    });

    it('fails a run whose credential or secret is missing before any node reads, naming what is missing', async () => {
      await http
        .put(`/scan/credentials/no-secret${V}`)
        .send(accountKeyCredential('never-stored', 'scan-kv'))
        .expect(201);
      const runId = randomUUID();
      await http.put(`/scan/datasources/cred-ds/scans/gone/runs/${runId}${V}`).expect(202);
      expect(await jobs.leaseJobs(NODE, 1, 0)).toEqual([]);
      const run = await getRun('gone', runId);
      expect(run.status).toBe('Failed');
      expect(run.error).toEqual({
        code: 'KeyVaultSecretNotFound',
        message: expect.stringContaining("credential 'no-secret' (its accountKey is secret 'never-stored'"),
      });
    });

    it('fails a run whose credential is of a kind storage cannot use, or does not exist, saying so', async () => {
      await http
        .put(`/scan/credentials/a-basic${V}`)
        .send({
          kind: 'BasicAuth',
          properties: {
            typeProperties: {
              user: 'u',
              password: { secretName: 'basic-secret', store: { referenceName: 'scan-kv' } },
            },
          },
        })
        .expect(201);
      for (const [scan, code, words] of [
        ['basic', 'InvalidCredentialKind', "credential 'a-basic' is of kind BasicAuth"],
        ['nobody', 'CredentialNotFound', "credential 'no-such-credential' does not exist"],
      ]) {
        const runId = randomUUID();
        await http.put(`/scan/datasources/cred-ds/scans/${scan}/runs/${runId}${V}`).expect(202);
        expect(await jobs.leaseJobs(NODE, 1, 0)).toEqual([]);
        const run = await getRun(scan, runId);
        expect(run.status).toBe('Failed');
        expect(run.error).toEqual({ code, message: expect.stringContaining(words) });
      }
    });

    const servicePrincipal = (secretName: string, tenant = WELL_KNOWN_TENANT_ID) => ({
      kind: 'ServicePrincipal',
      properties: {
        typeProperties: {
          servicePrincipalId: 'purview-emulator',
          tenant,
          servicePrincipalKey: { type: 'AzureKeyVaultSecret', secretName, store: { referenceName: 'scan-kv' } },
        },
      },
    });

    it('reads with the emulator identity when a ServicePrincipal credential signs in with its Key Vault secret', async () => {
      await putVaultSecret('sp-secret', 'purview-emulator-secret');
      await http.put(`/scan/credentials/sp-right${V}`).send(servicePrincipal('sp-secret')).expect(201);
      await http.put(`/scan/datasources/cred-ds/scans/sp-right/runs/${randomUUID()}${V}`).expect(202);
      const [job] = await jobs.leaseJobs(NODE, 1, 0);
      // Entra RBAC on storage is not modelled: the principal signed in, so the account's own key signs the SAS.
      expect(signedWith(storageSourceOf(job).sasToken, 'devstoreaccount1', accountKey)).toBe(true);
      expect(JSON.stringify(job)).not.toContain('purview-emulator-secret');
      await jobs.completeJob(NODE, job.jobId, {
        leaseId: job.leaseId,
        status: 'Failed',
        assetsDiscovered: 0,
        assetsClassified: 0,
        assetsFailed: 0,
        batchCount: 0,
        error: { code: 'ScanFailed', message: 'stopped by the test' },
      });
    });

    it('fails a ServicePrincipal scan whose secret or tenant Entra would refuse: AuthenticationFailed naming the credential and the secret', async () => {
      await putVaultSecret('sp-wrong-secret', 'not-the-client-secret');
      for (const [i, [body, words]] of (
        [
          [
            servicePrincipal('sp-wrong-secret'),
            "client 'purview-emulator' is not registered with the emulator, or the secret",
          ],
          [servicePrincipal('sp-secret', 'another-tenant'), "tenant 'another-tenant' is not the emulator's tenant"],
        ] as const
      ).entries()) {
        await http
          .put(`/scan/credentials/sp-wrong${V}`)
          .send(body)
          .expect(i === 0 ? 201 : 200);
        const runId = randomUUID();
        await http.put(`/scan/datasources/cred-ds/scans/sp-wrong/runs/${runId}${V}`).expect(202);
        expect(await jobs.leaseJobs(NODE, 1, 0)).toEqual([]);
        const run = await getRun('sp-wrong', runId);
        expect(run.status).toBe('Failed');
        expect(run.error).toEqual({ code: 'AuthenticationFailed', message: expect.stringContaining(words) });
        expect(run.error!.message).toContain("credential 'sp-wrong' (its servicePrincipalKey is secret");
        expect(JSON.stringify(run)).not.toContain('not-the-client-secret');
        expect(JSON.stringify(run)).not.toContain('purview-emulator-secret');
      }
    });

    it('reads with the emulator identity for a ManagedIdentity credential (no secret to check)', async () => {
      await http
        .put(`/scan/credentials/an-identity${V}`)
        .send({
          kind: 'ManagedIdentity',
          properties: { typeProperties: { principalId: 'p', tenantId: WELL_KNOWN_TENANT_ID } },
        })
        .expect(201);
      await http.put(`/scan/datasources/cred-ds/scans/identity/runs/${randomUUID()}${V}`).expect(202);
      const [job] = await jobs.leaseJobs(NODE, 1, 0);
      expect(signedWith(storageSourceOf(job).sasToken, 'devstoreaccount1', accountKey)).toBe(true);
    });
  });
});

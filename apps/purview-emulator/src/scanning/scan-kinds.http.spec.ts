import { randomUUID } from 'node:crypto';
import {
  DATA_SOURCE_KIND_OF_SCAN_KIND,
  REFERENCE_RUNTIME_SCAN_KINDS,
  SCAN_KINDS,
  SCAN_KINDS_WITH_SUBTYPE,
  ScanNotificationCode,
  type ScanResultWithIngestion,
} from '@purview-emulator/contracts';
import { tempDir, type TempDir } from '@purview-emulator/testing';
import { createTestApp, type TestApp } from '../testing/test-app';
import { IntegrationRuntimeDirectory } from '../integration-runtimes/integration-runtime-directory';

const V = '?api-version=2023-09-01';
const ENDPOINTS: Record<string, string> = {
  AzureStorage: 'https://devstoreaccount1.blob.core.windows.net/',
  AdlsGen2: 'https://devstoreaccount1.dfs.core.windows.net/',
};

/** A data source name for a kind (names are 3–63 characters of letters, digits and dashes). */
const sourceOf = (kind: string) => `src-${kind.toLowerCase()}`;

describe('scans of every kind the 2023-09-01 spec defines', () => {
  let dir: TempDir;
  let emulator: TestApp;
  let http: TestApp['api'];

  beforeAll(async () => {
    dir = tempDir('scan-kinds-http-');
    emulator = await createTestApp({
      env: { PURVIEW_DATA_DIR: dir.path, AZURITE_BLOB_PORT: '1', AZURITE_QUEUE_PORT: '2' },
    });
    http = emulator.api;
    for (const kind of new Set(Object.values(DATA_SOURCE_KIND_OF_SCAN_KIND))) {
      const properties = ENDPOINTS[kind] ? { endpoint: ENDPOINTS[kind] } : {};
      await http
        .put(`/scan/datasources/${sourceOf(kind)}${V}`)
        .send({ kind, properties })
        .expect(201);
    }
  });

  afterAll(async () => {
    await emulator?.close();
    dir?.remove();
  });

  it('knows all 62 ScanAuthorizationType kinds, 43 with a subtype of their own', () => {
    expect(SCAN_KINDS).toHaveLength(62);
    expect(SCAN_KINDS_WITH_SUBTYPE).toHaveLength(43);
  });

  it('stores and returns a scan of each kind under its data source (201, then 200 on replace)', async () => {
    for (const kind of SCAN_KINDS) {
      const ds = sourceOf(DATA_SOURCE_KIND_OF_SCAN_KIND[kind]);
      const scan = `scan-${kind.toLowerCase()}`;
      const created = await http
        .put(`/scan/datasources/${ds}/scans/${scan}${V}`)
        .send({ kind, properties: { description: `a ${kind} scan` } })
        .expect(201);
      expect(created.body).toEqual(
        expect.objectContaining({
          id: `datasources/${ds}/scans/${scan}`,
          name: scan,
          kind,
          properties: expect.objectContaining({
            description: `a ${kind} scan`,
            scanRulesetName: DATA_SOURCE_KIND_OF_SCAN_KIND[kind],
            scanRulesetType: 'System',
          }),
        }),
      );
      await http.put(`/scan/datasources/${ds}/scans/${scan}${V}`).send({ kind, properties: {} }).expect(200);
      expect((await http.get(`/scan/datasources/${ds}/scans/${scan}${V}`).expect(200)).body.kind).toBe(kind);
    }
  });

  it('accepts the recorded AmazonS3Credential scan and returns its kind-specific properties', async () => {
    const properties = {
      credential: { referenceName: 'aws-cred', credentialType: 'AmazonARN' },
      roleARN: 'arn:aws:iam::123456789012:role/purview',
      isMauiScan: false,
      parallelScanCount: 2,
    };
    const res = await http
      .put(`/scan/datasources/${sourceOf('AmazonS3')}/scans/s3-recorded${V}`)
      .send({ kind: 'AmazonS3Credential', properties })
      .expect(201);
    expect(res.body.properties).toEqual(expect.objectContaining(properties));
    const sql = await http
      .put(`/scan/datasources/${sourceOf('AzureSqlDatabase')}/scans/sql-typed${V}`)
      .send({ kind: 'AzureSqlDatabaseMsi', properties: { serverEndpoint: 'db.example.net', databaseName: 'sales' } })
      .expect(201);
    expect(sql.body.properties).toEqual(
      expect.objectContaining({ serverEndpoint: 'db.example.net', databaseName: 'sales' }),
    );
  });

  it('validates properties against the kind: types, credential types, unknown kinds, kinds of another source', async () => {
    const pg = `/scan/datasources/${sourceOf('AzurePostgreSql')}/scans/pg-bad${V}`;
    const port = await http
      .put(pg)
      .send({ kind: 'AzurePostgreSqlCredential', properties: { port: 'five' } })
      .expect(400);
    expect(port.body.error).toEqual(expect.objectContaining({ code: 'InvalidRequestBody' }));
    expect(port.body.error.message).toContain('port');
    const credentialType = await http
      .put(pg)
      .send({
        kind: 'AzurePostgreSqlCredential',
        properties: { credential: { referenceName: 'c', credentialType: 'Nope' } },
      })
      .expect(400);
    expect(credentialType.body.error.message).toContain('credentialType');
    const unknown = await http.put(pg).send({ kind: 'PostgreSqlMsi', properties: {} }).expect(400);
    expect(unknown.body.error).toEqual(expect.objectContaining({ code: 'InvalidScanKind', target: 'kind' }));
    const misfit = await http.put(pg).send({ kind: 'AzureMySqlCredential', properties: {} }).expect(400);
    expect(misfit.body.error.message).toContain('use AzurePostgreSqlCredential');
    await http.put(`/scan/datasources/redshift-a${V}`).send({ kind: 'AmazonRedShift', properties: {} }).expect(201);
    const none = await http
      .put(`/scan/datasources/redshift-a/scans/any${V}`)
      .send({ kind: 'AmazonSqlCredential', properties: {} })
      .expect(400);
    expect(none.body.error).toEqual(expect.objectContaining({ code: 'UnsupportedDataSourceKind' }));
  });

  it('never stores nor returns a password sent inline in a *UserPass scan', async () => {
    const res = await http
      .put(`/scan/datasources/${sourceOf('Teradata')}/scans/td-userpass${V}`)
      .send({ kind: 'TeradataUserPass', properties: { username: 'dbc', password: 'hunter2' } })
      .expect(201);
    expect(res.body.properties.username).toBe('dbc');
    expect(res.body.properties).not.toHaveProperty('password');
    const got = await http.get(`/scan/datasources/${sourceOf('Teradata')}/scans/td-userpass${V}`).expect(200);
    expect(JSON.stringify(got.body)).not.toContain('hunter2');
  });

  it('fails a run of a kind the reference runtime has no connector for, saying so (202, then Failed)', async () => {
    const ds = sourceOf('AmazonS3');
    const runId = randomUUID();
    await http
      .put(`/scan/datasources/${ds}/scans/s3-run${V}`)
      .send({ kind: 'AmazonS3RoleARN', properties: { roleARN: 'arn:aws:iam::1:role/r' } })
      .expect(201);
    await http.put(`/scan/datasources/${ds}/scans/s3-run/runs/${runId}${V}`).expect(202);
    // Refused at start: the run is Failed as soon as it is accepted (nothing to wait for).
    const run = (await http.get(`/scan/datasources/${ds}/scans/s3-run/runs/${runId}${V}`).expect(200))
      .body as ScanResultWithIngestion;
    expect(run.status).toBe('Failed');
    expect(run.error).toEqual(expect.objectContaining({ code: 'ConnectorNotAvailable' }));
    expect(run.errorMessage).toContain('no connector for AmazonS3RoleARN');
    expect(run.errorMessage).toContain(REFERENCE_RUNTIME_SCAN_KINDS.join(', '));
    expect(run.dataSourceType).toBe('AmazonS3');
    expect(run.diagnostics.notifications).toEqual([
      { code: ScanNotificationCode.ConnectorNotAvailable, message: run.errorMessage },
    ]);
  });

  it('fails a run that connects via a Managed integration runtime: there is no managed network here', async () => {
    // The IR API creates SelfHosted runtimes only; the directory is what the run reads, so it says one is Managed.
    const directory = emulator.app.get(IntegrationRuntimeDirectory);
    const original = directory.findRuntime.bind(directory);
    const spy = jest
      .spyOn(directory, 'findRuntime')
      .mockImplementation(async (name: string) =>
        name.toLowerCase() === 'managed-ir'
          ? { id: 'ir-managed', name: 'managed-ir', kind: 'Managed' }
          : original(name),
      );
    try {
      const ds = sourceOf('AzureStorage');
      await http
        .put(`/scan/datasources/${ds}/scans/via-managed${V}`)
        .send({ kind: 'AzureStorageMsi', properties: { connectedVia: { referenceName: 'managed-ir' } } })
        .expect(201);
      const runId = randomUUID();
      await http.put(`/scan/datasources/${ds}/scans/via-managed/runs/${runId}${V}`).expect(202);
      const run = (await http.get(`/scan/datasources/${ds}/scans/via-managed/runs/${runId}${V}`).expect(200))
        .body as ScanResultWithIngestion;
      expect(run.status).toBe('Failed');
      expect(run.error).toEqual(expect.objectContaining({ code: 'ManagedVirtualNetworkNotEmulated' }));
      expect(run.errorMessage).toContain('no network to manage');
      expect(run.diagnostics.notifications[0].code).toBe(ScanNotificationCode.ManagedVirtualNetworkNotEmulated);
    } finally {
      spy.mockRestore();
    }
  });

  it('answers DELETE as the requested version does: 204 on 2023-09-01, 200 with the deleted resource before', async () => {
    const OLD = '?api-version=2018-12-01-preview';
    await http.put(`/scan/datasources/old-ds${V}`).send({ kind: 'AmazonS3', properties: {} }).expect(201);
    for (const scan of ['old-scan', 'new-scan'])
      await http
        .put(`/scan/datasources/old-ds/scans/${scan}${V}`)
        .send({ kind: 'AmazonS3Credential', properties: { roleARN: 'arn:aws:iam::1:role/r' } })
        .expect(201);
    const scan = await http.delete(`/scan/datasources/old-ds/scans/old-scan${OLD}`).expect(200);
    expect(scan.body).toEqual(
      expect.objectContaining({
        id: 'datasources/old-ds/scans/old-scan',
        name: 'old-scan',
        kind: 'AmazonS3Credential',
        properties: expect.objectContaining({ roleARN: 'arn:aws:iam::1:role/r' }),
      }),
    );
    const gone = await http.delete(`/scan/datasources/old-ds/scans/new-scan${V}`).expect(204);
    expect(gone.text).toBe('');
    const source = await http.delete(`/scan/datasources/old-ds${OLD}`).expect(200);
    expect(source.body).toEqual(
      expect.objectContaining({
        id: 'datasources/old-ds',
        name: 'old-ds',
        kind: 'AmazonS3',
        properties: expect.any(Object),
      }),
    );
    await http.get(`/scan/datasources/old-ds${V}`).expect(404);
  });
});

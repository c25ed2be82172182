import { randomUUID } from 'node:crypto';
import {
  type ScanJob,
  ScanNotificationCode,
  type ScanResultWithIngestion,
  WELL_KNOWN_CLIENT_ID,
  WELL_KNOWN_CLIENT_SECRET,
  WELL_KNOWN_TENANT_ID,
  storageSourceOf,
} from '@purview-emulator/contracts';
import { pollUntil, tempDir, TempDir } from '@purview-emulator/testing';
import { Clock } from '../common/clock';
import { createTestApp, TestApp } from '../testing/test-app';
import { IntegrationRuntimeDirectory, SchedulingNode } from '../integration-runtimes/integration-runtime-directory';
import { JobNode, ScanJobsService } from './scan-jobs.service';
import { ScanJobSignals } from './scan-job-signals';
import { ScanRunsService } from './scan-runs.service';

const V = '?api-version=2023-09-01';
const ENDPOINT = 'https://devstoreaccount1.blob.core.windows.net/';
const LEASE_SECONDS = 30;

/**
 * The integration runtime directory's lookups are a boundary here: any IR named shir-<n> exists (canonical name
 * lowercase), and its nodes are the ones a test brought up with nodeOf (online, taking jobs, limit 4 unless the test
 * changes them). Its own logic (requireRuntime's answer) is the real one.
 */
const nodesByIr = new Map<string, SchedulingNode[]>();
const runtimes: IntegrationRuntimeDirectory = Object.assign(
  Object.create(IntegrationRuntimeDirectory.prototype) as IntegrationRuntimeDirectory,
  {
    findRuntime: jest.fn(async (name: string) =>
      /^shir-\d+$/i.test(name)
        ? { id: `ir-${name.toLowerCase()}`, name: name.toLowerCase(), kind: 'SelfHosted' as const }
        : undefined,
    ),
    schedulingNodes: jest.fn(async (name: string) => (nodesByIr.get(name.toLowerCase()) ?? []).map((n) => ({ ...n }))),
    addDeletionCheck: jest.fn(),
    // Called by other modules of the whole app at start-up (interactive authoring's /status field, the relay).
    addStatusExtension: jest.fn(),
    onDeleted: jest.fn(),
  },
);

/** A node of `ir`, registered and online from now on (idempotent). */
function nodeOf(ir: string, nodeName = 'node1', concurrentJobsLimit = 4): JobNode {
  const node = { nodeId: `${ir}-${nodeName}-id`, nodeName, integrationRuntimeName: ir };
  const nodes = nodesByIr.get(ir) ?? [];
  if (!nodes.some((n) => n.nodeId === node.nodeId))
    nodesByIr.set(ir, [
      ...nodes,
      { nodeId: node.nodeId, nodeName, online: true, acceptsJobs: true, expired: false, concurrentJobsLimit },
    ]);
  return node;
}

/** Changes what the IR service says of a node (offline, expired version, another limit). */
function setNode(node: JobNode, patch: Partial<SchedulingNode>): void {
  nodesByIr.set(
    node.integrationRuntimeName,
    (nodesByIr.get(node.integrationRuntimeName) ?? []).map((n) => (n.nodeId === node.nodeId ? { ...n, ...patch } : n)),
  );
}

/** The whole emulator app (parsers, guards, URL rewriting) with the integration runtime directory faked (above). */
function boot(dir: string): Promise<TestApp> {
  return createTestApp({
    // Storage ports where nothing listens (ingestion just keeps waiting), distinct so the job's URLs show which is which.
    env: {
      PURVIEW_DATA_DIR: dir,
      PURVIEW_JOB_LEASE_SECONDS: String(LEASE_SECONDS),
      AZURITE_BLOB_PORT: '1',
      AZURITE_QUEUE_PORT: '2',
    },
    override: (builder) => builder.overrideProvider(IntegrationRuntimeDirectory).useValue(runtimes),
  });
}

describe('scanning over HTTP', () => {
  let dir: TempDir;
  let emulator: TestApp;
  let http: TestApp['api'];
  let jobs: ScanJobsService;
  let runs: ScanRunsService;
  let clock: Clock;
  let offsetMs = 0;

  function attach(): void {
    http = emulator.api;
    jobs = emulator.app.get(ScanJobsService);
    runs = emulator.app.get(ScanRunsService);
    clock = emulator.app.get(Clock);
    clock.setOffset(offsetMs);
  }

  function advance(seconds: number): void {
    offsetMs += seconds * 1000;
    clock.setOffset(offsetMs);
  }

  async function createScan(ds: string, scan: string, ir: string | null): Promise<void> {
    await http
      .put(`/scan/datasources/${ds}${V}`)
      .send({ kind: 'AzureStorage', properties: { endpoint: ENDPOINT } })
      .expect((r) => expect([200, 201]).toContain(r.status));
    await http
      .put(`/scan/datasources/${ds}/scans/${scan}${V}`)
      .send({ kind: 'AzureStorageMsi', properties: ir ? { connectedVia: { referenceName: ir } } : {} })
      .expect((r) => expect([200, 201]).toContain(r.status));
  }

  /** An AccountKey credential whose Key Vault secret (default vault) is the account key the emulator knows. */
  async function createAccountKeyCredential(name: string): Promise<void> {
    const vaultToken = await emulator.http.post(`/${WELL_KNOWN_TENANT_ID}/oauth2/v2.0/token`).type('form').send({
      grant_type: 'client_credentials',
      client_id: WELL_KNOWN_CLIENT_ID,
      client_secret: WELL_KNOWN_CLIENT_SECRET,
      scope: 'https://vault.azure.net/.default',
    });
    await emulator.http
      .put(`/secrets/${name}-key?api-version=7.5`)
      .set('authorization', `Bearer ${vaultToken.body.access_token as string}`)
      .send({ value: emulator.config.storage.accounts.find((a) => a.name === 'devstoreaccount1')!.key })
      .expect(200);
    await http
      .put(`/scan/azureKeyVaults/default-vault${V}`)
      .send({ properties: { baseUrl: 'https://localhost:8443/' } })
      .expect((r) => expect([200, 201]).toContain(r.status));
    await http
      .put(`/scan/credentials/${name}${V}`)
      .send({
        kind: 'AccountKey',
        properties: {
          typeProperties: { accountKey: { secretName: `${name}-key`, store: { referenceName: 'default-vault' } } },
        },
      })
      .expect((r) => expect([200, 201]).toContain(r.status));
  }

  async function startRun(ds: string, scan: string, runId = randomUUID()): Promise<string> {
    await http.put(`/scan/datasources/${ds}/scans/${scan}/runs/${runId}${V}`).expect(202);
    return runId;
  }

  async function getRun(ds: string, scan: string, runId: string): Promise<ScanResultWithIngestion> {
    return (await http.get(`/scan/datasources/${ds}/scans/${scan}/runs/${runId}${V}`).expect(200))
      .body as ScanResultWithIngestion;
  }

  beforeAll(async () => {
    dir = tempDir('scanning-http-');
    emulator = await boot(dir.path);
    attach();
  });

  afterAll(async () => {
    await emulator?.close();
    dir?.remove();
  });

  describe('data sources', () => {
    it('registers an AzureStorage source (201), ignores read-only fields and defaults the collection to the account', async () => {
      const response = await http
        .put(`/scan/datasources/storage-a${V}`)
        .send({
          kind: 'AzureStorage',
          id: 'bogus',
          name: 'bogus',
          properties: {
            endpoint: ENDPOINT,
            createdAt: '1999-01-01T00:00:00Z',
            dataSourceCollectionMovingState: 0,
            location: 'westeurope',
          },
        })
        .expect(201);
      expect(response.body).toEqual({
        id: 'datasources/storage-a',
        name: 'storage-a',
        kind: 'AzureStorage',
        properties: {
          endpoint: ENDPOINT,
          location: 'westeurope',
          collection: { referenceName: 'emulator', type: 'CollectionReference', lastModifiedAt: expect.any(String) },
          createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
          lastModifiedAt: expect.any(String),
          dataSourceCollectionMovingState: 'Active',
        },
      });
      expect(response.body.properties.createdAt).not.toBe('1999-01-01T00:00:00Z');
    });

    it('replaces it (200), keeps createdAt, and finds it case-insensitively', async () => {
      const before = (await http.get(`/scan/datasources/storage-a${V}`).expect(200)).body;
      const replaced = await http
        .put(`/scan/datasources/storage-a${V}`)
        .send({
          kind: 'AzureStorage',
          properties: { endpoint: ENDPOINT, collection: { referenceName: 'finance', type: 'CollectionReference' } },
        })
        .expect(200);
      expect(replaced.body.properties).toEqual(
        expect.objectContaining({
          createdAt: before.properties.createdAt,
          collection: expect.objectContaining({ referenceName: 'finance' }),
        }),
      );
      expect(replaced.body.properties.location).toBeUndefined();
      expect((await http.get(`/scan/datasources/STORAGE-A${V}`).expect(200)).body.name).toBe('storage-a');
    });

    it('accepts AdlsGen2 with a dfs endpoint, and stores other kinds as given', async () => {
      await http
        .put(`/scan/datasources/lake-a${V}`)
        .send({ kind: 'AdlsGen2', properties: { endpoint: 'https://devstoreaccount1.dfs.core.windows.net/' } })
        .expect(201);
      const sql = await http
        .put(`/scan/datasources/sql-a${V}`)
        .send({ kind: 'AzureSqlDatabase', properties: { serverEndpoint: 'x.database.windows.net' } })
        .expect(201);
      expect(sql.body.properties.serverEndpoint).toBe('x.database.windows.net');
    });

    it('refuses bad names, missing or unknown endpoints and kind changes with 400', async () => {
      const badName = await http
        .put(`/scan/datasources/bad_name${V}`)
        .send({ kind: 'AzureStorage', properties: { endpoint: ENDPOINT } })
        .expect(400);
      expect(badName.body.error).toEqual(expect.objectContaining({ code: 'InvalidName' }));
      const noEndpoint = await http
        .put(`/scan/datasources/storage-b${V}`)
        .send({ kind: 'AzureStorage', properties: {} })
        .expect(400);
      expect(noEndpoint.body.error.message).toContain('properties.endpoint is required');
      const notStorage = await http
        .put(`/scan/datasources/storage-b${V}`)
        .send({ kind: 'AzureStorage', properties: { endpoint: 'https://example.com/' } })
        .expect(400);
      expect(notStorage.body.error.code).toBe('InvalidEndpoint');
      const unknownAccount = await http
        .put(`/scan/datasources/storage-b${V}`)
        .send({ kind: 'AzureStorage', properties: { endpoint: 'https://nosuchacct.blob.core.windows.net/' } })
        .expect(400);
      expect(unknownAccount.body.error).toEqual(
        expect.objectContaining({
          code: 'StorageAccountNotFound',
          message: expect.stringContaining('AZURITE_ACCOUNTS'),
        }),
      );
      const noKind = await http
        .put(`/scan/datasources/storage-b${V}`)
        .send({ properties: { endpoint: ENDPOINT } })
        .expect(400);
      expect(noKind.body.error.message).toContain("'kind' is required");
      const kindChange = await http
        .put(`/scan/datasources/storage-a${V}`)
        .send({ kind: 'AdlsGen2', properties: { endpoint: ENDPOINT } })
        .expect(400);
      expect(kindChange.body.error.message).toContain('cannot be changed');
    });

    it('lists data sources and answers 404 for a missing one', async () => {
      const list = (await http.get(`/scan/datasources${V}`).expect(200)).body;
      expect(list.count).toBe(3);
      expect(list.value.map((d: { name: string }) => d.name)).toEqual(['lake-a', 'sql-a', 'storage-a']);
      expect(list.nextLink).toBeUndefined();
      const missing = await http.get(`/scan/datasources/nope-a${V}`).expect(404);
      expect(missing.body.error).toEqual({
        code: 'DataSourceNotFound',
        message: "Data source 'nope-a' was not found.",
      });
      await http.delete(`/scan/datasources/nope-a${V}`).expect(404);
    });
  });

  describe('scans', () => {
    it('creates a scan through a self-hosted IR and fills the defaults (201), then replaces it (200)', async () => {
      const created = await http
        .put(`/scan/datasources/storage-a/scans/scan-a${V}`)
        .send({
          kind: 'AzureStorageMsi',
          properties: { connectedVia: { referenceName: 'SHIR-1', integrationRuntimeType: 'whatever' }, workers: null },
        })
        .expect(201);
      // The replacement below reads with credential 'cred': its runs need it to resolve to the account's key.
      await createAccountKeyCredential('cred');
      expect(created.body).toEqual({
        id: 'datasources/storage-a/scans/scan-a',
        name: 'scan-a',
        kind: 'AzureStorageMsi',
        dataSourceName: 'storage-a',
        properties: {
          workers: null,
          scanRulesetName: 'AzureStorage',
          scanRulesetType: 'System',
          collection: { referenceName: 'finance', type: 'CollectionReference', lastModifiedAt: expect.any(String) },
          connectedVia: { referenceName: 'shir-1', integrationRuntimeType: 'SelfHosted' },
          createdAt: expect.any(String),
          lastModifiedAt: expect.any(String),
        },
      });
      await http.put(`/scan/scanrulesets/Custom1${V}`).send({ kind: 'AzureStorage' }).expect(201);
      const replaced = await http
        .put(`/scan/datasources/storage-a/scans/scan-a${V}`)
        .send({
          kind: 'AzureStorageCredential',
          properties: {
            credential: { referenceName: 'cred', credentialType: 'AccountKey' },
            scanRulesetName: 'Custom1',
            scanRulesetType: 'Custom',
            connectedVia: { referenceName: 'shir-1' },
          },
        })
        .expect(200);
      expect(replaced.body.properties).toEqual(
        expect.objectContaining({
          credential: { referenceName: 'cred', credentialType: 'AccountKey' },
          scanRulesetName: 'Custom1',
          scanRulesetType: 'Custom',
        }),
      );
      const list = (await http.get(`/scan/datasources/storage-a/scans${V}`).expect(200)).body;
      expect(list).toEqual({
        value: [expect.objectContaining({ name: 'scan-a', kind: 'AzureStorageCredential' })],
        count: 1,
      });
    });

    it('refuses an unknown IR and a scan kind that does not fit the data source', async () => {
      const ir = await http
        .put(`/scan/datasources/storage-a/scans/scan-b${V}`)
        .send({ kind: 'AzureStorageMsi', properties: { connectedVia: { referenceName: 'no-such-ir' } } })
        .expect(400);
      expect(ir.body.error).toEqual(
        expect.objectContaining({
          code: 'IntegrationRuntimeNotFound',
          message: expect.stringContaining("'no-such-ir'"),
        }),
      );
      const kind = await http
        .put(`/scan/datasources/storage-a/scans/scan-b${V}`)
        .send({ kind: 'AdlsGen2Msi', properties: {} })
        .expect(400);
      expect(kind.body.error.message).toContain('AzureStorageCredential or AzureStorageMsi');
      const sql = await http
        .put(`/scan/datasources/storage-a/scans/scan-b${V}`)
        .send({ kind: 'AzureSqlDatabaseMsi', properties: {} })
        .expect(400);
      expect(sql.body.error).toEqual(expect.objectContaining({ code: 'InvalidScanKind', target: 'kind' }));
      await http
        .put(`/scan/datasources/lake-a/scans/scan-b${V}`)
        .send({ kind: 'AdlsGen2Msi', properties: { connectedVia: { referenceName: 'shir-1' } } })
        .expect(201);
      const badRuleset = await http
        .put(`/scan/datasources/storage-a/scans/scan-b${V}`)
        .send({ kind: 'AzureStorageMsi', properties: { scanRulesetType: 'Nope' } })
        .expect(400);
      expect(badRuleset.body.error.message).toContain("'System' or 'Custom'");
    });

    it('answers 404 for a scan of a missing data source, and for a missing scan', async () => {
      const ds = await http
        .put(`/scan/datasources/nope-a/scans/scan-a${V}`)
        .send({ kind: 'AzureStorageMsi' })
        .expect(404);
      expect(ds.body.error.code).toBe('DataSourceNotFound');
      await http.get(`/scan/datasources/nope-a/scans${V}`).expect(404);
      const scan = await http.get(`/scan/datasources/storage-a/scans/nope-b${V}`).expect(404);
      expect(scan.body.error.code).toBe('ScanNotFound');
    });

    it('refuses to delete a data source that still has scans (409 naming them)', async () => {
      const response = await http.delete(`/scan/datasources/storage-a${V}`).expect(409);
      expect(response.body.error).toEqual(
        expect.objectContaining({ code: 'DataSourceHasScans', message: expect.stringContaining("'scan-a'") }),
      );
    });
  });

  describe('a run from queue to Succeeded', () => {
    const node = nodeOf('shir-1');
    let runId: string;
    let job: ScanJob;

    it('accepts a run (202) with Operation-Location', async () => {
      runId = randomUUID();
      const response = await http
        .put(`/scan/datasources/storage-a/scans/scan-a/runs/${runId}${V}&scanLevel=Full`)
        .expect(202);
      expect(response.body).toEqual({
        scanResultId: runId,
        startTime: expect.any(String),
        endTime: null,
        status: 'Accepted',
        error: null,
      });
      expect(response.headers['operation-location']).toMatch(
        new RegExp(
          `^http://127\\.0\\.0\\.1:\\d+/scan/datasources/storage-a/scans/scan-a/runs/${runId}\\?api-version=2023-09-01$`,
        ),
      );
    });

    it('refuses the same run id (409) and a second concurrent run naming the active one (409)', async () => {
      const again = await http.put(`/scan/datasources/storage-a/scans/scan-a/runs/${runId}${V}`).expect(409);
      expect(again.body.error.code).toBe('ScanRunAlreadyExists');
      const concurrent = await http
        .put(`/scan/datasources/storage-a/scans/scan-a/runs/${randomUUID()}${V}`)
        .expect(409);
      expect(concurrent.body.error).toEqual(
        expect.objectContaining({ code: 'ScanRunInProgress', message: expect.stringContaining(runId) }),
      );
      const deleteScan = await http.delete(`/scan/datasources/storage-a/scans/scan-a${V}`).expect(409);
      expect(deleteScan.body.error.message).toContain(runId);
    });

    it('shows the queued run waiting for a node, with the reason', async () => {
      const run = await getRun('storage-a', 'scan-a', runId.toUpperCase());
      expect(run).toEqual(
        expect.objectContaining({
          id: runId,
          status: 'Queued',
          startTime: null,
          dataSourceType: 'AzureStorage',
          runType: 'Manual',
          ingestionJobId: runId,
          scanRulesetVersion: 1,
          scanRulesetType: 'Custom',
          scanLevelType: 'Full',
          error: null,
        }),
      );
      expect(run.discoveryExecutionDetails.status).toBe('Queued');
      expect(run.emulatorDiagnostics).toEqual({
        nodes: [],
        reason: expect.stringContaining("Waiting for a node of integration runtime 'shir-1'"),
      });
      expect(run.emulatorDiagnostics!.reason).toContain('no node has polled');
      expect(run.diagnostics.notifications).toEqual([
        expect.objectContaining({ code: ScanNotificationCode.WaitingForIntegrationRuntime }),
      ]);
    });

    it('leases it to a node of its IR as a job with SAS and ingestion targets', async () => {
      expect(await jobs.leaseJobs(nodeOf('shir-2'), 4, 0)).toEqual([]);
      const leased = await jobs.leaseJobs(node, 4, 0);
      expect(leased).toHaveLength(1);
      job = leased[0];
      expect(job).toEqual({
        jobId: expect.any(String),
        leaseId: expect.any(String),
        leaseExpiresAt: expect.any(String),
        leaseSeconds: LEASE_SECONDS,
        attempt: 1,
        scanRun: {
          runId,
          dataSourceName: 'storage-a',
          scanName: 'scan-a',
          scanLevel: 'Full',
          scanRulesetName: 'Custom1',
        },
        scanRuleset: expect.objectContaining({ name: 'Custom1', type: 'Custom', version: 1 }),
        source: {
          kind: 'AzureStorage',
          endpoint: ENDPOINT,
          accountName: 'devstoreaccount1',
          qualifiedNameBase: 'https://devstoreaccount1.blob.core.windows.net',
          serviceUrl: 'http://127.0.0.1:1/devstoreaccount1',
          sasToken: expect.stringContaining('sig='),
          excludeContainers: ['purview-ingestion'],
        },
        ingestion: {
          containerSasUrl: expect.stringMatching(
            /^http:\/\/127\.0\.0\.1:1\/devstoreaccount1\/purview-ingestion\?.*sig=/,
          ),
          queueSasUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:2\/devstoreaccount1\/purview-ingestion\?.*sig=/),
          blobPrefix: `runs/${runId}/parts/0/`,
        },
      });
      expect(job.jobId).not.toBe(runId); // job ids are opaque: the part's, not the run's
      expect(storageSourceOf(job).partition).toBeUndefined(); // one node online when it was queued: one part
      expect(Date.parse(job.leaseExpiresAt) - clock.nowMs()).toBeGreaterThan((LEASE_SECONDS - 2) * 1000);
      expect(await jobs.leaseJobs(node, 4, 0)).toEqual([]);
      const run = await getRun('storage-a', 'scan-a', runId);
      expect(run).toEqual(
        expect.objectContaining({
          status: 'InProgress',
          startTime: expect.any(String),
          pipelineStartTime: expect.any(String),
        }),
      );
      expect(run.discoveryExecutionDetails).toEqual(
        expect.objectContaining({ status: 'Running', discoveryStartTime: expect.any(String) }),
      );
      expect(run.emulatorDiagnostics).toEqual({
        nodes: ['node1'],
        reason: expect.stringContaining("Running on node 'node1'"),
      });
    });

    it('renews the lease and records progress', async () => {
      advance(10);
      const renewed = await jobs.renewLease(node, job.jobId, job.leaseId);
      expect(Date.parse(renewed.leaseExpiresAt)).toBeGreaterThan(Date.parse(job.leaseExpiresAt));
      await jobs.reportProgress(node, job.jobId, {
        leaseId: job.leaseId,
        assetsDiscovered: 5,
        assetsClassified: 2,
        batchesUploaded: 1,
      });
      const run = await getRun('storage-a', 'scan-a', runId);
      expect(run).toEqual(expect.objectContaining({ assetsDiscovered: 5, assetsClassified: 2 }));
      expect(run.discoveryExecutionDetails.statistics.assets).toEqual({
        discovered: 5,
        classified: 2,
        failed: 0,
        deleted: 0,
      });
      await expect(jobs.renewLease(node, job.jobId, 'not-the-lease')).rejects.toMatchObject({
        status: 409,
        code: 'LeaseLost',
      });
      await expect(jobs.renewLease(node, randomUUID(), job.leaseId)).rejects.toMatchObject({ status: 404 });
    });

    it('ingests batches while discovery runs, then waits for the rest after completion', async () => {
      expect(
        await runs.recordIngestedBatch(runId, 'batch-1', { assetsSucceeded: 3, assetsFailed: 0, relationships: 2 }),
      ).toBe('recorded');
      let run = await getRun('storage-a', 'scan-a', runId);
      expect(run.ingestionExecutionDetails).toEqual(
        expect.objectContaining({
          status: 'InProgress',
          ingestionStartTime: expect.any(String),
          lastUpdatedAt: expect.any(String),
        }),
      );

      const completion = {
        leaseId: job.leaseId,
        status: 'Succeeded' as const,
        assetsDiscovered: 6,
        assetsClassified: 2,
        assetsFailed: 1,
        batchCount: 2,
        failures: [{ qualifiedName: `${ENDPOINT}data/broken.csv`, reason: '500 InternalError' }],
      };
      await jobs.completeJob(node, job.jobId, completion);
      await jobs.completeJob(node, job.jobId, completion);
      run = await getRun('storage-a', 'scan-a', runId);
      expect(run.status).toBe('InProgress');
      // A file could not be read: discovery completed with exceptions, and a notification names the file (once).
      expect(run.discoveryExecutionDetails).toEqual(
        expect.objectContaining({
          status: 'CompletedWithExceptions',
          discoveryEndTime: expect.any(String),
          statistics: { assets: { discovered: 6, classified: 2, failed: 1, deleted: 0 } },
        }),
      );
      expect(run.ingestionExecutionDetails.status).toBe('InProgress');
      expect(run.diagnostics.notifications).toEqual([
        {
          code: ScanNotificationCode.FileNotRead,
          message: `Could not read ${ENDPOINT}data/broken.csv (node 'node1'): 500 InternalError`,
        },
        expect.objectContaining({
          code: ScanNotificationCode.WaitingForIngestion,
          message: expect.stringContaining('1 of 2 batches'),
        }),
      ]);
      await expect(jobs.renewLease(node, job.jobId, job.leaseId)).rejects.toMatchObject({
        status: 409,
        code: 'LeaseLost',
        message: expect.stringContaining('already completed with this lease'),
      });
    });

    it('counts a redelivered batch once and succeeds when the last batch is in', async () => {
      expect(
        await runs.recordIngestedBatch(runId, 'batch-1', { assetsSucceeded: 3, assetsFailed: 0, relationships: 2 }),
      ).toBe('duplicate');
      expect(
        await runs.recordIngestedBatch(runId.toUpperCase(), 'batch-2', {
          assetsSucceeded: 4,
          assetsFailed: 1,
          relationships: 3,
        }),
      ).toBe('recorded');
      expect(
        await runs.recordIngestedBatch(runId, 'batch-2', { assetsSucceeded: 4, assetsFailed: 1, relationships: 3 }),
      ).toBe('duplicate');
      expect(
        await runs.recordIngestedBatch(randomUUID(), 'batch-1', {
          assetsSucceeded: 1,
          assetsFailed: 0,
          relationships: 0,
        }),
      ).toBe('unknown-run');
      const run = await getRun('storage-a', 'scan-a', runId);
      expect(run).toEqual(
        expect.objectContaining({
          status: 'Succeeded',
          endTime: expect.any(String),
          assetsDiscovered: 6,
          assetsClassified: 2,
          errorMessage: null,
        }),
      );
      expect(run.ingestionExecutionDetails).toEqual(
        expect.objectContaining({
          status: 'Succeeded',
          ingestionEndTime: expect.any(String),
          statistics: {
            assets: { succeeded: 7, failed: 1, processing: 0 },
            relationships: { succeeded: 5, failed: 0, processing: 0 },
          },
        }),
      );
      expect(run.discoveryExecutionDetails.status).toBe('CompletedWithExceptions');
      expect(run.diagnostics.notifications).toEqual([
        expect.objectContaining({ code: ScanNotificationCode.FileNotRead }),
      ]);
      expect(run.emulatorDiagnostics).toEqual({ nodes: ['node1'] });
      const history = (await http.get(`/scan/datasources/storage-a/scans/scan-a/runs${V}`).expect(200)).body;
      expect(history).toEqual({ value: [expect.objectContaining({ id: runId, status: 'Succeeded' })], count: 1 });
    });

    it('validates run ids and scan levels (400) and answers 404 for unknown runs', async () => {
      const bad = await http.put(`/scan/datasources/storage-a/scans/scan-a/runs/not-a-guid${V}`).expect(400);
      expect(bad.body.error.code).toBe('InvalidRunId');
      const level = await http
        .put(`/scan/datasources/storage-a/scans/scan-a/runs/${randomUUID()}${V}&scanLevel=Deep`)
        .expect(400);
      expect(level.body.error.code).toBe('InvalidScanLevel');
      // A repeated parameter reads as the list it is, not as 'Full,Full'.
      const repeated = await http
        .put(`/scan/datasources/storage-a/scans/scan-a/runs/${randomUUID()}${V}&scanLevel=Full&scanLevel=Full`)
        .expect(400);
      expect(repeated.body.error.message).toContain(`scanLevel '["Full","Full"]' is not valid`);
      const missing = await http.get(`/scan/datasources/storage-a/scans/scan-a/runs/${randomUUID()}${V}`).expect(404);
      expect(missing.body.error.code).toBe('ScanRunNotFound');
      await http.put(`/scan/datasources/storage-a/scans/nope-b/runs/${randomUUID()}${V}`).expect(404);
      await http.put(`/scan/datasources/nope-a/scans/scan-a/runs/${randomUUID()}${V}`).expect(404);
    });
  });

  describe('long polling', () => {
    it('wakes a waiting lease call as soon as a run is queued for its IR', async () => {
      await createScan('storage-c', 'scan-c', 'shir-2');
      nodeOf('shir-2');
      const started = Date.now();
      const waiting = jobs.leaseJobs(nodeOf('shir-2'), 1, 10);
      const signals = emulator.app.get(ScanJobSignals);
      await pollUntil(() => signals.waitingCalls('shir-2') === 1, {
        description: 'the lease call to wait for work on shir-2',
      });
      const runId = await startRun('storage-c', 'scan-c');
      const leased = await waiting;
      expect(leased.map((j) => j.scanRun.runId)).toEqual([runId]);
      expect(Date.now() - started).toBeLessThan(3000);
      await http.post(`/scan/datasources/storage-c/scans/scan-c/runs/${runId}:cancel${V}`).expect(202);
    });

    it('returns [] when nothing is queued before waitSeconds', async () => {
      const started = Date.now();
      expect(await jobs.leaseJobs(nodeOf('shir-9'), 1, 0.3)).toEqual([]);
      expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    });
  });

  describe('lease expiry', () => {
    it('re-queues a run whose node stopped renewing, then fails it after three attempts', async () => {
      const first = nodeOf('shir-3', 'node-a');
      await createScan('storage-d', 'scan-d', 'shir-3');
      const runId = await startRun('storage-d', 'scan-d');
      // Up only after the run was queued, so the run has one part.
      const second = nodeOf('shir-3', 'node-b');

      const [attempt1] = await jobs.leaseJobs(first, 1, 0);
      expect(attempt1.attempt).toBe(1);
      advance(LEASE_SECONDS + 1);
      expect(await jobs.expireLeases()).toBe(1);
      let run = await getRun('storage-d', 'scan-d', runId);
      expect(run.status).toBe('Queued');
      expect(run.discoveryExecutionDetails.status).toBe('Queued');
      expect(run.diagnostics.notifications[0]).toEqual({
        code: ScanNotificationCode.LeaseExpired,
        message: expect.stringContaining("Node 'node-a' stopped renewing its lease"),
      });
      await expect(jobs.renewLease(first, attempt1.jobId, attempt1.leaseId)).rejects.toMatchObject({
        status: 409,
        code: 'LeaseLost',
        message: expect.stringContaining('queued again (attempt 2)'),
      });

      const [attempt2] = await jobs.leaseJobs(second, 1, 0);
      expect(attempt2).toEqual(expect.objectContaining({ jobId: attempt1.jobId, attempt: 2 }));
      await expect(
        jobs.reportProgress(first, attempt1.jobId, {
          leaseId: attempt1.leaseId,
          assetsDiscovered: 1,
          assetsClassified: 0,
          batchesUploaded: 0,
        }),
      ).rejects.toMatchObject({
        code: 'LeaseLost',
        message: expect.stringContaining("leased again (attempt 2, node 'node-b')"),
      });

      // Expiry is also checked lazily by the next lease call, which then hands out attempt 3.
      advance(LEASE_SECONDS + 1);
      const [attempt3] = await jobs.leaseJobs(first, 1, 0);
      expect(attempt3).toEqual(expect.objectContaining({ jobId: attempt1.jobId, attempt: 3 }));

      // ...and by the holder's own calls: a late renew learns the run failed.
      advance(LEASE_SECONDS + 1);
      await expect(jobs.renewLease(first, attempt3.jobId, attempt3.leaseId)).rejects.toMatchObject({
        status: 409,
        code: 'LeaseLost',
        message: expect.stringContaining('failed after 3 attempts'),
      });
      run = await getRun('storage-d', 'scan-d', runId);
      expect(run).toEqual(
        expect.objectContaining({
          status: 'Failed',
          endTime: expect.any(String),
          errorMessage: expect.stringContaining('stopped responding'),
        }),
      );
      expect(run.error).toEqual({
        code: 'IntegrationRuntimeNodeUnresponsive',
        message: expect.stringContaining("'node-a', 'node-b'"),
      });
      expect(run.discoveryExecutionDetails.status).toBe('Failed');
      expect(run.emulatorDiagnostics).toEqual({ nodes: ['node-a', 'node-b'], reason: run.errorMessage });
      expect(run.diagnostics.notifications.map((n) => n.code)).toEqual([
        ScanNotificationCode.LeaseExpired,
        ScanNotificationCode.LeaseExpired,
        ScanNotificationCode.IntegrationRuntimeNodeUnresponsive,
      ]);
    });
  });

  describe('cancel', () => {
    const node = nodeOf('shir-4');

    it('cancels a running run (202), drops its lease, and refuses to cancel it again (409)', async () => {
      await createScan('storage-e', 'scan-e', 'shir-4');
      const runId = await startRun('storage-e', 'scan-e');
      const [job] = await jobs.leaseJobs(node, 1, 0);
      const response = await http.post(`/scan/datasources/storage-e/scans/scan-e/runs/${runId}:cancel${V}`).expect(202);
      expect(response.body).toEqual({
        scanResultId: runId,
        startTime: expect.any(String),
        endTime: null,
        status: 'Accepted',
        error: null,
      });
      expect(response.headers['operation-location']).toContain(`/runs/${runId}?api-version=`);
      const run = await getRun('storage-e', 'scan-e', runId);
      expect(run).toEqual(expect.objectContaining({ status: 'Canceled', endTime: expect.any(String) }));
      expect(run.discoveryExecutionDetails.status).toBe('Cancelled');
      expect(run.ingestionExecutionDetails.status).toBe('Canceled');
      await expect(jobs.renewLease(node, job.jobId, job.leaseId)).rejects.toMatchObject({
        status: 409,
        code: 'LeaseLost',
        message: expect.stringContaining('canceled'),
      });
      await expect(
        jobs.completeJob(node, job.jobId, {
          leaseId: job.leaseId,
          status: 'Succeeded',
          assetsDiscovered: 1,
          assetsClassified: 0,
          assetsFailed: 0,
          batchCount: 0,
        }),
      ).rejects.toMatchObject({ code: 'LeaseLost' });
      const again = await http.post(`/scan/datasources/storage-e/scans/scan-e/runs/${runId}/:cancel${V}`).expect(409);
      expect(again.body.error.code).toBe('ScanRunAlreadyFinished');
    });

    it('cancels a queued run with the /:cancel spelling, so it is never leased', async () => {
      const runId = await startRun('storage-e', 'scan-e');
      await http.post(`/scan/datasources/storage-e/scans/scan-e/runs/${runId}/:cancel`).expect(202);
      expect(await jobs.leaseJobs(node, 1, 0)).toEqual([]);
      expect((await getRun('storage-e', 'scan-e', runId)).status).toBe('Canceled');
    });
  });

  describe('other ways to run, and failures', () => {
    const node = nodeOf('shir-5');

    it('runs Incremental (the default) from the last Succeeded run with the same rule set, Full otherwise', async () => {
      const shir = nodeOf('shir-9');
      await createScan('storage-i', 'scan-i', 'shir-9');
      const finish = async (): Promise<ScanJob> => {
        const [job] = await jobs.leaseJobs(shir, 1, 0);
        await jobs.completeJob(shir, job.jobId, {
          leaseId: job.leaseId,
          status: 'Succeeded',
          assetsDiscovered: 1,
          assetsClassified: 0,
          assetsFailed: 0,
          batchCount: 0,
        });
        return job;
      };
      const first = await startRun('storage-i', 'scan-i');
      expect(storageSourceOf(await finish()).modifiedSince).toBeUndefined();
      const baseline = await getRun('storage-i', 'scan-i', first);
      expect(baseline).toEqual(expect.objectContaining({ status: 'Succeeded', scanLevelType: 'Full' }));

      advance(60);
      const second = await startRun('storage-i', 'scan-i');
      expect((await getRun('storage-i', 'scan-i', second)).scanLevelType).toBe('Incremental');
      const job = await finish();
      expect(job.scanRun.scanLevel).toBe('Incremental');
      expect(storageSourceOf(job).modifiedSince).toBe(baseline.startTime);

      // Asking for Full is Full; a changed rule set makes the next run Full too.
      await startRun('storage-i', 'scan-i', randomUUID());
      const third = await finish();
      expect(storageSourceOf(third).modifiedSince).toBeDefined();
      await http.put(`/scan/datasources/storage-i/scans/scan-i/runs/${randomUUID()}${V}&scanLevel=Full`).expect(202);
      expect(storageSourceOf(await finish()).modifiedSince).toBeUndefined();
      await http.put(`/scan/scanrulesets/Custom2${V}`).send({ kind: 'AzureStorage' }).expect(201);
      await http
        .put(`/scan/datasources/storage-i/scans/scan-i${V}`)
        .send({
          kind: 'AzureStorageMsi',
          properties: {
            scanRulesetName: 'Custom2',
            scanRulesetType: 'Custom',
            connectedVia: { referenceName: 'shir-9' },
          },
        })
        .expect(200);
      const afterChange = await startRun('storage-i', 'scan-i');
      expect((await getRun('storage-i', 'scan-i', afterChange)).scanLevelType).toBe('Full');
      expect(storageSourceOf(await finish()).modifiedSince).toBeUndefined();
    });

    it('runs with POST …/run (server id, body scanLevel) and POST …:run?runId=', async () => {
      await createScan('storage-f', 'scan-f', 'shir-5');
      const posted = await http
        .post(`/scan/datasources/storage-f/scans/scan-f/run?api-version=2022-07-01-preview`)
        .send({ scanLevel: 'Incremental' })
        .expect(202);
      const serverId = posted.body.scanResultId as string;
      expect(serverId).toMatch(/^[0-9a-f-]{36}$/);
      expect(posted.headers['operation-location']).toMatch(
        new RegExp(`/runs/${serverId}\\?api-version=2022-07-01-preview$`),
      );
      // The scan's first run is Full whatever was asked: an incremental one needs a baseline.
      expect((await getRun('storage-f', 'scan-f', serverId)).scanLevelType).toBe('Full');
      await http.post(`/scan/datasources/storage-f/scans/scan-f/runs/${serverId}:cancel`).expect(202);

      const runId = randomUUID();
      const colon = await http.post(`/scan/datasources/storage-f/scans/scan-f:run?runId=${runId}`).expect(202);
      expect(colon.body.scanResultId).toBe(runId);
      const [job] = await jobs.leaseJobs(node, 1, 0);
      expect(job.scanRun.runId).toBe(runId);

      // A run the node reports as failed.
      await jobs.completeJob(node, job.jobId, {
        leaseId: job.leaseId,
        status: 'Failed',
        assetsDiscovered: 2,
        assetsClassified: 0,
        assetsFailed: 0,
        batchCount: 0,
        error: { code: 'SourceUnreachable', message: 'Azurite did not answer.' },
      });
      const run = await getRun('storage-f', 'scan-f', runId);
      expect(run).toEqual(
        expect.objectContaining({
          status: 'Failed',
          errorMessage: 'Azurite did not answer.',
          error: { code: 'SourceUnreachable', message: 'Azurite did not answer.' },
        }),
      );
      expect(run.discoveryExecutionDetails.status).toBe('Failed');
      // A code the emulator does not know (the node's own) is RunFailed in the notification; error.code keeps the word.
      expect(run.diagnostics.notifications).toEqual([
        { code: ScanNotificationCode.RunFailed, message: 'Azurite did not answer.' },
      ]);
    });

    it('gives a part its node failed as retryable (storage unreachable) to a node again only after a wait, and says so', async () => {
      const runId = await startRun('storage-f', 'scan-f');
      const [job] = await jobs.leaseJobs(node, 1, 0);
      const error = { code: 'ScanFailed', message: 'Cannot list blobs: ECONNREFUSED', retryable: true };
      await jobs.completeJob(node, job.jobId, {
        leaseId: job.leaseId,
        status: 'Failed',
        assetsDiscovered: 0,
        assetsClassified: 0,
        assetsFailed: 0,
        batchCount: 0,
        error,
      });
      let run = await getRun('storage-f', 'scan-f', runId);
      expect(run.status).toBe('Queued');
      expect(run.diagnostics.notifications.map((n) => n.code)).toEqual([ScanNotificationCode.JobRetried]);
      expect(run.emulatorDiagnostics?.reason).toMatch(
        /^Waiting to try again: the last attempt could not reach storage .*Attempt 2 of 3 starts at \S+ at the earliest\.$/,
      );
      // Not within the wait, not even to a node that asks again and again.
      expect(await jobs.leaseJobs(node, 1, 0)).toEqual([]);
      advance(10);
      expect(await jobs.leaseJobs(node, 1, 0)).toEqual([]);
      // A long poll that began during the wait gets the part when the wait is over, without a signal.
      advance(4.7);
      const started = Date.now();
      const [retry] = await jobs.leaseJobs(node, 1, 10);
      expect(retry).toEqual(expect.objectContaining({ jobId: job.jobId, attempt: 2 }));
      expect(Date.now() - started).toBeLessThan(3000);
      await jobs.completeJob(node, retry.jobId, {
        leaseId: retry.leaseId,
        status: 'Succeeded',
        assetsDiscovered: 1,
        assetsClassified: 0,
        assetsFailed: 0,
        batchCount: 0,
      });
      run = await getRun('storage-f', 'scan-f', runId);
      expect(run).toEqual(expect.objectContaining({ status: 'Succeeded', error: null }));
    });

    it('succeeds at completion when the run produced no batches', async () => {
      const runId = await startRun('storage-f', 'scan-f');
      const [job] = await jobs.leaseJobs(node, 1, 0);
      await jobs.completeJob(node, job.jobId, {
        leaseId: job.leaseId,
        status: 'Succeeded',
        assetsDiscovered: 0,
        assetsClassified: 0,
        assetsFailed: 0,
        batchCount: 0,
      });
      const run = await getRun('storage-f', 'scan-f', runId);
      expect(run).toEqual(expect.objectContaining({ status: 'Succeeded', endTime: expect.any(String) }));
      expect(run.ingestionExecutionDetails.status).toBe('Succeeded');
    });

    it('fails a run whose ingestion hit a poison batch', async () => {
      const runId = await startRun('storage-f', 'scan-f');
      const [job] = await jobs.leaseJobs(node, 1, 0);
      await jobs.completeJob(node, job.jobId, {
        leaseId: job.leaseId,
        status: 'Succeeded',
        assetsDiscovered: 3,
        assetsClassified: 0,
        assetsFailed: 0,
        batchCount: 1,
      });
      await runs.failIngestion(runId, 'Ingestion failed: batch b-1 could not be parsed.');
      const run = await getRun('storage-f', 'scan-f', runId);
      expect(run).toEqual(
        expect.objectContaining({
          status: 'Failed',
          error: { code: 'IngestionFailed', message: 'Ingestion failed: batch b-1 could not be parsed.' },
        }),
      );
      expect(run.discoveryExecutionDetails.status).toBe('Succeeded');
      expect(run.ingestionExecutionDetails.status).toBe('Failed');
    });

    it('tells ingestion which batches are in and which runs ended long enough ago for their leftover blobs to go', async () => {
      const runId = await startRun('storage-f', 'scan-f');
      const [job] = await jobs.leaseJobs(node, 1, 0);
      await runs.recordIngestedBatch(runId, 'b-1', { assetsSucceeded: 1, assetsFailed: 0, relationships: 0 });
      expect([
        await runs.batchState(runId, 'b-1'),
        await runs.batchState(runId, 'b-2'),
        await runs.batchState(randomUUID(), 'b-1'),
      ]).toEqual(['recorded', 'open', 'unknown-run']);
      expect(await runs.endedRuns([runId], 0)).toEqual([]);
      await jobs.completeJob(node, job.jobId, {
        leaseId: job.leaseId,
        status: 'Failed',
        assetsDiscovered: 1,
        assetsClassified: 0,
        assetsFailed: 0,
        batchCount: 1,
        error: { code: 'ScanFailed', message: '403' },
      });
      expect(await runs.batchState(runId, 'b-2')).toBe('run-ended');
      // In any case; the answer is the id the blobs are named by.
      expect(await runs.endedRuns([runId.toUpperCase()], 0)).toEqual([runId]);
      expect(await runs.endedRuns([runId], 30)).toEqual([]);
      advance(31);
      expect(await runs.endedRuns([runId, randomUUID()], 30)).toEqual([runId]);
    });

    it('fails at once a run of a scan without connectedVia, saying how to fix it', async () => {
      await createScan('storage-g', 'scan-g', null);
      const scan = (await http.get(`/scan/datasources/storage-g/scans/scan-g${V}`).expect(200)).body;
      expect(scan.properties.connectedVia).toBeNull();
      const runId = await startRun('storage-g', 'scan-g');
      const run = await getRun('storage-g', 'scan-g', runId);
      expect(run).toEqual(
        expect.objectContaining({
          status: 'Failed',
          endTime: expect.any(String),
          error: expect.objectContaining({ code: 'IntegrationRuntimeRequired' }),
        }),
      );
      expect(run.errorMessage).toContain('properties.connectedVia.referenceName');
      expect(run.diagnostics.notifications).toHaveLength(1);
    });
  });

  describe('history paging', () => {
    it('pages newest first with $top and an absolute nextLink', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push(await startRun('storage-g', 'scan-g'));
      const total = (await http.get(`/scan/datasources/storage-g/scans/scan-g/runs${V}`).expect(200)).body;
      expect(total.count).toBe(6);
      expect(total.nextLink).toBeUndefined();
      expect(total.value.slice(0, 5).map((r: ScanResultWithIngestion) => r.id)).toEqual([...ids].reverse());

      const page1 = (await http.get(`/scan/datasources/storage-g/scans/scan-g/runs${V}&$top=4`).expect(200)).body;
      expect(page1.value.map((r: ScanResultWithIngestion) => r.id)).toEqual([...ids].reverse().slice(0, 4));
      expect(page1.nextLink).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/scan\/datasources\/storage-g\/scans\/scan-g\/runs\?/);
      const next = new URL(page1.nextLink);
      const page2 = (await http.get(`${next.pathname}${next.search}`).expect(200)).body;
      expect(page2.value).toHaveLength(2);
      expect(page2.value[0].id).toBe(ids[0]);
      expect(page2.nextLink).toBeUndefined();
      const plain = (
        await http
          .get(`/scan/datasources/storage-g/scans/scan-g/runs?$top=4&skipToken=${next.searchParams.get('$skipToken')}`)
          .expect(200)
      ).body;
      expect(plain.value.map((r: ScanResultWithIngestion) => r.id)).toEqual(
        page2.value.map((r: ScanResultWithIngestion) => r.id),
      );
      await http.get(`/scan/datasources/storage-g/scans/scan-g/runs?$skipToken=garbage`).expect(400);
    });
  });

  describe('deleting', () => {
    it('deletes a scan with its history, then its data source', async () => {
      await http.delete(`/scan/datasources/storage-g/scans/scan-g${V}`).expect(204);
      await http.get(`/scan/datasources/storage-g/scans/scan-g${V}`).expect(404);
      await http.delete(`/scan/datasources/storage-g${V}`).expect(204);
      await http.get(`/scan/datasources/storage-g${V}`).expect(404);
    });
  });

  describe('spreading storage scans across nodes', () => {
    const done = (job: ScanJob, assetsDiscovered: number, batchCount: number) => ({
      leaseId: job.leaseId,
      status: 'Succeeded' as const,
      assetsDiscovered,
      assetsClassified: 1,
      assetsFailed: 0,
      batchCount,
    });
    let a: JobNode;
    let b: JobNode;

    beforeAll(async () => {
      a = nodeOf('shir-6', 'node-a');
      b = nodeOf('shir-6', 'node-b');
      await createScan('storage-h', 'scan-h', 'shir-6');
    });

    it('gives the parts of one run to two nodes, and the run says which nodes took part', async () => {
      const runId = await startRun('storage-h', 'scan-h');
      const [jobA, more] = await jobs.leaseJobs(a, 4, 0);
      expect(more).toBeUndefined(); // node-b has room: node-a leaves it the other part
      const [jobB] = await jobs.leaseJobs(b, 4, 0);
      expect([jobA.scanRun.runId, jobB.scanRun.runId]).toEqual([runId, runId]);
      expect(jobA.jobId).not.toBe(jobB.jobId);
      expect([storageSourceOf(jobA).partition, storageSourceOf(jobB).partition]).toEqual([
        { index: 0, count: 2 },
        { index: 1, count: 2 },
      ]);
      expect([jobA.ingestion.blobPrefix, jobB.ingestion.blobPrefix]).toEqual([
        `runs/${runId}/parts/0/`,
        `runs/${runId}/parts/1/`,
      ]);
      expect(await jobs.leaseJobs(a, 4, 0)).toEqual([]);

      await jobs.reportProgress(a, jobA.jobId, {
        leaseId: jobA.leaseId,
        assetsDiscovered: 3,
        assetsClassified: 1,
        batchesUploaded: 1,
      });
      await jobs.reportProgress(b, jobB.jobId, {
        leaseId: jobB.leaseId,
        assetsDiscovered: 4,
        assetsClassified: 0,
        batchesUploaded: 1,
      });
      let run = await getRun('storage-h', 'scan-h', runId);
      expect(run).toEqual(expect.objectContaining({ status: 'InProgress', assetsDiscovered: 7, assetsClassified: 1 }));
      expect(run.emulatorDiagnostics).toEqual({
        nodes: ['node-a', 'node-b'],
        reason: expect.stringContaining(
          "Running in 2 parts spread across the integration runtime's nodes: part 1 on node 'node-a'",
        ),
      });

      await jobs.completeJob(a, jobA.jobId, done(jobA, 5, 2));
      run = await getRun('storage-h', 'scan-h', runId);
      expect(run.discoveryExecutionDetails.status).toBe('Running');
      expect(run.emulatorDiagnostics!.reason).toContain('part 1 completed');
      await jobs.completeJob(b, jobB.jobId, done(jobB, 6, 1));
      run = await getRun('storage-h', 'scan-h', runId);
      expect(run.discoveryExecutionDetails).toEqual(
        expect.objectContaining({
          status: 'Succeeded',
          statistics: { assets: { discovered: 11, classified: 2, failed: 0, deleted: 0 } },
        }),
      );
      expect(run.diagnostics.notifications).toEqual([
        expect.objectContaining({
          code: ScanNotificationCode.WaitingForIngestion,
          message: expect.stringContaining('0 of 3 batches'),
        }),
      ]);

      for (const batch of ['a-1', 'a-2', 'b-1'])
        await runs.recordIngestedBatch(runId, batch, { assetsSucceeded: 1, assetsFailed: 0, relationships: 0 });
      run = await getRun('storage-h', 'scan-h', runId);
      expect(run).toEqual(expect.objectContaining({ status: 'Succeeded', assetsDiscovered: 11, assetsClassified: 2 }));
      expect(run.emulatorDiagnostics).toEqual({ nodes: ['node-a', 'node-b'] });
    });

    it('gives the part of a node that stopped renewing to the other node, and the run still succeeds', async () => {
      const runId = await startRun('storage-h', 'scan-h');
      const [jobA] = await jobs.leaseJobs(a, 4, 0);
      const [jobB] = await jobs.leaseJobs(b, 4, 0);
      await jobs.completeJob(a, jobA.jobId, done(jobA, 2, 0));

      // node-b dies: no more renewals, no more heartbeats.
      setNode(b, { online: false, acceptsJobs: false, reason: 'offline' });
      advance(LEASE_SECONDS + 1);
      expect(await jobs.expireLeases()).toBe(1);
      let run = await getRun('storage-h', 'scan-h', runId);
      expect(run.status).toBe('InProgress');
      expect(run.diagnostics.notifications[0]).toEqual({
        code: ScanNotificationCode.LeaseExpired,
        message: expect.stringContaining("Node 'node-b' stopped renewing its lease on part 2 of 2 of this run"),
      });

      const [retry] = await jobs.leaseJobs(a, 4, 0);
      expect(retry).toEqual(
        expect.objectContaining({
          jobId: jobB.jobId,
          attempt: 2,
          source: expect.objectContaining({ partition: { index: 1, count: 2 } }),
        }),
      );
      await expect(jobs.renewLease(b, jobB.jobId, jobB.leaseId)).rejects.toMatchObject({
        status: 409,
        code: 'LeaseLost',
      });
      await jobs.completeJob(a, retry.jobId, done(retry, 3, 0));
      run = await getRun('storage-h', 'scan-h', runId);
      expect(run).toEqual(expect.objectContaining({ status: 'Succeeded', assetsDiscovered: 5 }));
      expect(run.emulatorDiagnostics!.nodes).toEqual(['node-a', 'node-b']);
      setNode(b, { online: true, acceptsJobs: true, reason: undefined });
    });

    it('cancels every part of a spread run', async () => {
      const runId = await startRun('storage-h', 'scan-h');
      const [jobA] = await jobs.leaseJobs(a, 4, 0);
      await http.post(`/scan/datasources/storage-h/scans/scan-h/runs/${runId}:cancel${V}`).expect(202);
      await expect(jobs.renewLease(a, jobA.jobId, jobA.leaseId)).rejects.toMatchObject({
        code: 'LeaseLost',
        message: expect.stringContaining('canceled'),
      });
      expect(await jobs.leaseJobs(b, 4, 0)).toEqual([]);
    });
  });

  describe('capacity', () => {
    it('never gives a node more jobs than its concurrentJobsLimit, and a saturated IR says its runs wait for capacity', async () => {
      const a = nodeOf('shir-7', 'node-a', 1);
      const b = nodeOf('shir-7', 'node-b', 2);
      const ids: string[] = [];
      for (const i of [1, 2, 3]) {
        await createScan(`storage-k${i}`, `scan-k${i}`, 'shir-7');
        ids.push(await startRun(`storage-k${i}`, `scan-k${i}`));
      }
      // Several lease calls at once from node-a (limit 1), asking for many jobs each: one job in all.
      const fromA = (
        await Promise.all([jobs.leaseJobs(a, 8, 0), jobs.leaseJobs(a, 8, 0), jobs.leaseJobs(a, 8, 0)])
      ).flat();
      expect(fromA).toHaveLength(1);
      const fromB = (await Promise.all([jobs.leaseJobs(b, 8, 0), jobs.leaseJobs(b, 8, 0)])).flat();
      expect(fromB).toHaveLength(2);
      expect(await jobs.leaseJobs(a, 8, 0)).toEqual([]);

      const third = await getRun('storage-k3', 'scan-k3', ids[2]);
      expect(third.status).toBe('Queued');
      expect(third.emulatorDiagnostics!.reason).toMatch(
        /^Waiting for capacity on integration runtime 'shir-7'.*'node-a' 1 of 1, 'node-b' 2 of 2/,
      );
      expect(third.diagnostics.notifications).toEqual([
        expect.objectContaining({ code: ScanNotificationCode.WaitingForCapacity }),
      ]);

      // A waiting lease call of node-a gets the next part as soon as its job completes.
      const waiting = jobs.leaseJobs(a, 8, 10);
      await jobs.completeJob(a, fromA[0].jobId, {
        leaseId: fromA[0].leaseId,
        status: 'Succeeded',
        assetsDiscovered: 1,
        assetsClassified: 0,
        assetsFailed: 0,
        batchCount: 0,
      });
      const next = await waiting;
      expect(next).toHaveLength(1);
      expect(await jobs.leaseJobs(a, 8, 0)).toEqual([]);
    });

    it('says when no node is online, and refuses jobs to a node whose version expired (403)', async () => {
      const c = nodeOf('shir-8', 'node-c');
      await createScan('storage-m', 'scan-m', 'shir-8');
      setNode(c, { online: false, acceptsJobs: false, reason: 'offline' });
      const runId = await startRun('storage-m', 'scan-m');
      const run = await getRun('storage-m', 'scan-m', runId);
      expect(run.emulatorDiagnostics!.reason).toContain("none of its 1 node(s) is online ('node-c')");
      expect(run.diagnostics.notifications).toEqual([
        expect.objectContaining({ code: ScanNotificationCode.WaitingForIntegrationRuntime }),
      ]);

      setNode(c, {
        online: true,
        acceptsJobs: false,
        expired: true,
        reason: "Node 'node-c' runs version 5.0.0.0, which has expired.",
      });
      await expect(jobs.leaseJobs(c, 1, 0)).rejects.toMatchObject({
        status: 403,
        code: 'NodeVersionExpired',
        message: expect.stringContaining('has expired'),
      });
      expect((await getRun('storage-m', 'scan-m', runId)).emulatorDiagnostics!.reason).toContain('no node takes jobs');
      setNode(c, { acceptsJobs: true, expired: false, reason: undefined });
      expect(await jobs.leaseJobs(c, 1, 0)).toHaveLength(1);
    });
  });

  describe('restart', () => {
    it('keeps data sources, scans, runs, counters and the batch ledger across a restart on the same data dir', async () => {
      const before = (await http.get(`/scan/datasources/storage-a/scans/scan-a/runs${V}`).expect(200)).body
        .value[0] as ScanResultWithIngestion;
      const queuedId = await startRun('storage-c', 'scan-c');
      await emulator.close();

      emulator = await boot(dir.path);
      attach();
      expect(
        (await http.get(`/scan/datasources/storage-a${V}`).expect(200)).body.properties.collection.referenceName,
      ).toBe('finance');
      expect(
        (await http.get(`/scan/datasources/storage-a/scans/scan-a${V}`).expect(200)).body.properties.connectedVia,
      ).toEqual({ referenceName: 'shir-1', integrationRuntimeType: 'SelfHosted' });
      const after = await getRun('storage-a', 'scan-a', before.id);
      expect(after).toEqual(before);
      expect(
        await runs.recordIngestedBatch(before.id, 'batch-2', { assetsSucceeded: 4, assetsFailed: 1, relationships: 3 }),
      ).toBe('duplicate');

      // A run queued before the restart is still there for the IR's nodes.
      const [job] = await jobs.leaseJobs(nodeOf('shir-2'), 1, 0);
      expect(job.scanRun.runId).toBe(queuedId);
      expect((await getRun('storage-c', 'scan-c', queuedId)).status).toBe('InProgress');
    });
  });
});

import { randomUUID } from 'node:crypto';
import { DATA_SOURCE_KINDS } from '@purview-emulator/contracts';
import { SYSTEM_RULES } from '@purview-emulator/scan-engine';
import { tempDir, type TempDir } from '@purview-emulator/testing';
import { createTestApp, type TestApp } from '../../testing/test-app';
import { IntegrationRuntimeDirectory } from '../../integration-runtimes/integration-runtime-directory';
import { ScanJobsService } from '../scan-jobs.service';

const V = '?api-version=2023-09-01';
const ENDPOINT = 'https://devstoreaccount1.blob.core.windows.net/';
const EMAIL = 'MICROSOFT.PERSONAL.EMAIL';
const ENGINE_TYPES = ['CSV', 'JSON', 'PSV', 'SSV', 'TSV', 'GZ', 'TXT', 'XML', 'PARQUET', 'AVRO', 'ORC'];

/** The IR directory is a boundary: shir-1 exists and has one online node taking jobs. */
const NODE = { nodeId: 'shir-1-node1-id', nodeName: 'node1', integrationRuntimeName: 'shir-1' };
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
        concurrentJobsLimit: 4,
      },
    ]),
    addDeletionCheck: jest.fn(),
    addStatusExtension: jest.fn(),
    onDeleted: jest.fn(),
  },
);

const EMPLOYEE_RULE = {
  kind: 'Custom',
  properties: {
    description: 'Contoso employee ids',
    classificationName: 'CONTOSO.EMPLOYEE_ID',
    dataPatterns: [{ kind: 'Regex', pattern: '^EMP-\\d{6}$' }],
    columnPatterns: [{ kind: 'Regex', pattern: 'employee' }],
    minimumPercentageMatch: 80,
    ruleStatus: 'Enabled',
  },
};

describe('scan rule sets, classification rules and filters over HTTP', () => {
  let dir: TempDir;
  let emulator: TestApp;
  let http: TestApp['api'];

  const boot = async () => {
    emulator = await createTestApp({
      env: { PURVIEW_DATA_DIR: dir.path, AZURITE_BLOB_PORT: '1', AZURITE_QUEUE_PORT: '2' },
      override: (builder) => builder.overrideProvider(IntegrationRuntimeDirectory).useValue(runtimes),
    });
    http = emulator.api;
  };

  beforeAll(async () => {
    dir = tempDir('rulesets-http-');
    await boot();
    await http
      .post('/datamap/api/atlas/v2/types/typedefs')
      .send({ classificationDefs: [{ name: 'CONTOSO.EMPLOYEE_ID' }] })
      .expect(200);
  });
  afterAll(async () => {
    await emulator?.close();
    dir?.remove();
  });

  describe('system scan rule sets', () => {
    it('has one per data source type; file-based ones name the file types the engine reads', async () => {
      const list = (await http.get(`/scan/systemScanRulesets${V}`).expect(200)).body;
      expect(list.count).toBe(DATA_SOURCE_KINDS.length);
      expect(list.value.map((r: { kind: string }) => r.kind)).toEqual([...DATA_SOURCE_KINDS]);
      const storage = (await http.get(`/scan/systemScanRulesets/datasources/AzureStorage${V}`).expect(200)).body;
      expect(storage).toEqual({
        id: 'systemscanrulesets/AzureStorage',
        name: 'AzureStorage',
        kind: 'AzureStorage',
        scanRulesetType: 'System',
        status: 'Enabled',
        version: 1,
        properties: expect.objectContaining({
          excludedSystemClassifications: [],
          includedCustomClassificationRuleNames: [],
          scanningRule: { customFileExtensions: null, fileExtensions: ENGINE_TYPES },
          temporaryResourceFilters: [
            expect.objectContaining({ ingestTemporaryResource: true, resourceFilterPattern: expect.any(String) }),
          ],
        }),
      });
      const sql = (await http.get(`/scan/systemScanRulesets/datasources/azuresqldatabase${V}`).expect(200)).body;
      expect(sql.kind).toBe('AzureSqlDatabase');
      expect(sql.properties).not.toHaveProperty('scanningRule');
      expect(sql.properties.temporaryResourceFilters).toBeNull();
    });

    it('answers versions, a version and the latest; unknown types and versions are 404, a missing type 400', async () => {
      const versions = (await http.get(`/scan/systemScanRulesets/versions${V}&dataSourceType=AdlsGen2`).expect(200))
        .body;
      expect(versions).toEqual({ value: [expect.objectContaining({ kind: 'AdlsGen2', version: 1 })], count: 1 });
      const one = (await http.get(`/scan/systemScanRulesets/versions/1${V}&dataSourceType=AdlsGen2`).expect(200)).body;
      const latest = (
        await http.get(`/scan/systemScanRulesets/versions/latest${V}&dataSourceType=AdlsGen2`).expect(200)
      ).body;
      expect(latest).toEqual(one);
      await http.get(`/scan/systemScanRulesets/versions/2${V}&dataSourceType=AdlsGen2`).expect(404);
      await http.get(`/scan/systemScanRulesets/versions/x${V}&dataSourceType=AdlsGen2`).expect(400);
      await http.get(`/scan/systemScanRulesets/datasources/NoSuchKind${V}`).expect(404);
      const missing = await http.get(`/scan/systemScanRulesets/versions/latest${V}`).expect(400);
      expect(missing.body.error.code).toBe('InvalidDataSourceType');
    });

    it('lists the engine’s own system classification rules at /_emulator/classifications', async () => {
      const body = (await http.get('/_emulator/classifications').expect(200)).body;
      expect(body.count).toBe(SYSTEM_RULES.length);
      expect(body.value).toContainEqual(
        expect.objectContaining({ classificationName: EMAIL, kind: 'System', minimumPercentageMatch: 60 }),
      );
      await emulator.http.get('/_emulator/classifications').expect(401);
    });
  });

  describe('classification rules', () => {
    it('creates (201) and versions every PUT (200); omitted fields come back null', async () => {
      const created = await http.put(`/scan/classificationrules/employee-id${V}`).send(EMPLOYEE_RULE).expect(201);
      expect(created.body).toEqual({
        id: 'classificationrules/employee-id',
        name: 'employee-id',
        kind: 'Custom',
        properties: {
          ...EMPLOYEE_RULE.properties,
          version: 1,
          classificationAction: 'Keep',
          createdAt: expect.any(String),
          lastModifiedAt: expect.any(String),
        },
      });
      const replaced = await http
        .put(`/scan/classificationrules/employee-id${V}`)
        .send({
          kind: 'Custom',
          properties: { classificationName: 'CONTOSO.EMPLOYEE_ID', dataPatterns: [{ pattern: '^EMP-\\d{6}$' }] },
        })
        .expect(200);
      expect(replaced.body.properties).toEqual(
        expect.objectContaining({
          version: 2,
          description: null,
          columnPatterns: null,
          minimumPercentageMatch: null,
          ruleStatus: 'Enabled',
          dataPatterns: [{ kind: 'Regex', pattern: '^EMP-\\d{6}$' }],
          createdAt: created.body.properties.createdAt,
        }),
      );
      expect((await http.get(`/scan/classificationrules/EMPLOYEE-ID${V}`).expect(200)).body.properties.version).toBe(2);
      const versions = (await http.get(`/scan/classificationrules/employee-id/versions${V}`).expect(200)).body;
      expect(versions.value.map((r: { properties: { version: number } }) => r.properties.version)).toEqual([2, 1]);
      const all = (await http.get(`/scan/classificationrules${V}`).expect(200)).body;
      expect(all).toEqual({ value: [expect.objectContaining({ name: 'employee-id' })], count: 1 });
    });

    it('tags a version Keep or Delete (202 operation)', async () => {
      const tagged = await http
        .post(`/scan/classificationrules/employee-id/versions/1:tag${V}&action=Delete`)
        .expect(202);
      expect(tagged.body).toEqual(expect.objectContaining({ status: 'Succeeded', error: null }));
      const versions = (await http.get(`/scan/classificationrules/employee-id/versions${V}`).expect(200)).body;
      expect(versions.value[1].properties.classificationAction).toBe('Delete');
      await http.post(`/scan/classificationrules/employee-id/versions/1/:tag${V}&action=Keep`).expect(202);
      await http.post(`/scan/classificationrules/employee-id/versions/9:tag${V}&action=Keep`).expect(404);
      const bad = await http.post(`/scan/classificationrules/employee-id/versions/1:tag${V}&action=Drop`).expect(400);
      expect(bad.body.error.code).toBe('InvalidAction');
    });

    it('refuses bad rules with 400 and unknown ones with 404', async () => {
      const put = (body: object, name = 'bad-rule') => http.put(`/scan/classificationrules/${name}${V}`).send(body);
      const props = EMPLOYEE_RULE.properties;
      const regex = await put({ kind: 'Custom', properties: { ...props, dataPatterns: [{ pattern: '([a-z' }] } });
      expect(regex.status).toBe(400);
      expect(regex.body.error).toEqual(
        expect.objectContaining({ code: 'InvalidRegexPattern', target: 'properties.dataPatterns.0.pattern' }),
      );
      expect((await put({ kind: 'System', properties: props })).status).toBe(400);
      const none = await put({ kind: 'Custom', properties: { classificationName: 'X' } });
      expect(none.body.error.code).toBe('InvalidClassificationRule');
      expect((await put({ kind: 'Custom', properties: { dataPatterns: props.dataPatterns } })).status).toBe(400);
      const unknown = await put({ kind: 'Custom', properties: { ...props, classificationName: 'CONTOSO.NOPE' } });
      expect(unknown.body.error).toEqual(
        expect.objectContaining({ code: 'ClassificationNotFound', target: 'properties.classificationName' }),
      );
      expect((await put({ kind: 'Custom', properties: { ...props, minimumPercentageMatch: 0 } })).status).toBe(400);
      expect((await put(EMPLOYEE_RULE, 'x')).status).toBe(400);
      const missing = await http.get(`/scan/classificationrules/nope${V}`).expect(404);
      expect(missing.body.error.code).toBe('ClassificationRuleNotFound');
      await http.delete(`/scan/classificationrules/nope${V}`).expect(404);
    });
  });

  describe('custom scan rule sets', () => {
    it('creates one as the spec example does, with the server-added temporaryResourceFilters', async () => {
      const body = {
        kind: 'AzureStorage',
        scanRulesetType: 'Custom',
        properties: {
          description: 'employees',
          excludedSystemClassifications: [EMAIL],
          includedCustomClassificationRuleNames: ['employee-id'],
          scanningRule: {
            fileExtensions: ['CSV'],
            customFileExtensions: [
              { customFileType: { builtInType: null, customDelimiter: '$' }, enabled: true, fileExtension: '.model' },
            ],
          },
        },
      };
      const created = (await http.put(`/scan/scanrulesets/employees${V}`).send(body).expect(201)).body;
      expect(created).toEqual({
        id: 'scanrulesets/employees',
        name: 'employees',
        kind: 'AzureStorage',
        scanRulesetType: 'Custom',
        status: 'Enabled',
        version: 1,
        properties: {
          ...body.properties,
          scanningRule: { ...body.properties.scanningRule },
          temporaryResourceFilters: [expect.objectContaining({ ingestTemporaryResource: true })],
          createdAt: expect.any(String),
          lastModifiedAt: expect.any(String),
        },
      });
      expect((await http.get(`/scan/scanrulesets/Employees${V}`).expect(200)).body).toEqual(created);
    });

    it('replaces in full on PUT: omitted fields come back null and the version increments', async () => {
      await http.put(`/scan/scanrulesets/bare${V}`).send({ kind: 'AzureStorage' }).expect(201);
      const replaced = (await http.put(`/scan/scanrulesets/bare${V}`).send({ kind: 'AzureStorage' }).expect(200)).body;
      expect(replaced.version).toBe(2);
      expect(replaced.properties).toEqual(
        expect.objectContaining({
          description: null,
          excludedSystemClassifications: null,
          includedCustomClassificationRuleNames: null,
          scanningRule: null,
        }),
      );
      const list = (await http.get(`/scan/scanrulesets${V}`).expect(200)).body;
      expect(list.value.map((r: { name: string }) => r.name)).toEqual(['bare', 'employees']);
      await http.delete(`/scan/scanrulesets/bare${V}`).expect(204);
      const gone = await http.get(`/scan/scanrulesets/bare${V}`).expect(404);
      expect(gone.body.error.code).toBe('ScanRulesetNotFound');
    });

    it('refuses unknown kinds and rules, System writes, and file types on a kind without files (400)', async () => {
      const put = (body: object) => http.put(`/scan/scanrulesets/bad-set${V}`).send(body);
      const rule = await put({ kind: 'AzureStorage', properties: { includedCustomClassificationRuleNames: ['nope'] } });
      expect(rule.body.error.code).toBe('ClassificationRuleNotFound');
      expect((await put({ kind: 'NoSuchKind' })).body.error.code).toBe('InvalidKind');
      expect((await put({ kind: 'AzureStorage', scanRulesetType: 'System' })).status).toBe(400);
      const sql = await put({ kind: 'AzureSqlDatabase', properties: { scanningRule: { fileExtensions: ['CSV'] } } });
      expect(sql.body.error.code).toBe('InvalidScanningRule');
      expect(
        (await put({ kind: 'AzureStorage', properties: { scanningRule: { fileExtensions: ['EXE'] } } })).status,
      ).toBe(400);
      const ext = await put({
        kind: 'AzureStorage',
        properties: { scanningRule: { customFileExtensions: [{ fileExtension: '.x', customFileType: {} }] } },
      });
      expect(ext.body.error.code).toBe('InvalidCustomFileExtension');
      await http.get(`/scan/scanrulesets/bad-set${V}`).expect(404);
    });
  });

  describe('scans with a rule set and a filter', () => {
    let runId: string;

    it('refuses a scan naming a rule set that does not exist or is not its kind’s', async () => {
      await http
        .put(`/scan/datasources/storage-r${V}`)
        .send({ kind: 'AzureStorage', properties: { endpoint: ENDPOINT } })
        .expect(201);
      const scan = (properties: Record<string, unknown>) =>
        http.put(`/scan/datasources/storage-r/scans/scan-r${V}`).send({ kind: 'AzureStorageMsi', properties });
      const custom = await scan({ scanRulesetName: 'nope', scanRulesetType: 'Custom' });
      expect(custom.status).toBe(400);
      expect(custom.body.error.code).toBe('ScanRulesetNotFound');
      expect((await scan({ scanRulesetName: 'AdlsGen2', scanRulesetType: 'System' })).status).toBe(400);
      await http.put(`/scan/scanrulesets/sql-set${V}`).send({ kind: 'AzureSqlDatabase' }).expect(201);
      expect((await scan({ scanRulesetName: 'sql-set', scanRulesetType: 'Custom' })).body.error.code).toBe(
        'InvalidScanRuleset',
      );
    });

    it('stores a filter (201, then 200) and refuses bad prefixes and unknown scans', async () => {
      await http
        .put(`/scan/datasources/storage-r/scans/scan-r${V}`)
        .send({
          kind: 'AzureStorageMsi',
          properties: {
            scanRulesetName: 'employees',
            scanRulesetType: 'Custom',
            connectedVia: { referenceName: 'shir-1' },
          },
        })
        .expect(201);
      const path = `/scan/datasources/storage-r/scans/scan-r/filters/custom${V}`;
      await http.get(path).expect(404);
      const properties = {
        includeUriPrefixes: ['https://devstoreaccount1.blob.core.windows.net/hr'],
        excludeUriPrefixes: ['https://devstoreaccount1.blob.core.windows.net/hr/archive/'],
      };
      const created = (await http.put(path).send({ properties }).expect(201)).body;
      expect(created).toEqual({ id: 'datasources/storage-r/scans/scan-r/filters/custom', name: 'custom', properties });
      await http.put(path).send({ properties }).expect(200);
      expect((await http.get(path).expect(200)).body).toEqual(created);
      const bad = await http
        .put(path)
        .send({ properties: { excludeUriPrefixes: ['hr/archive'] } })
        .expect(400);
      expect(bad.body.error.code).toBe('InvalidUriPrefix');
      await http.put(`/scan/datasources/storage-r/scans/nope/filters/custom${V}`).send({ properties }).expect(404);
    });

    it('hands the node the resolved rule set and filter with the job, and reports the rule set version', async () => {
      runId = randomUUID();
      await http.put(`/scan/datasources/storage-r/scans/scan-r/runs/${runId}${V}`).expect(202);
      const [job] = await emulator.app.get(ScanJobsService).leaseJobs(NODE, 1, 0);
      expect(job.scanRuleset).toEqual({
        name: 'employees',
        type: 'Custom',
        version: 1,
        fileExtensions: ['CSV'],
        customFileExtensions: [{ fileExtension: '.model', builtInType: null, customDelimiter: '$' }],
        excludedSystemClassifications: [EMAIL],
        customRules: [
          {
            name: 'employee-id',
            classificationName: 'CONTOSO.EMPLOYEE_ID',
            dataPatterns: ['^EMP-\\d{6}$'],
            columnPatterns: [],
            minimumPercentageMatch: 60,
            ruleStatus: 'Enabled',
            classificationAction: 'Keep',
          },
        ],
      });
      expect(job.filter).toEqual({
        includeUriPrefixes: ['https://devstoreaccount1.blob.core.windows.net/hr'],
        excludeUriPrefixes: ['https://devstoreaccount1.blob.core.windows.net/hr/archive/'],
      });
      const run = (await http.get(`/scan/datasources/storage-r/scans/scan-r/runs/${runId}${V}`).expect(200)).body;
      expect(run).toEqual(expect.objectContaining({ scanRulesetType: 'Custom', scanRulesetVersion: 1 }));
    });

    it('refuses to delete a rule set a scan uses, or a rule a rule set includes (409)', async () => {
      const set = await http.delete(`/scan/scanrulesets/employees${V}`).expect(409);
      expect(set.body.error).toEqual(
        expect.objectContaining({ code: 'ScanRulesetInUse', message: expect.stringContaining('storage-r/scan-r') }),
      );
      const rule = await http.delete(`/scan/classificationrules/employee-id${V}`).expect(409);
      expect(rule.body.error.code).toBe('ClassificationRuleInUse');
    });

    it('keeps rule sets, rule versions and filters across a restart', async () => {
      await emulator.close();
      await boot();
      expect((await http.get(`/scan/scanrulesets/employees${V}`).expect(200)).body.version).toBe(1);
      const versions = (await http.get(`/scan/classificationrules/employee-id/versions${V}`).expect(200)).body;
      expect(versions.count).toBe(2);
      await http.get(`/scan/datasources/storage-r/scans/scan-r/filters/custom${V}`).expect(200);
      const run = (await http.get(`/scan/datasources/storage-r/scans/scan-r/runs/${runId}${V}`).expect(200)).body;
      expect(run.scanRulesetVersion).toBe(1);
    });
  });
});

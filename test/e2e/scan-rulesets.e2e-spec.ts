import type { ScanResultWithIngestion } from '@purview-emulator/contracts';
import { pollUntil } from '@purview-emulator/testing';
import { devstoreBlobService } from '../../scripts/src/stack/seed';
import { TestStack } from './harness';

const QN = 'https://devstoreaccount1.blob.core.windows.net';
const V = '?api-version=2023-09-01';
const EMPLOYEE_ID = 'CONTOSO.EMPLOYEE_ID';

/** Twenty employees: an id column only the custom rule knows, an email column the system email rule would match. */
const staffCsv = ['employee_id,email,team']
  .concat(
    Array.from(
      { length: 20 },
      (_, i) => `EMP-${String(200000 + i * 4871)},employee${i}@contoso.com,${['red', 'blue'][i % 2]}`,
    ),
  )
  .join('\n');

/**
 * A scan with a custom scan rule set and a filter, through real processes (Azurite, the emulator, a runtime node):
 * the rule set adds a custom classification rule (a regex for employee ids) and excludes the system email
 * classification, reads CSV files only; the scan's filter leaves out a folder. What lands in the data map shows each.
 */
describe('a scan with a custom scan rule set and a filter', () => {
  const stack = new TestStack();

  beforeAll(async () => {
    await stack.start();
    await stack.startRuntimeNode('rules-shir', 'node1');
    const container = devstoreBlobService(stack.ports.blob).getContainerClient('hr-data');
    await container.createIfNotExists();
    for (const name of ['current/staff.csv', 'archive/staff-2019.csv', 'current/staff.tsv'])
      await container
        .getBlockBlobClient(name)
        .upload(name.endsWith('.tsv') ? staffCsv.replace(/,/g, '\t') : staffCsv, Buffer.byteLength(staffCsv));
    await stack.waitOnline('rules-shir');
  });

  afterAll(async () => {
    await stack.stop();
  });

  const column = async (file: string, name: string) =>
    stack.client.call<{ entity: { classifications?: { typeName: string }[] } }>(
      'GET',
      `/datamap/api/atlas/v2/entity/uniqueAttribute/type/column?attr:qualifiedName=${encodeURIComponent(`${QN}/hr-data/${file}#__tabular_schema//${name}`)}`,
    );
  const blob = async (file: string) =>
    stack.client.call(
      'GET',
      `/datamap/api/atlas/v2/entity/uniqueAttribute/type/azure_blob_path?attr:qualifiedName=${encodeURIComponent(`${QN}/hr-data/${file}`)}`,
    );

  it('defines the classification, its rule, a rule set that excludes email, a scan using it and a filter', async () => {
    // As in the portal: the classification first, then a rule that applies it.
    await stack.client.dataMap('POST', '/atlas/v2/types/typedefs', {
      classificationDefs: [{ name: EMPLOYEE_ID, description: 'Contoso employee id' }],
    });
    const rule = await stack.client.call('PUT', `/scan/classificationrules/employee-id${V}`, {
      kind: 'Custom',
      properties: {
        classificationName: EMPLOYEE_ID,
        dataPatterns: [{ kind: 'Regex', pattern: '^EMP-\\d{6}$' }],
        minimumPercentageMatch: 80,
        ruleStatus: 'Enabled',
      },
    });
    expect(rule.status).toBe(201);
    const ruleset = await stack.client.call('PUT', `/scan/scanrulesets/hr-rules${V}`, {
      kind: 'AzureStorage',
      scanRulesetType: 'Custom',
      properties: {
        excludedSystemClassifications: ['MICROSOFT.PERSONAL.EMAIL'],
        includedCustomClassificationRuleNames: ['employee-id'],
        scanningRule: { fileExtensions: ['CSV'] },
      },
    });
    expect(ruleset.status).toBe(201);
    await stack.client.scan('PUT', '/datasources/hr-storage', {
      kind: 'AzureStorage',
      properties: { endpoint: `${QN}/` },
    });
    const scan = await stack.client.call('PUT', `/scan/datasources/hr-storage/scans/hr-scan${V}`, {
      kind: 'AzureStorageMsi',
      properties: {
        scanRulesetName: 'hr-rules',
        scanRulesetType: 'Custom',
        connectedVia: { referenceName: 'rules-shir' },
      },
    });
    expect(scan.status).toBe(201);
    const filter = await stack.client.call('PUT', `/scan/datasources/hr-storage/scans/hr-scan/filters/custom${V}`, {
      properties: { includeUriPrefixes: [`${QN}/hr-data/`], excludeUriPrefixes: [`${QN}/hr-data/archive/`] },
    });
    expect(filter.status).toBe(201);
  });

  it('scans with them: the employee-id column gets the custom classification, the email column none', async () => {
    const runId = await stack.client.runScan('hr-storage', 'hr-scan');
    const run = await pollUntil(
      async () => {
        const r = await stack.client.scan<ScanResultWithIngestion>(
          'GET',
          `/datasources/hr-storage/scans/hr-scan/runs/${runId}`,
        );
        return ['Succeeded', 'Failed', 'Canceled'].includes(r.status) ? r : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 250, description: `run ${runId} to finish` },
    );
    expect({ status: run.status, error: run.error }).toEqual({ status: 'Succeeded', error: null });
    expect(run).toEqual(expect.objectContaining({ scanRulesetType: 'Custom', scanRulesetVersion: 1 }));
    // account + service + container + current/staff.csv + current/staff.tsv (archive/ filtered out).
    expect(run.assetsDiscovered).toBe(5);

    const id = await column('current/staff.csv', 'employee_id');
    expect(id.status).toBe(200);
    expect((id.body.entity.classifications ?? []).map((c) => c.typeName)).toEqual([EMPLOYEE_ID]);
    const email = await column('current/staff.csv', 'email');
    expect(email.status).toBe(200);
    expect(email.body.entity.classifications ?? []).toEqual([]);
  });

  it('leaves the filtered folder out of the data map, and reads no schema from a type the rule set omits', async () => {
    expect((await blob('current/staff.csv')).status).toBe(200);
    expect((await blob('archive/staff-2019.csv')).status).toBe(404);
    expect((await blob('current/staff.tsv')).status).toBe(200);
    expect((await column('current/staff.tsv', 'employee_id')).status).toBe(404);
  });
});

import { FILE_SCANNING_KINDS } from '@purview-emulator/contracts';
import { contractViolations, RULESET_UNDECLARED, SCANNING_2023_09_01 } from '@purview-emulator/testing';
import { createTestApp, type TestApp } from '../../testing/test-app';

const V = '?api-version=2023-09-01';
const EMAIL = 'MICROSOFT.PERSONAL.EMAIL';

/** The definition a rule set of `kind` answers with: the file-based kinds' properties add a scanningRule. */
const rulesetDefinition = (kind: string) =>
  (FILE_SCANNING_KINDS as readonly string[]).includes(kind) ? 'ScanningRuleScanRuleset' : 'ScanRuleset';

const violations = (type: string, body: unknown) =>
  contractViolations(SCANNING_2023_09_01, type, body, { undeclared: RULESET_UNDECLARED });

/**
 * System and custom scan rule sets, classification rules (and their versions), managed virtual networks and private
 * endpoints, checked against the 2023-09-01 definitions (libs/testing scanning-2023-09-01.ts).
 */
describe('scan rule sets, classification rules and managed networks against the 2023-09-01 definitions', () => {
  let emulator: TestApp;
  let http: TestApp['api'];

  beforeAll(async () => {
    emulator = await createTestApp();
    http = emulator.api;
    // A custom rule's classification must exist in the data map.
    await http
      .post('/datamap/api/atlas/v2/types/typedefs')
      .send({ classificationDefs: [{ name: 'CONTOSO.EMPLOYEE_ID' }] })
      .expect(200);
  });

  afterAll(() => emulator.close());

  it('system scan rule sets: list, by data source type, versions, a version, latest', async () => {
    const list = (await http.get(`/scan/systemScanRulesets${V}`).expect(200)).body;
    expect(violations('SystemScanRulesetList', list)).toEqual([]);
    expect(list.value.length).toBeGreaterThan(30);
    for (const item of list.value) expect(violations(rulesetDefinition(item.kind), item)).toEqual([]);
    for (const kind of ['AzureStorage', 'AzureSqlDatabase']) {
      const def = rulesetDefinition(kind);
      const one = (await http.get(`/scan/systemScanRulesets/datasources/${kind}${V}`).expect(200)).body;
      expect(violations(def, one)).toEqual([]);
      const versions = (await http.get(`/scan/systemScanRulesets/versions${V}&dataSourceType=${kind}`).expect(200))
        .body;
      expect(violations('SystemScanRulesetList', versions)).toEqual([]);
      for (const item of versions.value) expect(violations(def, item)).toEqual([]);
      const byVersion = (await http.get(`/scan/systemScanRulesets/versions/1${V}&dataSourceType=${kind}`).expect(200))
        .body;
      expect(violations(def, byVersion)).toEqual([]);
      const latest = (await http.get(`/scan/systemScanRulesets/versions/latest${V}&dataSourceType=${kind}`).expect(200))
        .body;
      expect(violations(def, latest)).toEqual([]);
    }
  });

  it('custom classification rules: PUT, GET, list, versions, :tag', async () => {
    const rule = {
      kind: 'Custom',
      properties: {
        description: 'Contoso employee ids',
        classificationName: 'CONTOSO.EMPLOYEE_ID',
        dataPatterns: [{ kind: 'Regex', pattern: '^EMP-\\d{6}$' }],
        columnPatterns: [{ kind: 'Regex', pattern: 'employee' }],
        minimumPercentageMatch: 60,
        ruleStatus: 'Enabled',
      },
    };
    const created = (await http.put(`/scan/classificationrules/employee-id${V}`).send(rule).expect(201)).body;
    expect(violations('CustomClassificationRule', created)).toEqual([]);
    expect(created.properties).toEqual(expect.objectContaining({ version: 1, classificationAction: 'Keep' }));
    const second = (await http.put(`/scan/classificationrules/employee-id${V}`).send(rule).expect(200)).body;
    expect(violations('CustomClassificationRule', second)).toEqual([]);
    const got = (await http.get(`/scan/classificationrules/employee-id${V}`).expect(200)).body;
    expect(violations('CustomClassificationRule', got)).toEqual([]);
    for (const path of ['/scan/classificationrules', '/scan/classificationrules/employee-id/versions']) {
      const list = (await http.get(`${path}${V}`).expect(200)).body;
      expect(violations('ClassificationRuleList', list)).toEqual([]);
      expect(list.value.length).toBeGreaterThan(0);
      for (const item of list.value)
        expect(
          violations(item.kind === 'System' ? 'SystemClassificationRule' : 'CustomClassificationRule', item),
        ).toEqual([]);
    }
    const tagged = (
      await http.post(`/scan/classificationrules/employee-id/versions/1:tag${V}&action=Delete`).expect(202)
    ).body;
    expect(violations('OperationResponse', tagged)).toEqual([]);
  });

  it('custom scan rule sets of a file-based and a database kind: PUT, GET, list', async () => {
    const storage = {
      kind: 'AzureStorage',
      properties: {
        description: 'employees',
        excludedSystemClassifications: [EMAIL],
        includedCustomClassificationRuleNames: ['employee-id'],
        scanningRule: {
          fileExtensions: ['CSV', 'JSON'],
          customFileExtensions: [
            { customFileType: { builtInType: 'CSV', customDelimiter: '$' }, enabled: true, fileExtension: '.dollar' },
          ],
        },
      },
    };
    const created = (await http.put(`/scan/scanrulesets/employees${V}`).send(storage).expect(201)).body;
    expect(violations('ScanningRuleScanRuleset', created)).toEqual([]);
    const sql = (
      await http
        .put(`/scan/scanrulesets/sql-rules${V}`)
        .send({ kind: 'AzureSqlDatabase', properties: { excludedSystemClassifications: [EMAIL] } })
        .expect(201)
    ).body;
    expect(violations('ScanRuleset', sql)).toEqual([]);
    expect(violations('ScanRuleset', (await http.get(`/scan/scanrulesets/sql-rules${V}`).expect(200)).body)).toEqual(
      [],
    );
    const list = (await http.get(`/scan/scanrulesets${V}`).expect(200)).body;
    expect(violations('ScanRulesetList', list)).toEqual([]);
    expect(list.count).toBe(2);
    for (const item of list.value) expect(violations(rulesetDefinition(item.kind), item)).toEqual([]);
  });

  it('managed virtual networks and managed private endpoints', async () => {
    const network = (await http.put(`/scan/managedvirtualnetworks/defaultv2${V}`).send({}).expect(201)).body;
    expect(violations('ManagedVirtualNetwork', network)).toEqual([]);
    const networks = (await http.get(`/scan/managedvirtualnetworks${V}`).expect(200)).body;
    expect(violations('ManagedVirtualNetworkList', networks)).toEqual([]);
    const endpoint = (
      await http
        .put(`/scan/managedvirtualnetworks/defaultv2/managedprivateendpoints/pe-vault${V}`)
        .send({
          properties: {
            privateLinkResourceId: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv1',
            groupId: 'vault',
          },
        })
        .expect(201)
    ).body;
    expect(violations('ManagedPrivateEndpoint', endpoint)).toEqual([]);
    expect(endpoint.properties.fqdns).toEqual(['kv1.vault.azure.net']);
    const endpoints = (await http.get(`/scan/managedvirtualnetworks/defaultv2/managedprivateendpoints${V}`).expect(200))
      .body;
    expect(violations('ManagedPrivateEndpointList', endpoints)).toEqual([]);
    const error = (await http.get(`/scan/managedvirtualnetworks/default${V}`).expect(404)).body;
    expect(violations('ErrorResponseModel', error)).toEqual([]);
  });
});

import { randomUUID } from 'node:crypto';
import { createTestApp, type TestApp } from '../testing/test-app';

const V = 'api-version=2023-09-01';
const RUN_ID = randomUUID();

/**
 * Every operation of the Scanning 2023-09-01 document (its 58 operationIds, in the document's order of paths), called
 * once in an order that creates what the next needs, each answering the status the document declares for success.
 * A route missing here is a 404 with the generic `NotFound` code; this walk fails on it.
 */
const OPERATIONS: [operationId: string, method: string, path: string, status: number, body?: object][] = [
  [
    'KeyVaultConnections_CreateOrReplace',
    'PUT',
    '/azureKeyVaults/kv-ops',
    201,
    {
      properties: { baseUrl: 'https://opsvault.vault.azure.net/' },
    },
  ],
  ['KeyVaultConnections_Get', 'GET', '/azureKeyVaults/kv-ops', 200],
  ['KeyVaultConnections_List', 'GET', '/azureKeyVaults', 200],
  [
    'ClassificationRules_CreateOrReplace',
    'PUT',
    '/classificationrules/rule-ops',
    201,
    {
      kind: 'Custom',
      properties: { classificationName: 'OPS.CLASS', dataPatterns: [{ kind: 'Regex', pattern: '^X$' }] },
    },
  ],
  ['ClassificationRules_Get', 'GET', '/classificationrules/rule-ops', 200],
  ['ClassificationRules_List', 'GET', '/classificationrules', 200],
  ['ClassificationRules_ListVersionsByRuleName', 'GET', '/classificationrules/rule-ops/versions', 200],
  [
    'ClassificationRules_TagClassificationVersion',
    'POST',
    '/classificationrules/rule-ops/versions/1:tag?action=Keep',
    202,
  ],
  [
    'Credential_CreateOrReplace',
    'PUT',
    '/credentials/cred-ops',
    201,
    {
      kind: 'AccountKey',
      properties: { typeProperties: { accountKey: { secretName: 's', store: { referenceName: 'kv-ops' } } } },
    },
  ],
  ['Credential_Get', 'GET', '/credentials/cred-ops', 200],
  ['Credential_List', 'GET', '/credentials', 200],
  [
    'DataSources_CreateOrReplace',
    'PUT',
    '/datasources/ds-ops',
    201,
    {
      kind: 'AzureStorage',
      properties: { endpoint: 'https://devstoreaccount1.blob.core.windows.net/' },
    },
  ],
  ['DataSources_Get', 'GET', '/datasources/ds-ops', 200],
  ['DataSources_List', 'GET', '/datasources', 200],
  ['IntegrationRuntimes_CreateOrReplace', 'PUT', '/integrationruntimes/ir-ops', 201, { kind: 'SelfHosted' }],
  ['IntegrationRuntimes_ListByAccount', 'GET', '/integrationruntimes', 200],
  ['IntegrationRuntimes_Get', 'GET', '/integrationruntimes/ir-ops', 200],
  ['IntegrationRuntimes_Status', 'GET', '/integrationruntimes/ir-ops/status', 200],
  ['IntegrationRuntimes_ListAuthKeys', 'POST', '/integrationruntimes/ir-ops:listAuthKeys', 200],
  [
    'IntegrationRuntimes_RegenerateAuthKey',
    'POST',
    '/integrationruntimes/ir-ops:regenerateAuthKey',
    200,
    {
      keyName: 'authKey2',
    },
  ],
  [
    'IntegrationRuntimes_EnableInteractiveQuery',
    'POST',
    '/integrationruntimes/ir-ops:enableInteractiveQuery',
    202,
    {
      autoTerminationMinutes: 60,
    },
  ],
  ['IntegrationRuntimes_DisableInteractiveQuery', 'POST', '/integrationruntimes/ir-ops:disableInteractiveQuery', 200],
  ['ManagedVirtualNetworks_CreateOrReplace', 'PUT', '/managedvirtualnetworks/default', 201, { properties: {} }],
  ['ManagedVirtualNetworks_Get', 'GET', '/managedvirtualnetworks/default', 200],
  ['ManagedVirtualNetworks_ListByAccount', 'GET', '/managedvirtualnetworks', 200],
  [
    'ManagedPrivateEndpoints_CreateOrReplace',
    'PUT',
    '/managedvirtualnetworks/default/managedprivateendpoints/pe-ops',
    201,
    {
      properties: {
        privateLinkResourceId: '/subscriptions/s/providers/Microsoft.Storage/storageAccounts/a',
        groupId: 'blob',
      },
    },
  ],
  ['ManagedPrivateEndpoints_Get', 'GET', '/managedvirtualnetworks/default/managedprivateendpoints/pe-ops', 200],
  ['ManagedPrivateEndpoints_ListByAccount', 'GET', '/managedvirtualnetworks/default/managedprivateendpoints', 200],
  ['ScanRulesets_CreateOrReplace', 'PUT', '/scanrulesets/rules-ops', 201, { kind: 'AzureStorage', properties: {} }],
  ['ScanRulesets_Get', 'GET', '/scanrulesets/rules-ops', 200],
  ['ScanRulesets_List', 'GET', '/scanrulesets', 200],
  [
    'Scans_CreateOrReplace',
    'PUT',
    '/datasources/ds-ops/scans/scan-ops',
    201,
    {
      kind: 'AzureStorageMsi',
      properties: { scanRulesetName: 'rules-ops', scanRulesetType: 'Custom' },
    },
  ],
  ['Scans_Get', 'GET', '/datasources/ds-ops/scans/scan-ops', 200],
  ['Scans_ListByDataSource', 'GET', '/datasources/ds-ops/scans', 200],
  [
    'Filters_CreateOrReplace',
    'PUT',
    '/datasources/ds-ops/scans/scan-ops/filters/custom',
    201,
    {
      properties: { includeUriPrefixes: ['https://devstoreaccount1.blob.core.windows.net/a'], excludeUriPrefixes: [] },
    },
  ],
  ['Filters_Get', 'GET', '/datasources/ds-ops/scans/scan-ops/filters/custom', 200],
  ['ScanResult_RunScan', 'PUT', `/datasources/ds-ops/scans/scan-ops/runs/${RUN_ID}`, 202],
  ['ScanResult_GetScanStatus', 'GET', `/datasources/ds-ops/scans/scan-ops/runs/${RUN_ID}`, 200],
  ['ScanResult_ListScanHistory', 'GET', '/datasources/ds-ops/scans/scan-ops/runs', 200],
  // The run above failed at once (the scan has no integration runtime), so cancelling it is a 409 from the route.
  ['ScanResult_CancelScan', 'POST', `/datasources/ds-ops/scans/scan-ops/runs/${RUN_ID}:cancel`, 409],
  ['SystemScanRulesets_List', 'GET', '/systemScanRulesets', 200],
  ['SystemScanRulesets_Get', 'GET', '/systemScanRulesets/datasources/AzureStorage', 200],
  ['SystemScanRulesets_GetByVersion', 'GET', '/systemScanRulesets/versions/1?dataSourceType=AzureStorage', 200],
  ['SystemScanRulesets_GetLatest', 'GET', '/systemScanRulesets/versions/latest?dataSourceType=AzureStorage', 200],
  [
    'SystemScanRulesets_ListVersionsByDataSource',
    'GET',
    '/systemScanRulesets/versions?dataSourceType=AzureStorage',
    200,
  ],
  [
    'Triggers_CreateOrReplace',
    'PUT',
    '/datasources/ds-ops/scans/scan-ops/triggers/default',
    201,
    {
      properties: { recurrence: { frequency: 'Day', interval: 1, startTime: '2030-01-01T00:00:00Z', timeZone: 'UTC' } },
    },
  ],
  ['Triggers_Get', 'GET', '/datasources/ds-ops/scans/scan-ops/triggers/default', 200],
  ['Triggers_Disable', 'POST', '/datasources/ds-ops/scans/scan-ops/triggers/default:disable', 200],
  ['Triggers_Enable', 'POST', '/datasources/ds-ops/scans/scan-ops/triggers/default:enable', 200],
  ['Triggers_Delete', 'DELETE', '/datasources/ds-ops/scans/scan-ops/triggers/default', 204],
  ['ManagedPrivateEndpoints_Delete', 'DELETE', '/managedvirtualnetworks/default/managedprivateendpoints/pe-ops', 204],
  ['Scans_Delete', 'DELETE', '/datasources/ds-ops/scans/scan-ops', 204],
  ['ScanRulesets_Delete', 'DELETE', '/scanrulesets/rules-ops', 204],
  ['ClassificationRules_Delete', 'DELETE', '/classificationrules/rule-ops', 204],
  ['Credential_Delete', 'DELETE', '/credentials/cred-ops', 204],
  ['KeyVaultConnections_Delete', 'DELETE', '/azureKeyVaults/kv-ops', 204],
  ['DataSources_Delete', 'DELETE', '/datasources/ds-ops', 204],
  ['IntegrationRuntimes_Delete', 'DELETE', '/integrationruntimes/ir-ops', 204],
];

describe('the 58 operations of the Scanning 2023-09-01 document', () => {
  let emulator: TestApp;

  beforeAll(async () => {
    emulator = await createTestApp();
    await emulator.api
      .post('/datamap/api/atlas/v2/types/typedefs')
      .send({ classificationDefs: [{ name: 'OPS.CLASS' }] })
      .expect(200);
  });

  afterAll(() => emulator.close());

  it('lists each operationId once, 58 in all', () => {
    const ids = OPERATIONS.map(([id]) => id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(58);
  });

  it('routes every one and answers its documented status', async () => {
    const answers: string[] = [];
    for (const [id, method, path, status, body] of OPERATIONS) {
      const url = `/scan${path}${path.includes('?') ? '&' : '?'}${V}`;
      const req = emulator.api[method.toLowerCase() as 'get' | 'put' | 'post' | 'delete'](url);
      const res = body ? await req.send(body) : await req;
      answers.push(
        `${id} ${res.status}${res.status === status ? '' : ` (expected ${status}: ${res.text.slice(0, 200)})`}`,
      );
    }
    expect(answers).toEqual(OPERATIONS.map(([id, , , status]) => `${id} ${status}`));
  });
});

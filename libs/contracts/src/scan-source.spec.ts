import { InteractiveStorageSourceSchema } from './interactive-authoring';
import { AzureStorageScanSourceSchema } from './scan-source';
import { INTEGRATION_RUNTIME_AUTO_UPDATE_VALUES, IntegrationRuntimeAutoUpdateSchema } from './integration-runtimes';
import { SCAN_LEVELS, SCAN_RULESET_TYPES, ScanLevelSchema } from './scanning';

const SOURCE = {
  kind: 'AzureStorage',
  endpoint: 'https://devstoreaccount1.blob.core.windows.net/',
  accountName: 'devstoreaccount1',
  qualifiedNameBase: 'https://devstoreaccount1.blob.core.windows.net',
  serviceUrl: 'http://127.0.0.1:10000/devstoreaccount1',
  sasToken: 'sv=2024&sig=x',
};

describe('the scan source', () => {
  it('is one shape for scan jobs (with a partition) and interactive requests (without)', () => {
    const partitioned = { ...SOURCE, partition: { index: 1, count: 3 } };
    expect(AzureStorageScanSourceSchema.parse(partitioned)).toEqual(partitioned);
    expect(InteractiveStorageSourceSchema.parse(partitioned)).toEqual(SOURCE);
  });

  it('says what is wrong with a source', () => {
    const problems = (value: unknown) =>
      AzureStorageScanSourceSchema.safeParse(value).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(problems({ ...SOURCE, kind: 'AdlsGen2' })).toEqual([
      "kind: source.kind must be 'AzureStorage': nodes read storage sources only",
    ]);
    expect(problems({ ...SOURCE, serviceUrl: 'not a url' })).toEqual(['serviceUrl: Invalid url']);
    expect(problems({ ...SOURCE, partition: { index: 3, count: 3 } })).toEqual([
      'partition: partition.index must be less than partition.count',
    ]);
  });
});

describe('named enums', () => {
  it('list their values and accept only those', () => {
    expect(SCAN_LEVELS).toEqual(['Full', 'Incremental']);
    expect(SCAN_RULESET_TYPES).toEqual(['Custom', 'System']);
    expect(INTEGRATION_RUNTIME_AUTO_UPDATE_VALUES).toEqual(['On', 'Off']);
    expect(ScanLevelSchema.safeParse('full').success).toBe(false);
    expect(IntegrationRuntimeAutoUpdateSchema.safeParse('Off').success).toBe(true);
  });
});

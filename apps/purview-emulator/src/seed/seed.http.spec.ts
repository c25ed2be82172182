import * as fs from 'node:fs';
import * as path from 'node:path';
import { tempDir } from '@purview-emulator/testing';
import { createTestApp, TestApp } from '../testing/test-app';
import { SeedService } from './seed.service';

const V = '?api-version=2023-09-01';

/** A seed with an entry of every group, bodies as the API takes them. */
const SEED = {
  collections: [{ name: 'finance', friendlyName: 'Finance', parentCollection: { referenceName: 'emulator' } }],
  typedefs: {
    entityDefs: [{ name: 'seed_table', superTypes: ['DataSet'], attributeDefs: [] }],
  },
  entities: [{ typeName: 'seed_table', attributes: { qualifiedName: 'seed://orders', name: 'orders' } }],
  integrationRuntimes: [{ name: 'seed-ir', kind: 'SelfHosted', properties: { description: 'from the seed' } }],
  secrets: [{ name: 'storage-key', value: 'not-a-real-key' }],
  keyVaults: [{ name: 'seed-kv', properties: { baseUrl: 'https://default.vault.azure.net/' } }],
  credentials: [
    {
      name: 'seed-cred',
      kind: 'AccountKey',
      properties: {
        typeProperties: {
          accountKey: {
            type: 'AzureKeyVaultSecret',
            secretName: 'storage-key',
            store: { referenceName: 'seed-kv', type: 'LinkedServiceReference' },
          },
        },
      },
    },
  ],
  dataSources: [
    {
      name: 'seed-ds',
      kind: 'AzureStorage',
      properties: { endpoint: 'https://devstoreaccount1.blob.core.windows.net/' },
    },
  ],
  scans: [
    {
      dataSource: 'seed-ds',
      name: 'seed-scan',
      kind: 'AzureStorageMsi',
      properties: { connectedVia: { referenceName: 'seed-ir' } },
    },
  ],
  glossaries: [{ name: 'Sales', shortDescription: 'Sales terms', terms: [{ name: 'Revenue', status: 'Approved' }] }],
  triggers: [
    {
      dataSource: 'seed-ds',
      scan: 'seed-scan',
      properties: { recurrence: { frequency: 'Day', interval: 1, startTime: '2026-01-01T02:00:00Z', timeZone: 'UTC' } },
    },
  ],
};

describe('PURVIEW_SEED_FILE', () => {
  const dir = tempDir('seed-');
  let test: TestApp | undefined;

  afterEach(async () => {
    await test?.close();
    test = undefined;
  });

  afterAll(() => dir.remove());

  const write = (name: string, text: string): string => {
    const file = path.join(dir.path, name);
    fs.writeFileSync(file, text);
    return file;
  };

  it('creates every entry through the API at start, changes nothing on the next start, and comes back after a reset', async () => {
    const file = write('seed.json', JSON.stringify(SEED));
    const dataDir = path.join(dir.path, 'data');
    test = await createTestApp({ env: { PURVIEW_SEED_FILE: file, PURVIEW_DATA_DIR: dataDir } });
    const { api } = test;
    expect((await api.get(`/scan/integrationruntimes/seed-ir${V}`).expect(200)).body.properties.description).toBe(
      'from the seed',
    );
    await api.get(`/scan/datasources/seed-ds/scans/seed-scan${V}`).expect(200);
    await api.get(`/scan/datasources/seed-ds/scans/seed-scan/triggers/default${V}`).expect(200);
    await api.get(`/scan/credentials/seed-cred${V}`).expect(200);
    await api.get('/account/collections/finance?api-version=2019-11-01-preview').expect(200);
    await api.get(`/datamap/api/atlas/v2/types/typedef/name/seed_table${V}`).expect(200);
    const [glossary] = (await api.get(`/datamap/api/atlas/v2/glossary${V}`).expect(200)).body;
    expect(glossary).toEqual(expect.objectContaining({ name: 'Sales', shortDescription: 'Sales terms' }));
    const terms = (await api.get(`/datamap/api/atlas/v2/glossary/${glossary.guid as string}/terms${V}`).expect(200))
      .body;
    expect(terms).toEqual([expect.objectContaining({ name: 'Revenue', status: 'Approved' })]);
    await api
      .get(
        `/datamap/api/atlas/v2/entity/uniqueAttribute/type/seed_table${V}&attr:qualifiedName=${encodeURIComponent('seed://orders')}`,
      )
      .expect(200);

    await test.close();
    test = await createTestApp({ env: { PURVIEW_SEED_FILE: file, PURVIEW_DATA_DIR: dataDir } });
    const again = await test.app.get(SeedService).applyConfigured();
    expect(again.filter((r) => r.outcome !== 'exists')).toEqual([]);
    expect(again).toHaveLength(12);

    // No Azurite behind this app: only ingestion storage may fail to start over, never the seed.
    const reset = await test.api.post('/_emulator/reset').expect(200);
    expect(reset.body.problems).not.toContain('the seed file');
    await test.api.get(`/scan/integrationruntimes/seed-ir${V}`).expect(200);
    await test.api.get(`/scan/datasources/seed-ds/scans/seed-scan${V}`).expect(200);
  }, 60_000);

  it('reads YAML', async () => {
    const file = write(
      'seed.yaml',
      ['integrationRuntimes:', '  - name: yaml-ir', '    kind: SelfHosted', '    properties: {}', ''].join('\n'),
    );
    test = await createTestApp({ env: { PURVIEW_SEED_FILE: file } });
    await test.api.get(`/scan/integrationruntimes/yaml-ir${V}`).expect(200);
  });

  it('refuses to start on a bad seed, naming the entry and what is wrong', async () => {
    const unknownGroup = write('unknown.json', JSON.stringify({ glossary: [] }));
    await expect(createTestApp({ env: { PURVIEW_SEED_FILE: unknownGroup } })).rejects.toThrow(
      /seed file .*unknown\.json is not valid: the file: Unrecognized key\(s\) in object: 'glossary'/,
    );
    const noName = write('no-name.json', JSON.stringify({ dataSources: [{ kind: 'AzureStorage' }] }));
    await expect(createTestApp({ env: { PURVIEW_SEED_FILE: noName } })).rejects.toThrow(
      /dataSources\[0\]\.name: name is required/,
    );
    const refused = write(
      'refused.json',
      JSON.stringify({ dataSources: [{ name: 'bad-ds', kind: 'AzureStorage', properties: { endpoint: 'nope' } }] }),
    );
    await expect(createTestApp({ env: { PURVIEW_SEED_FILE: refused } })).rejects.toThrow(
      /dataSources\[0\] 'bad-ds' was refused: PUT \/scan\/datasources\/bad-ds answered 400: .*endpoint/,
    );
    await expect(createTestApp({ env: { PURVIEW_SEED_FILE: path.join(dir.path, 'missing.json') } })).rejects.toThrow(
      /cannot be read/,
    );
  });
});

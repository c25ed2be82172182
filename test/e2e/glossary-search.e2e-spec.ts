import type { ScanResultWithIngestion } from '@purview-emulator/contracts';
import { pollUntil } from '@purview-emulator/testing';
import { devstoreBlobService } from '../../scripts/src/stack/seed';
import { TestStack } from './harness';

const QN = 'https://devstoreaccount1.blob.core.windows.net/finance';
const PAGED = 2500;

interface Hit {
  id: string;
  name: string;
  qualifiedName: string;
  term: { name: string; glossaryName: string }[];
  '@search.highlights'?: Record<string, string[]>;
}
interface Result {
  '@search.count': number;
  value: Hit[];
  continuationToken?: string;
  '@search.facets'?: Record<string, { value: string; count: number }[]>;
}

/**
 * The glossary and discovery together, through real processes: a scan puts assets in the data map; a glossary with a
 * category and a term hierarchy is made and a term assigned to the scanned files; search finds them by term, by
 * keyword with highlights and by facet; 2,500 more assets are paged through with continuationToken; suggest and
 * autocomplete complete a partial name.
 */
describe('glossary terms on scanned assets, found by search', () => {
  const stack = new TestStack();
  let ledgers: Hit[];
  let revenueGuid: string;

  beforeAll(async () => {
    await stack.start();
    await stack.startRuntimeNode('gs-shir', 'node1');
    const container = devstoreBlobService(stack.ports.blob).getContainerClient('finance');
    await container.createIfNotExists();
    const csv = 'account,amount\n4000,12.50\n4010,99.00\n';
    for (const name of ['ledger-east.csv', 'ledger-west.csv', 'headcount.csv'])
      await container.getBlockBlobClient(name).upload(csv, csv.length);
    await stack.waitOnline('gs-shir');
    await stack.client.scan('PUT', '/datasources/finance-storage', {
      kind: 'AzureStorage',
      properties: { endpoint: 'https://devstoreaccount1.blob.core.windows.net/' },
    });
    await stack.client.scan('PUT', '/datasources/finance-storage/scans/finance-scan', {
      kind: 'AzureStorageMsi',
      properties: { connectedVia: { referenceName: 'gs-shir' } },
    });
    const runId = await stack.client.runScan('finance-storage', 'finance-scan');
    const run = await pollUntil(
      async () => {
        const r = await stack.client.scan<ScanResultWithIngestion>(
          'GET',
          `/datasources/finance-storage/scans/finance-scan/runs/${runId}`,
        );
        return ['Succeeded', 'Failed', 'Canceled'].includes(r.status) ? r : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 250, description: `run ${runId} to finish` },
    );
    expect(run.status).toBe('Succeeded');
  }, 180_000);

  afterAll(async () => {
    await stack.stop();
  });

  const search = (body: Record<string, unknown>): Promise<Result> =>
    stack.client.dataMap('POST', '/search/query', body);

  it('finds the scanned files by keyword, with highlights', async () => {
    const found = await pollUntil(
      async () => {
        const r = await search({ keywords: 'ledger', filter: { entityType: 'azure_blob_path' } });
        return r['@search.count'] === 2 ? r : undefined;
      },
      { timeoutMs: 30_000, description: 'both ledgers to be ingested' },
    );
    ledgers = found.value;
    // Names without digits: numbered files would form one resource set, as in Purview.
    expect(ledgers.map((h) => h.qualifiedName).sort()).toEqual([`${QN}/ledger-east.csv`, `${QN}/ledger-west.csv`]);
    expect(ledgers[0]['@search.highlights']?.name?.[0]).toContain('<em>ledger</em>');
  });

  it('builds a glossary with a category and a term hierarchy, and assigns a term to the ledgers', async () => {
    const glossary = await stack.client.dataMap<{ guid: string }>('POST', '/atlas/v2/glossary', { name: 'Finance' });
    const category = await stack.client.dataMap<{ guid: string }>('POST', '/atlas/v2/glossary/category', {
      name: 'Accounting',
      anchor: { glossaryGuid: glossary.guid },
    });
    const parent = await stack.client.dataMap<{ guid: string }>('POST', '/atlas/v2/glossary/term', {
      name: 'Income',
      anchor: { glossaryGuid: glossary.guid },
      categories: [{ categoryGuid: category.guid }],
    });
    const child = await stack.client.dataMap<{ guid: string; qualifiedName: string }>(
      'POST',
      '/atlas/v2/glossary/term?includeTermHierarchy=true',
      {
        name: 'Revenue',
        anchor: { glossaryGuid: glossary.guid },
        parentTerm: { termGuid: parent.guid },
        status: 'Approved',
      },
    );
    revenueGuid = child.guid;
    expect(child.qualifiedName).toBe('Income_Revenue@Finance');
    const assigned = await stack.client.call(
      'POST',
      `/datamap/api/atlas/v2/glossary/terms/${child.guid}/assignedEntities?api-version=2023-09-01`,
      ledgers.map((h) => ({ guid: h.id })),
    );
    expect(assigned.status).toBe(204);
  });

  it('finds the assets by term, shows their terms, and counts them by term', async () => {
    const byTerm = await search({
      filter: { and: [{ term: 'Revenue', glossary: 'Finance' }] },
      facets: [{ facet: 'term' }],
    });
    expect(byTerm.value.map((h) => h.id).sort()).toEqual(ledgers.map((h) => h.id).sort());
    expect(byTerm.value[0].term).toEqual([expect.objectContaining({ name: 'Revenue', glossaryName: 'Finance' })]);
    expect(byTerm['@search.facets']?.term).toEqual([{ value: 'Revenue', count: 2 }]);
    const entity = await stack.client.dataMap<{ entity: { relationshipAttributes: { meanings: { guid: string }[] } } }>(
      'GET',
      `/atlas/v2/entity/guid/${ledgers[0].id}`,
    );
    expect(entity.entity.relationshipAttributes.meanings.map((m) => m.guid)).toEqual([revenueGuid]);
  });

  it(`pages through ${PAGED} results with continuationToken: none twice, none missing`, async () => {
    for (let start = 0; start < PAGED; start += 1000) {
      const entities = Array.from({ length: Math.min(1000, PAGED - start) }, (_, i) => ({
        typeName: 'DataSet',
        attributes: { qualifiedName: `${QN}/paged/report_${start + i}`, name: `quarterly_report_${start + i}` },
      }));
      await stack.client.dataMap('POST', '/atlas/v2/entity/bulk', { entities });
    }
    const seen = new Set<string>();
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await search({
        keywords: 'quarterly_report',
        limit: 1000,
        ...(token ? { continuationToken: token } : {}),
      });
      expect(page['@search.count']).toBe(PAGED);
      for (const hit of page.value) seen.add(hit.id);
      token = page.continuationToken;
      pages++;
    } while (token);
    expect(pages).toBe(3);
    expect(seen.size).toBe(PAGED);
  });

  it('suggests and autocompletes a partial asset name', async () => {
    const suggested = await stack.client.dataMap<{ value: { name: string }[] }>('POST', '/search/suggest', {
      keywords: 'ledg',
      filter: { entityType: 'azure_blob_path' },
    });
    expect(suggested.value.map((v) => v.name).sort()).toEqual(['ledger-east.csv', 'ledger-west.csv']);
    const completed = await stack.client.dataMap<{ value: { text: string }[] }>('POST', '/search/autocomplete', {
      keywords: 'headc',
    });
    expect(completed.value.map((v) => v.text)).toContain('headcount.csv');
  });
});

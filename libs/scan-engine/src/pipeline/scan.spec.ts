import { Readable } from 'node:stream';
import type { ScannedAsset } from '@purview-emulator/contracts';
import { pollUntil } from '@purview-emulator/testing';
import { CREDIT_CARD_CLASSIFICATION, EMAIL_CLASSIFICATION, regexRule } from '../classifiers';
import { type BlobConnector, type BlobInfo, ConnectorError, MemoryConnector } from '../connectors';
import { type FileReport, runScan, type ScanStats } from './scan';

const BASE = 'https://acct.blob.core.windows.net';
const TARGET = { accountName: 'acct', qualifiedNameBase: BASE };

const customersCsv = [
  'id,email,card_number,tier',
  ...[
    '4111111111111111',
    '5555555555554444',
    '378282246310005',
    '6011111111111117',
    '4012888888881881',
    '5105105105105100',
    '371449635398431',
    '6011000990139424',
    '3530111333300000',
    '3566002020360505',
  ].map((card, i) => `${i},user${i}@contoso.com,${card},${i % 2 ? 'Gold' : 'Silver'}`),
].join('\n');

async function collect(iterable: AsyncIterable<ScannedAsset>): Promise<ScannedAsset[]> {
  const out: ScannedAsset[] = [];
  for await (const asset of iterable) out.push(asset);
  return out;
}

const qn = (a: ScannedAsset) => a.attributes.qualifiedName;
const byQn = (assets: ScannedAsset[], qualifiedName: string) => assets.find((a) => qn(a) === qualifiedName)!;
const ref = (typeName: string, qualifiedName: string) => ({ typeName, uniqueAttributes: { qualifiedName } });

/** The memory connector's containers and listings, with `openBlob` replaced (latency, hangs, counting). */
function opening(memory: MemoryConnector, openBlob: BlobConnector['openBlob']): BlobConnector {
  return {
    location: memory.location,
    listContainers: (o) => memory.listContainers(o),
    listBlobs: (c, o) => memory.listBlobs(c, o),
    openBlob,
  };
}

describe('runScan', () => {
  it('emits the storage hierarchy with Purview typeNames, qualifiedNames and relationships', async () => {
    const modified = new Date('2024-05-01T10:00:00Z');
    const connector = new MemoryConnector({
      sales: { 'crm/customers.csv': { content: customersCsv, contentType: 'text/csv', lastModified: modified } },
    });
    const assets = await collect(runScan(connector, TARGET));

    expect(assets.map((a) => [a.typeName, qn(a)])).toEqual([
      ['azure_storage_account', 'https://acct.core.windows.net'],
      ['azure_blob_service', BASE],
      ['azure_blob_container', `${BASE}/sales`],
      ['azure_blob_path', `${BASE}/sales/crm/customers.csv`],
      ['tabular_schema', `${BASE}/sales/crm/customers.csv#__tabular_schema`],
      ['column', `${BASE}/sales/crm/customers.csv#__tabular_schema//id`],
      ['column', `${BASE}/sales/crm/customers.csv#__tabular_schema//email`],
      ['column', `${BASE}/sales/crm/customers.csv#__tabular_schema//card_number`],
      ['column', `${BASE}/sales/crm/customers.csv#__tabular_schema//tier`],
    ]);
    const [account, service, container, blob, schema] = assets;
    expect(account.attributes.name).toBe('acct');
    expect(service).toMatchObject({
      attributes: { name: 'acct' },
      relationshipAttributes: { account: ref('azure_storage_account', 'https://acct.core.windows.net') },
    });
    expect(container).toMatchObject({
      attributes: { name: 'sales' },
      relationshipAttributes: { blobService: ref('azure_blob_service', BASE) },
    });
    expect(blob.attributes).toEqual({
      qualifiedName: `${BASE}/sales/crm/customers.csv`,
      name: 'customers.csv',
      path: '/sales/crm/customers.csv',
      size: Buffer.byteLength(customersCsv),
      modifiedTime: modified.getTime(),
      contentType: 'text/csv',
      isFile: true,
    });
    expect(blob.relationshipAttributes).toEqual({
      container: ref('azure_blob_container', `${BASE}/sales`),
      tabular_schema: ref('tabular_schema', qn(schema)),
    });
    expect(schema.attributes.name).toBe('customers.csv#__tabular_schema');

    const email = byQn(assets, `${BASE}/sales/crm/customers.csv#__tabular_schema//email`);
    expect(email).toEqual({
      typeName: 'column',
      attributes: { qualifiedName: qn(email), name: 'email', type: 'string', position: 1 },
      relationshipAttributes: { composeSchema: ref('tabular_schema', qn(schema)) },
      classifications: [{ typeName: EMAIL_CLASSIFICATION }],
    });
    expect(byQn(assets, `${BASE}/sales/crm/customers.csv#__tabular_schema//card_number`).classifications).toEqual([
      { typeName: CREDIT_CARD_CLASSIFICATION },
    ]);
    expect(byQn(assets, `${BASE}/sales/crm/customers.csv#__tabular_schema//tier`).classifications).toEqual([]);
    // Column classifications roll up to the file.
    expect(blob.classifications).toEqual([
      { typeName: EMAIL_CLASSIFICATION },
      { typeName: CREDIT_CARD_CLASSIFICATION },
    ]);
  });

  it('counts assets as Purview does: schemas and columns are not discovered assets', async () => {
    const connector = new MemoryConnector({
      a: { 'customers.csv': customersCsv, 'plain.csv': 'x,y\n1,2\n', 'image.png': Buffer.from([1, 2, 3]) },
      b: { 'more.tsv': 'k\tv\n1\t2\n' },
    });
    const run = runScan(connector, TARGET);
    const assets = await collect(run);
    // account + service + 2 containers + 4 files
    expect(run.stats).toEqual({
      assetsDiscovered: 8,
      assetsClassified: 1,
      assetsFailed: 0,
      containersListed: 2,
      blobsListed: 4,
      blobsUnchanged: 0,
      resourceSets: 0,
      bytesRead: expect.any(Number),
    });
    expect(run.stats.bytesRead).toBe(Buffer.byteLength(customersCsv) + 8 + 8);
    expect(assets.filter((a) => a.typeName === 'column')).toHaveLength(4 + 2 + 2);
  });

  it('emits parents before children, each container followed by its files in listing order', async () => {
    const connector = new MemoryConnector({
      c1: { 'a.csv': 'x\n1\n', 'b/c.csv': 'x\n1\n', 'd.bin': 'zz' },
      c2: { 'e.csv': 'x\n1\n' },
    });
    const assets = await collect(runScan(connector, TARGET, { concurrency: 3 }));
    const seen = new Set<string>();
    for (const asset of assets) {
      for (const value of Object.values(asset.relationshipAttributes ?? {})) {
        const parents = Array.isArray(value) ? value : [value];
        // The file points at its schema, which comes right after it; every other reference points backwards.
        for (const p of parents)
          if (p && (p.typeName !== 'tabular_schema' || asset.typeName !== 'azure_blob_path'))
            expect(seen).toContain(p.uniqueAttributes.qualifiedName);
      }
      seen.add(qn(asset));
    }
    expect(assets.filter((a) => a.typeName.startsWith('azure_blob_')).map((a) => a.attributes.name)).toEqual([
      'acct',
      'c1',
      'a.csv',
      'c.csv',
      'd.bin',
      'c2',
      'e.csv',
    ]);
  });

  it('keeps listing order while reading files concurrently, never more than `concurrency` at once', async () => {
    const files = Object.fromEntries(
      Array.from({ length: 12 }, (_, i) => [`f${String(i).padStart(2, '0')}.csv`, 'x\n1\n']),
    );
    const memory = new MemoryConnector({ c: files });
    let open = 0;
    let maxOpen = 0;
    const slow = opening(memory, async (c, name, range, o) => {
      open++;
      maxOpen = Math.max(maxOpen, open);
      // A deliberate latency, not a wait on state: later files finish first, so the order of results is tested.
      await new Promise((r) => setTimeout(r, (12 - Number(name.slice(1, 3))) * 2));
      open--;
      return memory.openBlob(c, name, range, o);
    });
    const assets = await collect(runScan(slow, TARGET, { concurrency: 3, resourceSets: false }));
    expect(maxOpen).toBe(3);
    expect(assets.filter((a) => a.typeName === 'azure_blob_path').map((a) => a.attributes.name)).toEqual(
      Object.keys(files),
    );
  });

  it('asks the connector for no more than sampleBytes, and applies sampleRows', async () => {
    const body = 'email\n' + Array.from({ length: 1000 }, (_, i) => `u${i}@contoso.com\n`).join('');
    const connector = new MemoryConnector({ c: { 'big.csv': body } });
    const open = jest.spyOn(connector, 'openBlob');
    const reports: FileReport[] = [];
    const run = runScan(connector, TARGET, { sampleBytes: 4096, sampleRows: 20, onFile: (r) => reports.push(r) });
    await collect(run);
    expect(open).toHaveBeenCalledWith('c', 'big.csv', { offset: 0, count: 4096 }, expect.anything());
    expect(reports[0].sample).toEqual({
      sampledRows: 20,
      errorRows: 0,
      bytesRead: expect.any(Number),
      stoppedBy: 'rows',
    });
    expect(run.stats.bytesRead).toBeLessThanOrEqual(4096);
  });

  it('marks a file that cannot be read as failed, emits it with basic metadata and carries on', async () => {
    const connector = new MemoryConnector({
      c: {
        'a.csv': {
          content: 'x\n1\n',
          failWith: new ConnectorError('Cannot read memory://c/a.csv: 500 InternalError', 500),
        },
        'b.csv': customersCsv,
      },
    });
    const reports: FileReport[] = [];
    const run = runScan(connector, TARGET, { onFile: (r) => reports.push(r) });
    const assets = await collect(run);
    const failed = byQn(assets, `${BASE}/c/a.csv`);
    expect(failed.relationshipAttributes).toEqual({ container: ref('azure_blob_container', `${BASE}/c`) });
    expect(assets.some((a) => qn(a).startsWith(`${BASE}/c/a.csv#`))).toBe(false);
    expect(byQn(assets, `${BASE}/c/b.csv`).classifications).toHaveLength(2);
    expect(run.stats).toMatchObject({ assetsDiscovered: 5, assetsClassified: 1, assetsFailed: 1 });
    expect(run.failures).toEqual([
      { qualifiedName: `${BASE}/c/a.csv`, reason: 'Cannot read memory://c/a.csv: 500 InternalError' },
    ]);
    expect(reports.map((r) => r.status)).toEqual(['failed', 'scanned']);
  });

  it('emits a file whose schema is not trusted at L1 only, failed with the reason', async () => {
    const connector = new MemoryConnector({ c: { 'ragged.csv': 'a,b\n1,2\n3\n4,5\n6,7,8\n' } });
    const reports: FileReport[] = [];
    const run = runScan(connector, TARGET, { onFile: (r) => reports.push(r) });
    const assets = await collect(run);
    expect(assets.map((a) => a.typeName)).toEqual([
      'azure_storage_account',
      'azure_blob_service',
      'azure_blob_container',
      'azure_blob_path',
    ]);
    expect(run.stats.assetsFailed).toBe(1);
    expect(reports[0]).toMatchObject({ status: 'failed', format: 'CSV', sample: { sampledRows: 4, errorRows: 2 } });
    expect(run.failures[0].reason).toMatch(/2 of 4 sampled rows/);
  });

  it('emits other files and empty files with basic metadata only, not as failures', async () => {
    const connector = new MemoryConnector({
      c: { 'empty.csv': '', 'blank.csv': '\n\n', 'notes.txt': 'hello', 'folder/': '' },
    });
    const reports: FileReport[] = [];
    const run = runScan(connector, TARGET, { onFile: (r) => reports.push(r) });
    const assets = await collect(run);
    expect(assets.filter((a) => a.typeName === 'azure_blob_path').map((a) => a.attributes.name)).toEqual([
      'blank.csv',
      'empty.csv',
      'notes.txt',
    ]);
    expect(assets.some((a) => a.typeName === 'tabular_schema')).toBe(false);
    expect(reports.map((r) => r.status)).toEqual(['empty', 'empty', 'unsupported']);
    expect(run.stats).toMatchObject({ assetsFailed: 0, blobsListed: 3 });
  });

  it('reports per-column reasons for columns left unclassified', async () => {
    const reports: FileReport[] = [];
    await collect(
      runScan(new MemoryConnector({ c: { 'customers.csv': customersCsv } }), TARGET, {
        onFile: (r) => reports.push(r),
      }),
    );
    const tier = reports[0].columns!.find((c) => c.column === 'tier')!;
    expect(tier.reason).toEqual({ skipped: 'distinct-values', distinct: 2, required: 8 });
    expect(reports[0].classifications).toEqual([EMAIL_CLASSIFICATION, CREDIT_CARD_CLASSIFICATION]);
  });

  it('applies custom rules given in the options', async () => {
    const rules = [regexRule({ name: 'tier', classificationName: 'contoso.tier', columnPatterns: ['^tier$'] })];
    const assets = await collect(
      runScan(new MemoryConnector({ c: { 'customers.csv': customersCsv } }), TARGET, { rules }),
    );
    expect(byQn(assets, `${BASE}/c/customers.csv`).classifications).toEqual([{ typeName: 'contoso.tier' }]);
  });

  it('takes a scan rule set: system rules less the excluded classifications, plus custom rules; files report the details', async () => {
    const ruleSet = {
      excludedSystemClassifications: [EMAIL_CLASSIFICATION],
      customRules: [regexRule({ name: 'tier', classificationName: 'contoso.tier', columnPatterns: ['^tier$'] })],
    };
    const reports: FileReport[] = [];
    const assets = await collect(
      runScan(new MemoryConnector({ c: { 'customers.csv': customersCsv } }), TARGET, {
        ruleSet,
        onFile: (r) => reports.push(r),
      }),
    );
    expect(byQn(assets, `${BASE}/c/customers.csv`).classifications).toEqual([
      { typeName: CREDIT_CARD_CLASSIFICATION },
      { typeName: 'contoso.tier' },
    ]);
    expect(reports[0].columns!.find((c) => c.column === 'card_number')!.details).toEqual([
      {
        classification: CREDIT_CARD_CLASSIFICATION,
        rule: CREDIT_CARD_CLASSIFICATION,
        column: 'card_number',
        confidence: 100,
        count: 10,
        distinctCount: 10,
      },
    ]);
  });

  it('skips excluded containers', async () => {
    const connector = new MemoryConnector({
      data: { 'a.csv': 'x\n1\n' },
      'purview-ingestion': { 'runs/1.json': '{}' },
    });
    const assets = await collect(runScan(connector, { ...TARGET, excludeContainers: ['purview-ingestion'] }));
    expect(assets.map(qn).filter((q) => q.includes('ingestion'))).toEqual([]);
  });

  it('reports progress with live stats', async () => {
    const progress: ScanStats[] = [];
    const run = runScan(new MemoryConnector({ c: { 'a.csv': 'x\n1\n', 'b.csv': customersCsv } }), TARGET, {
      onProgress: (s) => progress.push(s),
    });
    await collect(run);
    expect(progress.at(-1)).toEqual(run.stats);
    expect(progress.map((p) => p.assetsDiscovered)).toEqual(
      [...progress.map((p) => p.assetsDiscovered)].sort((a, b) => a - b),
    );
    expect(progress.length).toBeGreaterThanOrEqual(3);
  });

  it('streams: yields the first assets before the listing is exhausted', async () => {
    let listed = 0;
    const endless: BlobConnector = {
      location: 'endless://',
      async *listContainers() {
        yield { name: 'c' };
      },
      async *listBlobs(): AsyncIterable<BlobInfo> {
        for (let i = 0; ; i++) {
          listed++;
          yield { name: `f${i}.bin`, size: 1, lastModified: new Date(0) };
        }
      },
      openBlob: async () => Readable.from([]),
    };
    const names: string[] = [];
    for await (const asset of runScan(endless, TARGET, { resourceSets: false })) {
      names.push(asset.attributes.name);
      if (names.length === 20) break;
    }
    expect(names).toHaveLength(20);
    expect(listed).toBeLessThan(40);
  });

  it('throws a clear error when the account cannot be listed', async () => {
    const denied: BlobConnector = {
      location: 'http://127.0.0.1:1/acct',
      // eslint-disable-next-line require-yield
      async *listContainers() {
        throw new ConnectorError(
          'Cannot list containers of http://127.0.0.1:1/acct: 403 AuthorizationFailure',
          403,
          'AuthorizationFailure',
        );
      },
      listBlobs: () => (async function* () {})(),
      openBlob: async () => Readable.from([]),
    };
    await expect(collect(runScan(denied, TARGET))).rejects.toThrow(
      'Cannot list containers of http://127.0.0.1:1/acct: 403 AuthorizationFailure',
    );
  });

  it('keeps every read slot busy while a slow file holds up the listing order, and still emits in that order', async () => {
    const names = Array.from({ length: 12 }, (_, i) => `f${String(i).padStart(2, '0')}.csv`);
    const memory = new MemoryConnector({ c: Object.fromEntries(names.map((n) => [n, 'x\n1\n'])) });
    let releaseSlow!: () => void;
    const slow = new Promise<void>((resolve) => (releaseSlow = resolve));
    const opened: string[] = [];
    let reading = 0;
    let mostAtOnce = 0;
    const connector = opening(memory, async (c, name, range, o) => {
      opened.push(name);
      mostAtOnce = Math.max(mostAtOnce, ++reading);
      try {
        if (name === 'f00.csv') await slow;
        return await memory.openBlob(c, name, range, o);
      } finally {
        reading--;
      }
    });
    const collecting = collect(runScan(connector, TARGET, { concurrency: 2, resourceSets: false }));
    // The first file hangs: the other slot goes on through the files after it (four per slot may wait their turn).
    await pollUntil(() => opened.length === 8, { description: 'eight files opened while the first one hangs' });
    expect(opened).not.toContain('f08.csv');
    releaseSlow();
    const files = (await collecting).filter((a) => a.typeName === 'azure_blob_path').map((a) => a.attributes.name);
    expect(files).toEqual(names);
    expect(mostAtOnce).toBe(2);
  });

  it('stops with the abort reason when the signal fires, cancelling reads in flight', async () => {
    const memory = new MemoryConnector({
      c: Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`f${i}.csv`, 'x\n1\n'])),
    });
    const controller = new AbortController();
    const seenSignals: AbortSignal[] = [];
    const hanging = opening(memory, async (c, name, range, o) => {
      seenSignals.push(o!.signal!);
      if (name !== 'f0.csv')
        await new Promise((_, reject) =>
          o!.signal!.addEventListener('abort', () => reject(o!.signal!.reason as Error)),
        );
      return memory.openBlob(c, name, range, o);
    });
    const run = runScan(hanging, TARGET, { signal: controller.signal, concurrency: 4, resourceSets: false });
    const names: string[] = [];
    const scanning = (async () => {
      for await (const asset of run) {
        names.push(asset.attributes.name);
        if (asset.attributes.name === 'f0.csv') controller.abort(new Error('scan cancelled'));
      }
    })();
    await expect(scanning).rejects.toThrow('scan cancelled');
    expect(names).toContain('f0.csv');
    expect(names).not.toContain('f1.csv');
    expect(seenSignals.length).toBeGreaterThan(1);
    expect(seenSignals.every((s) => s.aborted)).toBe(true);
  });

  it('does not start when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('too late'));
    await expect(collect(runScan(new MemoryConnector({}), TARGET, { signal: controller.signal }))).rejects.toThrow(
      'too late',
    );
  });

  it('can be iterated only once', async () => {
    const run = runScan(new MemoryConnector({}), TARGET);
    await collect(run);
    expect(() => run[Symbol.asyncIterator]()).toThrow(/only once/);
  });

  describe('partitions (a storage scan spread over nodes)', () => {
    const files: Record<string, Record<string, { content: string }>> = { sales: {}, hr: {} };
    for (let i = 0; i < 40; i++)
      files[i % 2 ? 'sales' : 'hr'][`dir${i % 3}/file-${i}.${i % 4 ? 'txt' : 'csv'}`] = {
        content: i % 4 ? `text ${i}` : customersCsv,
      };
    const blobQns = (assets: ScannedAsset[]) => assets.filter((a) => a.typeName === 'azure_blob_path').map(qn);

    it('two partitions read every blob exactly once, and together emit what one whole scan does', async () => {
      const whole = runScan(new MemoryConnector(files), TARGET, { resourceSets: false });
      const wholeAssets = await collect(whole);
      const parts = [0, 1].map((index) =>
        runScan(new MemoryConnector(files), { ...TARGET, partition: { index, count: 2 } }, { resourceSets: false }),
      );
      const [first, second] = await Promise.all(parts.map((p) => collect(p)));

      const [blobs0, blobs1] = [blobQns(first), blobQns(second)];
      expect(blobs0.length).toBeGreaterThan(0);
      expect(blobs1.length).toBeGreaterThan(0);
      expect(blobs0.filter((q) => blobs1.includes(q))).toEqual([]);
      expect([...blobs0, ...blobs1].sort()).toEqual(blobQns(wholeAssets).sort());
      expect([...first, ...second].map(qn).sort()).toEqual(wholeAssets.map(qn).sort());
      // The account, service and containers come from part 0 alone, so counts add up.
      expect(second.some((a) => a.typeName !== 'azure_blob_path' && !qn(a).includes('#'))).toBe(false);
      expect(parts[0].stats.assetsDiscovered + parts[1].stats.assetsDiscovered).toBe(whole.stats.assetsDiscovered);
      expect(parts[0].stats.assetsClassified + parts[1].stats.assetsClassified).toBe(whole.stats.assetsClassified);
      expect(parts[0].stats.blobsListed + parts[1].stats.blobsListed).toBe(40);
    });

    it('a partition of one is the whole scan, and an impossible partition is refused', async () => {
      const one = await collect(runScan(new MemoryConnector(files), { ...TARGET, partition: { index: 0, count: 1 } }));
      expect(one.map(qn)).toEqual((await collect(runScan(new MemoryConnector(files), TARGET))).map(qn));
      expect(() => runScan(new MemoryConnector(files), { ...TARGET, partition: { index: 2, count: 2 } })).toThrow(
        'Invalid partition',
      );
    });
  });
});

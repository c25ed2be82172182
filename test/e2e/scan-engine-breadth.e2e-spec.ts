import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import * as avro from 'avsc';
import { parquetWriteBuffer } from 'hyparquet-writer';
import type { ScanResultWithIngestion } from '@purview-emulator/contracts';
import { pollUntil } from '@purview-emulator/testing';
import { devstoreBlobService } from '../../scripts/src/stack/seed';
import { TestStack } from './harness';

const QN = 'https://devstoreaccount1.blob.core.windows.net';
const V = '?api-version=2023-09-01';
const EMAIL = 'MICROSOFT.PERSONAL.EMAIL';
const CARD = 'MICROSOFT.FINANCIAL.CREDIT_CARD_NUMBER';
const BY_HAND = 'MICROSOFT.PERSONAL.IPADDRESS';

const cards = [
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
];
const people = cards.map((card, i) => ({ id: i, email: `user${i}@contoso.com`, card, city: `City ${i}` }));

function parquetFile(): Buffer {
  return Buffer.from(
    parquetWriteBuffer({
      columnData: [
        { name: 'id', data: Int32Array.from(people, (p) => p.id), type: 'INT32' },
        { name: 'email', data: people.map((p) => p.email), type: 'STRING' },
        { name: 'card', data: people.map((p) => p.card), type: 'STRING' },
      ],
    }),
  );
}

async function avroFile(): Promise<Buffer> {
  const type = avro.Type.forSchema({
    type: 'record',
    name: 'Person',
    fields: [
      { name: 'id', type: 'long' },
      { name: 'email', type: 'string' },
    ],
  });
  const encoder = new avro.streams.BlockEncoder(type, { codec: 'deflate' });
  const chunks: Buffer[] = [];
  encoder.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise((r) => encoder.on('end', r));
  people.forEach((p) => encoder.write({ id: p.id, email: p.email }));
  encoder.end();
  await ended;
  return Buffer.concat(chunks);
}

const jsonLines = people.map((p) => JSON.stringify({ id: p.id, user: { email: p.email, city: p.city } })).join('\n');
const xml = `<?xml version="1.0"?><items>${people
  .map((p) => `<item><sku>SKU-${p.id}</sku><contact>${p.email}</contact></item>`)
  .join('')}</items>`;
const csv = (header: string, row: (p: (typeof people)[number]) => string) => [header, ...people.map(row)].join('\n');

type Entity = {
  guid: string;
  status: string;
  attributes: Record<string, unknown>;
  classifications?: { typeName: string }[];
};

/**
 * The scan engine's breadth through real processes (Azurite, the emulator, a `shir` node): a container of Parquet,
 * Avro, JSON lines, XML, gzip CSV and a partitioned folder lands in the data map with each file's schema and types,
 * the resource set and the classifications. Then an incremental run after one file changed and another was deleted
 * (the change is read, nothing is deleted), and a full run that finds the deleted file gone and says so.
 */
describe('scan engine breadth: formats, resource sets, classifications, incremental and deleted assets', () => {
  const stack = new TestStack();
  const container = () => devstoreBlobService(stack.ports.blob).getContainerClient('mixed');
  const upload = (name: string, body: Buffer | string) =>
    container().getBlockBlobClient(name).upload(body, Buffer.byteLength(body));

  beforeAll(async () => {
    await stack.start();
    await stack.startRuntimeNode('breadth-shir', 'node1');
    await container().createIfNotExists();
    await upload('typed/people.parquet', parquetFile());
    await upload('typed/people.avro', await avroFile());
    // Written by Apache ORC: npm has no ORC writer (libs/scan-engine/test-fixtures/orc/README.md).
    await upload(
      'typed/vectors.orc',
      fs.readFileSync(
        path.join(__dirname, '../../libs/scan-engine/test-fixtures/orc/TestVectorOrcFile.testZstd.0.12.orc'),
      ),
    );
    await upload('docs/events.json', jsonLines);
    await upload('docs/catalog.xml', xml);
    await upload('raw/contacts.csv.gz', zlib.gzipSync(csv('name,email', (p) => `Name ${p.id},${p.email}`)));
    for (const day of ['15', '16'])
      await upload(
        `sales/2024/01/${day}/orders.csv`,
        csv('order,card', (p) => `${day}-${p.id},${p.card}`),
      );
    await upload(
      'tmp/obsolete.csv',
      csv('id,email', (p) => `${p.id},${p.email}`),
    );
    await stack.waitOnline('breadth-shir');
    await stack.client.scan('PUT', '/datasources/lake', { kind: 'AzureStorage', properties: { endpoint: `${QN}/` } });
    await stack.client.scan('PUT', '/datasources/lake/scans/all', {
      kind: 'AzureStorageMsi',
      properties: { connectedVia: { referenceName: 'breadth-shir' } },
    });
  });

  afterAll(async () => {
    await stack.stop();
  });

  async function run(scanLevel: 'Full' | 'Incremental'): Promise<ScanResultWithIngestion> {
    const runId = (
      await stack.client.scan<{ scanResultId: string }>(
        'POST',
        `/datasources/lake/scans/all:run?scanLevel=${scanLevel}`,
      )
    ).scanResultId;
    return pollUntil(
      async () => {
        const r = await stack.client.scan<ScanResultWithIngestion>('GET', `/datasources/lake/scans/all/runs/${runId}`);
        return ['Succeeded', 'Failed', 'Canceled'].includes(r.status) ? r : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 250, description: `run ${runId} to finish` },
    );
  }

  const entity = async (typeName: string, qualifiedName: string): Promise<Entity | undefined> => {
    const r = await stack.client.call<{ entity: Entity }>(
      'GET',
      `/datamap/api/atlas/v2/entity/uniqueAttribute/type/${typeName}?attr:qualifiedName=${encodeURIComponent(qualifiedName)}${V.replace('?', '&')}`,
    );
    return r.status === 200 ? r.body.entity : undefined;
  };
  const file = (name: string) => entity('azure_blob_path', `${QN}/mixed/${name}`);
  const names = (e: Entity | undefined) => (e?.classifications ?? []).map((c) => c.typeName).sort();
  /** Column name → [type, classifications] of a file's (or resource set's) schema. */
  const schema = async (qualifiedName: string) => {
    const out: Record<string, [unknown, string[]]> = {};
    const parent = await stack.client.dataMap<{
      entity: { relationshipAttributes: { tabular_schema?: { guid: string } } };
    }>(
      'GET',
      `/atlas/v2/entity/uniqueAttribute/type/${qualifiedName.includes('{') ? 'azure_blob_resource_set' : 'azure_blob_path'}?attr:qualifiedName=${encodeURIComponent(qualifiedName)}`,
    );
    const schemaGuid = parent.entity.relationshipAttributes.tabular_schema?.guid;
    if (!schemaGuid) return out;
    const found = await stack.client.dataMap<{
      entity: { relationshipAttributes: { columns?: { guid: string }[] } };
      referredEntities: Record<string, Entity>;
    }>('GET', `/atlas/v2/entity/guid/${schemaGuid}`);
    for (const ref of found.entity.relationshipAttributes.columns ?? []) {
      const column =
        found.referredEntities[ref.guid] ??
        (await stack.client.dataMap<{ entity: Entity }>('GET', `/atlas/v2/entity/guid/${ref.guid}`)).entity;
      out[String(column.attributes.name)] = [column.attributes.type, names(column)];
    }
    return out;
  };

  it('runs Full first, whatever was asked, and reports nothing deleted', async () => {
    const first = await run('Incremental');
    expect({ status: first.status, error: first.error, level: first.scanLevelType }).toEqual({
      status: 'Succeeded',
      error: null,
      level: 'Full',
    });
    expect(first.discoveryExecutionDetails.statistics.assets.deleted).toBe(0);
  });

  it("shows each file's schema with its format's types, and the classifications found", async () => {
    expect(await schema(`${QN}/mixed/typed/people.parquet`)).toEqual({
      id: ['INT32', []],
      email: ['UTF8', [EMAIL]],
      card: ['UTF8', [CARD]],
    });
    expect(await schema(`${QN}/mixed/typed/people.avro`)).toEqual({ id: ['long', []], email: ['string', [EMAIL]] });
    // ORC: the schema from the footer; rows are not sampled.
    expect(await schema(`${QN}/mixed/typed/vectors.orc`)).toEqual({
      x: ['bigint', []],
      y: ['int', []],
      z: ['bigint', []],
    });
    expect(await schema(`${QN}/mixed/docs/events.json`)).toEqual({
      id: ['integer', []],
      'user.email': ['string', [EMAIL]],
      'user.city': ['string', []],
    });
    expect(await schema(`${QN}/mixed/docs/catalog.xml`)).toEqual({
      sku: ['string', []],
      contact: ['string', [EMAIL]],
    });
    expect(await schema(`${QN}/mixed/raw/contacts.csv.gz`)).toEqual({
      name: ['string', []],
      email: ['string', [EMAIL]],
    });
    expect(names(await file('typed/people.parquet'))).toEqual([CARD, EMAIL].sort());
  });

  it('groups the partitioned folder into one resource set with its schema and classifications', async () => {
    const pattern = `${QN}/mixed/sales/{Year}/{Month}/{Day}/orders.csv`;
    const set = await entity('azure_blob_resource_set', pattern);
    expect(set?.attributes).toEqual(expect.objectContaining({ partitionCount: 2, schemaCount: 1, name: 'orders' }));
    expect(names(set)).toEqual([CARD]);
    expect(await schema(pattern)).toEqual({ order: ['string', []], card: ['string', [CARD]] });
    expect(await file('sales/2024/01/15/orders.csv')).toBeUndefined();
  });

  it('an incremental run reads the changed file, replaces its scanned classifications, keeps the hand-applied one, deletes nothing', async () => {
    const contacts = (await file('raw/contacts.csv.gz'))!;
    await stack.client.dataMap('POST', `/atlas/v2/entity/guid/${contacts.guid}/classifications`, [
      { typeName: BY_HAND },
    ]);
    // The e-mail column is gone from the file; another file is deleted.
    await upload('raw/contacts.csv.gz', zlib.gzipSync(csv('name,city', (p) => `Name ${p.id},${p.city}`)));
    await container().deleteBlob('tmp/obsolete.csv');

    const incremental = await run('Incremental');
    expect({ status: incremental.status, level: incremental.scanLevelType }).toEqual({
      status: 'Succeeded',
      level: 'Incremental',
    });
    expect(incremental.discoveryExecutionDetails.statistics.assets.deleted).toBe(0);
    expect(await schema(`${QN}/mixed/raw/contacts.csv.gz`)).toEqual(
      expect.objectContaining({ name: ['string', []], city: ['string', []] }),
    );
    expect(names(await file('raw/contacts.csv.gz'))).toEqual([BY_HAND]);
    expect((await file('tmp/obsolete.csv'))?.status).toBe('ACTIVE');
  });

  it('a full run finds the deleted file gone: DELETED in the data map and counted; the rest stays', async () => {
    const handmade = await stack.client.dataMap<{ mutatedEntities: { CREATE: { guid: string }[] } }>(
      'POST',
      '/atlas/v2/entity',
      {
        entity: {
          typeName: 'azure_blob_path',
          attributes: { qualifiedName: `${QN}/mixed/handmade.csv`, name: 'handmade.csv' },
        },
      },
    );
    const full = await run('Full');
    expect({ status: full.status, level: full.scanLevelType }).toEqual({ status: 'Succeeded', level: 'Full' });
    expect(full.discoveryExecutionDetails.statistics.assets.deleted).toBe(1);
    expect((await file('tmp/obsolete.csv'))?.status).toBe('DELETED');
    // The email column that left contacts.csv.gz is gone with it; the hand-made entity and classification stay.
    expect((await entity('column', `${QN}/mixed/raw/contacts.csv.gz#__tabular_schema//email`))?.status).toBe('DELETED');
    expect((await file('handmade.csv'))?.guid).toBe(handmade.mutatedEntities.CREATE[0].guid);
    expect((await file('handmade.csv'))?.status).toBe('ACTIVE');
    expect(names(await file('raw/contacts.csv.gz'))).toEqual([BY_HAND]);
    for (const name of ['typed/people.parquet', 'typed/people.avro', 'docs/events.json', 'docs/catalog.xml'])
      expect((await file(name))?.status).toBe('ACTIVE');
    // Nothing more to delete: the next full run counts none.
    expect((await run('Full')).discoveryExecutionDetails.statistics.assets.deleted).toBe(0);
  });

  it('an incremental run reads a file rewritten under a Last-Modified older than its point: the ETag changed', async () => {
    // The emulator's clock 2 minutes ahead of storage's (SASs start 5 minutes back, so they still work): the run
    // below starts "later" than the rewrite that follows it, as with a storage clock behind the service's.
    await stack.client.expect('PUT', '/_emulator/clock', { advanceSeconds: 120 });
    try {
      expect((await run('Full')).status).toBe('Succeeded');
      await upload(
        'docs/catalog.xml',
        `<?xml version="1.0"?><items>${people.map((p) => `<item><sku>SKU-${p.id}</sku><town>${p.city}</town></item>`).join('')}</items>`,
      );
      const incremental = await run('Incremental');
      expect({ status: incremental.status, level: incremental.scanLevelType }).toEqual({
        status: 'Succeeded',
        level: 'Incremental',
      });
      expect(await schema(`${QN}/mixed/docs/catalog.xml`)).toEqual(
        expect.objectContaining({ sku: ['string', []], town: ['string', []] }),
      );
    } finally {
      await stack.client.expect('DELETE', '/_emulator/clock');
    }
  });
});

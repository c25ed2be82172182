import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import * as avro from 'avsc';
import { parquetWriteBuffer } from 'hyparquet-writer';
import type { ScannedAsset } from '@purview-emulator/contracts';
import { CREDIT_CARD_CLASSIFICATION, EMAIL_CLASSIFICATION } from '../classifiers';
import { MemoryConnector } from '../connectors';
import { CountingConnector } from '../testing/counting.connector';
import { type FileReport, runScan } from './scan';

const BASE = 'https://acct.blob.core.windows.net';
const ORC_FIXTURES = path.join(__dirname, '..', '..', 'test-fixtures', 'orc');
const TARGET = { accountName: 'acct', qualifiedNameBase: BASE };
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

function parquet(rowGroupSize?: number, rows = people): Buffer {
  return Buffer.from(
    parquetWriteBuffer({
      rowGroupSize,
      columnData: [
        { name: 'id', data: Int32Array.from(rows, (p) => p.id), type: 'INT32' },
        { name: 'email', data: rows.map((p) => p.email), type: 'STRING' },
        { name: 'card', data: rows.map((p) => p.card), type: 'STRING' },
      ],
    }),
  );
}

async function avroFile(): Promise<Buffer> {
  const type = {
    type: 'record',
    name: 'Person',
    fields: [
      { name: 'id', type: 'int' },
      { name: 'email', type: 'string' },
    ],
  } as avro.Schema;
  const encoder = new avro.streams.BlockEncoder(type, { codec: 'deflate' });
  const chunks: Buffer[] = [];
  encoder.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise((r) => encoder.on('end', r));
  people.forEach((p) => encoder.write({ id: p.id, email: p.email }));
  encoder.end();
  await ended;
  return Buffer.concat(chunks);
}

async function collect(iterable: AsyncIterable<ScannedAsset>): Promise<ScannedAsset[]> {
  const out: ScannedAsset[] = [];
  for await (const asset of iterable) out.push(asset);
  return out;
}

const columnsOf = (assets: ScannedAsset[], file: string) =>
  assets
    .filter((a) => a.typeName === 'column' && String(a.attributes.qualifiedName).startsWith(`${BASE}/mixed/${file}#`))
    .map((a) => [a.attributes.name, a.attributes.type, a.classifications?.map((c) => c.typeName) ?? []]);

describe('runScan over a container of mixed formats', () => {
  it("reads each format with its reader, keeps typed formats' types, and goes on past bad files", async () => {
    const csv = ['id,email,card', ...people.map((p) => `${p.id},${p.email},${p.card}`)].join('\n');
    const connector = new MemoryConnector({
      mixed: {
        'people.parquet': parquet(),
        'people.avro': await avroFile(),
        'people.json': JSON.stringify(people.map((p) => ({ id: p.id, contact: { email: p.email } }))),
        'people.xml': `<people>${people.map((p) => `<person id="${p.id}"><email>${p.email}</email></person>`).join('')}</people>`,
        'people.csv.gz': zlib.gzipSync(csv),
        'notes.txt': 'free text',
        // Written by Apache ORC (its own test files: test-fixtures/orc/README.md).
        'events.orc': fs.readFileSync(path.join(ORC_FIXTURES, 'TestOrcFile.testSnappy.orc')),
        'nested.orc': fs.readFileSync(path.join(ORC_FIXTURES, 'TestOrcFile.test1.orc')),
        'broken.orc': Buffer.from('ORC\u0000\u0001'),
        'nested.parquet': Buffer.from(
          parquetWriteBuffer({
            columnData: [
              { name: 'id', data: Int32Array.from([1]) },
              { name: 'tags', data: [['a']] },
            ],
            schema: [
              { name: 'root', num_children: 2 },
              { name: 'id', type: 'INT32', repetition_type: 'REQUIRED' },
              { name: 'tags', repetition_type: 'OPTIONAL', num_children: 1, converted_type: 'LIST' },
              { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
              { name: 'element', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
            ],
          }),
        ),
        'broken.parquet': Buffer.from('PAR1 this is not a parquet file PAR1'),
        'broken.json': '[{"a": ',
      },
    });
    const reports: FileReport[] = [];
    const run = runScan(connector, TARGET, { onFile: (r) => reports.push(r) });
    const assets = await collect(run);
    const byName = Object.fromEntries(reports.map((r) => [r.blobName, r]));

    expect(columnsOf(assets, 'people.parquet')).toEqual([
      ['id', 'INT32', []],
      ['email', 'UTF8', [EMAIL_CLASSIFICATION]],
      ['card', 'UTF8', [CREDIT_CARD_CLASSIFICATION]],
    ]);
    expect(columnsOf(assets, 'people.avro')).toEqual([
      ['id', 'int', []],
      ['email', 'string', [EMAIL_CLASSIFICATION]],
    ]);
    expect(columnsOf(assets, 'people.json')).toEqual([
      ['id', 'integer', []],
      ['contact.email', 'string', [EMAIL_CLASSIFICATION]],
    ]);
    expect(columnsOf(assets, 'people.xml')).toEqual([
      ['email', 'string', [EMAIL_CLASSIFICATION]],
      ['@id', 'string', []],
    ]);
    // ORC: the schema from the footer, typed; rows are not sampled, so no classifications.
    expect(columnsOf(assets, 'events.orc')).toEqual([
      ['int1', 'int', []],
      ['string1', 'string', []],
    ]);
    expect(columnsOf(assets, 'people.csv.gz')).toEqual([
      ['id', 'string', []],
      ['email', 'string', [EMAIL_CLASSIFICATION]],
      ['card', 'string', [CREDIT_CARD_CLASSIFICATION]],
    ]);
    // Every file is an azure_blob_path with its schema, as Purview has them; classifications roll up to the file.
    const parquetBlob = assets.find((a) => a.attributes.qualifiedName === `${BASE}/mixed/people.parquet`)!;
    expect(parquetBlob).toMatchObject({
      typeName: 'azure_blob_path',
      attributes: { name: 'people.parquet', path: '/mixed/people.parquet' },
    });
    expect(parquetBlob.relationshipAttributes?.tabular_schema).toEqual({
      typeName: 'tabular_schema',
      uniqueAttributes: { qualifiedName: `${BASE}/mixed/people.parquet#__tabular_schema` },
    });
    expect(parquetBlob.classifications?.map((c) => c.typeName)).toEqual([
      EMAIL_CLASSIFICATION,
      CREDIT_CARD_CLASSIFICATION,
    ]);

    expect(Object.fromEntries(reports.map((r) => [r.blobName, [r.format, r.status]]))).toEqual({
      'broken.json': ['JSON', 'failed'],
      'broken.parquet': ['PARQUET', 'failed'],
      'broken.orc': ['ORC', 'failed'],
      'events.orc': ['ORC', 'scanned'],
      'nested.orc': ['ORC', 'unsupported'],
      'nested.parquet': ['PARQUET', 'unsupported'],
      'notes.txt': ['TXT', 'unsupported'],
      'people.avro': ['AVRO', 'scanned'],
      'people.csv.gz': ['GZIP', 'scanned'],
      'people.json': ['JSON', 'scanned'],
      'people.parquet': ['PARQUET', 'scanned'],
      'people.xml': ['XML', 'scanned'],
    });
    expect(byName['nested.parquet'].reason).toBe(
      'Complex types are not supported for schema extraction (as in Purview): tags (LIST)',
    );
    expect(byName['nested.orc'].reason).toBe(
      'Complex types are not supported for schema extraction (as in Purview): middle (struct), list (array), map (map)',
    );
    expect(byName['broken.orc'].reason).toMatch(/^Not an ORC file/);
    expect(byName['broken.parquet'].reason).toMatch(/^Cannot read the Parquet footer/);
    // Files without a schema are still emitted, with basic metadata only.
    for (const name of ['nested.parquet', 'notes.txt', 'nested.orc', 'broken.orc', 'broken.parquet', 'broken.json']) {
      const blob = assets.find((a) => a.attributes.qualifiedName === `${BASE}/mixed/${name}`)!;
      expect(blob.relationshipAttributes?.tabular_schema).toBeUndefined();
    }
    expect(run.stats).toMatchObject({ blobsListed: 12, assetsFailed: 3, assetsClassified: 5 });
    expect(run.failures.map((f) => f.qualifiedName).sort()).toEqual([
      `${BASE}/mixed/broken.json`,
      `${BASE}/mixed/broken.orc`,
      `${BASE}/mixed/broken.parquet`,
    ]);
  });

  it('reads a Parquet file by ranges: footer and the first row group, not the whole file', async () => {
    const many = Array.from({ length: 200_000 }, (_, i) => ({
      id: i,
      email: `user${i}@contoso.com`,
      card: String(1e15 + i),
      city: '',
    }));
    const content = parquet(5_000, many);
    const counting = new CountingConnector(new MemoryConnector({ mixed: { 'big.parquet': content } }));
    const run = runScan(counting, TARGET);
    const assets = await collect(run);
    expect(columnsOf(assets, 'big.parquet').map(([name, , classes]) => [name, classes])).toEqual([
      ['id', []],
      ['email', [EMAIL_CLASSIFICATION]],
      ['card', []],
    ]);
    expect(content.length).toBeGreaterThan(2 * 1024 * 1024);
    expect(counting.bytesRead).toBeLessThan(content.length / 20);
    expect(run.stats.bytesRead).toBe(counting.bytesRead);
  });
});

import { resourceSetDisplayName, resourceSetOf } from './resource-set-patterns';

describe('resource-set pattern rules', () => {
  it.each([
    // Learn's own examples
    ['machinesets/23/foo.parquet', 'machinesets/{N}/foo.parquet'],
    ['weblogs/en_au/23.json', 'weblogs/{LOC}/{N}.json'],
    ['sample-data/data17.csv', 'sample-data/data{N}.csv'],
    // numbers, GUIDs, hex
    ['logs/data_001.csv', 'logs/data_{N}.csv'],
    ['archive/data.2024.csv', 'archive/data.{N}.csv'],
    ['runs/3f2504e0-4f89-11d3-9a0c-0305e82c3301/out.avro', 'runs/{GUID}/out.avro'],
    ['runs/3F2504E0-4F89-11D3-9A0C-0305E82C3301.json', 'runs/{GUID}.json'],
    ['shards/a1b2/items.json', 'shards/{HEX}/items.json'],
    ['shards/beef/items.json', undefined],
    // dates spread over folders, with time folders
    ['logs/2024/05/01/app.csv', 'logs/{Year}/{Month}/{Day}/app.csv'],
    ['logs/2024/05/01/13/app.csv', 'logs/{Year}/{Month}/{Day}/{Hour}/app.csv'],
    ['logs/2024/05/01/13/45/09/app.csv', 'logs/{Year}/{Month}/{Day}/{Hour}/{Minute}/{Second}/app.csv'],
    ['logs/2024/13/01/app.csv', 'logs/{N}/{N}/{N}/app.csv'],
    // date formats inside a segment
    ['daily/sales_2024-05-01.csv', 'daily/sales_{Year}-{Month}-{Day}.csv'],
    ['daily/2024_05_01/part.csv', 'daily/{Year}_{Month}_{Day}/part.csv'],
    ['daily/20240501.tsv', 'daily/{Year}{Month}{Day}.tsv'],
    ['daily/20241301.tsv', 'daily/{N}.tsv'],
    ['ts/2024-05-01T13:45:09.json', 'ts/{Year}-{Month}-{Day}T{Hour}:{Minute}:{Second}.json'],
    ['ts/events_2024-05-01_13-45.json', 'ts/events_{Year}-{Month}-{Day}_{Hour}-{Minute}.json'],
    // locales: only real language tags, only as a whole segment
    ['site/de-DE/page.xml', 'site/{LOC}/page.xml'],
    ['site/my_db/page.xml', undefined],
    // Spark output: the part file is the set
    [
      'out/name-of-spark-output/part-00000-3f2504e0-4f89-11d3-9a0c-0305e82c3301-c000.snappy.parquet',
      'out/name-of-spark-output/{SparkPartitions}',
    ],
    // extensions keep their digits; compressed delimited files stay grouped
    ['data/file.bz2', undefined],
    ['data/chunk7.csv.gz', 'data/chunk{N}.csv.gz'],
    // no pattern, and documents are never grouped
    ['crm/customers.csv', undefined],
    ['reports/2024/q1.pdf', undefined],
    ['reports/report-2024.docx', undefined],
  ])('%s → %s', (name, expected) => {
    expect(resourceSetOf(name)?.pattern).toBe(expected);
  });

  it('gives the literal prefix every member starts with', () => {
    expect(resourceSetOf('logs/2024/05/01/app.csv')?.literalPrefix).toBe('logs/');
    expect(resourceSetOf('sample-data/data17.csv')?.literalPrefix).toBe('sample-data/data');
    expect(resourceSetOf('2024/05/01/x.csv')?.literalPrefix).toBe('');
  });

  it.each([
    ['sample-data/data{N}.csv', 'data'],
    ['name-of-spark-output/{SparkPartitions}', 'name of spark output'],
    ['my-partitioned-data/{Year}-{Month}-{Day}/{N}-{N}-{N}-{N}/{GUID}', 'my partitioned data'],
    ['logs/{Year}/{Month}/{Day}/app.csv', 'app'],
    ['machinesets/{N}/{N}.parquet', 'machinesets'],
  ])('names %s "%s"', (pattern, name) => {
    expect(resourceSetDisplayName(pattern)).toBe(name);
  });
});

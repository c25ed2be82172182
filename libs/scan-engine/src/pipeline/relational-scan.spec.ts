import type { DatabaseScanSource, ScannedAsset, ScanJobRuleset } from '@purview-emulator/contracts';
import {
  type DatabaseServer,
  EMPLOYEE_ID_PATTERN,
  MARIADB_MISSING,
  mariadbBinaries,
  SAMPLE_DATABASE,
  seedMysqlSample,
  seedPostgresSample,
  startMariadb,
  startPostgres,
  type TempDir,
  tempDir,
} from '@purview-emulator/testing';
import { Client } from 'pg';
import { DatabaseError } from '../connectors';
import { CREDIT_CARD_CLASSIFICATION, EMAIL_CLASSIFICATION } from '../classifiers/rules';
import { scanDatabase } from './relational-scan';

jest.setTimeout(120_000);

const RULESET: ScanJobRuleset = {
  name: 'db-rules',
  type: 'Custom',
  version: 1,
  fileExtensions: null,
  customFileExtensions: [],
  excludedSystemClassifications: [],
  customRules: [
    {
      name: 'EmployeeId',
      classificationName: 'CONTOSO.EMPLOYEE_ID',
      dataPatterns: [EMPLOYEE_ID_PATTERN],
      columnPatterns: [],
      minimumPercentageMatch: 60,
      ruleStatus: 'Enabled',
      classificationAction: 'Keep',
    },
  ],
};

function sourceOf(server: DatabaseServer, overrides: Partial<DatabaseScanSource> = {}): DatabaseScanSource {
  return {
    kind: 'Database',
    engine: server.engine,
    dataSourceKind: server.engine === 'mysql' ? 'AzureMySql' : 'AzurePostgreSql',
    serverEndpoint: server.host,
    port: server.port,
    databaseName: SAMPLE_DATABASE,
    tls: 'disable',
    user: server.user,
    password: server.password,
    ...overrides,
  };
}

async function collect(run: AsyncIterable<ScannedAsset>): Promise<ScannedAsset[]> {
  const out: ScannedAsset[] = [];
  for await (const asset of run) out.push(asset);
  return out;
}

const byName = (assets: ScannedAsset[], qualifiedName: string) =>
  assets.find((a) => a.attributes.qualifiedName === qualifiedName);
const classesOf = (asset: ScannedAsset | undefined) => (asset?.classifications ?? []).map((c) => c.typeName).sort();

describe('scanDatabase on PostgreSQL', () => {
  let dir: TempDir;
  let server: DatabaseServer;
  beforeAll(async () => {
    dir = tempDir('pg-scan-');
    server = await startPostgres({ dir: dir.path, password: 'pg-scan-secret' });
    await seedPostgresSample(server);
  });
  afterAll(async () => {
    await server?.stop();
    dir?.remove();
  });

  it('finds the server, database, both schemas, tables, the view and typed columns, classified from a sample', async () => {
    const run = scanDatabase(sourceOf(server), { scanRuleset: RULESET });
    const assets = await collect(run);
    const base = `postgresql://127.0.0.1/${SAMPLE_DATABASE}`;
    expect(assets.slice(0, 2).map((a) => [a.typeName, a.attributes.qualifiedName])).toEqual([
      ['azure_postgresql_server', 'postgresql://127.0.0.1'],
      ['azure_postgresql_db', base],
    ]);
    expect(assets.filter((a) => a.typeName === 'azure_postgresql_schema').map((a) => a.attributes.name)).toEqual([
      'hr',
      'public',
    ]);
    const tables = assets.filter((a) => a.typeName === 'azure_postgresql_table').map((a) => a.attributes.qualifiedName);
    expect(tables).toEqual([`${base}/hr/employees`, `${base}/public/customers`, `${base}/public/payments`]);
    const view = byName(assets, `${base}/public/customer_contacts`);
    expect(view?.typeName).toBe('azure_postgresql_view');
    expect(view?.relationshipAttributes?.dbSchema).toEqual({
      typeName: 'azure_postgresql_schema',
      uniqueAttributes: { qualifiedName: `${base}/public` },
    });

    const id = byName(assets, `${base}/public/customers#id`);
    expect(id).toMatchObject({
      typeName: 'azure_postgresql_table_column',
      attributes: { name: 'id', data_type: 'integer', isNullable: false, isPrimaryKey: true, position: 1 },
      relationshipAttributes: {
        table: { typeName: 'azure_postgresql_table', uniqueAttributes: { qualifiedName: `${base}/public/customers` } },
      },
    });
    expect(byName(assets, `${base}/public/customers#name`)?.attributes).toMatchObject({
      data_type: 'character varying(120)',
      isNullable: false,
      isPrimaryKey: false,
    });
    expect(classesOf(byName(assets, `${base}/public/customers#email`))).toEqual([EMAIL_CLASSIFICATION]);
    expect(classesOf(byName(assets, `${base}/public/customer_contacts#email`))).toEqual([EMAIL_CLASSIFICATION]);
    expect(byName(assets, `${base}/public/customer_contacts#email`)?.typeName).toBe('azure_postgresql_view_column');
    expect(classesOf(byName(assets, `${base}/public/payments#card_number`))).toEqual([CREDIT_CARD_CLASSIFICATION]);
    expect(classesOf(byName(assets, `${base}/hr/employees#employee_id`))).toEqual(['CONTOSO.EMPLOYEE_ID']);
    expect(classesOf(byName(assets, `${base}/public/customers#name`))).toEqual([]);
    // Rolled up to the table; row counts from the server's statistics.
    expect(classesOf(byName(assets, `${base}/public/payments`))).toEqual([CREDIT_CARD_CLASSIFICATION]);
    expect(byName(assets, `${base}/public/payments`)?.attributes.rowCount).toBe(24);

    expect(run.stats).toMatchObject({ tablesListed: 4, tablesSampled: 4, assetsFailed: 0, tablesUnchanged: 0 });
    // server, db, 2 schemas, 3 tables, 1 view (columns are not counted)
    expect(run.stats.assetsDiscovered).toBe(8);
    expect(run.stats.assetsClassified).toBe(4);
  });

  it('without the custom rule the employee ids stay unclassified', async () => {
    const assets = await collect(scanDatabase(sourceOf(server)));
    expect(classesOf(byName(assets, `postgresql://127.0.0.1/${SAMPLE_DATABASE}/hr/employees#employee_id`))).toEqual([]);
  });

  it('scopes the scan to schemas and tables', async () => {
    const assets = await collect(scanDatabase(sourceOf(server, { schemas: ['public'], tables: ['payments'] })));
    expect(assets.filter((a) => !a.typeName.endsWith('_column')).map((a) => a.attributes.name)).toEqual([
      '127.0.0.1',
      SAMPLE_DATABASE,
      'public',
      'payments',
    ]);
  });

  it("scopes the scan by the scan's filter on qualified names", async () => {
    const base = `postgresql://127.0.0.1/${SAMPLE_DATABASE}`;
    const assets = await collect(
      scanDatabase(sourceOf(server), {
        filter: { includeUriPrefixes: [`${base}/public/`], excludeUriPrefixes: [`${base}/public/customer`] },
      }),
    );
    expect(
      assets.filter((a) => a.typeName === 'azure_postgresql_table' || a.typeName === 'azure_postgresql_view'),
    ).toEqual([expect.objectContaining({ attributes: expect.objectContaining({ name: 'payments' }) })]);
  });

  it('an incremental scan re-samples only tables whose definition changed', async () => {
    const first = await collect(scanDatabase(sourceOf(server)));
    const previousDefinitions = Object.fromEntries(
      first
        .filter((a) => typeof a.attributes.schemaDefinitionHash === 'string')
        .map((a) => [a.attributes.qualifiedName, a.attributes.schemaDefinitionHash as string]),
    );
    const admin = new Client({ ...server, database: SAMPLE_DATABASE });
    await admin.connect();
    await admin.query('ALTER TABLE public.customers ADD COLUMN phone text');
    await admin.end();
    const run = scanDatabase(sourceOf(server, { previousDefinitions }));
    const second = await collect(run);
    expect(run.stats).toMatchObject({ tablesListed: 4, tablesSampled: 1, tablesUnchanged: 3 });
    expect(second.filter((a) => a.typeName === 'azure_postgresql_table').map((a) => a.attributes.name)).toEqual([
      'customers',
    ]);
    expect(byName(second, `postgresql://127.0.0.1/${SAMPLE_DATABASE}/public/customers#phone`)).toBeDefined();
  });

  it('a table it may not read is a per-asset failure, not a failed scan', async () => {
    const admin = new Client({ ...server, database: SAMPLE_DATABASE });
    await admin.connect();
    await admin.query(`CREATE ROLE reader LOGIN PASSWORD 'reader-pw'; GRANT USAGE ON SCHEMA hr TO reader;
      GRANT SELECT ON ALL TABLES IN SCHEMA public TO reader;`);
    await admin.end();
    const run = scanDatabase(sourceOf(server, { user: 'reader', password: 'reader-pw' }));
    const assets = await collect(run);
    expect(run.stats.assetsFailed).toBe(1);
    expect(run.failures).toEqual([
      {
        qualifiedName: `postgresql://127.0.0.1/${SAMPLE_DATABASE}/hr/employees`,
        reason: expect.stringContaining('permission denied'),
      },
    ]);
    expect(byName(assets, `postgresql://127.0.0.1/${SAMPLE_DATABASE}/hr/employees#employee_id`)).toBeDefined();
  });

  it('a wrong password, an unknown database and a server that is not there fail with their codes', async () => {
    const failure = async (overrides: Partial<DatabaseScanSource>) =>
      collect(scanDatabase(sourceOf(server, overrides))).then(
        () => undefined,
        (error: unknown) => error,
      );
    const wrong = await failure({ password: 'not-the-password' });
    expect(wrong).toBeInstanceOf(DatabaseError);
    expect(wrong).toMatchObject({ code: 'AuthenticationFailed', retryable: false });
    expect((wrong as Error).message).not.toContain('not-the-password');
    expect(await failure({ databaseName: 'nowhere' })).toMatchObject({ code: 'DatabaseNotFound' });
    expect(await failure({ port: 1 })).toMatchObject({ code: 'SourceUnreachable', retryable: true });
  });
});

const maria = mariadbBinaries();
(maria ? describe : describe.skip)('scanDatabase on MariaDB', () => {
  let dir: TempDir;
  let server: DatabaseServer;
  beforeAll(async () => {
    dir = tempDir('mariadb-scan-');
    server = await startMariadb({ dir: dir.path, password: 'my-scan-secret' });
    await seedMysqlSample(server);
  });
  afterAll(async () => {
    await server?.stop();
    dir?.remove();
  });

  it('finds the server, database, tables, the view and typed columns, classified', async () => {
    const run = scanDatabase(sourceOf(server), { scanRuleset: RULESET });
    const assets = await collect(run);
    const base = `mysql://127.0.0.1/${SAMPLE_DATABASE}`;
    expect(assets.filter((a) => !a.typeName.endsWith('_column')).map((a) => [a.typeName, a.attributes.name])).toEqual([
      ['azure_mysql_server', '127.0.0.1'],
      ['azure_mysql_db', SAMPLE_DATABASE],
      // In the server's collation order.
      ['azure_mysql_table', 'customers'],
      ['azure_mysql_view', 'customer_contacts'],
      ['azure_mysql_table', 'employees'],
      ['azure_mysql_table', 'payments'],
    ]);
    expect(byName(assets, `${base}/customers#id`)).toMatchObject({
      typeName: 'azure_mysql_table_column',
      attributes: { data_type: 'int(11)', isPrimaryKey: true, isNullable: false },
      relationshipAttributes: { table: { uniqueAttributes: { qualifiedName: `${base}/customers` } } },
    });
    expect(byName(assets, `${base}/customers`)?.relationshipAttributes?.db).toEqual({
      typeName: 'azure_mysql_db',
      uniqueAttributes: { qualifiedName: base },
    });
    expect(classesOf(byName(assets, `${base}/customers#email`))).toEqual([EMAIL_CLASSIFICATION]);
    expect(classesOf(byName(assets, `${base}/payments#card_number`))).toEqual([CREDIT_CARD_CLASSIFICATION]);
    expect(classesOf(byName(assets, `${base}/employees#employee_id`))).toEqual(['CONTOSO.EMPLOYEE_ID']);
    expect(run.stats).toMatchObject({ tablesListed: 4, tablesSampled: 4, assetsFailed: 0 });
  });

  it('a wrong password and an unknown database fail with their codes', async () => {
    const failure = (overrides: Partial<DatabaseScanSource>) =>
      collect(scanDatabase(sourceOf(server, overrides))).then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(await failure({ password: 'nope' })).toMatchObject({ code: 'AuthenticationFailed' });
    expect(await failure({ databaseName: 'nowhere' })).toMatchObject({ code: 'DatabaseNotFound' });
  });
});
if (!maria) it.skip(`scanDatabase on MariaDB: skipped, ${MARIADB_MISSING}`, () => undefined);

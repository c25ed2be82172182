import type { DatabaseScanSource } from '@purview-emulator/contracts';
import {
  type DatabaseServer,
  SAMPLE_DATABASE,
  seedPostgresSample,
  startPostgres,
  type TempDir,
  tempDir,
} from '@purview-emulator/testing';
import { browseDatabase, previewDatabaseSchema, testDatabaseConnection } from './database-authoring';
import { handleInteractiveRequest } from './interactive-handler';

jest.setTimeout(120_000);

describe('interactive authoring of a PostgreSQL source', () => {
  let dir: TempDir;
  let server: DatabaseServer;
  let source: DatabaseScanSource;
  beforeAll(async () => {
    dir = tempDir('pg-authoring-');
    server = await startPostgres({ dir: dir.path, password: 'authoring-pw' });
    await seedPostgresSample(server);
    source = {
      kind: 'Database',
      engine: 'postgresql',
      dataSourceKind: 'AzurePostgreSql',
      serverEndpoint: server.host,
      port: server.port,
      databaseName: SAMPLE_DATABASE,
      tls: 'disable',
      user: server.user,
      password: 'authoring-pw',
      credentialSource: "credential 'pg'",
    };
  });
  afterAll(async () => {
    await server?.stop();
    dir?.remove();
  });

  it('tests the connection: ok, a bad password naming the credential, an unknown database, no server', async () => {
    expect(await testDatabaseConnection(source, { nodeName: 'n1' })).toEqual(
      expect.objectContaining({ succeeded: true, nodeName: 'n1' }),
    );
    const bad = await testDatabaseConnection({ ...source, password: 'wrong-pw' });
    expect(bad).toEqual(expect.objectContaining({ succeeded: false, code: 'AuthenticationFailed' }));
    expect(bad.message).toContain("credential 'pg'");
    expect(bad.message).not.toContain('wrong-pw');
    expect(await testDatabaseConnection({ ...source, databaseName: 'nowhere' })).toEqual(
      expect.objectContaining({ succeeded: false, code: 'DatabaseNotFound' }),
    );
    expect(await testDatabaseConnection({ ...source, port: 1 })).toEqual(
      expect.objectContaining({ succeeded: false, code: 'SourceUnreachable' }),
    );
  });

  it('browses databases, then schemas, then tables and views', async () => {
    const databases = await browseDatabase(source, '');
    expect(databases.items.map((i) => i.name)).toEqual(expect.arrayContaining(['postgres', SAMPLE_DATABASE]));
    const schemas = await browseDatabase(source, SAMPLE_DATABASE);
    expect(schemas.items.map((i) => [i.type, i.path])).toEqual([
      ['Schema', `${SAMPLE_DATABASE}/hr`],
      ['Schema', `${SAMPLE_DATABASE}/public`],
    ]);
    const tables = await browseDatabase(source, `${SAMPLE_DATABASE}/public`);
    expect(tables.items.map((i) => [i.type, i.name])).toEqual([
      ['View', 'customer_contacts'],
      ['Table', 'customers'],
      ['Table', 'payments'],
    ]);
    expect(tables.items[2].qualifiedName).toBe(`postgresql://127.0.0.1/${SAMPLE_DATABASE}/public/payments`);
  });

  it("previews a table's columns and types; an unknown table is 404", async () => {
    const preview = await previewDatabaseSchema(source, `${SAMPLE_DATABASE}/public/payments`);
    expect(preview.kind).toBe('Table');
    expect(preview.columns[0]).toEqual({
      name: 'payment_id',
      type: 'bigint',
      isNullable: false,
      isPrimaryKey: true,
    });
    expect(preview.columns.map((c) => c.type)).toEqual(['bigint', 'integer', 'character(16)', 'numeric(10,2)']);
    await expect(previewDatabaseSchema(source, `${SAMPLE_DATABASE}/public/nope`)).rejects.toMatchObject({
      status: 404,
      code: 'PathNotFound',
    });
    await expect(previewDatabaseSchema(source, SAMPLE_DATABASE)).rejects.toMatchObject({ code: 'InvalidPath' });
  });

  it('is what the node answers to interactive requests carrying a Database source', async () => {
    const browse = await handleInteractiveRequest(
      { method: 'POST', path: '/interactive/browse', body: { source, path: `${SAMPLE_DATABASE}/hr` } },
      { nodeName: 'n1' },
    );
    expect(browse.status).toBe(200);
    expect(JSON.parse(browse.body)).toEqual(
      expect.objectContaining({ nodeName: 'n1', items: [expect.objectContaining({ name: 'employees' })] }),
    );
    const test = await handleInteractiveRequest({
      method: 'POST',
      path: '/interactive/testConnection',
      body: { source: { ...source, password: 'wrong-pw' } },
    });
    expect(JSON.parse(test.body)).toEqual(expect.objectContaining({ succeeded: false, code: 'AuthenticationFailed' }));
    expect(test.body).not.toContain('wrong-pw');
  });
});

import { Client } from 'pg';
import { createConnection } from 'mysql2/promise';
import { type DatabaseServer, MARIADB_MISSING, mariadbBinaries, startMariadb, startPostgres } from './database-servers';
import { type TempDir, tempDir } from './temp-dir';

jest.setTimeout(120_000);

describe('startPostgres', () => {
  let dir: TempDir;
  let server: DatabaseServer | undefined;
  beforeAll(() => (dir = tempDir('pg-server-')));
  afterAll(async () => {
    await server?.stop();
    dir.remove();
  });

  it('runs a real PostgreSQL on loopback that accepts its password and refuses another', async () => {
    server = await startPostgres({ dir: dir.path, password: 's3cret-pg' });
    const client = new Client({ host: server.host, port: server.port, user: server.user, password: 's3cret-pg' });
    await client.connect();
    const { rows } = await client.query<{ version: string }>('select version() as version');
    await client.end();
    expect(rows[0].version).toMatch(/^PostgreSQL \d+/);
    const wrong = new Client({ host: server.host, port: server.port, user: server.user, password: 'nope' });
    await expect(wrong.connect()).rejects.toThrow(/password authentication failed/);
    await server.stop();
    const after = new Client({ host: server.host, port: server.port, user: server.user, password: 's3cret-pg' });
    await expect(after.connect()).rejects.toThrow(/ECONNREFUSED/);
  });
});

const maria = mariadbBinaries();
(maria ? describe : describe.skip)('startMariadb', () => {
  let dir: TempDir;
  let server: DatabaseServer | undefined;
  beforeAll(() => (dir = tempDir('mariadb-server-')));
  afterAll(async () => {
    await server?.stop();
    dir.remove();
  });

  it('runs a private MariaDB on loopback with a password login', async () => {
    server = await startMariadb({ dir: dir.path, password: 's3cret-my' });
    const connection = await createConnection({
      host: server.host,
      port: server.port,
      user: server.user,
      password: 's3cret-my',
    });
    const [rows] = await connection.query('select version() as v');
    await connection.end();
    expect((rows as { v: string }[])[0].v).toMatch(/\d+\.\d+/);
    await expect(
      createConnection({ host: server.host, port: server.port, user: server.user, password: 'nope' }),
    ).rejects.toThrow(/Access denied/);
  });
});
if (!maria) it.skip(`startMariadb: skipped, ${MARIADB_MISSING}`, () => undefined);

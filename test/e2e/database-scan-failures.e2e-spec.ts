import * as path from 'node:path';
import { Client } from 'pg';
import { type ScanResultWithIngestion, ScanNotificationCode } from '@purview-emulator/contracts';
import {
  type DatabaseServer,
  pollUntil,
  SAMPLE_DATABASE,
  seedPostgresSample,
  startPostgres,
} from '@purview-emulator/testing';
import { putKeyVaultConnection, putSqlCredential } from './database-fixtures';
import { secretClientOf } from './key-vault';
import { TestStack } from './harness';

const PG_PASSWORD = 'pg-fail-Secret-3131';
const READER_PASSWORD = 'reader-fail-Secret-8686';

/**
 * Database scans that meet trouble, on real processes (a real PostgreSQL, the emulator, a `shir` node): a server
 * stopped while the scan is reading fails the run with a reason, and once the server is back a new run succeeds; a
 * table the login may not read is a per-asset error and the run ends CompletedWithExceptions naming it. No password
 * appears in any output.
 */
describe('database scans that meet trouble', () => {
  const stack = new TestStack();
  const pgDir = () => path.join(stack.dataDir, 'pg');
  let postgres: DatabaseServer;

  const admin = async <T>(work: (client: Client) => Promise<T>): Promise<T> => {
    const client = new Client({ ...postgres, database: SAMPLE_DATABASE });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  };

  const finished = (scan: string, runId: string) =>
    pollUntil(
      async () => {
        const result = await stack.client.scan<ScanResultWithIngestion>(
          'GET',
          `/datasources/fail-pg/scans/${scan}/runs/${runId}`,
        );
        return ['Succeeded', 'Failed', 'Canceled', 'CompletedWithExceptions'].includes(result.status)
          ? result
          : undefined;
      },
      // A failed part waits retryDelaySeconds before each new attempt: minutes on a busy machine.
      { timeoutMs: 300_000, intervalMs: 200, description: `run ${runId} of ${scan} to end` },
    );
  const run = async (scan: string) => finished(scan, await stack.client.runScan('fail-pg', scan));

  beforeAll(async () => {
    await stack.start();
    postgres = await startPostgres({ dir: pgDir(), password: PG_PASSWORD });
    await seedPostgresSample(postgres);
    await admin((c) =>
      c.query(`CREATE ROLE reader LOGIN PASSWORD '${READER_PASSWORD}'; GRANT USAGE ON SCHEMA hr TO reader;
        GRANT SELECT ON ALL TABLES IN SCHEMA public, hr TO reader; REVOKE SELECT ON public.payments FROM reader;`),
    );
    await stack.startRuntimeNode('fail-shir', 'fail-node');
    await stack.waitOnline('fail-shir');
    const secrets = secretClientOf(stack);
    await secrets.setSecret('pg-password', PG_PASSWORD);
    await secrets.setSecret('reader-password', READER_PASSWORD);
    await putKeyVaultConnection(stack, 'fail-kv');
    await putSqlCredential(stack, 'pg-cred', 'pg-password', postgres.user, 'fail-kv');
    await putSqlCredential(stack, 'reader-cred', 'reader-password', 'reader', 'fail-kv');
    await stack.client.scan('PUT', '/datasources/fail-pg', {
      kind: 'AzurePostgreSql',
      properties: { serverEndpoint: postgres.host, port: postgres.port },
    });
    for (const [scan, credential] of [
      ['full-scan', 'pg-cred'],
      ['reader-scan', 'reader-cred'],
    ])
      await stack.client.scan('PUT', `/datasources/fail-pg/scans/${scan}`, {
        kind: 'AzurePostgreSqlCredential',
        properties: {
          databaseName: SAMPLE_DATABASE,
          credential: { referenceName: credential, credentialType: 'SqlAuth' },
          connectedVia: { referenceName: 'fail-shir' },
        },
      });
  }, 180_000);

  afterAll(async () => {
    await postgres?.stop();
    await stack.stop();
  });

  it('fails the run with a reason when the server stops mid-scan, and succeeds once it is back', async () => {
    // A lock holds the scan's sample query of payments, so the server is stopped while the scan is surely reading.
    const locker = new Client({ ...postgres, database: SAMPLE_DATABASE });
    await locker.connect();
    locker.on('error', () => undefined); // the server going away ends this session too
    await locker.query('BEGIN; LOCK TABLE public.payments IN ACCESS EXCLUSIVE MODE');
    const runId = await stack.client.runScan('fail-pg', 'full-scan');
    await pollUntil(
      () =>
        admin(async (c) => {
          const waiting = await c.query(
            `SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query ILIKE '%payments%'`,
          );
          return waiting.rowCount ? true : undefined;
        }),
      { timeoutMs: 60_000, description: "the scan's sample query of payments waiting on the lock" },
    );
    await postgres.stop();
    const failed = await finished('full-scan', runId);
    expect(failed.status).toBe('Failed');
    expect(failed.error?.code).toBe('SourceUnreachable');
    expect(failed.errorMessage).toContain(`127.0.0.1:${postgres.port}/${SAMPLE_DATABASE}`);

    // The same data directory and port: the server is back with its data.
    postgres = await startPostgres({ dir: pgDir(), port: postgres.port, password: PG_PASSWORD });
    const again = await run('full-scan');
    expect(again.error ?? null).toBeNull();
    expect(again.status).toBe('Succeeded');
    expect(again.assetsDiscovered).toBe(8); // server, database, 2 schemas, 3 tables, 1 view
  }, 600_000);

  it('ends CompletedWithExceptions, naming the table, when the login may not read one table', async () => {
    const result = await run('reader-scan');
    // The run's status is the spec's (no CompletedWithExceptions there); its discovery says the run was partial.
    expect(result.status).toBe('Succeeded');
    expect(result.discoveryExecutionDetails?.status).toBe('CompletedWithExceptions');
    expect(result.discoveryExecutionDetails?.statistics?.assets?.failed).toBe(1);
    const notRead = result.diagnostics?.notifications?.filter((n) => n.code === ScanNotificationCode.FileNotRead);
    expect(notRead?.map((n) => n.message)).toEqual([
      expect.stringMatching(
        new RegExp(`postgresql://127\\.0\\.0\\.1/${SAMPLE_DATABASE}/public/payments.*permission denied`),
      ),
    ]);
    // Its columns were still found (from the catalog), only not classified.
    const card = await stack.client.dataMap<{ entity: { classifications?: unknown[] } }>(
      'GET',
      `/atlas/v2/entity/uniqueAttribute/type/azure_postgresql_table_column?attr:qualifiedName=${encodeURIComponent(`postgresql://127.0.0.1/${SAMPLE_DATABASE}/public/payments#card_number`)}`,
    );
    expect(card.entity).toBeDefined();
  });

  it('never shows a password in any output of the emulator or the node, nor in the runs', async () => {
    const runs = await stack.client.scan('GET', '/datasources/fail-pg/scans/full-scan/runs');
    const everything = [stack.allOutput(), JSON.stringify(runs)].join('\n');
    for (const password of [PG_PASSWORD, READER_PASSWORD]) expect(everything).not.toContain(password);
  });
});

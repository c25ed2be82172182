import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DataSource } from 'typeorm';
import { MIGRATIONS } from './index';
import { ScanRunJobsSchema1764300000002 } from './1764300000002-scan-run-jobs';

const T = '2026-01-01T00:00:00.000Z';

function open(file: string, migrations: typeof MIGRATIONS): DataSource {
  return new DataSource({
    type: 'better-sqlite3',
    database: file,
    migrations,
    migrationsTransactionMode: 'each',
    prepareDatabase: (db: { pragma(sql: string): unknown }) => void db.pragma('foreign_keys = ON'),
  });
}

function runRow(id: string, seq: number, status: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    seq,
    scan_id: 'scan-1',
    data_source_name: 'ds',
    scan_name: 'scan',
    data_source_kind: 'AzureStorage',
    endpoint: 'https://devstoreaccount1.blob.core.windows.net/',
    scan_ruleset_name: 'AzureStorage',
    scan_ruleset_type: 'System',
    scan_level: 'Full',
    integration_runtime_name: 'shir',
    status,
    discovery_status: 'Queued',
    ingestion_status: 'Queued',
    queued_time: T,
    attempt: 1,
    nodes: '[]',
    assets_discovered: 0,
    assets_classified: 0,
    assets_failed: 0,
    batches_uploaded: 0,
    batch_count: null,
    batches_ingested: 0,
    ingested_assets_succeeded: 0,
    ingested_assets_failed: 0,
    ingested_relationships: 0,
    notifications: '[]',
    ...extra,
  };
}

describe('migration ScanRunJobsSchema1764300000002', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scan-run-jobs-migration-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('gives each Queued or InProgress run of an existing database one part carrying its lease and counts, and drops the run lease columns', async () => {
    const file = path.join(dir, 'db.sqlite');
    const mine = MIGRATIONS.indexOf(ScanRunJobsSchema1764300000002);
    expect(mine).toBeGreaterThan(0);

    const before = open(file, MIGRATIONS.slice(0, mine));
    await before.initialize();
    await before.runMigrations();
    await before.query(
      `INSERT INTO data_sources VALUES ('ds-1', 'ds', 'AzureStorage', '{}', 'emulator', '${T}', '${T}', '${T}')`,
    );
    await before.query(
      `INSERT INTO scans VALUES ('scan-1', 'ds-1', 'scan', 'AzureStorageMsi', '{}', 'AzureStorage', 'System', 'shir', 'SelfHosted', 'emulator', '${T}', '${T}', '${T}')`,
    );
    const rows = [
      runRow('queued', 1, 'Queued'),
      runRow('leased', 2, 'InProgress', {
        discovery_status: 'Running',
        attempt: 2,
        lease_id: 'l-1',
        lease_expires_at: T,
        lease_node_id: 'n-1',
        lease_node_name: 'node1',
        nodes: '["node1"]',
        assets_discovered: 5,
      }),
      runRow('ingesting', 3, 'InProgress', {
        discovery_status: 'Succeeded',
        completed_lease_id: 'l-2',
        nodes: '["node2"]',
        assets_discovered: 7,
        batch_count: 3,
      }),
      runRow('done', 4, 'Succeeded', { discovery_status: 'Succeeded', batch_count: 0 }),
    ];
    for (const row of rows) {
      await before.query(
        `INSERT INTO scan_runs (${Object.keys(row).join(', ')}) VALUES (${Object.keys(row)
          .map(() => '?')
          .join(', ')})`,
        Object.values(row),
      );
    }
    await before.destroy();

    const after = open(file, MIGRATIONS);
    await after.initialize();
    await after.runMigrations();
    const jobs = await after.query(
      `SELECT id, run_id, part_index, part_count, status, attempt, lease_id, lease_node_name, completed_lease_id, nodes, assets_discovered, batch_count FROM scan_run_jobs ORDER BY run_seq`,
    );
    expect(jobs).toEqual([
      expect.objectContaining({
        id: 'queued',
        run_id: 'queued',
        part_index: 0,
        part_count: 1,
        status: 'Queued',
        attempt: 1,
        lease_id: null,
      }),
      expect.objectContaining({
        id: 'leased',
        run_id: 'leased',
        status: 'Leased',
        attempt: 2,
        lease_id: 'l-1',
        lease_node_name: 'node1',
        nodes: '["node1"]',
        assets_discovered: 5,
        batch_count: null,
      }),
      expect.objectContaining({
        id: 'ingesting',
        run_id: 'ingesting',
        status: 'Completed',
        lease_id: null,
        completed_lease_id: 'l-2',
        assets_discovered: 7,
        batch_count: 3,
      }),
    ]);
    const columns = (await after.query(`PRAGMA table_info(scan_runs)`)).map((c: { name: string }) => c.name);
    expect(columns).not.toContain('lease_id');
    expect(columns).toContain('nodes');

    // Down, through any migration registered after this one.
    for (let i = MIGRATIONS.length - 1; i >= mine; i--) await after.undoLastMigration({ transaction: 'each' });
    expect((await after.query(`SELECT lease_id, lease_node_name FROM scan_runs WHERE id = 'leased'`))[0]).toEqual({
      lease_id: 'l-1',
      lease_node_name: 'node1',
    });
    await after.destroy();
  });
});

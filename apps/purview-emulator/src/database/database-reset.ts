import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { TransactionRunner } from './transaction-runner';
import { KEY_CHECK_SETTING } from './data-directory';

/** Never emptied: the schema's history, the token signing key (tokens stay valid), the encryption key check. */
const ALWAYS_KEPT = new Set(['migrations', 'typeorm_metadata', 'signing_keys']);
/** What `?keep=integrationRuntimes` keeps: the runtimes, their keys, nodes, hybrid connections, interactive authoring. */
export const INTEGRATION_RUNTIME_TABLES = [
  'integration_runtimes',
  'integration_runtime_nodes',
  'relay_hybrid_connections',
  'interactive_authoring',
];

/**
 * Empties every table but those kept, in one transaction, whatever module owns it (a table added later is emptied
 * too). Virtual tables (full-text indexes) and their shadow tables are left to their owners: triggers or a reset hook
 * keep them in step with the tables they index. Foreign keys are checked at commit, when every row is gone.
 */
@Injectable()
export class DatabaseReset {
  constructor(private readonly transactions: TransactionRunner) {}

  /** Rows by table (the same tables a reset empties, all of them), for `/_emulator/info`: what is there. */
  async rowCounts(): Promise<Record<string, number>> {
    return this.transactions.run(async (manager) => {
      const counts: Record<string, number> = {};
      for (const table of await this.dataTables(manager, new Set())) {
        const [{ n }] = await manager.query<{ n: number }[]>(`SELECT COUNT(*) AS n FROM "${table}"`);
        counts[table] = Number(n);
      }
      return counts;
    });
  }

  async emptyTables(keep: readonly string[]): Promise<Record<string, number>> {
    return this.transactions.run(async (manager) => {
      const emptied = await this.dataTables(manager, new Set(keep));
      await manager.query('PRAGMA defer_foreign_keys = ON');
      const deleted: Record<string, number> = {};
      for (const table of emptied) {
        const where = table === 'emulator_settings' ? ` WHERE "key" <> '${KEY_CHECK_SETTING}'` : '';
        const [{ n }] = await manager.query<{ n: number }[]>(`SELECT COUNT(*) AS n FROM "${table}"${where}`);
        await manager.query(`DELETE FROM "${table}"${where}`);
        deleted[table] = Number(n);
      }
      return deleted;
    });
  }

  /** Every table but the kept ones, the always-kept ones and full-text indexes with their shadow tables. */
  private async dataTables(manager: EntityManager, keep: ReadonlySet<string>): Promise<string[]> {
    const tables = await manager.query<{ name: string; sql: string | null }[]>(
      `SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`,
    );
    const virtual = tables.filter((t) => /^CREATE VIRTUAL TABLE/i.test(t.sql ?? '')).map((t) => t.name);
    return tables
      .map((t) => t.name)
      .filter(
        (name) =>
          !ALWAYS_KEPT.has(name) && !keep.has(name) && !virtual.some((v) => name === v || name.startsWith(`${v}_`)),
      );
  }
}

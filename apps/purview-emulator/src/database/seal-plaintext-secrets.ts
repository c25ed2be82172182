import { DataSource } from 'typeorm';
import { DatabaseSecrets, SECRET_COLUMNS, SecretField } from './database-secrets';
import { KEY_CHECK_SETTING, KeyCheck } from './data-directory';

/**
 * Start-up step after the migrations: seals every secret still in plain text (a database written before secrets
 * were encrypted) and records the key check on first use. Idempotent; returns how many values it sealed.
 */
export async function sealPlaintextSecrets(dataSource: DataSource, secrets: DatabaseSecrets): Promise<number> {
  const sealed = await dataSource.transaction(async (manager) => {
    let count = 0;
    for (const { table, id, columns } of SECRET_COLUMNS) {
      const rows = await manager.query<Record<string, string | null>[]>(
        `SELECT "${id}" AS "rowId", ${columns.map((c) => `"${c}"`).join(', ')} FROM "${table}"`,
      );
      for (const row of rows) {
        for (const column of columns) {
          const value = row[column];
          if (value === null || DatabaseSecrets.isSealed(value)) continue;
          const field = `${table}.${column}` as SecretField;
          await manager.query(`UPDATE "${table}" SET "${column}" = ? WHERE "${id}" = ?`, [
            secrets.seal(field, row.rowId!, value),
            row.rowId,
          ]);
          count++;
        }
      }
    }
    const check: KeyCheck = { keySource: secrets.keySource, sealed: secrets.keyCheck() };
    await manager.query(
      `INSERT INTO "emulator_settings" ("key", "value") VALUES (?, ?) ON CONFLICT("key") DO NOTHING`,
      [KEY_CHECK_SETTING, JSON.stringify(check)],
    );
    return count;
  });
  // The plain text stays in the main file until a checkpoint copies the sealed pages over it: do that now, not at exit.
  if (sealed > 0) await dataSource.query('PRAGMA wal_checkpoint(TRUNCATE)');
  return sealed;
}

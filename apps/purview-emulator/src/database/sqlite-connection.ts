import type { Database } from 'better-sqlite3';
import type { DataSource } from 'typeorm';

/**
 * TypeORM's own better-sqlite3 connection (its SQLite drivers have one): a statement prepared on it runs in whatever
 * transaction TypeORM has open there, exactly as a TypeORM query would.
 */
export function sqliteConnection(dataSource: DataSource): Database {
  return (dataSource.driver as unknown as { databaseConnection: Database }).databaseConnection;
}

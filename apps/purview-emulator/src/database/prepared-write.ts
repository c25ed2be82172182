import type { Statement } from 'better-sqlite3';
import type { DataSource, EntityMetadata, EntityTarget, ObjectLiteral } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { sqliteConnection } from './sqlite-connection';

/**
 * Whole-row writes of one entity on a hot path (a scan's ingestion writes thousands of rows per batch) through
 * prepared better-sqlite3 statements of a fixed shape, each prepared once: TypeORM's `insert`/`update` build the
 * query and its parameters again on every call, and that building cost more than SQLite's own work. Values go
 * through TypeORM's column metadata and driver, as TypeORM's writes do. It runs on TypeORM's own connection, so a
 * write made inside a running transaction (TransactionRunner) is part of it, exactly as a TypeORM write there is.
 */
export class PreparedWrite<T extends ObjectLiteral> {
  private readonly statements = new Map<'insert' | 'insertOrIgnore' | 'update', Statement>();
  private metadataOf?: EntityMetadata;
  /** The columns an update sets: all but the primary key's. */
  private updatedColumns?: ColumnMetadata[];

  constructor(
    private readonly dataSource: DataSource,
    private readonly entity: EntityTarget<T>,
  ) {}

  /** Inserts the row; a key that exists already fails as TypeORM's insert does (SQLITE_CONSTRAINT). */
  insert(row: T): void {
    this.statement('insert').run(this.values(this.metadata().columns, row));
  }

  /** Inserts the row unless one with the same key (or another unique value) exists. */
  insertOrIgnore(row: T): void {
    this.statement('insertOrIgnore').run(this.values(this.metadata().columns, row));
  }

  /** Writes every column of the row with the row's primary key. */
  update(row: T): void {
    const metadata = this.metadata();
    this.statement('update').run([...this.values(this.updated(), row), ...this.values(metadata.primaryColumns, row)]);
  }

  private metadata(): EntityMetadata {
    return (this.metadataOf ??= this.dataSource.getMetadata(this.entity));
  }

  private updated(): ColumnMetadata[] {
    return (this.updatedColumns ??= this.metadata().columns.filter((c) => !c.isPrimary));
  }

  private values(columns: readonly ColumnMetadata[], row: T): unknown[] {
    return columns.map((column) => {
      const value = this.dataSource.driver.preparePersistentValue(column.getEntityValue(row), column) as unknown;
      return value === undefined ? null : value;
    });
  }

  /** Prepared on first use (an entity with only key columns has no UPDATE to prepare). */
  private statement(kind: 'insert' | 'insertOrIgnore' | 'update'): Statement {
    let statement = this.statements.get(kind);
    if (!statement) {
      const metadata = this.metadata();
      const quoted = (columns: readonly ColumnMetadata[]) => columns.map((c) => `"${c.databaseName}"`);
      const insert = `INSERT INTO "${metadata.tableName}" (${quoted(metadata.columns).join(', ')}) VALUES (${metadata.columns.map(() => '?').join(', ')})`;
      const sql = {
        insert,
        insertOrIgnore: `${insert} ON CONFLICT DO NOTHING`,
        update: `UPDATE "${metadata.tableName}" SET ${quoted(this.updated())
          .map((c) => `${c} = ?`)
          .join(', ')} WHERE ${quoted(metadata.primaryColumns)
          .map((c) => `${c} = ?`)
          .join(' AND ')}`,
      }[kind];
      statement = sqliteConnection(this.dataSource).prepare(sql);
      this.statements.set(kind, statement);
    }
    return statement;
  }
}

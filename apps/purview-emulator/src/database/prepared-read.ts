import type { Statement } from 'better-sqlite3';
import type { DataSource, EntityMetadata, EntityTarget, ObjectLiteral } from 'typeorm';
import { sqliteConnection } from './sqlite-connection';

/**
 * An entity read on a hot path (an IR's `/status`) through one prepared better-sqlite3 statement, hydrated by
 * TypeORM's own column metadata and driver (types, booleans, transformers): the same entity TypeORM's `find` gives,
 * without building the query and its aliases again on every call. Reads only. It runs on TypeORM's own connection,
 * so it sees exactly what a TypeORM read there would (writes included, committed or in a running transaction).
 */
export class PreparedRead<T extends ObjectLiteral> {
  private statement?: Statement<unknown[], Record<string, unknown>>;
  private metadata?: EntityMetadata;

  /** `where` and `orderBy` are SQL on the table's column names, with `?` parameters. */
  constructor(
    private readonly dataSource: DataSource,
    private readonly entity: EntityTarget<T>,
    private readonly where: string,
    private readonly orderBy?: string,
  ) {}

  one(...params: unknown[]): T | null {
    const row = this.prepared().get(...params);
    return row ? this.hydrate(row) : null;
  }

  all(...params: unknown[]): T[] {
    return this.prepared()
      .all(...params)
      .map((row) => this.hydrate(row));
  }

  private prepared(): Statement<unknown[], Record<string, unknown>> {
    if (!this.statement) {
      this.metadata = this.dataSource.getMetadata(this.entity);
      const connection = sqliteConnection(this.dataSource);
      const sql = `SELECT * FROM "${this.metadata.tableName}" WHERE ${this.where}${this.orderBy ? ` ORDER BY ${this.orderBy}` : ''}`;
      this.statement = connection.prepare<unknown[], Record<string, unknown>>(sql);
    }
    return this.statement;
  }

  private hydrate(row: Record<string, unknown>): T {
    const metadata = this.metadata!;
    const entity = metadata.create() as T;
    for (const column of metadata.columns) {
      if (!(column.databaseName in row)) continue;
      column.setEntityValue(entity, this.dataSource.driver.prepareHydratedValue(row[column.databaseName], column));
    }
    return entity;
  }
}

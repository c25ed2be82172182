import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Statement } from 'better-sqlite3';
import { DataSource, EntityManager } from 'typeorm';
import type { SearchIndexState } from '@purview-emulator/contracts';
import { searchDocumentSql } from '../../database/migrations/1764600000051-search-business-metadata';
import {
  CLASSIFICATION_COUNTS,
  REBUILD_COUNTS_SQL,
  TYPE_COUNTS,
} from '../../database/migrations/1764600000052-search-counts';
import { FLUSH_PENDING_SQL, SEARCH_PENDING } from '../../database/migrations/1764800000011-search-index-pending';
import { sqliteConnection } from '../../database/sqlite-connection';
import { TransactionRunner } from '../../database/transaction-runner';
import { SEARCH_INDEX_TABLE } from './search-keywords';

export type { SearchIndexState } from '@purview-emulator/contracts';

/** The text one entity row (alias `e`) contributes to the index: the expression the latest migration's triggers use. */
const DOCUMENT_SQL = searchDocumentSql('e');

/**
 * Discovery search's full-text index (migration DataMapSearchIndex1764500000021). Triggers on `datamap_entities` queue
 * the rows an entity write changes (SearchIndexPending1764800000011 says why); this class indexes the queue at the end
 * of every transaction, in it, and before a search reads the index (a write made outside a transaction), so a search
 * sees every write. It checks the index at start and rebuilds it from the entity store when it is stale (rows missing
 * or extra, e.g. a database restored from a copy taken without the index).
 */
@Injectable()
export class SearchIndex implements OnModuleInit {
  private readonly logger = new Logger(SearchIndex.name);
  private lastRebuild: SearchIndexState['lastRebuild'] = null;
  private pendingCheck?: Statement<[], { queued: number }>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly transactions: TransactionRunner,
  ) {}

  async onModuleInit(): Promise<void> {
    this.transactions.beforeCommit((manager) => this.flush(manager));
    await this.catchUp();
    if (!(await this.isCurrent())) await this.rebuild('stale at start');
  }

  /** Indexes what is queued (writes made outside a transaction): a search calls it before it reads the index. */
  async catchUp(): Promise<void> {
    if (this.hasPending()) await this.transactions.run((manager) => this.flush(manager));
  }

  /** Indexes the queued rows in the caller's transaction (nothing to do for most transactions: one indexed lookup). */
  private async flush(manager: EntityManager): Promise<void> {
    if (!this.hasPending()) return;
    for (const statement of FLUSH_PENDING_SQL) await manager.query(statement);
  }

  private hasPending(): boolean {
    this.pendingCheck ??= sqliteConnection(this.dataSource).prepare<[], { queued: number }>(
      `SELECT EXISTS (SELECT 1 FROM "${SEARCH_PENDING}") AS queued`,
    );
    return this.pendingCheck.get()?.queued === 1;
  }

  async state(): Promise<SearchIndexState> {
    await this.catchUp();
    const [counts] = await this.dataSource.query<{ indexed: number; entities: number; active: number }[]>(
      `SELECT (SELECT COUNT(*) FROM ${SEARCH_INDEX_TABLE}) AS indexed, (SELECT COUNT(*) FROM datamap_entities) AS entities, ` +
        `(SELECT COUNT(*) FROM datamap_entities WHERE status = 'ACTIVE') AS active`,
    );
    return {
      table: SEARCH_INDEX_TABLE,
      tokenizer: 'trigram',
      state: (await this.isCurrent()) ? 'current' : 'stale',
      indexedRows: Number(counts.indexed),
      entityRows: Number(counts.entities),
      activeEntities: Number(counts.active),
      lastRebuild: this.lastRebuild,
    };
  }

  /**
   * Same row count and the same highest rowid as the entity table (writes keep both in one transaction), and count
   * tables that add up to the entities and their classifications.
   */
  private async isCurrent(manager: EntityManager = this.dataSource.manager): Promise<boolean> {
    const [row] = await manager.query<
      { a: number; b: number; x: number | null; y: number | null; t: number; c: number; k: number }[]
    >(
      `SELECT (SELECT COUNT(*) FROM ${SEARCH_INDEX_TABLE}) AS a, (SELECT COUNT(*) FROM datamap_entities) AS b, ` +
        `(SELECT MAX(rowid) FROM ${SEARCH_INDEX_TABLE}) AS x, (SELECT MAX(rowid) FROM datamap_entities) AS y, ` +
        `(SELECT COALESCE(SUM(n), 0) FROM ${TYPE_COUNTS}) AS t, (SELECT COALESCE(SUM(n), 0) FROM ${CLASSIFICATION_COUNTS}) AS c, ` +
        `(SELECT COUNT(*) FROM datamap_entity_classifications k JOIN datamap_entities e ON e.guid = k.guid) AS k`,
    );
    return (
      Number(row.a) === Number(row.b) &&
      (row.x ?? 0) === (row.y ?? 0) &&
      Number(row.t) === Number(row.b) &&
      Number(row.c) === Number(row.k)
    );
  }

  /** Empties the index and indexes every entity row again, in one transaction (searches see the old or the new). */
  async rebuild(reason: string): Promise<SearchIndexState> {
    const started = performance.now();
    const rows = await this.transactions.run(async (manager) => {
      await manager.query(`DELETE FROM "${SEARCH_PENDING}"`);
      await manager.query(`INSERT INTO ${SEARCH_INDEX_TABLE} (${SEARCH_INDEX_TABLE}) VALUES ('delete-all')`);
      await manager.query(
        `INSERT INTO ${SEARCH_INDEX_TABLE} (rowid, name, qualified_name, description, other) SELECT ${DOCUMENT_SQL} FROM datamap_entities e`,
      );
      for (const statement of REBUILD_COUNTS_SQL) await manager.query(statement);
      const [count] = await manager.query<{ n: number }[]>(`SELECT COUNT(*) AS n FROM ${SEARCH_INDEX_TABLE}`);
      return Number(count.n);
    });
    const durationMs = Math.round(performance.now() - started);
    this.lastRebuild = { at: new Date().toISOString(), rows, durationMs, reason };
    this.logger.log(`Search index rebuilt (${reason}): ${rows} entities in ${durationMs} ms.`);
    return this.state();
  }
}

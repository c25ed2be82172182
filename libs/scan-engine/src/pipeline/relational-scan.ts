import {
  type DatabaseScanSource,
  NON_COUNTED_TYPENAMES,
  type ScanJobFilter,
  type ScanJobRuleset,
  type ScannedAsset,
} from '@purview-emulator/contracts';
import { type ClassificationRule, classifyColumns, selectRules } from '../classifiers';
import {
  DatabaseError,
  definitionHashOf,
  MysqlConnector,
  PostgresConnector,
  type RelationalConnector,
  type RelationalConnectorOptions,
  type RelationalTable,
} from '../connectors';
import { DEFAULT_SAMPLE_ROWS } from '../readers';
import { classificationRuleSetOf, UriFilter } from './scan-ruleset';
import {
  type DatabaseAssetContext,
  databaseAsset,
  databaseQualifiedNames,
  schemaAsset,
  serverAsset,
  tableAssets,
} from './relational-assets';

export interface DatabaseScanStats {
  assetsDiscovered: number;
  assetsClassified: number;
  /** Tables and views that could not be sampled (still emitted with their columns, unclassified). */
  assetsFailed: number;
  tablesListed: number;
  tablesSampled: number;
  /** Tables an incremental scan left alone: same definition as in the last run. */
  tablesUnchanged: number;
}

export interface DatabaseScanOptions {
  signal?: AbortSignal;
  /** Rows sampled per table for classification (Purview samples 128). */
  sampleRows?: number;
  /** Tables sampled at once (and the pool's size); default 4. */
  concurrency?: number;
  rules?: readonly ClassificationRule[];
  scanRuleset?: ScanJobRuleset;
  /** The scan's `filters/custom`: only tables and views whose qualifiedName is under an include prefix and no exclude. */
  filter?: ScanJobFilter;
  connector?: RelationalConnectorOptions;
  /** A connector of the caller's (tests); default: PostgreSQL or MySQL from the source's engine. */
  connect?: (source: DatabaseScanSource) => RelationalConnector;
  onProgress?: (stats: DatabaseScanStats) => void;
}

export interface DatabaseScanRun extends AsyncIterable<ScannedAsset> {
  readonly stats: Readonly<DatabaseScanStats>;
  readonly failures: readonly { qualifiedName: string; reason: string }[];
}

export function connectorFor(
  source: DatabaseScanSource,
  options: RelationalConnectorOptions = {},
): RelationalConnector {
  return source.engine === 'mysql' ? new MysqlConnector(source, options) : new PostgresConnector(source, options);
}

/** Scans a database: server, database, schemas, then each table or view with its columns, classified from a sample. */
export function scanDatabase(source: DatabaseScanSource, options: DatabaseScanOptions = {}): DatabaseScanRun {
  return new RelationalScanRun(source, options);
}

interface Sampled {
  table: RelationalTable;
  assets: ScannedAsset[];
  failure?: string;
}

const MAX_FAILURES_KEPT = 100;

class RelationalScanRun implements DatabaseScanRun {
  readonly stats: DatabaseScanStats = {
    assetsDiscovered: 0,
    assetsClassified: 0,
    assetsFailed: 0,
    tablesListed: 0,
    tablesSampled: 0,
    tablesUnchanged: 0,
  };
  readonly failures: { qualifiedName: string; reason: string }[] = [];
  private started = false;
  private readonly rules: readonly ClassificationRule[];
  private readonly concurrency: number;
  private readonly ctx: DatabaseAssetContext;
  private readonly uriFilter: UriFilter;

  constructor(
    private readonly source: DatabaseScanSource,
    private readonly options: DatabaseScanOptions,
  ) {
    const ruleSet = options.scanRuleset && classificationRuleSetOf(options.scanRuleset);
    this.rules = selectRules({ rules: options.rules, ruleSet });
    this.concurrency = Math.min(Math.max(Math.floor(options.concurrency ?? 4), 1), 32);
    this.ctx = { engine: source.engine, server: source.serverEndpoint, database: source.databaseName };
    this.uriFilter = new UriFilter(options.filter);
  }

  [Symbol.asyncIterator](): AsyncIterator<ScannedAsset> {
    if (this.started) throw new Error('A scan run can be iterated only once');
    this.started = true;
    return this.produce();
  }

  private async *produce(): AsyncGenerator<ScannedAsset> {
    const signal = this.options.signal;
    const connector =
      this.options.connect?.(this.source) ??
      connectorFor(this.source, { maxConnections: this.concurrency, ...this.options.connector });
    const window: Promise<Sampled>[] = [];
    try {
      signal?.throwIfAborted();
      // The catalog query comes first: a bad login or an unknown database fails the run before anything is emitted.
      const all = await connector.listTables({ schemas: this.source.schemas });
      const tables = all.filter((t) => this.inScope(t));
      signal?.throwIfAborted();
      yield* this.count([serverAsset(this.ctx), databaseAsset(this.ctx)]);
      if (this.source.engine === 'postgresql') {
        const schemas = this.source.schemas ?? (await connector.listSchemas());
        yield* this.count(schemas.map((s) => schemaAsset(this.ctx, s)));
      }
      this.stats.tablesListed = tables.length;
      this.progress();
      for (const table of tables) {
        signal?.throwIfAborted();
        const hash = definitionHashOf(table);
        const qualifiedName = databaseQualifiedNames.table(this.ctx.engine, this.ctx.server, this.ctx.database, table);
        if (this.source.previousDefinitions?.[qualifiedName] === hash) {
          this.stats.tablesUnchanged++;
          continue;
        }
        window.push(this.sample(connector, table, hash));
        while (window.length >= this.concurrency) yield* this.emit(await window.shift()!);
      }
      while (window.length) yield* this.emit(await window.shift()!);
      this.progress();
    } finally {
      await Promise.allSettled(window);
      await connector.close();
    }
  }

  private inScope(table: RelationalTable): boolean {
    const qualifiedName = databaseQualifiedNames.table(this.ctx.engine, this.ctx.server, this.ctx.database, table);
    if (!this.uriFilter.includes(qualifiedName)) return false;
    const only = this.source.tables;
    if (!only?.length) return true;
    return only.some((t) => t === table.name || t === `${table.schema}.${table.name}`);
  }

  /** Samples and classifies one table. Rejects only when the server went away (the run fails, to be retried). */
  private async sample(connector: RelationalConnector, table: RelationalTable, hash: string): Promise<Sampled> {
    try {
      const rows = await connector.sampleRows(table, this.options.sampleRows ?? DEFAULT_SAMPLE_ROWS);
      const names = table.columns.map((c) => c.name);
      const classified = classifyColumns(names, rows, { rules: this.rules });
      return {
        table,
        assets: tableAssets(this.ctx, table, {
          classifications: classified.map((c) => c.classifications),
          definitionHash: hash,
        }),
      };
    } catch (error) {
      if (error instanceof DatabaseError && error.code === 'SourceUnreachable') throw error;
      // No hash: the next incremental run samples it again.
      return {
        table,
        assets: tableAssets(this.ctx, table),
        failure: error instanceof Error ? error.message : String(error),
      };
    }
  }

  private *emit(sampled: Sampled): Generator<ScannedAsset> {
    this.options.signal?.throwIfAborted();
    if (sampled.failure !== undefined) {
      this.stats.assetsFailed++;
      if (this.failures.length < MAX_FAILURES_KEPT)
        this.failures.push({ qualifiedName: sampled.assets[0].attributes.qualifiedName, reason: sampled.failure });
    } else this.stats.tablesSampled++;
    yield* this.count(sampled.assets);
    this.progress();
  }

  private *count(assets: ScannedAsset[]): Generator<ScannedAsset> {
    for (const asset of assets) {
      if (!NON_COUNTED_TYPENAMES.has(asset.typeName)) {
        this.stats.assetsDiscovered++;
        if (asset.classifications?.length) this.stats.assetsClassified++;
      }
      yield asset;
    }
  }

  private progress(): void {
    this.options.onProgress?.({ ...this.stats });
  }
}

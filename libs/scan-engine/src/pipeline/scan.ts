import { type AzureStorageScanSource, blobPartitionOf, NON_COUNTED_TYPENAMES, type ScannedAsset } from '@purview-emulator/contracts';
import { type ClassificationRule, type ClassificationRuleSet, type ColumnClassification, classifyColumns, selectRules } from '../classifiers';
import { AzureBlobConnector, type AzureBlobConnectorOptions, type BlobConnector, type BlobInfo } from '../connectors';
import { DEFAULT_SAMPLE_BYTES, DEFAULT_SAMPLE_ROWS, type FileFormat, fileFormatOf } from '../readers';
import { blobAssets, blobServiceAsset, containerAsset, qualifiedNames, storageAccountAsset } from './assets';
import { readFileSample } from './read-file';

export const DEFAULT_CONCURRENCY = 4;
export const MAX_CONCURRENCY = 32;
/** How many failed files `ScanRun.failures` keeps (the count is in stats.assetsFailed). */
export const MAX_FAILURES_KEPT = 100;

export interface ScanStats {
  /** Emitted assets, schemas and columns excluded (NON_COUNTED_TYPENAMES). */
  assetsDiscovered: number;
  /** Counted assets carrying at least one classification. */
  assetsClassified: number;
  /** Files that could not be read or parsed (still emitted with basic metadata). */
  assetsFailed: number;
  containersListed: number;
  /** Blobs listed that belong to this scan (its partition's share when it has one). */
  blobsListed: number;
  bytesRead: number;
}

/** What happened to one file; passed to `onFile` in emission order. */
export interface FileReport {
  qualifiedName: string;
  container: string;
  blobName: string;
  size: number;
  /**
   * `scanned`: schema read (and classified); `empty`: no header row or documents, basic metadata only;
   * `unsupported`: no schema extraction for this format or content (e.g. complex Parquet types; see `reason`), basic
   * metadata only; `failed`: read or parse failure.
   */
  status: 'scanned' | 'empty' | 'unsupported' | 'failed';
  format?: FileFormat;
  reason?: string;
  sample?: { sampledRows: number; errorRows: number; bytesRead: number; stoppedBy?: 'rows' | 'bytes'; columnsTruncated?: number };
  /** Per column: classifications applied, or why none was. */
  columns?: ColumnClassification[];
  /** Classifications rolled up to the file. */
  classifications: string[];
}

export interface FileFailure {
  qualifiedName: string;
  reason: string;
}

export interface ScanOptions {
  sampleRows?: number;
  sampleBytes?: number;
  /** Files sampled at once (default 4, at most 32). */
  concurrency?: number;
  signal?: AbortSignal;
  /** The exact rules to apply; takes precedence over `ruleSet`. */
  rules?: readonly ClassificationRule[];
  /** A scan rule set (system rules less exclusions, plus custom rules); default: the system rules. */
  ruleSet?: ClassificationRuleSet;
  excludeContainers?: readonly string[];
  onProgress?: (stats: ScanStats) => void;
  onFile?: (report: FileReport) => void;
}

/** What names the assets: the account and the blob endpoint every qualifiedName starts with. */
export interface ScanTarget {
  accountName: string;
  /** e.g. https://devstoreaccount1.blob.core.windows.net */
  qualifiedNameBase: string;
  excludeContainers?: readonly string[];
  /**
   * Part `index` of a scan spread over `count` parts: only the blobs whose `blobPartitionOf(container/name, count)`
   * is `index` are read and emitted. Every part lists the whole source; the account, service and containers are
   * emitted by part 0 alone, so the parts' assets and counts add up to those of one whole scan.
   */
  partition?: { index: number; count: number };
}

/** A scan in progress: iterate it (once) to receive assets as they are produced; parents come before children. */
export interface ScanRun extends AsyncIterable<ScannedAsset> {
  readonly stats: Readonly<ScanStats>;
  /** The first MAX_FAILURES_KEPT failed files, with their reasons. */
  readonly failures: readonly FileFailure[];
}

/** Scans an Azure Storage source (Azurite or real) through its SAS. */
export function scanAzureStorage(
  source: AzureStorageScanSource,
  options: ScanOptions & { connector?: Partial<Omit<AzureBlobConnectorOptions, 'serviceUrl' | 'sasToken'>> } = {},
): ScanRun {
  const connector = new AzureBlobConnector({ ...options.connector, serviceUrl: source.serviceUrl, sasToken: source.sasToken });
  return runScan(connector, source, options);
}

/** Scans any blob-like store through a connector. Nothing starts until the run is iterated. */
export function runScan(connector: BlobConnector, target: ScanTarget, options: ScanOptions = {}): ScanRun {
  return new BlobScanRun(connector, target, options);
}

interface BlobResult {
  assets: ScannedAsset[];
  report: FileReport;
  bytesRead: number;
}

class BlobScanRun implements ScanRun {
  readonly stats: ScanStats = { assetsDiscovered: 0, assetsClassified: 0, assetsFailed: 0, containersListed: 0, blobsListed: 0, bytesRead: 0 };
  readonly failures: FileFailure[] = [];
  private started = false;
  private readonly sampleRows: number;
  private readonly sampleBytes: number;
  private readonly concurrency: number;
  private readonly rules: readonly ClassificationRule[];
  private readonly excluded: Set<string>;

  constructor(
    private readonly connector: BlobConnector,
    private readonly target: ScanTarget,
    private readonly options: ScanOptions,
  ) {
    this.sampleRows = options.sampleRows ?? DEFAULT_SAMPLE_ROWS;
    this.sampleBytes = options.sampleBytes ?? DEFAULT_SAMPLE_BYTES;
    this.concurrency = Math.min(Math.max(Math.floor(options.concurrency ?? DEFAULT_CONCURRENCY), 1), MAX_CONCURRENCY);
    this.rules = selectRules({ rules: options.rules, ruleSet: options.ruleSet });
    this.excluded = new Set([...(target.excludeContainers ?? []), ...(options.excludeContainers ?? [])]);
    const partition = target.partition;
    if (partition && !(Number.isInteger(partition.count) && partition.count >= 1 && Number.isInteger(partition.index) && partition.index >= 0 && partition.index < partition.count)) {
      throw new Error(`Invalid partition ${JSON.stringify(partition)}: index must be an integer from 0 to count - 1`);
    }
  }

  /** Does this scan emit the account, service and containers? (Part 0 of a spread scan, or a whole scan.) */
  private get emitsHierarchy(): boolean {
    return (this.target.partition?.index ?? 0) === 0;
  }

  private ownsBlob(container: string, blobName: string): boolean {
    const partition = this.target.partition;
    return !partition || partition.count === 1 || blobPartitionOf(`${container}/${blobName}`, partition.count) === partition.index;
  }

  [Symbol.asyncIterator](): AsyncIterator<ScannedAsset> {
    if (this.started) throw new Error('A scan run can be iterated only once');
    this.started = true;
    return this.produce();
  }

  private async *produce(): AsyncGenerator<ScannedAsset> {
    const { signal } = this.options;
    // Aborted by the caller's signal, or when the consumer stops iterating early.
    const internal = new AbortController();
    const onAbort = () => internal.abort(signal?.reason);
    if (signal?.aborted) onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    const inner = internal.signal;
    const base = this.target.qualifiedNameBase;
    // Reads run concurrently but results are emitted in listing order; the window bounds memory.
    const window: Promise<BlobResult>[] = [];
    try {
      inner.throwIfAborted();
      if (this.emitsHierarchy) yield* this.count([storageAccountAsset(this.target.accountName), blobServiceAsset(this.target.accountName, base)]);
      for await (const container of this.connector.listContainers({ signal: inner })) {
        inner.throwIfAborted();
        if (this.excluded.has(container.name)) continue;
        this.stats.containersListed++;
        if (this.emitsHierarchy) yield* this.count([containerAsset(base, container.name)]);
        this.progress();
        for await (const blob of this.connector.listBlobs(container.name, { signal: inner })) {
          inner.throwIfAborted();
          if (blob.name.endsWith('/')) continue; // folder placeholders (HNS) are not files
          if (!this.ownsBlob(container.name, blob.name)) continue; // another part reads it
          this.stats.blobsListed++;
          window.push(this.processBlob(container.name, blob, inner));
          while (window.length >= this.concurrency) yield* this.emitFile(await window.shift()!, inner);
        }
        // Drain at the container boundary so that each container's files follow it.
        while (window.length) yield* this.emitFile(await window.shift()!, inner);
      }
      this.progress();
    } finally {
      signal?.removeEventListener('abort', onAbort);
      if (window.length) {
        internal.abort();
        await Promise.all(window); // processBlob never rejects
      }
    }
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

  private *emitFile(result: BlobResult, signal: AbortSignal): Generator<ScannedAsset> {
    signal.throwIfAborted(); // a read cut short by an abort is not a failed file
    this.stats.bytesRead += result.bytesRead;
    if (result.report.status === 'failed') {
      this.stats.assetsFailed++;
      if (this.failures.length < MAX_FAILURES_KEPT) this.failures.push({ qualifiedName: result.report.qualifiedName, reason: result.report.reason ?? 'failed' });
    }
    yield* this.count(result.assets);
    this.options.onFile?.(result.report);
    this.progress();
  }

  private progress(): void {
    this.options.onProgress?.({ ...this.stats });
  }

  /** Reads and classifies one file. Never rejects: failures become a failed report. */
  private async processBlob(container: string, blob: BlobInfo, signal: AbortSignal): Promise<BlobResult> {
    const base = this.target.qualifiedNameBase;
    const l1 = { base, container, blobName: blob.name, size: blob.size, lastModified: blob.lastModified, contentType: blob.contentType };
    const report: FileReport = { qualifiedName: qualifiedNames.blob(base, container, blob.name), container, blobName: blob.name, size: blob.size, status: 'unsupported', classifications: [] };
    const format = fileFormatOf(blob.name);
    if (!format) return { assets: blobAssets(l1), report, bytesRead: 0 };
    report.format = format.format;
    if (blob.size === 0) return { assets: blobAssets(l1), report: { ...report, status: 'empty', reason: 'The file is empty' }, bytesRead: 0 };

    try {
      const sample = await readFileSample(this.connector, container, blob, format, { sampleRows: this.sampleRows, sampleBytes: this.sampleBytes, signal });
      report.sample = {
        sampledRows: sample.sampledRows,
        errorRows: sample.errorRows,
        bytesRead: sample.bytesRead,
        ...(sample.stoppedBy ? { stoppedBy: sample.stoppedBy } : {}),
        ...(sample.columnsTruncated ? { columnsTruncated: sample.columnsTruncated } : {}),
      };
      if (sample.status !== 'ok') {
        const status = sample.status === 'empty' ? 'empty' : sample.status === 'noSchema' ? 'unsupported' : 'failed';
        return { assets: blobAssets(l1), report: { ...report, status, reason: sample.reason }, bytesRead: sample.bytesRead };
      }
      const names = sample.columns.map((c) => c.name);
      const columns = classifyColumns(names, sample.rows, { rules: this.rules });
      const assets = blobAssets({ ...l1, columns: names, columnTypes: sample.columns.map((c) => c.type), columnClassifications: columns.map((c) => c.classifications) });
      const classifications = [...new Set(columns.flatMap((c) => c.classifications))];
      return { assets, report: { ...report, status: 'scanned', columns, classifications, ...(sample.reason ? { reason: sample.reason } : {}) }, bytesRead: sample.bytesRead };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return { assets: blobAssets(l1), report: { ...report, status: 'failed', reason }, bytesRead: 0 };
    }
  }
}

import type { BlobVersion, ScanJobFilter, ScanJobRuleset, ScannedAsset } from '@purview-emulator/contracts';
import type { ClassificationRule, ClassificationRuleSet, ColumnClassification } from '../classifiers';
import type { FileFormat } from '../readers';

/** What a scan reports and takes: its counters, per-file reports, options and target (the run itself is scan.ts). */

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
  /** Blobs an incremental scan left alone: not modified since `modifiedSince`, and the same ETag as recorded. */
  blobsUnchanged: number;
  /** Resource sets emitted (each counts once in assetsDiscovered, whatever its partition count). */
  resourceSets: number;
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
  sample?: {
    sampledRows: number;
    errorRows: number;
    bytesRead: number;
    stoppedBy?: 'rows' | 'bytes';
    columnsTruncated?: number;
  };
  /** Per column: classifications applied, or why none was. */
  columns?: ColumnClassification[];
  /** Classifications rolled up to the file. */
  classifications: string[];
  /** The resource set's pattern when the file was sampled for one (its schema went to the set). */
  resourceSet?: string;
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
  /**
   * The scan rule set a job carries: only its file types are read for schema and classification (others get basic
   * metadata), and its classification rules apply unless `rules` or `ruleSet` say otherwise.
   */
  scanRuleset?: ScanJobRuleset;
  /** A scan filter: blobs outside it are neither read nor emitted. */
  filter?: ScanJobFilter;
  excludeContainers?: readonly string[];
  /** Group files into resource sets by Purview's built-in pattern rules (default true). */
  resourceSets?: boolean;
  onProgress?: (stats: ScanStats) => void;
  onFile?: (report: FileReport) => void;
  /**
   * For an incremental scan (`modifiedSince`): the ETags earlier runs of the scan recorded for these blobs (by
   * qualifiedName; absent when unknown). A blob older than `modifiedSince` whose ETag differs is read again: it was
   * rewritten although its Last-Modified did not move past the point (same second, or a storage clock behind ours).
   */
  knownEtags?: (qualifiedNames: string[]) => Promise<ReadonlyMap<string, string>>;
  /** Every blob this scan owns whose ETag is not the known one (every blob of a full scan): what to record. */
  onBlobVersion?: (blob: BlobVersion) => void;
}

export type { BlobVersion };

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
  /**
   * An incremental scan: only blobs modified at or after this instant (ISO 8601) are read and emitted; the others are
   * counted in `blobsUnchanged`. Last-Modified has a resolution of one second, so that whole second is included.
   */
  modifiedSince?: string;
}

/** A scan in progress: iterate it (once) to receive assets as they are produced; parents come before children. */
export interface ScanRun extends AsyncIterable<ScannedAsset> {
  readonly stats: Readonly<ScanStats>;
  /** The first MAX_FAILURES_KEPT failed files, with their reasons. */
  readonly failures: readonly FileFailure[];
}

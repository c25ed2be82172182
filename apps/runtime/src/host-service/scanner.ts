import type { BlobVersion, ScanJob, ScanJobFilter, ScanJobRuleset, ScannedAsset } from '@purview-emulator/contracts';
import { scanAzureStorage, scanDatabase } from '@purview-emulator/scan-engine';

/**
 * The boundary between the host service and the scan engine: what the job runner needs from a scanner, and the
 * one place that maps it onto libs/scan-engine. Tests pass a stub scanner instead.
 */
export interface ScannerStats {
  /** Assets found, schemas and columns excluded. */
  assetsDiscovered: number;
  /** Counted assets carrying at least one classification. */
  assetsClassified: number;
  /** Files that could not be read (still reported with basic metadata). */
  assetsFailed: number;
}

export interface ScannerOptions {
  signal: AbortSignal;
  sampleRows?: number;
  sampleBytes?: number;
  /** The job's scan rule set (file types and classification rules); absent: the system rule set. */
  scanRuleset?: ScanJobRuleset;
  /** The scan's filter (include / exclude URI prefixes). */
  filter?: ScanJobFilter;
  onProgress?: (stats: ScannerStats) => void;
  /** Storage, incremental runs: the ETags the scan recorded for these blobs (see the engine's ScanOptions). */
  knownEtags?: (qualifiedNames: string[]) => Promise<ReadonlyMap<string, string>>;
  /** Storage: a listed blob's ETag the emulator has not recorded (sent with the ingestion batches). */
  onBlobVersion?: (blob: BlobVersion) => void;
}

/** A scan in progress: iterate it once to receive its assets; `stats` is live. */
export interface ScannerRun extends AsyncIterable<ScannedAsset> {
  readonly stats: Readonly<ScannerStats>;
  /** Files that failed, with the reason (the first few), when the scanner keeps them. */
  readonly failures?: readonly { qualifiedName: string; reason: string }[];
}

export type Scanner = (source: ScanJob['source'], options: ScannerOptions) => ScannerRun;

/** Storage client options for a URL: the proxy the runtime's setting routes it through, if any. */
export type StorageOptionsFor = (url: string) => {
  proxyOptions?: { host: string; port: number; username?: string; password?: string };
};

/**
 * The real scanner: libs/scan-engine over the source's blob service, through its SAS and the runtime's proxy setting.
 * A job for one part of a spread run carries `partition`; the engine then reads only that part's blobs. A database
 * job (PostgreSQL, MySQL) is scanned by the engine's database connectors, straight to the server: as in Purview,
 * database connections do not go through the HTTP proxy.
 */
export function azureStorageScannerWith(storageOptions: StorageOptionsFor = () => ({})): Scanner {
  return (source, options) => {
    const kind = (source as { kind?: string }).kind;
    if (kind === 'Database')
      return scanDatabase(source as Extract<ScanJob['source'], { kind: 'Database' }>, {
        signal: options.signal,
        sampleRows: options.sampleRows,
        scanRuleset: options.scanRuleset,
        filter: options.filter,
        onProgress: options.onProgress,
      });
    if (kind !== 'AzureStorage' || source.kind !== 'AzureStorage')
      throw new Error(
        `This runtime cannot scan data sources of kind '${String(kind)}'; it scans AzureStorage sources and databases.`,
      );
    return scanAzureStorage(source, {
      signal: options.signal,
      sampleRows: options.sampleRows,
      sampleBytes: options.sampleBytes,
      scanRuleset: options.scanRuleset,
      filter: options.filter,
      onProgress: options.onProgress,
      knownEtags: options.knownEtags,
      onBlobVersion: options.onBlobVersion,
      connector: storageOptions(source.serviceUrl),
    });
  };
}

import {
  type AzureStorageScanSource,
  blobPartitionOf,
  NON_COUNTED_TYPENAMES,
  type ScannedAsset,
} from '@purview-emulator/contracts';
import { type ClassificationRule, classifyColumns, selectRules } from '../classifiers';
import { AzureBlobConnector, type AzureBlobConnectorOptions, type BlobConnector, type BlobInfo } from '../connectors';
import { DEFAULT_SAMPLE_BYTES, DEFAULT_SAMPLE_ROWS, fileFormatOf } from '../readers';
import { classificationRuleSetOf, FileTypeSelection, UriFilter } from './scan-ruleset';
import { blobAssets, blobServiceAsset, containerAsset, qualifiedNames, storageAccountAsset } from './assets';
import { readFileSample } from './read-file';
import { resourceSetOf } from './resource-set-patterns';
import { ResourceSetAggregate, type SampledSchema } from './resource-set';

export const DEFAULT_CONCURRENCY = 4;
export const MAX_CONCURRENCY = 32;
/** How many failed files `ScanRun.failures` keeps (the count is in stats.assetsFailed). */
export const MAX_FAILURES_KEPT = 100;

import type { FileFailure, FileReport, ScanOptions, ScanRun, ScanStats, ScanTarget } from './scan-types';
import { type ListedBlob, withKnownEtags } from './known-etags';

export type { BlobVersion, FileFailure, FileReport, ScanOptions, ScanRun, ScanStats, ScanTarget } from './scan-types';

/** Scans an Azure Storage source (Azurite or real) through its SAS. */
export function scanAzureStorage(
  source: AzureStorageScanSource,
  options: ScanOptions & { connector?: Partial<Omit<AzureBlobConnectorOptions, 'serviceUrl' | 'sasToken'>> } = {},
): ScanRun {
  const connector = new AzureBlobConnector({
    ...options.connector,
    serviceUrl: source.serviceUrl,
    sasToken: source.sasToken,
  });
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
  /** The schema read, for merging into a resource set. */
  schema?: SampledSchema;
}

/**
 * Files done and waiting for their turn, per read slot: results are emitted in listing order (a retried part sends
 * the same batches), but a slow file must not hold the other slots idle while the files after it are done.
 */
const READ_AHEAD = 4;

/**
 * At most `limit` tasks running at once, the others started in call order as slots free up. (A dozen lines: the npm
 * limiters are ESM-only, this library is CommonJS.)
 */
function limiter(limit: number): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0;
  const queued: (() => void)[] = [];
  return async (task) => {
    if (running >= limit) await new Promise<void>((start) => queued.push(start));
    running++;
    try {
      return await task();
    } finally {
      running--;
      queued.shift()?.();
    }
  };
}

/** A read in flight or done; `set` when it is a sampled member of a resource set (merged there, not emitted). */
interface Pending {
  result: Promise<BlobResult>;
  set?: ResourceSetAggregate;
}

class BlobScanRun implements ScanRun {
  readonly stats: ScanStats = {
    assetsDiscovered: 0,
    assetsClassified: 0,
    assetsFailed: 0,
    containersListed: 0,
    blobsListed: 0,
    blobsUnchanged: 0,
    resourceSets: 0,
    bytesRead: 0,
  };
  readonly failures: FileFailure[] = [];
  private started = false;
  private readonly sampleRows: number;
  private readonly sampleBytes: number;
  private readonly concurrency: number;
  private readonly rules: readonly ClassificationRule[];
  private readonly excluded: Set<string>;
  private readonly fileTypes: FileTypeSelection;
  private readonly uriFilter: UriFilter;
  /** Blobs last modified before this (ms) are unchanged for an incremental scan. */
  private readonly changedFromMs: number;

  constructor(
    private readonly connector: BlobConnector,
    private readonly target: ScanTarget,
    private readonly options: ScanOptions,
  ) {
    this.sampleRows = options.sampleRows ?? DEFAULT_SAMPLE_ROWS;
    this.sampleBytes = options.sampleBytes ?? DEFAULT_SAMPLE_BYTES;
    this.concurrency = Math.min(Math.max(Math.floor(options.concurrency ?? DEFAULT_CONCURRENCY), 1), MAX_CONCURRENCY);
    const ruleSet = options.ruleSet ?? (options.scanRuleset && classificationRuleSetOf(options.scanRuleset));
    this.rules = selectRules({ rules: options.rules, ruleSet });
    this.fileTypes = new FileTypeSelection(options.scanRuleset);
    this.uriFilter = new UriFilter(options.filter);
    this.excluded = new Set([...(target.excludeContainers ?? []), ...(options.excludeContainers ?? [])]);
    // Last-Modified is kept to the second: a blob written in the same second as the point may be newer, so it is read.
    this.changedFromMs = target.modifiedSince ? Math.floor(Date.parse(target.modifiedSince) / 1000) * 1000 : -Infinity;
    if (Number.isNaN(this.changedFromMs))
      throw new Error(`Invalid modifiedSince '${target.modifiedSince}': expected an ISO 8601 date-time`);
    const partition = target.partition;
    if (
      partition &&
      !(
        Number.isInteger(partition.count) &&
        partition.count >= 1 &&
        Number.isInteger(partition.index) &&
        partition.index >= 0 &&
        partition.index < partition.count
      )
    ) {
      throw new Error(`Invalid partition ${JSON.stringify(partition)}: index must be an integer from 0 to count - 1`);
    }
  }

  /** Does this scan emit the account, service and containers? (Part 0 of a spread scan, or a whole scan.) */
  private get emitsHierarchy(): boolean {
    return (this.target.partition?.index ?? 0) === 0;
  }

  /** The members of a resource set all belong to the part its pattern hashes to, so that one part sees the whole set. */
  private ownsBlob(container: string, nameOrPattern: string): boolean {
    const partition = this.target.partition;
    return (
      !partition ||
      partition.count === 1 ||
      blobPartitionOf(`${container}/${nameOrPattern}`, partition.count) === partition.index
    );
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
    // `concurrency` reads run at once; results are emitted in listing order; the window (done files waiting for
    // their turn, READ_AHEAD per read slot) bounds memory.
    const window: Pending[] = [];
    const read = limiter(this.concurrency);
    // Resource sets whose members may still come. A listing is sorted by name, so a set is complete once a name
    // no longer starts with its literal prefix: only the sets open at one point of the listing are held.
    const open = new Map<string, ResourceSetAggregate>();
    try {
      inner.throwIfAborted();
      if (this.emitsHierarchy)
        yield* this.count([
          storageAccountAsset(this.target.accountName),
          blobServiceAsset(this.target.accountName, base),
        ]);
      for await (const container of this.connector.listContainers({ signal: inner })) {
        inner.throwIfAborted();
        if (this.excluded.has(container.name)) continue;
        if (!this.uriFilter.mayInclude(qualifiedNames.container(base, container.name))) continue;
        this.stats.containersListed++;
        if (this.emitsHierarchy) yield* this.count([containerAsset(base, container.name)]);
        this.progress();
        for await (const { blob, knownEtag } of this.listed(container.name, inner)) {
          inner.throwIfAborted();
          if (blob.name.endsWith('/')) continue; // folder placeholders (HNS) are not files
          if (!this.uriFilter.includes(qualifiedNames.blob(base, container.name, blob.name))) continue;
          yield* this.closeSets(open, window, inner, (set) => !blob.name.startsWith(set.literalPrefix));
          const match = this.options.resourceSets === false ? undefined : resourceSetOf(blob.name);
          if (!this.ownsBlob(container.name, match?.pattern ?? blob.name)) continue; // another part reads it
          this.stats.blobsListed++;
          const rewritten = blob.etag !== undefined && knownEtag !== undefined && blob.etag !== knownEtag;
          const changed = blob.lastModified.getTime() >= this.changedFromMs || rewritten;
          if (blob.etag !== undefined && blob.etag !== knownEtag)
            this.options.onBlobVersion?.({
              qualifiedName: qualifiedNames.blob(base, container.name, blob.name),
              etag: blob.etag,
            });
          if (match) {
            let set = open.get(match.pattern);
            if (!set)
              open.set(
                match.pattern,
                (set = new ResourceSetAggregate(container.name, match.pattern, match.literalPrefix)),
              );
            if (!changed) this.stats.blobsUnchanged++;
            if (
              set.add({
                size: blob.size,
                lastModified: blob.lastModified,
                format: fileFormatOf(blob.name)?.format,
                changed,
              })
            ) {
              window.push({ result: read(() => this.processBlob(container.name, blob, inner)), set });
            }
          } else if (!changed) {
            this.stats.blobsUnchanged++;
            continue;
          } else {
            window.push({ result: read(() => this.processBlob(container.name, blob, inner)) });
          }
          while (window.length >= this.concurrency * READ_AHEAD) yield* this.emitPending(window.shift()!, inner);
        }
        // Drain at the container boundary so that each container's files (and sets) follow it.
        yield* this.drain(window, inner);
        yield* this.closeSets(open, window, inner, () => true);
      }
      this.progress();
    } finally {
      signal?.removeEventListener('abort', onAbort);
      if (window.length) {
        internal.abort();
        await Promise.all(window.map((p) => p.result)); // processBlob never rejects
      }
    }
  }

  /** A container's blobs; for an incremental scan with `knownEtags`, each older blob with the ETag recorded for it. */
  private listed(container: string, signal: AbortSignal): AsyncIterable<ListedBlob> {
    const listing = this.connector.listBlobs(container, { signal });
    const lookup = this.options.knownEtags;
    if (!lookup || this.changedFromMs === -Infinity) return withKnownEtags(listing);
    const base = this.target.qualifiedNameBase;
    return withKnownEtags(listing, {
      // Newer blobs are read anyway: only the older ones need their recorded ETag.
      needs: (blob) => blob.etag !== undefined && blob.lastModified.getTime() < this.changedFromMs,
      keyOf: (blob) => qualifiedNames.blob(base, container, blob.name),
      lookup,
    });
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

  private async *emitPending(pending: Pending, signal: AbortSignal): AsyncGenerator<ScannedAsset> {
    const result = await pending.result;
    signal.throwIfAborted(); // a read cut short by an abort is not a failed file
    this.stats.bytesRead += result.bytesRead;
    if (result.report.status === 'failed') {
      this.stats.assetsFailed++;
      if (this.failures.length < MAX_FAILURES_KEPT)
        this.failures.push({ qualifiedName: result.report.qualifiedName, reason: result.report.reason ?? 'failed' });
    }
    if (pending.set) pending.set.merge(result.schema);
    else yield* this.count(result.assets);
    this.options.onFile?.(pending.set ? { ...result.report, resourceSet: pending.set.pattern } : result.report);
    this.progress();
  }

  private async *drain(window: Pending[], signal: AbortSignal): AsyncGenerator<ScannedAsset> {
    while (window.length) yield* this.emitPending(window.shift()!, signal);
  }

  /** Emits the open sets `which` selects, once their sampled reads (in the window) are done. */
  private async *closeSets(
    open: Map<string, ResourceSetAggregate>,
    window: Pending[],
    signal: AbortSignal,
    which: (set: ResourceSetAggregate) => boolean,
  ): AsyncGenerator<ScannedAsset> {
    const closing = [...open.values()].filter(which);
    if (closing.length === 0) return;
    yield* this.drain(window, signal);
    for (const set of closing) {
      open.delete(set.pattern);
      yield* this.emitSet(set);
    }
  }

  /** A complete resource set, unless an incremental scan found none of its members changed. */
  private *emitSet(set: ResourceSetAggregate): Generator<ScannedAsset> {
    if (set.changedMembers === 0) return;
    this.stats.resourceSets++;
    yield* this.count(set.assets(this.target.qualifiedNameBase));
    this.progress();
  }

  private progress(): void {
    this.options.onProgress?.({ ...this.stats });
  }

  /** Reads and classifies one file. Never rejects: failures become a failed report. */
  private async processBlob(container: string, blob: BlobInfo, signal: AbortSignal): Promise<BlobResult> {
    const base = this.target.qualifiedNameBase;
    const l1 = {
      base,
      container,
      blobName: blob.name,
      size: blob.size,
      lastModified: blob.lastModified,
      contentType: blob.contentType,
    };
    const report: FileReport = {
      qualifiedName: qualifiedNames.blob(base, container, blob.name),
      container,
      blobName: blob.name,
      size: blob.size,
      status: 'unsupported',
      classifications: [],
    };
    // A read still queued when the scan stops is not started (its result is never emitted).
    if (signal.aborted) return { assets: [], report: { ...report, status: 'failed', reason: 'aborted' }, bytesRead: 0 };
    const decision = this.fileTypes.decide(blob.name);
    if (!decision) return { assets: blobAssets(l1), report, bytesRead: 0 };
    if ('skipped' in decision)
      return { assets: blobAssets(l1), report: { ...report, reason: decision.skipped }, bytesRead: 0 };
    const format = decision.format;
    report.format = format.format;
    if (blob.size === 0)
      return {
        assets: blobAssets(l1),
        report: { ...report, status: 'empty', reason: 'The file is empty' },
        bytesRead: 0,
      };

    try {
      const sample = await readFileSample(this.connector, container, blob, format, {
        sampleRows: this.sampleRows,
        sampleBytes: this.sampleBytes,
        signal,
      });
      report.sample = {
        sampledRows: sample.sampledRows,
        errorRows: sample.errorRows,
        bytesRead: sample.bytesRead,
        ...(sample.stoppedBy ? { stoppedBy: sample.stoppedBy } : {}),
        ...(sample.columnsTruncated ? { columnsTruncated: sample.columnsTruncated } : {}),
      };
      if (sample.status !== 'ok') {
        const status = sample.status === 'empty' ? 'empty' : sample.status === 'noSchema' ? 'unsupported' : 'failed';
        return {
          assets: blobAssets(l1),
          report: { ...report, status, reason: sample.reason },
          bytesRead: sample.bytesRead,
        };
      }
      const names = sample.columns.map((c) => c.name);
      const columns = classifyColumns(names, sample.rows, { rules: this.rules });
      const assets = blobAssets({
        ...l1,
        columns: names,
        columnTypes: sample.columns.map((c) => c.type),
        columnClassifications: columns.map((c) => c.classifications),
      });
      const classifications = [...new Set(columns.flatMap((c) => c.classifications))];
      const schema: SampledSchema = {
        columns: names,
        types: sample.columns.map((c) => c.type),
        classifications: columns.map((c) => c.classifications),
      };
      return {
        assets,
        schema,
        report: {
          ...report,
          status: 'scanned',
          columns,
          classifications,
          ...(sample.reason ? { reason: sample.reason } : {}),
        },
        bytesRead: sample.bytesRead,
      };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return { assets: blobAssets(l1), report: { ...report, status: 'failed', reason }, bytesRead: 0 };
    }
  }
}

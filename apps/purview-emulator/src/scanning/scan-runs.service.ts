import { Injectable, Optional } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  type BlobVersion,
  REFERENCE_RUNTIME_SCAN_KINDS,
  isReferenceRuntimeScanKind,
  type OperationResponse,
  type RunType,
  type ScanLevel,
  type ScanResultWithIngestion,
} from '@purview-emulator/contracts';
import { Clock } from '../common/clock';
import { PurviewError } from '../common/errors';
import { TransactionRunner } from '../database/transaction-runner';
import { IntegrationRuntimeDirectory } from '../integration-runtimes/integration-runtime-directory';
import { ScanJobSignals } from './scan-job-signals';
import { acceptedOperation } from './scan-run.mapper';
import { cancelRunParts, closeOpenParts, isSpreadKind, newJobs, partCountFor } from './scan-run-job.state';
import {
  applyIngestedBatch,
  applyIngestionFailure,
  effectiveScanLevel,
  failRun,
  isFinal,
  newRun,
  normalizeRunId,
} from './scan-run.state';
import { ScanRunsRepository, ScanRunCounts } from './scan-runs.repository';
import { FaultsService } from '../faults/faults.service';
import { ScansService } from './scans.service';
import { ScanRulesetsService } from './rulesets/scan-rulesets.service';
import { ScanFiltersService } from './rulesets/scan-filters.service';
import { ScanRunLiveStatus } from './scan-run-live-status.service';
import { AssetKey, ScanAssetSightings } from './scan-asset-sightings';
import { ScanBlobEtags } from './scan-blob-etags';

/** What the run and cancel routes need to answer: the operation and the canonical names for Operation-Location. */
export interface AcceptedRun {
  operation: OperationResponse;
  dataSourceName: string;
  scanName: string;
  runId: string;
}

/**
 * Scan runs as clients see them (run, status, history, cancel) and the ingestion side of a run's life
 * (`recordIngestedBatch`, `failIngestion`, called by the ingestion module through INGESTION_RESULT_SINK).
 * The node side (leases) is ScanJobsService.
 */
@Injectable()
export class ScanRunsService {
  constructor(
    private readonly scans: ScansService,
    private readonly repository: ScanRunsRepository,
    private readonly runtimes: IntegrationRuntimeDirectory,
    private readonly signals: ScanJobSignals,
    private readonly rulesets: ScanRulesetsService,
    private readonly filters: ScanFiltersService,
    private readonly liveStatus: ScanRunLiveStatus,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    private readonly sightings: ScanAssetSightings,
    private readonly blobEtags: ScanBlobEtags,
    @Optional() private readonly faults?: FaultsService,
  ) {}

  /**
   * Queues a run (202). `runId` is the client's GUID (PUT …/runs/{runId}) or undefined for a server-generated one
   * (POST …/run). `scanLevel` is what was asked; the run is Full when the scan has no baseline for an incremental one
   * (effectiveScanLevel), and `scanLevelType` says which it was. `runType` is Scheduled when the scan's trigger starts it. A scan without an integration runtime, or whose runtime was deleted, fails at once with the fix.
   */
  async start(
    dataSourceName: string,
    scanName: string,
    runId: string | undefined,
    scanLevel: ScanLevel,
    runType: RunType = 'Manual',
  ): Promise<AcceptedRun> {
    const id = runId ? normalizeRunId(runId) : randomUUID();
    const { dataSource: currentSource, scan: current } = await this.scans.require(dataSourceName, scanName);
    const runtime = current.integrationRuntimeName
      ? await this.runtimes.findRuntime(current.integrationRuntimeName)
      : null;
    // A storage scan is spread over the nodes that accept jobs right now (read before the transaction: another module's table).
    const accepting =
      runtime && isSpreadKind(currentSource.kind)
        ? (await this.runtimes.schedulingNodes(runtime.name)).filter((n) => n.acceptsJobs).length
        : 1;
    const run = await this.transactions.run(async (manager) => {
      const { dataSource, scan } = await this.scans.require(dataSourceName, scanName, manager);
      const existing = await this.repository.findById(id, manager);
      if (existing) {
        throw PurviewError.conflict(
          `A scan run with id '${id}' already exists (scan '${existing.scanName}' of data source '${existing.dataSourceName}', status ${existing.status}). Use a new GUID for each run.`,
          'ScanRunAlreadyExists',
        );
      }
      const active = await this.repository.activeRunOf(scan.id, manager);
      if (active) {
        throw PurviewError.conflict(
          `Scan '${scan.name}' of data source '${dataSource.name}' already has run '${active.id}' ${active.status === 'Queued' ? `queued since ${active.queuedTime}` : `in progress since ${active.startTime ?? active.queuedTime}`}. A scan runs one run at a time: wait for it to finish or cancel it (POST …/runs/${active.id}:cancel).`,
          'ScanRunInProgress',
        );
      }
      const now = this.clock.iso();
      const seq = await this.repository.nextSeq(manager);
      const filter = await this.filters.jobFilterOf(scan.id, manager);
      const ruleset = await this.rulesets.resolve(scan, dataSource.kind, manager);
      const scanRules = { ruleset, ...(filter ? { filter } : {}) };
      const level = effectiveScanLevel(
        scanLevel,
        scan,
        await this.repository.lastSucceededRunOf(scan.id, seq, manager),
        ruleset.version,
      );
      const created = newRun({ id, seq, dataSource, scan, scanLevel: level, now, runType, scanRules });
      if (!isReferenceRuntimeScanKind(scan.kind)) {
        failRun(
          created,
          now,
          'ConnectorNotAvailable',
          `Scan '${scan.name}' is of kind ${scan.kind} (a ${dataSource.kind} data source): the emulator stores and returns scans of every kind, but its reference runtime has no connector for ${scan.kind} yet; it scans ${REFERENCE_RUNTIME_SCAN_KINDS.join(', ')}.`,
        );
      } else if (!scan.integrationRuntimeName) {
        failRun(
          created,
          now,
          'IntegrationRuntimeRequired',
          `Scan '${scan.name}' has no integration runtime: properties.connectedVia is not set, which means Azure's auto-resolve integration runtime, and the emulator does not emulate it. Set properties.connectedVia.referenceName to a self-hosted integration runtime (PUT /scan/datasources/${dataSource.name}/scans/${scan.name}) and run the scan again.`,
        );
      } else if (!runtime || runtime.name.toLowerCase() !== scan.integrationRuntimeName.toLowerCase()) {
        failRun(
          created,
          now,
          'IntegrationRuntimeNotFound',
          `Integration runtime '${scan.integrationRuntimeName}' (the scan's connectedVia) no longer exists. Create it again and register a node, or point the scan at another self-hosted integration runtime, then run the scan again.`,
        );
      } else if (runtime.kind === 'Managed') {
        failRun(
          created,
          now,
          'ManagedVirtualNetworkNotEmulated',
          `Scan '${scan.name}' connects via '${runtime.name}', a Managed integration runtime: it would run in Purview's managed virtual network, and the emulator has no network to manage (managed virtual networks and private endpoints are stored only). Point properties.connectedVia at a self-hosted integration runtime and run the scan again.`,
        );
      } else {
        const fault = this.faults?.take(
          'scanRunFailure',
          (f) => sameName(f.dataSource, dataSource.name) && sameName(f.scan, scan.name),
          `run ${id} of scan '${scan.name}'`,
        );
        if (fault)
          failRun(
            created,
            now,
            fault.errorCode ?? 'ScanFailed',
            fault.message ?? `The scan run failed (a scanRunFailure fault injected by /_emulator/faults).`,
          );
      }
      await this.repository.insert(created, manager);
      if (created.status === 'Queued') {
        const parts = partCountFor(created.dataSourceKind, accepting);
        await this.repository.insertJobs(
          newJobs(
            created,
            Array.from({ length: parts }, () => randomUUID()),
            now,
          ),
          manager,
        );
      }
      return created;
    });
    if (run.status === 'Queued' && run.integrationRuntimeName) this.signals.notify(run.integrationRuntimeName);
    return {
      operation: acceptedOperation(run),
      dataSourceName: run.dataSourceName,
      scanName: run.scanName,
      runId: run.id,
    };
  }

  /** Runs and their parts by status, for `/_emulator/metrics`. */
  counts(): Promise<ScanRunCounts> {
    return this.repository.counts();
  }

  async get(dataSourceName: string, scanName: string, runId: string): Promise<ScanResultWithIngestion> {
    const { scan } = await this.scans.require(dataSourceName, scanName);
    const run = await this.repository.findOfScan(scan.id, normalizeRunId(runId));
    if (!run) throw PurviewError.notFound(`Run of scan '${scan.name}'`, runId, 'ScanRunNotFound');
    const [result] = await this.liveStatus.withLiveStatus([run]);
    return result;
  }

  /** History, newest first. */
  async list(
    dataSourceName: string,
    scanName: string,
    skip: number,
    take: number,
  ): Promise<{ value: ScanResultWithIngestion[]; count: number }> {
    const { scan } = await this.scans.require(dataSourceName, scanName);
    const [page, count] = await this.repository.page(scan.id, skip, take);
    return { value: await this.liveStatus.withLiveStatus(page), count };
  }

  /** Cancels a Queued or InProgress run (202) and all its parts; their leases are dropped, so the nodes' next renew is refused. */
  async cancel(dataSourceName: string, scanName: string, runId: string): Promise<AcceptedRun> {
    const run = await this.transactions.run(async (manager) => {
      const { scan } = await this.scans.require(dataSourceName, scanName, manager);
      const found = await this.repository.findOfScan(scan.id, normalizeRunId(runId), manager);
      if (!found) throw PurviewError.notFound(`Run of scan '${scan.name}'`, runId, 'ScanRunNotFound');
      if (isFinal(found)) {
        throw PurviewError.conflict(
          `Run '${found.id}' has already finished with status ${found.status}; only Queued or InProgress runs can be canceled.`,
          'ScanRunAlreadyFinished',
        );
      }
      const parts = { run: found, jobs: await this.repository.jobsOfRuns([found.id], manager) };
      cancelRunParts(parts, this.clock.iso());
      await this.repository.saveParts(parts, manager);
      return found;
    });
    // The nodes that held parts have room again.
    if (run.integrationRuntimeName) this.signals.notify(run.integrationRuntimeName);
    return {
      operation: acceptedOperation(run),
      dataSourceName: run.dataSourceName,
      scanName: run.scanName,
      runId: run.id,
    };
  }

  /**
   * Ingestion consumed one batch of a run. Deduplicated on (runId, batchId) in `scan_run_batches`, so a redelivered
   * batch changes nothing ('duplicate'). When discovery has completed and every announced batch is in, the run
   * succeeds.
   */
  async recordIngestedBatch(
    runId: string,
    batchId: string,
    result: {
      assetsSucceeded: number;
      assetsFailed: number;
      relationships: number;
      assets?: readonly AssetKey[];
      blobs?: readonly BlobVersion[];
    },
  ): Promise<'recorded' | 'duplicate' | 'unknown-run'> {
    const id = normalizeRunId(runId);
    return this.transactions.run(async (manager) => {
      const run = await this.repository.findById(id, manager);
      if (!run) return 'unknown-run';
      if (await this.repository.findBatch(id, batchId, manager)) return 'duplicate';
      const now = this.clock.iso();
      await this.repository.insertBatch(
        {
          runId: id,
          batchId,
          assetsSucceeded: result.assetsSucceeded,
          assetsFailed: result.assetsFailed,
          relationships: result.relationships,
          recordedAt: now,
        },
        manager,
      );
      if (result.assets?.length) await this.sightings.record(run, result.assets, manager);
      if (result.blobs?.length) await this.blobEtags.record(run.scanId, result.blobs, manager);
      applyIngestedBatch(run, result, now);
      await this.repository.save(run, manager);
      return 'recorded';
    });
  }

  /** A batch of the run can never be ingested (poison message): the run fails with `message`, and parts still running stop. */
  async failIngestion(runId: string, message: string): Promise<void> {
    await this.transactions.run(async (manager) => {
      const parts = await this.repository.parts(normalizeRunId(runId), manager);
      if (!parts) return;
      const now = this.clock.iso();
      applyIngestionFailure(parts.run, message, now);
      closeOpenParts(parts, now);
      await this.repository.saveParts(parts, manager);
    });
  }

  /** Where a batch stands, for ingestion when the batch's blob is gone (see IngestionResultSink.batchState). */
  async batchState(runId: string, batchId: string): Promise<'recorded' | 'run-ended' | 'open' | 'unknown-run'> {
    const id = normalizeRunId(runId);
    return this.transactions.run(async (manager) => {
      const run = await this.repository.findById(id, manager);
      if (!run) return 'unknown-run';
      if (await this.repository.findBatch(id, batchId, manager)) return 'recorded';
      return isFinal(run) ? 'run-ended' : 'open';
    });
  }

  /** Of `runIds`, the runs that ended at least `graceSeconds` ago by the emulator's clock (ingestion sweeps their blobs). */
  async endedRuns(runIds: readonly string[], graceSeconds: number): Promise<string[]> {
    const cutoff = new Date(this.clock.nowMs() - graceSeconds * 1000).toISOString();
    const runs = await this.transactions.run((manager) =>
      this.repository.findByIds(runIds.map(normalizeRunId), manager),
    );
    return runs.filter((r) => isFinal(r) && r.endTime !== null && r.endTime <= cutoff).map((r) => r.id);
  }
}

/** Data source and scan names are case-insensitive, as the API reads them. */
function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

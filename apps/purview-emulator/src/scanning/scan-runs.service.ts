import { Inject, Injectable, Optional } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  type OperationResponse,
  type RunType,
  type ScanLevel,
  ScanNotificationCode,
  type ScanNotificationName,
  type ScanResultWithIngestion,
} from '@purview-emulator/contracts';
import { EMULATOR_CONFIG, EmulatorConfig } from '../config/emulator-config';
import { Clock } from '../common/clock';
import { PurviewError } from '../common/errors';
import { TransactionRunner } from '../database/transaction-runner';
import { IntegrationRuntimeDirectory, SchedulingNode } from '../integration-runtimes/integration-runtime-directory';
import { ScanJobSignals } from './scan-job-signals';
import { ScanRunEntity } from './scan-run.entity';
import { ScanRunJobEntity } from './scan-run-job.entity';
import { LiveStatus, acceptedOperation, toScanResult } from './scan-run.mapper';
import { cancelRunParts, closeOpenParts, isSpreadKind, newJobs, partCountFor } from './scan-run-job.state';
import {
  MAX_ATTEMPTS,
  applyIngestedBatch,
  applyIngestionFailure,
  effectiveScanLevel,
  failRun,
  isDiscoveryDone,
  isFinal,
  newRun,
  normalizeRunId,
} from './scan-run.state';
import { ScanRunsRepository, ScanRunCounts } from './scan-runs.repository';
import { FaultsService } from '../faults/faults.service';
import { ScansService } from './scans.service';
import { ScanRulesetsService } from './rulesets/scan-rulesets.service';
import { ScanFiltersService } from './rulesets/scan-filters.service';
import { AssetKey, ScanAssetSightings } from './scan-asset-sightings';

/** After this long without a lease call from an IR, a waiting run says its nodes seem gone (long polls last ≤ 30 s). */
const POLL_SILENCE_SECONDS = 35;

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
    @Inject(EMULATOR_CONFIG) private readonly config: EmulatorConfig,
    private readonly scans: ScansService,
    private readonly repository: ScanRunsRepository,
    private readonly runtimes: IntegrationRuntimeDirectory,
    private readonly signals: ScanJobSignals,
    private readonly rulesets: ScanRulesetsService,
    private readonly filters: ScanFiltersService,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    private readonly sightings: ScanAssetSightings,
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
      if (!scan.integrationRuntimeName) {
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
    const [result] = await this.withLiveStatus([run]);
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
    return { value: await this.withLiveStatus(page), count };
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

  /** Runs as `ScanResultWithIngestion`, each with its live status (nodes and parts are read once per call). */
  private async withLiveStatus(runs: ScanRunEntity[]): Promise<ScanResultWithIngestion[]> {
    const active = runs.filter((r) => !isFinal(r));
    const jobs = await this.repository.jobsOfRuns(active.map((r) => r.id));
    const runtimes = new Map<string, Promise<RuntimeLoad>>();
    const loadOf = (ir: string) => {
      const key = ir.toLowerCase();
      if (!runtimes.has(key)) runtimes.set(key, this.runtimeLoad(ir));
      return runtimes.get(key)!;
    };
    const results: ScanResultWithIngestion[] = [];
    for (const run of runs) {
      const parts = jobs.filter((j) => j.runId === run.id);
      const load =
        run.status === 'Queued' && run.integrationRuntimeName ? await loadOf(run.integrationRuntimeName) : undefined;
      results.push(toScanResult(run, this.liveStatus(run, parts, load)));
    }
    return results;
  }

  private async runtimeLoad(integrationRuntimeName: string): Promise<RuntimeLoad> {
    const [nodes, leased] = await Promise.all([
      this.runtimes.schedulingNodes(integrationRuntimeName),
      this.repository.leasedJobsOf(integrationRuntimeName),
    ]);
    return { nodes, leased };
  }

  /** Why a run is where it is, in plain words, for `emulatorDiagnostics.reason` (and a notification while it waits). */
  private liveStatus(run: ScanRunEntity, parts: ScanRunJobEntity[], load?: RuntimeLoad): LiveStatus | undefined {
    const now = this.clock.iso();
    const retryAt = (p: ScanRunJobEntity) =>
      p.status === 'Queued' && p.notBefore !== null && p.notBefore > now ? p.notBefore : undefined;
    const waiting = parts.filter((p) => retryAt(p) !== undefined);
    if (
      run.status === 'Queued' &&
      waiting.length > 0 &&
      waiting.length === parts.filter((p) => p.status === 'Queued').length
    ) {
      const part = waiting[0];
      return {
        reason: `Waiting to try again: the last attempt could not reach storage (see the notifications). Attempt ${part.attempt} of ${MAX_ATTEMPTS} starts at ${retryAt(part)} at the earliest.`,
      };
    }
    if (run.status === 'Queued' && run.integrationRuntimeName)
      return this.waitingStatus(run.integrationRuntimeName, load ?? { nodes: [], leased: [] });
    if (run.status !== 'InProgress') return undefined;
    if (isDiscoveryDone(run)) {
      const message = `Discovery finished; waiting for ingestion: ${run.batchesIngested} of ${run.batchCount ?? '?'} batches ingested into the data map.`;
      return { reason: message, notification: { code: ScanNotificationCode.WaitingForIngestion, message } };
    }
    const so = `${run.assetsDiscovered} assets discovered, ${run.assetsClassified} classified, ${run.batchesUploaded} batches uploaded so far`;
    const lease = `every lease lasts ${this.config.jobLeaseSeconds} s unless renewed`;
    if (parts.length === 1 && parts[0].status === 'Leased') {
      const part = parts[0];
      return {
        reason: `Running on node '${part.leaseNodeName}' (attempt ${part.attempt} of ${MAX_ATTEMPTS}): ${so}. Its lease runs to ${part.leaseExpiresAt} unless renewed (${lease}).`,
      };
    }
    if (parts.length > 1) {
      const each = parts.map((p) => {
        const name = `part ${p.partIndex + 1}`;
        if (p.status === 'Leased')
          return `${name} on node '${p.leaseNodeName}' (attempt ${p.attempt} of ${MAX_ATTEMPTS}, lease to ${p.leaseExpiresAt})`;
        if (p.status === 'Queued')
          return `${name} queued for a node (attempt ${p.attempt} of ${MAX_ATTEMPTS}${retryAt(p) ? `, not before ${retryAt(p)}` : ''})`;
        return `${name} ${p.status.toLowerCase()}`;
      });
      return {
        reason: `Running in ${parts.length} parts spread across the integration runtime's nodes: ${each.join('; ')}. ${so[0].toUpperCase()}${so.slice(1)} (${lease}).`,
      };
    }
    return undefined;
  }

  /** A Queued run: no node, no node online, no node taking jobs, every node full (waiting for capacity), or nodes idle. */
  private waitingStatus(ir: string, { nodes, leased }: RuntimeLoad): LiveStatus {
    const waiting = `Waiting for a node of integration runtime '${ir}' to pick up the run`;
    const say = (name: ScanNotificationName, message: string): LiveStatus => ({
      reason: message,
      notification: { code: ScanNotificationCode[name], message },
    });
    const since = this.signals.secondsSinceLastPoll(ir);
    if (nodes.length === 0) {
      return say(
        'WaitingForIntegrationRuntime',
        `${waiting}; it has no registered node. Register one with an auth key of '${ir}' (shir register --key …) and start it.`,
      );
    }
    const online = nodes.filter((n) => n.online);
    if (online.length === 0) {
      return say(
        'WaitingForIntegrationRuntime',
        `${waiting}; none of its ${nodes.length} node(s) is online (${nodes.map((n) => `'${n.nodeName}'`).join(', ')}). Start a node registered to '${ir}', or check that its nodes can reach the emulator.`,
      );
    }
    const accepting = nodes.filter((n) => n.acceptsJobs);
    if (accepting.length === 0) {
      return say(
        'WaitingForIntegrationRuntime',
        `${waiting}; no node takes jobs: ${nodes.map((n) => `'${n.nodeName}': ${n.reason ?? (n.online ? 'does not take jobs' : 'offline')}`).join('; ')}.`,
      );
    }
    const held = (n: SchedulingNode) => leased.filter((j) => j.leaseNodeId === n.nodeId).length;
    if (accepting.every((n) => held(n) >= n.concurrentJobsLimit)) {
      return say(
        'WaitingForCapacity',
        `Waiting for capacity on integration runtime '${ir}': every node that takes jobs runs as many as its concurrentJobsLimit allows (${accepting.map((n) => `'${n.nodeName}' ${held(n)} of ${n.concurrentJobsLimit}`).join(', ')}). The run starts when one of them finishes a job; raise a node's concurrentJobsLimit (up to its maxConcurrentJobs) or add a node for more.`,
      );
    }
    const message =
      since === undefined
        ? `${waiting}; no node has polled for work since the emulator started ${this.signals.secondsSinceStart()} s ago. Start a node registered to '${ir}', or check that its nodes can reach the emulator.`
        : since > POLL_SILENCE_SECONDS
          ? `${waiting}; no node has polled in the last ${since} s. Check that its nodes are running and can reach the emulator.`
          : `${waiting}; a node polled ${since} s ago.`;
    return say('WaitingForIntegrationRuntime', message);
  }
}

/** The nodes of an IR and the parts they hold, read once per status call. */
interface RuntimeLoad {
  nodes: SchedulingNode[];
  leased: Pick<ScanRunJobEntity, 'leaseNodeId'>[];
}

/** Data source and scan names are case-insensitive, as the API reads them. */
function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

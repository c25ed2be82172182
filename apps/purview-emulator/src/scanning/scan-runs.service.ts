import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { OperationResponse, ScanResultWithIngestion } from '@purview-emulator/contracts';
import { EMULATOR_CONFIG, EmulatorConfig } from '../config/emulator-config';
import { Clock } from '../common/clock';
import { PurviewError } from '../common/errors';
import { TransactionRunner } from '../database/transaction-runner';
import { IntegrationRuntimesService } from '../integration-runtimes/integration-runtimes.service';
import { ScanJobSignals } from './scan-job-signals';
import { ScanRunEntity } from './scan-run.entity';
import { LiveStatus, acceptedOperation, toScanResult } from './scan-run.mapper';
import { MAX_ATTEMPTS, applyCancel, applyIngestedBatch, applyIngestionFailure, failRun, isFinal, newRun, normalizeRunId } from './scan-run.state';
import { ScanRunsRepository } from './scan-runs.repository';
import { ScansService } from './scans.service';
import { ScanLevel } from './scanning-input';

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
    private readonly runtimes: IntegrationRuntimesService,
    private readonly signals: ScanJobSignals,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
  ) {}

  /**
   * Queues a run (202). `runId` is the client's GUID (PUT …/runs/{runId}) or undefined for a server-generated one
   * (POST …/run). A scan without an integration runtime, or whose runtime was deleted, fails at once with the fix.
   */
  async start(dataSourceName: string, scanName: string, runId: string | undefined, scanLevel: ScanLevel): Promise<AcceptedRun> {
    const id = runId ? normalizeRunId(runId) : randomUUID();
    const { scan: current } = await this.scans.require(dataSourceName, scanName);
    const runtime = current.integrationRuntimeName ? await this.runtimes.findByName(current.integrationRuntimeName) : null;
    const run = await this.transactions.run(async (manager) => {
      const { dataSource, scan } = await this.scans.require(dataSourceName, scanName, manager);
      const existing = await this.repository.findById(id, manager);
      if (existing) {
        throw PurviewError.conflict(`A scan run with id '${id}' already exists (scan '${existing.scanName}' of data source '${existing.dataSourceName}', status ${existing.status}). Use a new GUID for each run.`, 'ScanRunAlreadyExists');
      }
      const active = await this.repository.activeRunOf(scan.id, manager);
      if (active) {
        throw PurviewError.conflict(
          `Scan '${scan.name}' of data source '${dataSource.name}' already has run '${active.id}' ${active.status === 'Queued' ? `queued since ${active.queuedTime}` : `in progress since ${active.startTime ?? active.queuedTime}`}. A scan runs one run at a time: wait for it to finish or cancel it (POST …/runs/${active.id}:cancel).`,
          'ScanRunInProgress',
        );
      }
      const now = this.clock.iso();
      const created = newRun({ id, seq: await this.repository.nextSeq(manager), dataSource, scan, scanLevel, now });
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
      }
      await this.repository.insert(created, manager);
      return created;
    });
    if (run.status === 'Queued' && run.integrationRuntimeName) this.signals.notify(run.integrationRuntimeName);
    return { operation: acceptedOperation(run), dataSourceName: run.dataSourceName, scanName: run.scanName, runId: run.id };
  }

  async get(dataSourceName: string, scanName: string, runId: string): Promise<ScanResultWithIngestion> {
    const { scan } = await this.scans.require(dataSourceName, scanName);
    const run = await this.repository.findOfScan(scan.id, normalizeRunId(runId));
    if (!run) throw PurviewError.notFound(`Run of scan '${scan.name}'`, runId, 'ScanRunNotFound');
    return toScanResult(run, this.liveStatus(run));
  }

  /** History, newest first. */
  async list(dataSourceName: string, scanName: string, skip: number, take: number): Promise<{ value: ScanResultWithIngestion[]; count: number }> {
    const { scan } = await this.scans.require(dataSourceName, scanName);
    const [page, count] = await this.repository.page(scan.id, skip, take);
    return { value: page.map((run) => toScanResult(run, this.liveStatus(run))), count };
  }

  /** Cancels a Queued or InProgress run (202); its lease is dropped, so the node's next renew is refused. */
  async cancel(dataSourceName: string, scanName: string, runId: string): Promise<AcceptedRun> {
    const run = await this.transactions.run(async (manager) => {
      const { scan } = await this.scans.require(dataSourceName, scanName, manager);
      const found = await this.repository.findOfScan(scan.id, normalizeRunId(runId), manager);
      if (!found) throw PurviewError.notFound(`Run of scan '${scan.name}'`, runId, 'ScanRunNotFound');
      if (isFinal(found)) {
        throw PurviewError.conflict(`Run '${found.id}' has already finished with status ${found.status}; only Queued or InProgress runs can be canceled.`, 'ScanRunAlreadyFinished');
      }
      applyCancel(found, this.clock.iso());
      await this.repository.save(found, manager);
      return found;
    });
    return { operation: acceptedOperation(run), dataSourceName: run.dataSourceName, scanName: run.scanName, runId: run.id };
  }

  /**
   * Ingestion consumed one batch of a run. Deduplicated on (runId, batchId) in `scan_run_batches`, so a redelivered
   * batch changes nothing ('duplicate'). When discovery has completed and every announced batch is in, the run
   * succeeds.
   */
  async recordIngestedBatch(runId: string, batchId: string, result: { assetsSucceeded: number; assetsFailed: number; relationships: number }): Promise<'recorded' | 'duplicate' | 'unknown-run'> {
    const id = normalizeRunId(runId);
    return this.transactions.run(async (manager) => {
      const run = await this.repository.findById(id, manager);
      if (!run) return 'unknown-run';
      if (await this.repository.findBatch(id, batchId, manager)) return 'duplicate';
      const now = this.clock.iso();
      await this.repository.insertBatch({ runId: id, batchId, assetsSucceeded: result.assetsSucceeded, assetsFailed: result.assetsFailed, relationships: result.relationships, recordedAt: now }, manager);
      applyIngestedBatch(run, result, now);
      await this.repository.save(run, manager);
      return 'recorded';
    });
  }

  /** A batch of the run can never be ingested (poison message): the run fails with `message`. */
  async failIngestion(runId: string, message: string): Promise<void> {
    await this.transactions.run(async (manager) => {
      const run = await this.repository.findById(normalizeRunId(runId), manager);
      if (!run) return;
      applyIngestionFailure(run, message, this.clock.iso());
      await this.repository.save(run, manager);
    });
  }

  /** Why a run is where it is, in plain words, for `emulatorDiagnostics.reason` (and a notification while it waits). */
  private liveStatus(run: ScanRunEntity): LiveStatus | undefined {
    if (run.status === 'Queued' && run.integrationRuntimeName) {
      const ir = run.integrationRuntimeName;
      const since = this.signals.secondsSinceLastPoll(ir);
      const waiting = `Waiting for a node of integration runtime '${ir}' to pick up the run`;
      const message =
        since === undefined
          ? `${waiting}; no node has polled for work since the emulator started ${this.signals.secondsSinceStart()} s ago. Start a node registered to '${ir}', or check that its nodes can reach the emulator.`
          : since > POLL_SILENCE_SECONDS
            ? `${waiting}; no node has polled in the last ${since} s. Check that its nodes are running and can reach the emulator (a node busy with as many runs as it may run at once does not poll).`
            : `${waiting}; a node polled ${since} s ago, so its nodes are probably busy with other runs.`;
      return { reason: message, notification: { code: 'WaitingForIntegrationRuntime', message } };
    }
    if (run.status !== 'InProgress') return undefined;
    if (run.leaseId) {
      return {
        reason: `Running on node '${run.leaseNodeName}' (attempt ${run.attempt} of ${MAX_ATTEMPTS}): ${run.assetsDiscovered} assets discovered, ${run.assetsClassified} classified, ${run.batchesUploaded} batches uploaded so far. Its lease runs to ${run.leaseExpiresAt} unless renewed (every lease lasts ${this.config.jobLeaseSeconds} s).`,
      };
    }
    if (run.discoveryStatus === 'Succeeded') {
      const message = `Discovery finished; waiting for ingestion: ${run.batchesIngested} of ${run.batchCount ?? '?'} batches ingested into the data map.`;
      return { reason: message, notification: { code: 'WaitingForIngestion', message } };
    }
    return undefined;
  }
}

import { Inject, Injectable } from '@nestjs/common';
import {
  ScanNotificationCode,
  type ScanNotificationName,
  type ScanResultWithIngestion,
} from '@purview-emulator/contracts';
import { EMULATOR_CONFIG, EmulatorConfig } from '../config/emulator-config';
import { Clock } from '../common/clock';
import { IntegrationRuntimeDirectory, SchedulingNode } from '../integration-runtimes/integration-runtime-directory';
import { ScanJobSignals } from './scan-job-signals';
import { ScanRunEntity } from './scan-run.entity';
import { ScanRunJobEntity } from './scan-run-job.entity';
import { LiveStatus, toScanResult } from './scan-run.mapper';
import { MAX_ATTEMPTS, isDiscoveryDone, isFinal } from './scan-run.state';
import { ScanRunsRepository } from './scan-runs.repository';

/** After this long without a lease call from an IR, a waiting run says its nodes seem gone (long polls last ≤ 30 s). */
const POLL_SILENCE_SECONDS = 35;

/**
 * Where a run stands right now, in plain words: which node runs which part, what a queued run waits for (no node,
 * none online, no capacity, no poll), and what ingestion still has to do. Read when a client asks for a run or its
 * history; nothing here changes state.
 */
@Injectable()
export class ScanRunLiveStatus {
  constructor(
    @Inject(EMULATOR_CONFIG) private readonly config: EmulatorConfig,
    private readonly repository: ScanRunsRepository,
    private readonly runtimes: IntegrationRuntimeDirectory,
    private readonly signals: ScanJobSignals,
    private readonly clock: Clock,
  ) {}

  /** Runs as `ScanResultWithIngestion`, each with its live status (nodes and parts are read once per call). */
  async withLiveStatus(runs: ScanRunEntity[]): Promise<ScanResultWithIngestion[]> {
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

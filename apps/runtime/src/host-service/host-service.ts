import type { HeartbeatRequest, ScanJob } from '@purview-emulator/contracts';
import { RuntimeClient } from '../client/runtime-client';
import type { NodeConfig } from '../home/node-config';
import type { HomePaths } from '../home/paths';
import type { Logger } from '../log';
import { availableMemoryMb, cpuUtilization } from '../machine';
import { describeError } from '../redact';
import { RECONNECT_INITIAL_MS, type HostServiceSettings } from '../settings';
import { RUNTIME_VERSION } from '../version';
import { Backoff } from './backoff';
import type { BatchLimits } from './batcher';
import { ConnectionMonitor } from './connection';
import { runHeartbeatLoop } from './heartbeat-loop';
import { azureIngestionSink, type IngestionSinkFactory } from './ingestion-sink';
import { runScanJob } from './job-runner';
import { runLeaseLoop } from './lease-loop';
import { azureStorageScanner, type Scanner } from './scanner';

export interface HostServiceOptions {
  paths: HomePaths;
  config: NodeConfig;
  /** The node credential in clear (decrypted from the home). */
  credential: string;
  settings: HostServiceSettings;
  logger: Logger;
  scanner?: Scanner;
  ingestion?: IngestionSinkFactory;
  batchLimits?: BatchLimits;
  /** Long-poll wait of each lease call (default 20 s). */
  leaseWaitSeconds?: number;
  progressIntervalMs?: number;
  random?: () => number;
}

/** Why the host service ended: asked to stop, or the service no longer accepts this node. */
export type HostServiceExit = 'stopped' | 'revoked';

/**
 * The Integration Runtime host service of one node: heartbeats, a lease loop and the jobs it runs, with the
 * connection state kept in `<home>/state.json`. `run()` resolves once everything has wound down after `stop()`
 * (jobs are abandoned, not failed: their leases expire and the emulator queues the runs again) or a revocation.
 */
export class HostService {
  private readonly abort = new AbortController();
  private readonly client: RuntimeClient;
  private readonly monitor: ConnectionMonitor;
  private readonly running = new Map<string, Promise<void>>();
  private readonly slotWaiters = new Set<() => void>();
  private serviceJobsLimit?: number;

  constructor(private readonly options: HostServiceOptions) {
    const { config, logger, paths } = options;
    this.client = new RuntimeClient({ baseUrl: config.emulatorUrl, credential: options.credential });
    this.monitor = new ConnectionMonitor({ paths, logger, endpoint: config.emulatorUrl, nodeName: config.node.name, integrationRuntimeName: config.integrationRuntime.name });
    logger.addSecret(options.credential);
  }

  get connection(): ConnectionMonitor {
    return this.monitor;
  }

  get runningJobs(): number {
    return this.running.size;
  }

  /** Jobs this node takes at once: the local limit, lowered to the service's concurrentJobsLimit when smaller. */
  get jobsLimit(): number {
    const local = this.options.settings.maxConcurrentJobs;
    return this.serviceJobsLimit === undefined ? local : Math.max(1, Math.min(local, this.serviceJobsLimit));
  }

  stop(): void {
    this.abort.abort();
  }

  get stopping(): boolean {
    return this.abort.signal.aborted;
  }

  async run(): Promise<HostServiceExit> {
    const { config, logger, settings } = this.options;
    const signal = this.abort.signal;
    logger.info(
      `Integration Runtime (Self-hosted) host service ${RUNTIME_VERSION} starting: node '${config.node.name}' of integration runtime '${config.integrationRuntime.name}', account '${config.accountName}', service ${config.emulatorUrl}, up to ${settings.maxConcurrentJobs} concurrent jobs`,
    );
    this.monitor.start();
    const backoff = () => new Backoff({ initialMs: RECONNECT_INITIAL_MS, maxMs: settings.reconnectMaxMs, random: this.options.random });

    const leasing = runLeaseLoop({
      client: this.client,
      monitor: this.monitor,
      backoff: backoff(),
      logger,
      signal,
      slots: { free: () => this.jobsLimit - this.running.size, waitForFree: (s) => this.waitForFreeSlot(s) },
      startJob: (job) => this.startJob(job),
      waitSeconds: this.options.leaseWaitSeconds,
    });
    const exit = await runHeartbeatLoop({
      client: this.client,
      monitor: this.monitor,
      backoff: backoff(),
      logger,
      signal,
      initialIntervalSeconds: config.heartbeatIntervalSeconds,
      request: () => this.heartbeatRequest(),
      onResponse: (response) => this.applyServiceLimit(response.concurrentJobsLimit),
    });
    this.abort.abort();
    await leasing.catch((error: unknown) => logger.error(`The lease loop failed: ${describeError(error)}`));
    await Promise.allSettled([...this.running.values()]);
    if (exit === 'stopped') this.monitor.disconnected();
    logger.info(exit === 'stopped' ? 'Host service stopped' : 'Host service stopped: this node is no longer registered');
    return exit;
  }

  private heartbeatRequest(): HeartbeatRequest {
    return { version: RUNTIME_VERSION, runningJobs: this.running.size, availableMemoryMb: availableMemoryMb(), cpuUtilization: cpuUtilization() };
  }

  private applyServiceLimit(limit: number | undefined): void {
    if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1) return;
    const before = this.jobsLimit;
    this.serviceJobsLimit = limit;
    if (this.jobsLimit !== before) {
      this.options.logger.info(`Running up to ${this.jobsLimit} jobs at once (node limit ${this.options.settings.maxConcurrentJobs}, integration runtime's concurrentJobsLimit ${limit})`);
      this.releaseSlotWaiters();
    }
  }

  private startJob(job: ScanJob): void {
    if (this.running.has(job.jobId)) return;
    const done = runScanJob(
      job,
      { client: this.client, scanner: this.options.scanner ?? azureStorageScanner, ingestion: this.options.ingestion ?? azureIngestionSink, logger: this.options.logger, batchLimits: this.options.batchLimits, progressIntervalMs: this.options.progressIntervalMs },
      this.abort.signal,
    ).then(
      () => undefined,
      (error: unknown) => this.options.logger.error(`Scan run ${job.scanRun.runId}: ${describeError(error)}`),
    );
    this.running.set(job.jobId, done);
    this.monitor.setRunningJobs(this.running.size);
    void done.finally(() => {
      this.running.delete(job.jobId);
      if (this.monitor.state !== 'Disconnected') this.monitor.setRunningJobs(this.running.size);
      this.releaseSlotWaiters();
    });
  }

  private waitForFreeSlot(signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.slotWaiters.delete(done);
        signal.removeEventListener('abort', done);
        resolve();
      };
      this.slotWaiters.add(done);
      signal.addEventListener('abort', done, { once: true });
    });
  }

  private releaseSlotWaiters(): void {
    for (const resolve of [...this.slotWaiters]) resolve();
  }
}

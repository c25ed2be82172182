import type { HeartbeatRequest, HeartbeatResponse, ScanJob } from '@purview-emulator/contracts';
import { RuntimeClient } from '../client/runtime-client';
import type { NodeConfig } from '../home/node-config';
import type { HomePaths } from '../home/paths';
import { EVENT_MESSAGES, EventLog, type Logger } from '../log';
import { NetworkContext } from '../network/network-context';
import { availableMemoryMb, cpuUtilization } from '../machine';
import { describeError } from '../redact';
import { RECONNECT_INITIAL_MS, type HostServiceSettings } from '../settings';
import { RUNTIME_VERSION } from '../version';
import { RelayListener, fetchRelayConnection } from '../relay/relay-listener';
import { Backoff } from './backoff';
import type { BatchLimits } from './batcher';
import { ConnectionMonitor } from './connection';
import { runHeartbeatLoop } from './heartbeat-loop';
import { azureIngestionSinkWith, type IngestionSinkFactory } from './ingestion-sink';
import { runScanJob } from './job-runner';
import { runLeaseLoop } from './lease-loop';
import { interactiveRelayHandler } from '../interactive/relay-handler';
import { azureStorageScannerWith, type Scanner } from './scanner';

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
  /** The version the node reports (default RUNTIME_VERSION); auto-update changes it. */
  version?: string;
  /** Called once the node adopted a version pushed by auto-update (to keep it in the home). */
  onVersionAdopted?: (version: string) => void;
  /** Proxy settings and connections (default: from the home's proxy.json, reloaded when it changes). */
  network?: NetworkContext;
  /** The event log (default: <home>/logs/events-*.log). */
  eventLog?: EventLog;
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
  private currentVersion: string;
  /** Auto-update: the version being installed, and whether a heartbeat already said so (`upgrading`). */
  private upgrade?: { to: string; reported: boolean };
  private lastNodeStatus?: string;
  private lastVersionStatus?: string;

  /** One proxy setting for every connection: emulator, storage, relay. */
  readonly network: NetworkContext;
  /** The listener on the IR's hybrid connection; plug request handlers (interactive authoring) in with `relay.onRequest`. */
  readonly relay: RelayListener;

  constructor(private readonly options: HostServiceOptions) {
    const { config, logger, paths } = options;
    logger.attachEventLog?.(options.eventLog ?? EventLog.forHome(paths.home));
    this.network = options.network ?? NetworkContext.forHome(paths.home);
    for (const secret of this.network.secrets) logger.addSecret(secret);
    this.client = new RuntimeClient({
      baseUrl: config.emulatorUrl,
      credential: options.credential,
      dispatcher: () => this.network.dispatcher,
    });
    this.monitor = new ConnectionMonitor({
      paths,
      logger,
      endpoint: config.emulatorUrl,
      nodeName: config.node.name,
      integrationRuntimeName: config.integrationRuntime.name,
    });
    logger.addSecret(options.credential);
    this.currentVersion = options.version ?? RUNTIME_VERSION;
    this.relay = new RelayListener({
      connection: (signal) =>
        fetchRelayConnection({
          baseUrl: config.emulatorUrl,
          credential: options.credential,
          signal,
          dispatcher: this.network.dispatcher,
        }),
      logger,
      backoff: new Backoff({
        initialMs: RECONNECT_INITIAL_MS,
        maxMs: options.settings.reconnectMaxMs,
        random: options.random,
      }),
      agent: (url) => this.network.wsAgent(url),
      nodeName: config.node.name,
    });
    // Interactive authoring: requests from the emulator arrive through the relay and go to the source from here.
    this.relay.onRequest(
      interactiveRelayHandler({
        nodeName: config.node.name,
        logger,
        storageOptions: (url) => this.network.storagePipelineOptions(url),
      }),
    );
  }

  /** The version this node reports now. */
  get version(): string {
    return this.currentVersion;
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
      `Integration Runtime (Self-hosted) host service ${this.currentVersion} starting: node '${config.node.name}' of integration runtime '${config.integrationRuntime.name}', account '${config.accountName}', service ${config.emulatorUrl}, up to ${settings.maxConcurrentJobs} concurrent jobs`,
    );
    this.monitor.start();
    const stopWatching = this.watchNetwork();
    this.relay.start();
    const backoff = () =>
      new Backoff({ initialMs: RECONNECT_INITIAL_MS, maxMs: settings.reconnectMaxMs, random: this.options.random });

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
      onResponse: (response) => {
        this.applyServiceLimit(response.concurrentJobsLimit);
        this.applyServiceView(response);
      },
    });
    this.abort.abort();
    await leasing.catch((error: unknown) => logger.error(`The lease loop failed: ${describeError(error)}`));
    await this.relay.stop();
    await Promise.allSettled([...this.running.values()]);
    if (exit === 'stopped') this.monitor.disconnected();
    stopWatching();
    if (!this.options.network) void this.network.close().catch(() => undefined);
    logger.info(
      exit === 'stopped' ? 'Host service stopped' : 'Host service stopped: this node is no longer registered',
    );
    return exit;
  }

  /**
   * The network side of the SHIR: new proxy settings (`shir proxy set` writes proxy.json) restart every connection;
   * a service unreachable for the offline period restarts them too, with the SHIR's event-log message.
   */
  private watchNetwork(): () => void {
    const { logger, config } = this.options;
    logger.info(`Network: ${this.network.describeRoute(config.emulatorUrl)} to ${config.emulatorUrl}`);
    const offSettings = this.network.onSettingsChanged((plan) => {
      for (const secret of plan.secrets) logger.addSecret(secret);
      logger.warn(
        `${EVENT_MESSAGES.proxySettingsChanged.message} Now: ${this.network.describeRoute(config.emulatorUrl)} to ${config.emulatorUrl}`,
        { event: EVENT_MESSAGES.proxySettingsChanged.event, proxyMode: plan.settings.mode },
      );
    });
    const restartAfterMs = Math.max(1, config.offlineAfterSeconds || 15) * 1000;
    let timer: NodeJS.Timeout | undefined;
    const offLoss = this.monitor.onLoss(() => {
      if (timer || this.monitor.state !== 'Connecting' || this.stopping) return;
      timer = setTimeout(() => {
        timer = undefined;
        if (this.monitor.state !== 'Connecting' || this.stopping) return;
        logger.error(EVENT_MESSAGES.componentRestart.message, {
          event: EVENT_MESSAGES.componentRestart.event,
          reason: this.monitor.snapshot.lastError ?? undefined,
        });
        this.network.restartConnections();
      }, restartAfterMs);
      timer.unref?.();
    });
    return () => {
      offSettings();
      offLoss();
      if (timer) clearTimeout(timer);
    };
  }

  private heartbeatRequest(): HeartbeatRequest {
    const upgrading = this.upgrade !== undefined;
    if (this.upgrade) this.upgrade.reported = true;
    // relayConnected is left out until the first relay attempt ends, so a starting node is not shown Limited.
    const relay = this.relay.state === 'connecting' ? {} : { relayConnected: this.relay.connected };
    return {
      version: this.currentVersion,
      runningJobs: this.running.size,
      availableMemoryMb: availableMemoryMb(),
      cpuUtilization: cpuUtilization(),
      ...relay,
      ...(upgrading ? { upgrading: true } : {}),
    };
  }

  /**
   * Auto-update and the node's status as the service sees it. `updateTo` makes the node report `upgrading` on its
   * next heartbeat; once that heartbeat went through, it adopts the new version (kept in the home by the caller).
   */
  private applyServiceView(response: HeartbeatResponse): void {
    const { logger } = this.options;
    if (response.nodeStatus && response.nodeStatus !== this.lastNodeStatus) {
      if (response.nodeStatus !== 'Online' && response.nodeStatus !== 'Upgrading')
        logger.warn(
          `The integration service reports this node ${response.nodeStatus}${response.statusReason ? `: ${response.statusReason}` : ''}`,
        );
      else if (this.lastNodeStatus !== undefined)
        logger.info(`The integration service reports this node ${response.nodeStatus}`);
      this.lastNodeStatus = response.nodeStatus;
    }
    if (response.versionStatus && response.versionStatus !== this.lastVersionStatus) {
      if (response.versionStatus === 'Expired')
        logger.error(
          `This node's version ${this.currentVersion} has expired: the integration service no longer gives it jobs. Turn auto-update on ('shir auto-update on') or upgrade the runtime.`,
        );
      else if (response.versionStatus === 'Expiring')
        logger.warn(`This node's version ${this.currentVersion} expires soon (latest ${response.latestVersion}).`);
      this.lastVersionStatus = response.versionStatus;
    }
    if (this.upgrade?.reported) {
      const from = this.currentVersion;
      this.currentVersion = this.upgrade.to;
      this.upgrade = undefined;
      logger.info(`Integration Runtime upgraded from ${from} to ${this.currentVersion}`);
      try {
        this.options.onVersionAdopted?.(this.currentVersion);
      } catch (error) {
        logger.warn(`Cannot keep the new version in the home: ${describeError(error)}`);
      }
      return;
    }
    if (
      !this.upgrade &&
      response.updateTo &&
      response.updateTo !== this.currentVersion &&
      /^\d+\.\d+\.\d+\.\d+$/.test(response.updateTo)
    ) {
      this.upgrade = { to: response.updateTo, reported: false };
      logger.info(`Auto-update: upgrading Integration Runtime from ${this.currentVersion} to ${response.updateTo}`);
    }
  }

  private applyServiceLimit(limit: number | undefined): void {
    if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1) return;
    const before = this.jobsLimit;
    this.serviceJobsLimit = limit;
    if (this.jobsLimit !== before) {
      this.options.logger.info(
        `Running up to ${this.jobsLimit} jobs at once (node limit ${this.options.settings.maxConcurrentJobs}, integration runtime's concurrentJobsLimit ${limit})`,
      );
      this.releaseSlotWaiters();
    }
  }

  private startJob(job: ScanJob): void {
    if (this.running.has(job.jobId)) return;
    const done = runScanJob(
      job,
      {
        client: this.client,
        scanner: this.options.scanner ?? azureStorageScannerWith((url) => this.network.storagePipelineOptions(url)),
        ingestion: this.options.ingestion ?? azureIngestionSinkWith((url) => this.network.storagePipelineOptions(url)),
        logger: this.options.logger,
        batchLimits: this.options.batchLimits,
        progressIntervalMs: this.options.progressIntervalMs,
      },
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

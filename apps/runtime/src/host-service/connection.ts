import { EmulatorError, UnreachableError } from '../client/errors';
import type { HomePaths } from '../home/paths';
import { type ConnectionState, type HostServiceState, writeHostServiceState } from '../home/state-file';
import { EVENT_MESSAGES, type Logger } from '../log';
import { describeError } from '../redact';

export interface ConnectionMonitorOptions {
  paths: HomePaths;
  logger: Logger;
  endpoint: string;
  nodeName: string;
  integrationRuntimeName: string;
  pid?: number;
  now?: () => Date;
}

/** What went wrong with a call to the service, in one line for logs and state.json. */
export function describeConnectionError(error: unknown): string {
  if (error instanceof EmulatorError) return `HTTP ${error.status} ${error.code}: ${error.message}`;
  return describeError(error);
}

/**
 * The host service's connection to the integration service (Connected / Connecting / Disconnected, as
 * Configuration Manager shows it). Every change is logged once and written to `<home>/state.json` for `shir status`.
 */
export class ConnectionMonitor {
  private current: HostServiceState;
  private readonly connectedWaiters = new Set<() => void>();
  private readonly lossListeners = new Set<() => void>();
  private readonly now: () => Date;

  constructor(private readonly options: ConnectionMonitorOptions) {
    this.now = options.now ?? (() => new Date());
    this.current = {
      pid: options.pid ?? process.pid,
      state: 'Connecting',
      since: this.now().toISOString(),
      lastHeartbeatAt: null,
      lastError: null,
      runningJobs: 0,
    };
  }

  get state(): ConnectionState {
    return this.current.state;
  }

  get snapshot(): Readonly<HostServiceState> {
    return this.current;
  }

  /** Writes the initial Connecting state. */
  start(): void {
    this.write();
  }

  /** A heartbeat went through. */
  heartbeatSucceeded(): void {
    const now = this.now().toISOString();
    const wasConnected = this.current.state === 'Connected';
    this.current = {
      ...this.current,
      state: 'Connected',
      since: wasConnected ? this.current.since : now,
      lastHeartbeatAt: now,
      lastError: wasConnected ? this.current.lastError : null,
    };
    this.write();
    if (!wasConnected) {
      const { endpoint, nodeName, integrationRuntimeName } = this.options;
      this.options.logger.info(
        `Connected to ${endpoint} as node '${nodeName}' of integration runtime '${integrationRuntimeName}'`,
      );
      for (const resolve of [...this.connectedWaiters]) resolve();
    }
  }

  /** A call failed because the service is unreachable or failing: Connecting, until a heartbeat goes through again. */
  connectionLost(error: unknown): void {
    if (this.current.state === 'Disconnected') return;
    const reason = describeConnectionError(error);
    const wasConnecting = this.current.state === 'Connecting';
    if (wasConnecting && this.current.lastError === reason) return;
    this.current = {
      ...this.current,
      state: 'Connecting',
      since: wasConnecting ? this.current.since : this.now().toISOString(),
      lastError: reason,
    };
    this.write();
    // The SHIR's event-log message when the service cannot be reached (DNS, TCP, TLS, proxy), then the concrete reason.
    const unreachable =
      error instanceof UnreachableError
        ? {
            prefix: `${EVENT_MESSAGES.unableToConnect.message}. `,
            fields: { event: EVENT_MESSAGES.unableToConnect.event },
          }
        : { prefix: '', fields: undefined };
    if (!wasConnecting)
      this.options.logger.warn(
        `Lost the connection to ${this.options.endpoint}: ${unreachable.prefix}${reason} Reconnecting…`,
        unreachable.fields,
      );
    else
      this.options.logger.warn(
        `Still connecting to ${this.options.endpoint}: ${unreachable.prefix}${reason}`,
        unreachable.fields,
      );
    for (const resolve of [...this.lossListeners]) resolve();
  }

  /** The host service stopped (shutdown, or the credential was revoked). */
  disconnected(reason?: string): void {
    this.current = {
      ...this.current,
      state: 'Disconnected',
      since: this.now().toISOString(),
      runningJobs: 0,
      ...(reason ? { lastError: reason } : {}),
    };
    this.write();
    for (const resolve of [...this.connectedWaiters, ...this.lossListeners]) resolve();
  }

  setRunningJobs(count: number): void {
    if (this.current.runningJobs === count) return;
    this.current = { ...this.current, runningJobs: count };
    this.write();
  }

  /** Resolves once Connected (at once if already), or when `signal` aborts or the monitor is Disconnected. */
  waitUntilConnected(signal: AbortSignal): Promise<void> {
    if (this.current.state !== 'Connecting' || signal.aborted) return Promise.resolve();
    return this.waitOn(this.connectedWaiters, signal);
  }

  /** Calls `listener` whenever the connection is reported lost (or the monitor stops); returns the unsubscribe. */
  onLoss(listener: () => void): () => void {
    this.lossListeners.add(listener);
    return () => this.lossListeners.delete(listener);
  }

  private waitOn(waiters: Set<() => void>, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        waiters.delete(done);
        signal.removeEventListener('abort', done);
        resolve();
      };
      waiters.add(done);
      signal.addEventListener('abort', done, { once: true });
    });
  }

  private write(): void {
    try {
      writeHostServiceState(this.options.paths, this.current);
    } catch (error) {
      this.options.logger.warn(`Cannot write ${this.options.paths.state}: ${describeError(error)}`);
    }
  }
}

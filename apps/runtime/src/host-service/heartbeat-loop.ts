import type { HeartbeatRequest, HeartbeatResponse } from '@purview-emulator/contracts';
import { type EmulatorError, isCredentialRejected } from '../client/errors';
import type { RuntimeClient } from '../client/runtime-client';
import type { Logger } from '../log';
import type { Backoff } from './backoff';
import type { ConnectionMonitor } from './connection';
import { sleep } from './sleep';

export interface HeartbeatLoopOptions {
  client: RuntimeClient;
  monitor: ConnectionMonitor;
  backoff: Backoff;
  logger: Logger;
  signal: AbortSignal;
  /** Seconds between heartbeats until the service says otherwise (from registration). */
  initialIntervalSeconds: number;
  request: () => HeartbeatRequest;
  onResponse?: (response: HeartbeatResponse) => void;
  timeoutMs?: number;
}

/** Heartbeat intervals are kept within 0.1 s and 5 min, whatever the service sends. */
export function heartbeatIntervalMs(seconds: number | undefined, fallbackSeconds: number): number {
  const value = typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0 ? seconds : fallbackSeconds;
  return Math.round(Math.min(300, Math.max(0.1, value)) * 1000);
}

/**
 * Sends a heartbeat every heartbeatIntervalSeconds while connected. Failures make the node Connecting and are retried
 * with backoff; a loss reported by another loop wakes it at once. Ends with 'stopped' when `signal` aborts, or
 * 'revoked' when the service answers 401: the node credential is no longer valid.
 */
export async function runHeartbeatLoop(options: HeartbeatLoopOptions): Promise<'stopped' | 'revoked'> {
  const { client, monitor, backoff, signal } = options;
  let intervalMs = heartbeatIntervalMs(options.initialIntervalSeconds, 10);
  while (!signal.aborted) {
    try {
      const response = await client.heartbeat(options.request(), { signal, timeoutMs: options.timeoutMs ?? 10_000 });
      backoff.reset();
      monitor.heartbeatSucceeded();
      intervalMs = heartbeatIntervalMs(response.heartbeatIntervalSeconds, intervalMs / 1000);
      options.onResponse?.(response);
      let wake!: () => void;
      const woken = new Promise<void>((resolve) => (wake = resolve));
      const unsubscribe = monitor.onLoss(wake);
      await sleep(intervalMs, signal, woken);
      unsubscribe();
    } catch (error) {
      if (signal.aborted) break;
      if (isCredentialRejected(error)) {
        const { message, code } = error as EmulatorError;
        const hint = /register/i.test(message)
          ? ''
          : ' The node was removed from its integration runtime, or the runtime was deleted; register this machine again with a current authentication key.';
        const reason = `The integration service rejected this node's credential, so the node is no longer registered: ${message} (HTTP 401 ${code}).${hint}`;
        options.logger.error(reason);
        monitor.disconnected(reason);
        return 'revoked';
      }
      monitor.connectionLost(error);
      await sleep(backoff.next(), signal);
    }
  }
  return 'stopped';
}

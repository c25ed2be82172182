import type { ScanJob } from '@purview-emulator/contracts';
import { isCredentialRejected, isTransient } from '../client/errors';
import type { RuntimeClient } from '../client/runtime-client';
import type { Logger } from '../log';
import type { Backoff } from './backoff';
import { type ConnectionMonitor, describeConnectionError } from './connection';
import { sleep } from './sleep';

/** The node's job slots: how many jobs it may run now, and a way to wait for one to free up. */
export interface JobSlots {
  free(): number;
  /** Resolves when a running job ends (or `signal` aborts). */
  waitForFree(signal: AbortSignal): Promise<void>;
}

export interface LeaseLoopOptions {
  client: RuntimeClient;
  monitor: ConnectionMonitor;
  backoff: Backoff;
  logger: Logger;
  signal: AbortSignal;
  slots: JobSlots;
  startJob: (job: ScanJob) => void;
  /** Long-poll wait of each lease call (default 20 s). */
  waitSeconds?: number;
}

/** The protocol's cap on maxJobs per lease call. */
const MAX_JOBS_PER_LEASE = 64;

/**
 * Leases jobs while connected: a long poll asking for as many jobs as there are free slots, each job handed to
 * `startJob`. A connection failure reports the loss (the heartbeat loop reconnects) and waits for Connected again.
 */
export async function runLeaseLoop(options: LeaseLoopOptions): Promise<void> {
  const { client, monitor, backoff, signal, slots } = options;
  while (!signal.aborted) {
    await monitor.waitUntilConnected(signal);
    if (signal.aborted || monitor.state === 'Disconnected') return;
    const free = slots.free();
    if (free <= 0) {
      await slots.waitForFree(signal);
      continue;
    }
    try {
      const response = await client.leaseJobs(
        { maxJobs: Math.min(free, MAX_JOBS_PER_LEASE), waitSeconds: options.waitSeconds ?? 20 },
        { signal },
      );
      backoff.reset();
      for (const job of response.jobs ?? []) options.startJob(job);
    } catch (error) {
      if (signal.aborted) return;
      if (isTransient(error) || isCredentialRejected(error)) {
        // The heartbeat loop reconnects (or finds the credential revoked); wait for it.
        monitor.connectionLost(error);
      } else {
        options.logger.warn(`Leasing jobs failed: ${describeConnectionError(error)}`);
      }
      await sleep(backoff.next(), signal);
    }
  }
}

import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { Clock } from '../common/clock';

interface Waiter {
  resolve: () => void;
  timer: NodeJS.Timeout;
}

/**
 * In-process signals between the scan-run API and long-polling nodes, per integration runtime (names compared
 * case-insensitively): "a run was queued for this IR" wakes waiting lease calls at once, and the time of each IR's
 * last lease call explains a waiting run. Nothing here needs to survive a restart: nodes simply poll again.
 *
 * Each IR has a version that `notify` bumps. A lease call reads the version BEFORE looking for work and waits only
 * if the version is unchanged, so a run queued between "found nothing" and "start waiting" is never missed.
 */
@Injectable()
export class ScanJobSignals implements OnModuleDestroy {
  private readonly versions = new Map<string, number>();
  private readonly waiters = new Map<string, Set<Waiter>>();
  private readonly lastPolls = new Map<string, number>();
  private readonly startedMs: number;
  private closed = false;

  constructor(private readonly clock: Clock) {
    this.startedMs = clock.nowMs();
  }

  version(integrationRuntimeName: string): number {
    return this.versions.get(key(integrationRuntimeName)) ?? 0;
  }

  notify(integrationRuntimeName: string): void {
    const k = key(integrationRuntimeName);
    this.versions.set(k, (this.versions.get(k) ?? 0) + 1);
    const waiting = this.waiters.get(k);
    if (!waiting) return;
    this.waiters.delete(k);
    for (const waiter of waiting) {
      clearTimeout(waiter.timer);
      waiter.resolve();
    }
  }

  /** Resolves when `notify` runs for this IR after `seenVersion` was read, after `timeoutMs`, or at shutdown. */
  waitForWork(integrationRuntimeName: string, seenVersion: number, timeoutMs: number): Promise<void> {
    if (this.closed || timeoutMs <= 0 || this.version(integrationRuntimeName) !== seenVersion) return Promise.resolve();
    const k = key(integrationRuntimeName);
    return new Promise<void>((resolve) => {
      const set = this.waiters.get(k) ?? new Set<Waiter>();
      this.waiters.set(k, set);
      const waiter: Waiter = {
        resolve,
        timer: setTimeout(() => {
          set.delete(waiter);
          if (set.size === 0 && this.waiters.get(k) === set) this.waiters.delete(k);
          resolve();
        }, timeoutMs),
      };
      set.add(waiter);
    });
  }

  /** How many lease calls of this IR are waiting for work right now (tests wait on it instead of sleeping). */
  waitingCalls(integrationRuntimeName: string): number {
    return this.waiters.get(key(integrationRuntimeName))?.size ?? 0;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  recordPoll(integrationRuntimeName: string): void {
    this.lastPolls.set(key(integrationRuntimeName), this.clock.nowMs());
  }

  /** Seconds since a node of this IR last asked for work, or undefined if none has since the emulator started. */
  secondsSinceLastPoll(integrationRuntimeName: string): number | undefined {
    const last = this.lastPolls.get(key(integrationRuntimeName));
    return last === undefined ? undefined : Math.max(0, Math.round((this.clock.nowMs() - last) / 1000));
  }

  secondsSinceStart(): number {
    return Math.max(0, Math.round((this.clock.nowMs() - this.startedMs) / 1000));
  }

  /** Releases every waiting lease call so shutdown never waits for a long poll. */
  onModuleDestroy(): void {
    this.closed = true;
    for (const set of this.waiters.values()) {
      for (const waiter of set) {
        clearTimeout(waiter.timer);
        waiter.resolve();
      }
    }
    this.waiters.clear();
  }
}

function key(name: string): string {
  return name.toLowerCase();
}

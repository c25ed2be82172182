import { Injectable } from '@nestjs/common';

/**
 * The emulator's notion of "now". Everything time-dependent (node liveness, leases, token expiry, triggers) asks the
 * clock, so tests can move time instead of sleeping. An offset may be set through the emulator control API; whoever
 * must act at once when time jumps (the trigger scheduler) listens with `onChange`.
 */
@Injectable()
export class Clock {
  private offset = 0;
  private readonly listeners = new Set<() => void | Promise<void>>();
  private settling: Promise<unknown> = Promise.resolve();

  now(): Date {
    return new Date(Date.now() + this.offset);
  }

  nowMs(): number {
    return Date.now() + this.offset;
  }

  iso(): string {
    return this.now().toISOString();
  }

  offsetMs(): number {
    return this.offset;
  }

  setOffset(ms: number): void {
    const changed = ms !== this.offset;
    this.offset = ms;
    if (changed) this.settling = Promise.allSettled([...this.listeners].map(async (listener) => listener()));
  }

  /** Resolves when the listeners of the last change are done (what a change set off has happened). */
  async settled(): Promise<void> {
    await this.settling;
  }

  /** Calls `listener` after each change of the offset (see `settled`); returns the unsubscribe function. */
  onChange(listener: () => void | Promise<void>): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/**
 * Exponential backoff with jitter. The n-th delay (n from 0) lies in [ceiling/2, ceiling] where
 * ceiling = min(maxMs, initialMs · 2^n): waits grow quickly, never exceed the cap, and nodes that lost the
 * service at the same moment do not come back in lockstep.
 */
export class Backoff {
  private attempt = 0;

  constructor(private readonly options: { initialMs: number; maxMs: number; random?: () => number }) {}

  /** The delay before the next attempt; each call counts one more failure. */
  next(): number {
    const initial = Math.max(1, Math.min(this.options.initialMs, this.options.maxMs));
    const ceiling = Math.min(this.options.maxMs, initial * 2 ** Math.min(this.attempt, 30));
    this.attempt++;
    const random = this.options.random ?? Math.random;
    return Math.round(ceiling / 2 + random() * (ceiling / 2));
  }

  /** After a success: the next failure starts from the initial delay again. */
  reset(): void {
    this.attempt = 0;
  }

  get failures(): number {
    return this.attempt;
  }
}

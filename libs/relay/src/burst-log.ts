/**
 * Logs the first of a burst of similar events at once and the rest as one summary when the burst ends (no event
 * for `quietMs`) or every `summaryEveryMs` while it lasts. hyco-ws reconnects without any delay, so one client with
 * a bad token means thousands of refusals a second: one line each would bury everything else.
 */
export interface BurstLogOptions {
  quietMs?: number;
  summaryEveryMs?: number;
  now?: () => number;
}

interface Burst {
  message: string;
  firstMs: number;
  lastMs: number;
  lastSummaryMs: number;
  /** Events since the last line written. */
  unreported: number;
  total: number;
}

export class BurstLog {
  private readonly bursts = new Map<string, Burst>();
  private readonly quietMs: number;
  private readonly summaryEveryMs: number;
  private readonly now: () => number;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly write: (line: string) => void,
    options: BurstLogOptions = {},
  ) {
    this.quietMs = options.quietMs ?? 5_000;
    this.summaryEveryMs = options.summaryEveryMs ?? 60_000;
    this.now = options.now ?? Date.now;
  }

  /** Records one event of kind `key`; the first of a burst is written at once. */
  note(key: string, message: string): void {
    const now = this.now();
    const burst = this.bursts.get(key);
    if (!burst || now - burst.lastMs >= this.quietMs) {
      if (burst) this.summarise(burst, now);
      this.bursts.set(key, { message, firstMs: now, lastMs: now, lastSummaryMs: now, unreported: 0, total: 1 });
      this.write(message);
      this.ensureTimer();
      return;
    }
    burst.message = message;
    burst.lastMs = now;
    burst.unreported++;
    burst.total++;
  }

  /** Writes the summaries that are due; runs on a timer, callable from tests with an explicit time. */
  flush(now = this.now()): void {
    for (const [key, burst] of this.bursts) {
      if (now - burst.lastMs >= this.quietMs) {
        this.summarise(burst, now);
        this.bursts.delete(key);
      } else if (now - burst.lastSummaryMs >= this.summaryEveryMs && burst.unreported > 0) {
        this.summarise(burst, now);
      }
    }
    if (this.bursts.size === 0) this.stop();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private summarise(burst: Burst, now: number): void {
    if (burst.unreported === 0) return;
    const seconds = Math.max(1, Math.round((burst.lastMs - burst.firstMs) / 1000));
    this.write(
      `${burst.message} (${burst.unreported} more time${burst.unreported === 1 ? '' : 's'}; ${burst.total} in ${seconds} s)`,
    );
    burst.unreported = 0;
    burst.lastSummaryMs = now;
  }

  private ensureTimer(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.flush(), Math.max(100, Math.min(this.quietMs, 1_000)));
    this.timer.unref();
  }
}

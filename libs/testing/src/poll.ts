export interface PollOptions {
  /** What is awaited, for the timeout message: "waiting for <description>". */
  description: string;
  /** Default 10 000 ms. */
  timeoutMs?: number;
  /**
   * Pause between two checks; default 50 ms. A function gets the time waited so far: a long wait can check less often
   * (a benchmark's checks cost the server it measures).
   */
  intervalMs?: number | ((elapsedMs: number) => number);
}

/** What `pollUntil` resolves with: the condition's value once it is neither undefined, null nor false. */
export type Polled<T> = Exclude<Awaited<T>, undefined | null | false>;

/**
 * Waits on a condition, never on a fixed sleep: calls `condition` every `intervalMs` until it returns a value other
 * than undefined, null or false, and resolves with that value. A throw counts as "not yet"; the last one is quoted
 * in the timeout error, which names what was awaited.
 */
export async function pollUntil<T>(condition: () => T, options: PollOptions): Promise<Polled<T>> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const started = Date.now();
  const deadline = started + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await condition();
      if (value !== undefined && value !== null && value !== false) return value as Polled<T>;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const suffix =
        lastError === undefined
          ? ''
          : ` Last error: ${lastError instanceof Error ? lastError.message : String(lastError)}`;
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${options.description}.${suffix}`);
    }
    const interval = options.intervalMs ?? 50;
    await new Promise((resolve) =>
      setTimeout(resolve, typeof interval === 'number' ? interval : interval(Date.now() - started)),
    );
  }
}

/**
 * Waits until `assertion` no longer throws (for `expect(...)` checks, which return nothing): pollUntil with the
 * assertion's last failure quoted on timeout.
 */
export async function eventually(assertion: () => unknown, options: PollOptions): Promise<void> {
  await pollUntil(async () => {
    await assertion();
    return true;
  }, options);
}

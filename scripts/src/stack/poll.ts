/** Waits on a condition, never on a fixed sleep: polls `probe` until it returns a value (not undefined). */
export async function pollUntil<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  options: { timeoutMs?: number; intervalMs?: number; description: string },
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const suffix = lastError ? ` Last error: ${(lastError as Error).message ?? String(lastError)}` : '';
      throw new Error(`Timed out after ${options.timeoutMs ?? 30_000} ms waiting for ${options.description}.${suffix}`);
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 100));
  }
}

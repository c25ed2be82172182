import type { StorageRetryOptions } from '@azure/storage-blob';

/**
 * Retries of each storage call (source listings and reads, ingestion uploads), so a storage restart does not fail
 * the scan: the SDK waits min((2^(n-1) - 1) · retryDelayInMs, maxRetryDelayInMs) after try n:
 * 0 + 1 + 3 + 7 + 10 + 10 = 31 s over 7 tries (retryBudgetMs). A listing retries the page it was on, so it resumes
 * where it stopped. Past the budget the call fails, and the runtime reports the job as retryable.
 */
export const STORAGE_RETRY: StorageRetryOptions = {
  maxTries: 7,
  retryDelayInMs: 1000,
  maxRetryDelayInMs: 10_000,
  tryTimeoutInMs: 60_000,
};

/** The waits `options` add up to, in ms, by the SDK's formula (tested, so the comment above stays true). */
export function retryBudgetMs(options: StorageRetryOptions = STORAGE_RETRY): number {
  let total = 0;
  for (let attempt = 1; attempt < (options.maxTries ?? 4); attempt++)
    total += Math.min(
      (2 ** (attempt - 1) - 1) * (options.retryDelayInMs ?? 4000),
      options.maxRetryDelayInMs ?? 120_000,
    );
  return total;
}

/** Network failures the SDK retries too: the host is down, restarting or unreachable for now. */
const TRANSIENT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'REQUEST_SEND_ERROR',
  'TIMEOUT',
]);

/**
 * Did a storage call fail because storage was unreachable or busy (another attempt later may succeed), rather than
 * because of what was asked (403, 404, a bad SAS)? Retryable statuses are those the SDK retries: 408, 429, 5xx
 * except 501 and 505.
 */
export function isTransientStorageFailure(error: unknown): boolean {
  const e = error as { statusCode?: unknown; code?: unknown } | undefined;
  const status = typeof e?.statusCode === 'number' ? e.statusCode : undefined;
  if (status !== undefined && status > 0)
    return status === 408 || status === 429 || (status >= 500 && status !== 501 && status !== 505);
  return typeof e?.code === 'string' && TRANSIENT_CODES.has(e.code);
}

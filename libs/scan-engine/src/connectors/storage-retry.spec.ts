import { isTransientStorageFailure, retryBudgetMs, STORAGE_RETRY } from './storage-retry';

describe('storage retries', () => {
  it('wait about half a minute in all (the SDK formula), so a storage restart does not fail the scan', () => {
    // min((2^(n-1) - 1) · 1 s, 10 s) after tries 1..6: 0 + 1 + 3 + 7 + 10 + 10.
    expect(retryBudgetMs(STORAGE_RETRY)).toBe(31_000);
    // The ingestion uploads had 0 + 0.5 + 1.5 + 3.5 + 7.5 = 13 s, which a 15 s outage outlasted.
    expect(retryBudgetMs({ maxTries: 6, retryDelayInMs: 500, maxRetryDelayInMs: 8000 })).toBe(13_000);
    // The source connector's listings had 0 + 0.25 + 0.75 = 1 s.
    expect(retryBudgetMs({ maxTries: 4, retryDelayInMs: 250, maxRetryDelayInMs: 2000 })).toBe(1000);
  });

  it.each([
    [{ code: 'ECONNREFUSED' }, true],
    [{ code: 'ECONNRESET' }, true],
    [{ statusCode: 503, code: 'ServerBusy' }, true],
    [{ statusCode: 500 }, true],
    [{ statusCode: 429 }, true],
    [{ statusCode: 403, code: 'AuthorizationFailure' }, false],
    [{ statusCode: 404, code: 'ContainerNotFound' }, false],
    [{ statusCode: 501 }, false],
    [{ code: 'ENOTFOUND' }, false],
    [new Error('boom'), false],
    [undefined, false],
  ])('%j is transient: %s', (error, transient) => {
    expect(isTransientStorageFailure(error)).toBe(transient);
  });
});

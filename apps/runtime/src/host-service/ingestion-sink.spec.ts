import { RETRY, retryBudgetMs } from './ingestion-sink';

describe('ingestion storage retries', () => {
  it('wait about half a minute in all (the SDK formula), so a storage restart does not fail the scan', () => {
    // min((2^(n-1) - 1) · 1 s, 10 s) after tries 1..6: 0 + 1 + 3 + 7 + 10 + 10.
    expect(retryBudgetMs(RETRY)).toBe(31_000);
    // The options the runtime had before: 0 + 0.5 + 1.5 + 3.5 + 7.5 = 13 s, which a 15 s outage outlasted.
    expect(retryBudgetMs({ maxTries: 6, retryDelayInMs: 500, maxRetryDelayInMs: 8000 })).toBe(13_000);
  });
});

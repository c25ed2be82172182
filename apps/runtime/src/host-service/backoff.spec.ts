import { Backoff } from './backoff';

describe('Backoff', () => {
  it('grows exponentially from 500 ms, with jitter within [ceiling/2, ceiling], capped at 10 s', () => {
    const ceilings = [500, 1000, 2000, 4000, 8000, 10_000, 10_000, 10_000];
    for (const random of [() => 0, () => 0.5, () => 0.999999, Math.random]) {
      const backoff = new Backoff({ initialMs: 500, maxMs: 10_000, random });
      for (const ceiling of ceilings) {
        const delay = backoff.next();
        expect(delay).toBeGreaterThanOrEqual(ceiling / 2);
        expect(delay).toBeLessThanOrEqual(ceiling);
      }
    }
  });

  it('spreads delays across the jitter range', () => {
    const low = new Backoff({ initialMs: 500, maxMs: 10_000, random: () => 0 });
    const high = new Backoff({ initialMs: 500, maxMs: 10_000, random: () => 1 });
    expect([low.next(), low.next(), low.next()]).toEqual([250, 500, 1000]);
    expect([high.next(), high.next(), high.next()]).toEqual([500, 1000, 2000]);
  });

  it('starts over after reset', () => {
    const backoff = new Backoff({ initialMs: 500, maxMs: 10_000, random: () => 1 });
    backoff.next();
    backoff.next();
    backoff.reset();
    expect(backoff.next()).toBe(500);
    expect(backoff.failures).toBe(1);
  });

  it('honours a lower cap (SHIR_RECONNECT_MAX_MS), even below the initial delay', () => {
    const capped = new Backoff({ initialMs: 500, maxMs: 300, random: Math.random });
    for (let i = 0; i < 20; i++) {
      const delay = capped.next();
      expect(delay).toBeGreaterThanOrEqual(150);
      expect(delay).toBeLessThanOrEqual(300);
    }
  });
});

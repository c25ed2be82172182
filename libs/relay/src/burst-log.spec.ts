import { BurstLog } from './burst-log';

describe('BurstLog', () => {
  it('writes the first event of a burst at once and the rest as one summary when it ends', () => {
    const lines: string[] = [];
    let now = 0;
    const log = new BurstLog((line) => lines.push(line), { quietMs: 1000, summaryEveryMs: 10_000, now: () => now });
    for (let i = 0; i < 500; i++) {
      now = i * 2;
      log.note('401:listener', 'refused listener: 401');
    }
    expect(lines).toEqual(['refused listener: 401']);
    log.flush(998 + 999);
    expect(lines).toHaveLength(1);
    log.flush(998 + 1000);
    expect(lines).toEqual(['refused listener: 401', 'refused listener: 401 (499 more times; 500 in 1 s)']);
    log.stop();
  });

  it('summarises a burst that never ends at intervals, and keeps kinds apart', () => {
    const lines: string[] = [];
    let now = 0;
    const log = new BurstLog((line) => lines.push(line), { quietMs: 1000, summaryEveryMs: 5000, now: () => now });
    log.note('a', 'a');
    log.note('b', 'b');
    for (now = 100; now <= 5000; now += 100) log.note('a', 'a');
    log.flush(5000);
    expect(lines).toEqual(['a', 'b', 'a (50 more times; 51 in 5 s)']);
    now = 7000;
    log.note('a', 'a again');
    expect(lines.at(-1)).toBe('a again');
    log.stop();
  });
});

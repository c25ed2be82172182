import type { TriggerRecurrence } from '@purview-emulator/contracts';
import { RecurrencePlan } from './trigger-recurrence';
import { ianaOfWindowsZone, resolveTimeZone } from './windows-time-zones';

const NO_SCHEDULE = null;

function recurrence(patch: Partial<TriggerRecurrence>): TriggerRecurrence {
  return {
    frequency: 'Hour',
    interval: 1,
    startTime: null,
    endTime: null,
    schedule: NO_SCHEDULE,
    timeZone: null,
    ...patch,
  };
}

function schedule(patch: Partial<NonNullable<TriggerRecurrence['schedule']>>): TriggerRecurrence['schedule'] {
  return { minutes: null, hours: null, weekDays: null, monthDays: null, monthlyOccurrences: null, ...patch };
}

/** The first `n` occurrences after `from`. */
function occurrences(r: TriggerRecurrence, from: string, n: number, anchor = '2020-01-01T00:00:00Z'): string[] {
  const plan = new RecurrencePlan(r, anchor);
  const result: string[] = [];
  let cursor = new Date(from);
  for (let i = 0; i < n; i++) {
    const next = plan.nextAfter(cursor);
    if (!next) break;
    result.push(next.toISOString());
    cursor = next;
  }
  return result;
}

describe('trigger recurrence (croner)', () => {
  it('fires hourly at the start time’s minute, from the start time on', () => {
    const r = recurrence({ frequency: 'Hour', startTime: '2026-01-01T10:15:00Z' });
    expect(occurrences(r, '2025-12-31T00:00:00Z', 3)).toEqual([
      '2026-01-01T10:15:00.000Z',
      '2026-01-01T11:15:00.000Z',
      '2026-01-01T12:15:00.000Z',
    ]);
  });

  it('keeps every n-th hour counted from the start time with interval n, at the scheduled minutes', () => {
    const r = recurrence({
      frequency: 'Hour',
      interval: 3,
      startTime: '2026-01-01T10:00:00Z',
      schedule: schedule({ minutes: [0, 30] }),
    });
    expect(occurrences(r, '2026-01-01T10:00:00Z', 4)).toEqual([
      '2026-01-01T10:30:00.000Z',
      '2026-01-01T13:00:00.000Z',
      '2026-01-01T13:30:00.000Z',
      '2026-01-01T16:00:00.000Z',
    ]);
  });

  it('reads a Windows zone name (the recorded real trigger: monthly on the 1st, 09:30 China Standard Time)', () => {
    // As recorded: startTime without an offset is a wall-clock time in the trigger's zone.
    const r = recurrence({
      frequency: 'Month',
      startTime: '2021-10-12T09:30:00',
      schedule: schedule({ monthDays: [1] }),
      timeZone: 'China Standard Time',
    });
    // 09:30 in Shanghai (UTC+8) is 01:30 UTC; the 1st of October is before the start time.
    expect(occurrences(r, '2021-09-01T00:00:00Z', 2)).toEqual(['2021-11-01T01:30:00.000Z', '2021-12-01T01:30:00.000Z']);
  });

  it('follows daylight saving time in an IANA zone (09:00 New York is 14:00 UTC in winter, 13:00 in summer)', () => {
    const r = recurrence({
      frequency: 'Day',
      startTime: '2026-03-06T09:00:00',
      timeZone: 'America/New_York',
      interval: 2,
    });
    expect(occurrences(r, '2026-03-01T00:00:00Z', 3)).toEqual([
      '2026-03-06T14:00:00.000Z',
      '2026-03-08T13:00:00.000Z',
      '2026-03-10T13:00:00.000Z',
    ]);
  });

  it('fires weekly on the scheduled week days and hours, every second week from the start week', () => {
    const r = recurrence({
      frequency: 'Week',
      interval: 2,
      startTime: '2026-01-05T00:00:00Z', // a Monday
      schedule: schedule({ weekDays: ['Monday', 'Friday'], hours: [8], minutes: [0] }),
    });
    expect(occurrences(r, '2026-01-01T00:00:00Z', 4)).toEqual([
      '2026-01-05T08:00:00.000Z',
      '2026-01-09T08:00:00.000Z',
      '2026-01-19T08:00:00.000Z',
      '2026-01-23T08:00:00.000Z',
    ]);
  });

  it('fires monthly on the n-th and the last week day, and on the last day of the month', () => {
    const nth = recurrence({
      frequency: 'Month',
      startTime: '2021-02-01T00:00:00Z',
      schedule: schedule({ hours: [23], minutes: [56], monthlyOccurrences: [{ day: 'Wednesday', occurrence: 2 }] }),
    });
    expect(occurrences(nth, '2021-02-01T00:00:00Z', 2)).toEqual([
      '2021-02-10T23:56:00.000Z',
      '2021-03-10T23:56:00.000Z',
    ]);
    const last = recurrence({
      frequency: 'Month',
      startTime: '2021-01-15T00:00:00Z',
      schedule: schedule({ hours: [0], minutes: [0], monthDays: [-1] }),
    });
    expect(occurrences(last, '2021-01-15T00:00:00Z', 2)).toEqual([
      '2021-01-31T00:00:00.000Z',
      '2021-02-28T00:00:00.000Z',
    ]);
  });

  it('stops at endTime (inclusive)', () => {
    const r = recurrence({ frequency: 'Hour', startTime: '2026-01-01T10:00:00Z', endTime: '2026-01-01T12:00:00Z' });
    expect(occurrences(r, '2026-01-01T00:00:00Z', 10)).toEqual([
      '2026-01-01T10:00:00.000Z',
      '2026-01-01T11:00:00.000Z',
      '2026-01-01T12:00:00.000Z',
    ]);
  });

  it('counts from the anchor (the trigger’s creation) when there is no startTime', () => {
    const r = recurrence({ frequency: 'Day' });
    expect(occurrences(r, '2026-05-01T00:00:00Z', 1, '2026-04-10T07:45:00Z')).toEqual(['2026-05-01T07:45:00.000Z']);
  });

  it('collapses missed occurrences: catching up over a day of hourly slots gives the latest one and the next', () => {
    const plan = new RecurrencePlan(recurrence({ frequency: 'Hour', startTime: '2026-01-01T00:00:00Z' }), 'x');
    expect(plan.catchUp(new Date('2026-01-01T01:00:00Z'), new Date('2026-01-02T05:30:00Z'))).toEqual({
      latest: new Date('2026-01-02T05:00:00Z'),
      next: new Date('2026-01-02T06:00:00Z'),
    });
  });

  it('maps Windows zone names to IANA ones (CLDR), case-insensitively, and refuses unknown names', () => {
    expect(ianaOfWindowsZone('China Standard Time')).toBe('Asia/Shanghai');
    expect(ianaOfWindowsZone('w. europe standard time')).toBe('Europe/Berlin');
    expect(resolveTimeZone('Europe/Paris')).toBe('Europe/Paris');
    expect(resolveTimeZone(null)).toBe('UTC');
    expect(resolveTimeZone('Mars Standard Time')).toBeUndefined();
  });
});

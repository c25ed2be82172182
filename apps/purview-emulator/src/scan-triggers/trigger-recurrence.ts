import { Cron } from 'croner';
import type { DayOfWeek, TriggerRecurrence } from '@purview-emulator/contracts';
import { DAYS_OF_WEEK } from '@purview-emulator/contracts';
import { resolveTimeZone } from './windows-time-zones';

/**
 * When a trigger's recurrence fires, computed by croner (cron patterns in a time zone, `L` and `#` for last and n-th
 * days) — no date arithmetic of our own. A recurrence becomes one cron pattern over the wall clock of its time zone:
 *
 *   Hour   every hour at `schedule.minutes` (default: startTime's minute)
 *   Day    every day at `schedule.hours` × `schedule.minutes` (default: startTime's time of day)
 *   Week   on `schedule.weekDays` (default: startTime's weekday) at those times
 *   Month  on `schedule.monthDays` (-1 = the last day) and/or `schedule.monthlyOccurrences` ({day, occurrence}:
 *          the n-th weekday, -1 = the last), default startTime's day of month, at those times
 *
 * and `interval` n keeps the occurrences of every n-th hour, day, week (Sunday to Saturday) or month counted from
 * startTime's. Occurrences start at startTime and end at endTime (both inclusive). A time without an offset
 * (`2021-10-12T09:30:00`, as the recorded real trigger) is a wall-clock time in the trigger's zone; one with `Z` or an
 * offset is an instant. Schedule fields a frequency does not use (hours of an Hour trigger, week days of a Day one)
 * are kept and echoed but do not change when it fires.
 */

/** Steps taken looking for an occurrence (an interval of 1,000 months with one day a month needs 1,000). */
const MAX_STEPS = 100_000;

const OFFSET = /(Z|[+-]\d{2}:?\d{2})$/i;
const WALL_CLOCK = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$/;

interface WallClock {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: number; // 0 = Sunday
}

/** A recurrence made ready to compute occurrences: its croner job, zone, anchor and end. */
export class RecurrencePlan {
  private readonly cron: Cron;
  private readonly zone: string;
  private readonly start: WallClock;
  /** startTime as an instant (one with an offset), or its wall-clock text (one without); the same for endTime. */
  private readonly startInstant: number | undefined;
  private readonly startWallClock: string | undefined;
  private readonly endInstant: number | undefined;
  private readonly endWallClock: string | undefined;

  /** `anchor` stands for startTime when the recurrence has none (the trigger's creation time). */
  constructor(
    private readonly recurrence: TriggerRecurrence,
    anchor: string,
  ) {
    const zone = resolveTimeZone(recurrence.timeZone);
    if (!zone) throw new Error(`Unknown time zone '${recurrence.timeZone}'.`);
    this.zone = zone;
    const startText = recurrence.startTime ?? anchor;
    const startIsInstant = OFFSET.test(startText);
    this.start = startIsInstant ? wallClockOf(new Date(startText), zone) : parseWallClock(startText);
    if (startIsInstant) this.startInstant = Date.parse(startText);
    else this.startWallClock = wallClockText(this.start);
    if (recurrence.endTime) {
      if (OFFSET.test(recurrence.endTime)) this.endInstant = Date.parse(recurrence.endTime);
      else this.endWallClock = normalizeWallClock(recurrence.endTime);
    }
    this.cron = new Cron(patternOf(recurrence, this.start), { timezone: zone, paused: true });
  }

  /** The first occurrence strictly after `after`, or null when there is none (past endTime). */
  nextAfter(after: Date): Date | null {
    let cursor = new Date(Math.max(after.getTime(), this.lookFrom()));
    for (let step = 0; step < MAX_STEPS; step++) {
      const candidate = this.cron.nextRun(cursor);
      if (!candidate || this.isPastEnd(candidate)) return null;
      if (!this.isBeforeStart(candidate) && this.periodIndex(candidate) % this.recurrence.interval === 0) {
        return candidate;
      }
      cursor = candidate;
    }
    return null;
  }

  /**
   * Where to start looking for occurrences: just before startTime. For a wall-clock startTime that is 14 hours (the
   * largest offset from UTC) before it read as UTC — only where to start looking; isBeforeStart decides.
   */
  private lookFrom(): number {
    if (this.startInstant !== undefined) return this.startInstant - 1;
    return Date.parse(`${this.startWallClock}Z`) - 14 * 3_600_000 - 1;
  }

  /**
   * Occurrences from `due` (an occurrence) up to `now`: the latest of them, which is the one a run is started for —
   * missed occurrences (the emulator was down, or the clock jumped) fire once, not once each — and the next one.
   */
  catchUp(due: Date, now: Date): { latest: Date; next: Date | null } {
    let latest = due;
    for (let step = 0; step < MAX_STEPS; step++) {
      const next = this.nextAfter(latest);
      if (!next || next.getTime() > now.getTime()) return { latest, next };
      latest = next;
    }
    return { latest, next: this.nextAfter(now) };
  }

  private isBeforeStart(candidate: Date): boolean {
    if (this.startInstant !== undefined) return candidate.getTime() < this.startInstant;
    return wallClockText(wallClockOf(candidate, this.zone)) < this.startWallClock!;
  }

  private isPastEnd(candidate: Date): boolean {
    if (this.endInstant !== undefined) return candidate.getTime() > this.endInstant;
    if (this.endWallClock !== undefined) return wallClockText(wallClockOf(candidate, this.zone)) > this.endWallClock;
    return false;
  }

  /** Which hour, day, week or month (of the zone's wall clock) `date` falls in, counted from startTime's. */
  private periodIndex(date: Date): number {
    const at = wallClockOf(date, this.zone);
    const s = this.start;
    switch (this.recurrence.frequency) {
      case 'Hour':
        return (dayNumber(at) - dayNumber(s)) * 24 + at.hour - s.hour;
      case 'Day':
        return dayNumber(at) - dayNumber(s);
      case 'Week':
        return (dayNumber(at) - at.weekday - (dayNumber(s) - s.weekday)) / 7;
      case 'Month':
        return (at.year - s.year) * 12 + at.month - s.month;
    }
  }
}

/** The cron pattern (seconds first, croner's six fields) of a recurrence. */
export function patternOf(recurrence: TriggerRecurrence, start: WallClock): string {
  const schedule = recurrence.schedule;
  const list = (values: number[] | null | undefined, fallback: number): string =>
    values && values.length > 0 ? [...new Set(values)].sort((a, b) => a - b).join(',') : String(fallback);
  const minutes = list(schedule?.minutes, start.minute);
  const hours = recurrence.frequency === 'Hour' ? '*' : list(schedule?.hours, start.hour);
  let dayOfMonth = '*';
  let dayOfWeek = '*';
  if (recurrence.frequency === 'Week') {
    const days = schedule?.weekDays?.length ? schedule.weekDays.map(weekdayNumber) : [start.weekday];
    dayOfWeek = [...new Set(days)].sort((a, b) => a - b).join(',');
  } else if (recurrence.frequency === 'Month') {
    const monthDays = schedule?.monthDays ?? [];
    const occurrences = schedule?.monthlyOccurrences ?? [];
    if (monthDays.length > 0) dayOfMonth = [...new Set(monthDays.map((d) => (d === -1 ? 'L' : String(d))))].join(',');
    if (occurrences.length > 0) {
      dayOfWeek = occurrences
        .map((o) => `${weekdayNumber(o.day)}#${o.occurrence === -1 ? 'L' : o.occurrence}`)
        .join(',');
    }
    if (monthDays.length === 0 && occurrences.length === 0) dayOfMonth = String(start.day);
  }
  return `0 ${minutes} ${hours} ${dayOfMonth} * ${dayOfWeek}`;
}

function weekdayNumber(day: DayOfWeek): number {
  return DAYS_OF_WEEK.indexOf(day);
}

/** The days since 1970-01-01 of a wall-clock date (a count of calendar days, for interval arithmetic only). */
function dayNumber(at: WallClock): number {
  return Date.UTC(at.year, at.month - 1, at.day) / 86_400_000;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** `date` as the wall clock of `zone` shows it. */
export function wallClockOf(date: Date, zone: string): WallClock {
  let formatter = formatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      weekday: 'short',
    });
    formatters.set(zone, formatter);
  }
  const parts = Object.fromEntries(formatter.formatToParts(date).map((p) => [p.type, p.value]));
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
    weekday: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(parts.weekday),
  };
}

/** True for a date-time with an offset (an instant) or without one (a wall-clock time in the trigger's zone). */
export function isTriggerDateTime(text: string): boolean {
  return OFFSET.test(text)
    ? !Number.isNaN(Date.parse(text))
    : WALL_CLOCK.test(text) && !Number.isNaN(Date.parse(`${text}Z`));
}

function parseWallClock(text: string): WallClock {
  const m = WALL_CLOCK.exec(text);
  if (!m) throw new Error(`'${text}' is not a date-time.`);
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number);
  return { year, month, day, hour, minute, second, weekday: new Date(Date.UTC(year, month - 1, day)).getUTCDay() };
}

/** `YYYY-MM-DDTHH:mm:ss`, comparable as text. */
function normalizeWallClock(text: string): string {
  return wallClockText(parseWallClock(text));
}

function wallClockText(at: WallClock): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${at.year}-${two(at.month)}-${two(at.day)}T${two(at.hour)}:${two(at.minute)}:${two(at.second)}`;
}

import type { Trigger } from '@contracts/scan-triggers';

/** A scan's schedule in the form's terms, and the 2023-09-01 Trigger it reads from and writes to. */
export type Frequency = 'Hour' | 'Day' | 'Week' | 'Month';
export const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;
export const UNIT: Record<Frequency, string> = { Hour: 'hours', Day: 'days', Week: 'weeks', Month: 'months' };

/** A scan's schedule as the form edits it: once (no trigger) or a recurrence at a UTC time. */
export interface Schedule {
  recurring: boolean;
  frequency: Frequency;
  interval: string;
  time: string;
  weekDays: string[];
}

export const NO_SCHEDULE: Schedule = {
  recurring: false,
  frequency: 'Week',
  interval: '1',
  time: '02:00',
  weekDays: ['Sunday'],
};

export function scheduleOf(trigger: Trigger | null | undefined): Schedule {
  if (!trigger) return NO_SCHEDULE;
  const r = trigger.properties.recurrence;
  const hour = r.schedule?.hours?.[0] ?? 0;
  const minute = r.schedule?.minutes?.[0] ?? 0;
  return {
    recurring: true,
    frequency: r.frequency,
    interval: String(r.interval),
    time: `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`,
    weekDays: r.schedule?.weekDays?.length ? [...r.schedule.weekDays] : NO_SCHEDULE.weekDays,
  };
}

/** What `PUT …/triggers/default` takes (2023-09-01 Trigger): starts tomorrow, runs at the chosen UTC time. */
export function triggerBody(s: Schedule): unknown {
  const [hours, minutes] = s.time.split(':').map(Number);
  const startTime = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10) + 'T00:00:00Z';
  return {
    properties: {
      recurrence: {
        frequency: s.frequency,
        interval: Number(s.interval),
        startTime,
        timeZone: 'UTC',
        schedule: {
          ...(s.frequency !== 'Hour' ? { hours: [hours] } : {}),
          minutes: [minutes],
          ...(s.frequency === 'Week' ? { weekDays: s.weekDays } : {}),
        },
      },
      scanLevel: 'Full',
    },
  };
}

export function scheduleValid(s: Schedule): boolean {
  const n = Number(s.interval);
  return (
    !s.recurring ||
    (Number.isInteger(n) &&
      n >= 1 &&
      n <= 1000 &&
      /^\d\d:\d\d$/.test(s.time) &&
      (s.frequency !== 'Week' || s.weekDays.length > 0))
  );
}

/** Describes a trigger in words, for the scan's page. */
export function describeTrigger(trigger: Trigger | null | undefined): string {
  if (!trigger) return 'Once (no schedule)';
  const s = scheduleOf(trigger);
  const every =
    s.interval === '1' ? `Every ${UNIT[s.frequency].slice(0, -1)}` : `Every ${s.interval} ${UNIT[s.frequency]}`;
  const on = s.frequency === 'Week' ? ` on ${s.weekDays.join(', ')}` : '';
  const at = s.frequency === 'Hour' ? ` at minute ${Number(s.time.slice(3))}` : ` at ${s.time} UTC`;
  return `${every}${on}${at} · ${trigger.properties.state}`;
}

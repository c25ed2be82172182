import type { ReactNode } from 'react';
import {
  Checkbox,
  Dropdown,
  Field,
  Input,
  Option,
  Radio,
  RadioGroup,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import type { Trigger } from '@contracts/scan-triggers';

export type Frequency = 'Hour' | 'Day' | 'Week' | 'Month';
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;
const UNIT: Record<Frequency, string> = { Hour: 'hours', Day: 'days', Week: 'weeks', Month: 'months' };

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

const useStyles = makeStyles({
  row: { display: 'flex', gap: tokens.spacingHorizontalM, flexWrap: 'wrap' },
  days: { display: 'flex', flexWrap: 'wrap', columnGap: tokens.spacingHorizontalS },
  small: { width: '120px' },
});

export function ScheduleFields({ value, onChange }: { value: Schedule; onChange: (s: Schedule) => void }): ReactNode {
  const styles = useStyles();
  const set = (patch: Partial<Schedule>): void => onChange({ ...value, ...patch });
  return (
    <>
      <Field label="Trigger">
        <RadioGroup
          value={value.recurring ? 'recurring' : 'once'}
          onChange={(_, d) => set({ recurring: d.value === 'recurring' })}
        >
          <Radio value="once" label="Once" />
          <Radio value="recurring" label="Recurring" />
        </RadioGroup>
      </Field>
      {value.recurring && (
        <>
          <div className={styles.row}>
            <Field label="Repeat every" validationMessage={scheduleValid(value) ? undefined : '1 to 1000'}>
              <Input
                className={styles.small}
                value={value.interval}
                inputMode="numeric"
                onChange={(_, d) => set({ interval: d.value })}
              />
            </Field>
            <Field label="Unit">
              <Dropdown
                className={styles.small}
                value={UNIT[value.frequency]}
                selectedOptions={[value.frequency]}
                onOptionSelect={(_, d) => set({ frequency: d.optionValue as Frequency })}
              >
                {(Object.keys(UNIT) as Frequency[]).map((f) => (
                  <Option key={f} value={f}>
                    {UNIT[f]}
                  </Option>
                ))}
              </Dropdown>
            </Field>
            <Field label="At (UTC)">
              <Input
                type="time"
                className={styles.small}
                value={value.time}
                onChange={(_, d) => set({ time: d.value })}
              />
            </Field>
          </div>
          {value.frequency === 'Week' && (
            <Field label="On">
              <div className={styles.days} role="group" aria-label="Days of the week">
                {DAYS.map((day) => (
                  <Checkbox
                    key={day}
                    label={day.slice(0, 3)}
                    aria-label={day}
                    checked={value.weekDays.includes(day)}
                    onChange={(_, d) =>
                      set({ weekDays: d.checked ? [...value.weekDays, day] : value.weekDays.filter((w) => w !== day) })
                    }
                  />
                ))}
              </div>
            </Field>
          )}
        </>
      )}
    </>
  );
}

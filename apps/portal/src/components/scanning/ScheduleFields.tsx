import type { ReactNode } from 'react';
import {
  Checkbox,
  Label,
  Dropdown,
  Field,
  Input,
  Option,
  Radio,
  RadioGroup,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { DAYS, UNIT, scheduleValid, type Frequency, type Schedule } from './schedule';

const useStyles = makeStyles({
  row: { display: 'flex', gap: tokens.spacingHorizontalM, flexWrap: 'wrap' },
  days: { display: 'flex', flexWrap: 'wrap', columnGap: tokens.spacingHorizontalS },
  small: { width: '140px' },
  // Fluent's Dropdown is at least 250px wide by default: as narrow as the inputs beside it.
  unit: { width: '140px', minWidth: '140px' },
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
                className={styles.unit}
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
            // Not in a Field: a Field gives its one control its id, and every checkbox would get the same one.
            <div role="group" aria-labelledby="schedule-days">
              <Label id="schedule-days">On</Label>
              <div className={styles.days}>
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
            </div>
          )}
        </>
      )}
    </>
  );
}

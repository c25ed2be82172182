/**
 * Scan triggers (schedules): `/scan/datasources/{ds}/scans/{scan}/triggers/default` (2023-09-01 `Trigger`,
 * `TriggerProperties`, `TriggerRecurrence`, `RecurrenceSchedule`, scanningService.json).
 */
import { z } from 'zod';
import { ScanLevelSchema } from './scanning';

/** `TriggerFrequency` (2023-09-01; 2018-12-01-preview had Week and Month only). */
export const TriggerFrequencySchema = z.enum(['Hour', 'Day', 'Week', 'Month']);
export type TriggerFrequency = z.infer<typeof TriggerFrequencySchema>;
export const TRIGGER_FREQUENCIES = TriggerFrequencySchema.options;

/** `DayOfWeek`. */
export const DayOfWeekSchema = z.enum(['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']);
export type DayOfWeek = z.infer<typeof DayOfWeekSchema>;
export const DAYS_OF_WEEK = DayOfWeekSchema.options;

/** `TriggerState` (2023-09-01; default Enabled). */
export const TriggerStateSchema = z.enum(['Enabled', 'Disabled']);
export type TriggerState = z.infer<typeof TriggerStateSchema>;

/** `RecurrenceScheduleOccurrence`: the n-th (1–5, or -1 for the last) given weekday of a month. */
export const RecurrenceScheduleOccurrenceSchema = z.object({ day: DayOfWeekSchema, occurrence: z.number().int() });
export type RecurrenceScheduleOccurrence = z.infer<typeof RecurrenceScheduleOccurrenceSchema>;

/** `RecurrenceSchedule` as answered: every list present, null when not set (as the spec's example and the real service). */
export const RecurrenceScheduleSchema = z.object({
  minutes: z.array(z.number().int()).nullable(),
  hours: z.array(z.number().int()).nullable(),
  weekDays: z.array(DayOfWeekSchema).nullable(),
  monthDays: z.array(z.number().int()).nullable(),
  monthlyOccurrences: z.array(RecurrenceScheduleOccurrenceSchema).nullable(),
});
export type RecurrenceSchedule = z.infer<typeof RecurrenceScheduleSchema>;

/**
 * `TriggerRecurrence` as stored. `timeZone` is an IANA or Windows zone name (null: UTC); the wire spells it
 * `timeZone` on 2023-09-01 and `timezone` on the older api-versions (as the recorded real service did).
 */
export const TriggerRecurrenceSchema = z.object({
  frequency: TriggerFrequencySchema,
  interval: z.number().int(),
  startTime: z.string().nullable(),
  endTime: z.string().nullable(),
  schedule: RecurrenceScheduleSchema.nullable(),
  timeZone: z.string().nullable().optional(),
});
export type TriggerRecurrence = z.infer<typeof TriggerRecurrenceSchema>;

/** `Trigger` (2023-09-01 spelling). */
export const TriggerSchema = z.object({
  id: z.string(), // relative: datasources/{ds}/scans/{scan}/triggers/default
  name: z.literal('default'),
  properties: z.object({
    recurrence: TriggerRecurrenceSchema,
    recurrenceInterval: z.string().nullable(),
    createdAt: z.string(),
    lastModifiedAt: z.string(),
    lastScheduled: z.string().nullable(),
    state: TriggerStateSchema,
    scanLevel: ScanLevelSchema,
    incrementalScanStartTime: z.string().nullable().optional(),
  }),
});
export type Trigger = z.infer<typeof TriggerSchema>;

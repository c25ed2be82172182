import { z } from 'zod';
import {
  DAYS_OF_WEEK,
  type ScanLevel,
  TRIGGER_FREQUENCIES,
  type TriggerRecurrence,
  type TriggerState,
  displayValue,
} from '@purview-emulator/contracts';
import { PurviewError } from '../common/errors';
import { SCANNING_BODY_BOUNDS, abbreviate, parseBody } from '../common/validation';
import { parseScanLevel } from '../scanning/scanning-input';
import { RecurrencePlan, isTriggerDateTime } from './trigger-recurrence';
import { resolveTimeZone } from './windows-time-zones';

const ADVERB = { Hour: 'hourly', Day: 'daily', Week: 'weekly', Month: 'monthly' } as const;

/** A trigger as a PUT asks for it, checked and normalized (what the service stores). */
export interface TriggerInput {
  recurrence: TriggerRecurrence;
  recurrenceInterval: string | null;
  scanLevel: ScanLevel;
  incrementalScanStartTime: string | null;
  state: TriggerState;
}

const ints = (what: string, min: number, max: number, extra?: number) =>
  z
    .array(
      z
        .number({ invalid_type_error: `${what} must be whole numbers` })
        .int(`${what} must be whole numbers`)
        .refine((n) => (n >= min && n <= max) || n === extra, {
          message: `${what} must be between ${min} and ${max}${extra !== undefined ? ` (or ${extra} for the last)` : ''}`,
        }),
    )
    .max(60)
    .nullable()
    .optional();

const DaySchema = z.enum(DAYS_OF_WEEK, {
  errorMap: () => ({ message: `must be a day of the week: ${DAYS_OF_WEEK.join(', ')}` }),
});

const dateTime = (field: string) =>
  z
    .string({ invalid_type_error: `${field} must be an ISO-8601 date-time string` })
    .refine(isTriggerDateTime, {
      message: `${field} must be an ISO-8601 date-time, like 2021-10-12T09:30:00 (in the trigger's time zone) or 2021-10-12T09:30:00Z`,
    })
    .nullable()
    .optional();

const TriggerBodySchema = z
  .object({
    properties: z
      .object(
        {
          recurrence: z
            .object(
              {
                frequency: z.enum(TRIGGER_FREQUENCIES, {
                  errorMap: () => ({
                    message: `frequency is required and must be one of ${TRIGGER_FREQUENCIES.join(', ')} (2023-09-01 TriggerFrequency)`,
                  }),
                }),
                interval: z
                  .number({ invalid_type_error: 'interval must be a whole number' })
                  .int('interval must be a whole number')
                  .min(1, 'interval must be at least 1')
                  .max(1000, 'interval must be at most 1000')
                  .nullable()
                  .optional(),
                startTime: dateTime('startTime'),
                endTime: dateTime('endTime'),
                timeZone: z.string().nullable().optional(),
                timezone: z.string().nullable().optional(),
                schedule: z
                  .object({
                    minutes: ints('minutes', 0, 59),
                    hours: ints('hours', 0, 23),
                    weekDays: z.array(DaySchema).max(7).nullable().optional(),
                    monthDays: ints('monthDays', 1, 31, -1),
                    monthlyOccurrences: z
                      .array(
                        z.object({
                          day: DaySchema,
                          occurrence: z
                            .number()
                            .int()
                            .refine((n) => (n >= 1 && n <= 5) || n === -1, {
                              message: 'occurrence must be 1 to 5, or -1 for the last',
                            }),
                        }),
                      )
                      .max(35)
                      .nullable()
                      .optional(),
                  })
                  .passthrough()
                  .nullable()
                  .optional(),
              },
              { required_error: 'recurrence is required', invalid_type_error: 'recurrence must be an object' },
            )
            .passthrough(),
          recurrenceInterval: z.string().nullable().optional(),
          scanLevel: z.unknown().optional(),
          incrementalScanStartTime: dateTime('incrementalScanStartTime'),
          state: z
            .enum(['Enabled', 'Disabled'], { errorMap: () => ({ message: "state must be 'Enabled' or 'Disabled'" }) })
            .nullable()
            .optional(),
        },
        { required_error: 'properties is required', invalid_type_error: 'properties must be an object' },
      )
      .passthrough(),
  })
  .passthrough();

/** A trigger PUT body: 400 (InvalidRequestBody / InvalidTimeZone / InvalidRecurrence) naming what is wrong. */
export function parseTriggerBody(body: unknown, now: string): TriggerInput {
  const { properties } = parseBody(TriggerBodySchema, body, 'InvalidRequestBody', SCANNING_BODY_BOUNDS);
  const sent = properties.recurrence;
  const zoneName = sent.timeZone ?? sent.timezone ?? null;
  if (!resolveTimeZone(zoneName)) {
    throw PurviewError.badRequest(
      `The time zone '${abbreviate(displayValue(zoneName))}' is not known: use a Windows time-zone name (e.g. China Standard Time) or an IANA one (e.g. Asia/Shanghai).`,
      'InvalidTimeZone',
      'properties.recurrence.timeZone',
    );
  }
  const schedule = sent.schedule
    ? {
        minutes: sent.schedule.minutes ?? null,
        hours: sent.schedule.hours ?? null,
        weekDays: sent.schedule.weekDays ?? null,
        monthDays: sent.schedule.monthDays ?? null,
        monthlyOccurrences: sent.schedule.monthlyOccurrences ?? null,
      }
    : null;
  const recurrence: TriggerRecurrence = {
    frequency: sent.frequency,
    interval: sent.interval ?? 1,
    startTime: sent.startTime ?? null,
    endTime: sent.endTime ?? null,
    schedule,
    timeZone: zoneName,
  };
  const plan = new RecurrencePlan(recurrence, now);
  if (recurrence.startTime && recurrence.endTime && !plan.nextAfter(new Date(0))) {
    throw PurviewError.badRequest(
      `The recurrence never fires: no ${ADVERB[recurrence.frequency]} occurrence falls between startTime ${recurrence.startTime} and endTime ${recurrence.endTime}.`,
      'InvalidRecurrence',
      'properties.recurrence',
    );
  }
  return {
    recurrence,
    recurrenceInterval: properties.recurrenceInterval ?? null,
    scanLevel: parseScanLevel(properties.scanLevel),
    incrementalScanStartTime: properties.incrementalScanStartTime ?? null,
    state: properties.state ?? 'Enabled',
  };
}

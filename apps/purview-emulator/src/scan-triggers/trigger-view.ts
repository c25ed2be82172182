import type { Trigger } from '@purview-emulator/contracts';
import type { ScanTriggerEntity } from './scan-trigger.entity';

/** api-versions that answer as the 2023-09-01 spec does (`timeZone`, `state`); the older ones answer as recorded. */
const CURRENT_SHAPE_VERSIONS: ReadonlySet<string> = new Set(['2023-09-01']);

/**
 * A trigger as the requested api-version answers it. 2023-09-01 (and no api-version): the spec's `Trigger`, with
 * `timeZone` when one is set. Older versions: as the recorded real service answered on them — the zone spelled
 * `timezone`, and no `state` (the field came with 2023-09-01).
 */
export function toTriggerResponse(
  entity: ScanTriggerEntity,
  dataSourceName: string,
  scanName: string,
  apiVersion: string | undefined,
): Trigger | Record<string, unknown> {
  const { timeZone, ...recurrence } = entity.recurrence;
  const current = !apiVersion || CURRENT_SHAPE_VERSIONS.has(apiVersion);
  const zone = timeZone === null ? {} : current ? { timeZone } : { timezone: timeZone };
  return {
    id: `datasources/${dataSourceName}/scans/${scanName}/triggers/default`,
    name: 'default',
    properties: {
      recurrence: { ...recurrence, ...zone },
      recurrenceInterval: entity.recurrenceInterval,
      createdAt: entity.createdAt,
      lastModifiedAt: entity.updatedAt,
      lastScheduled: entity.lastScheduled,
      ...(current ? { state: entity.state } : {}),
      scanLevel: entity.scanLevel,
      ...(entity.incrementalScanStartTime ? { incrementalScanStartTime: entity.incrementalScanStartTime } : {}),
    },
  };
}

import { displayValue } from '@purview-emulator/contracts';
import { z } from 'zod';
import {
  DATA_SOURCE_KINDS,
  RUN_ID_PATTERN,
  SCAN_KINDS,
  type ScanLevel,
  dataSourcePropertiesSchema,
  isDataSourceKind,
  isScanKind,
  scanPropertiesSchema,
} from '@purview-emulator/contracts';
import { PurviewError } from '../common/errors';
import { SCANNING_BODY_BOUNDS, abbreviate, parseBody } from '../common/validation';

/** Bodies of the scanning routes. Unknown fields pass through (clients send many); read-only ones are dropped later. */

const DataSourceKindSchema = z
  .object({
    kind: z.string({
      required_error: "'kind' is required, e.g. AzureStorage",
      invalid_type_error: "'kind' must be a string, e.g. AzureStorage",
    }),
  })
  .passthrough();

/**
 * A data source body: `kind` must be one of the spec's data source kinds, and `properties` fit that kind (its own
 * properties typed as the spec types them; anything else kept as sent). Strings and the body are bounded.
 */
export function parseDataSourceBody(body: unknown) {
  const { kind } = parseBody(DataSourceKindSchema, body, 'InvalidRequestBody', SCANNING_BODY_BOUNDS);
  if (!isDataSourceKind(kind)) {
    throw PurviewError.badRequest(
      `'${abbreviate(kind)}' is not a data source kind. Valid kinds (2023-09-01 DataSourceType): ${DATA_SOURCE_KINDS.join(', ')}.`,
      'InvalidKind',
      'kind',
    );
  }
  const schema = z.object({ kind: z.literal(kind), properties: dataSourcePropertiesSchema(kind) }).passthrough();
  return parseBody(schema, body);
}
export type DataSourceBody = ReturnType<typeof parseDataSourceBody>;

const ScanKindSchema = z
  .object({
    kind: z.string({
      required_error: "'kind' is required, e.g. AzureStorageMsi",
      invalid_type_error: "'kind' must be a string, e.g. AzureStorageMsi",
    }),
    properties: z.unknown().optional(),
  })
  .passthrough();

/**
 * A scan body: `kind` must be one of the spec's scan kinds (ScanAuthorizationType), and `properties` fit that kind
 * (the base ScanProperties and the kind's own, typed as the spec types them; anything else kept as sent). Whether the
 * kind fits the data source is the service's check.
 */
export function parseScanBody(body: unknown) {
  const { kind } = parseBody(ScanKindSchema, body, 'InvalidRequestBody', SCANNING_BODY_BOUNDS);
  if (!isScanKind(kind)) {
    throw PurviewError.badRequest(
      `'${abbreviate(kind)}' is not a scan kind. Valid kinds (2023-09-01 ScanAuthorizationType): ${SCAN_KINDS.join(', ')}.`,
      'InvalidScanKind',
      'kind',
    );
  }
  const schema = z
    .object({ kind: z.literal(kind), properties: scanPropertiesSchema(kind).optional().nullable() })
    .passthrough();
  return parseBody(schema, body);
}
export type ScanBody = ReturnType<typeof parseScanBody>;

/** Optional body of `POST …/scans/{scan}/run` (2022-07-01-preview `Scans_Run`). */
export const RunScanBodySchema = z
  .object({
    scanLevel: z.string().optional().nullable(),
    incrementalScanStartTime: z.string().optional().nullable(),
  })
  .passthrough();

/** `scanLevel` is optional (Incremental, the spec's default; a scan's first run is Full anyway); its case is forgiven. */
export function parseScanLevel(value: unknown): ScanLevel {
  if (value === undefined || value === null || value === '') return 'Incremental';
  const text = displayValue(value).toLowerCase();
  if (text === 'full') return 'Full';
  if (text === 'incremental') return 'Incremental';
  throw PurviewError.badRequest(
    `scanLevel '${abbreviate(displayValue(value))}' is not valid; use Full or Incremental.`,
    'InvalidScanLevel',
    'scanLevel',
  );
}

/** Run ids are client-generated GUIDs (36 characters, optionally in braces). */
export function assertRunId(runId: string): void {
  if (!RUN_ID_PATTERN.test(runId)) {
    throw PurviewError.badRequest(
      `The run id '${abbreviate(runId)}' is not valid: it must be a GUID such as 138301e4-f4f9-4ab5-b734-bac446b236e7 (pattern ${RUN_ID_PATTERN.source}).`,
      'InvalidRunId',
      'runId',
    );
  }
}

/** Drops the fields the server owns from a client's `properties`, so echoing them back never lies. */
export function withoutKeys(
  properties: Record<string, unknown> | null | undefined,
  keys: readonly string[],
): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(properties ?? {})) if (!keys.includes(k)) result[k] = v;
  return result;
}

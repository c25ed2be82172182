/**
 * What the emulator's own `/_emulator/*` routes answer (no public document covers them). The generated API document
 * is made from these schemas and its contract test checks real answers against it, so a response that changes shape
 * fails that test until its schema here changes too. Objects are not strict: a client must tolerate new fields.
 */
import { z } from 'zod';

const dateTime = z.string().datetime({ offset: true });

export const ComponentHealthSchema = z
  .object({ state: z.enum(['Ready', 'Starting', 'Unavailable']), detail: z.string().optional() })
  .catchall(z.unknown());
export type ComponentHealth = z.infer<typeof ComponentHealthSchema>;

/** `GET /_emulator/health`: 200 when Healthy, 503 otherwise. */
export const HealthReportSchema = z.object({
  status: z.enum(['Healthy', 'Starting', 'Unhealthy']),
  account: z.string(),
  version: z.string(),
  components: z.object({
    database: ComponentHealthSchema,
    ingestionStorage: ComponentHealthSchema,
    runtimes: ComponentHealthSchema,
  }),
});
export type HealthReport = z.infer<typeof HealthReportSchema>;

/** `GET /_emulator/info`: endpoints, the well-known client, runtime timings and row counts by table. */
export const EmulatorInfoSchema = z.object({
  account: z.string(),
  version: z.string(),
  endpoint: z.string(),
  httpsEndpoint: z.string(),
  /** The CA certificate the HTTPS listener's certificate chains to (trust it for Key Vault and ARM clients). */
  caCertificate: z.string(),
  scanEndpoint: z.string(),
  dataMapEndpoint: z.string(),
  tokenEndpoint: z.string(),
  inMemory: z.boolean(),
  wellKnownCredentials: z.object({
    tenantId: z.string(),
    clientId: z.string(),
    clientSecret: z.string().optional(),
    scope: z.string(),
  }),
  runtime: z.object({
    heartbeatIntervalSeconds: z.number(),
    nodeOfflineAfterSeconds: z.number(),
    jobLeaseSeconds: z.number(),
  }),
  storage: z.object({
    blobEndpoint: z.string(),
    queueEndpoint: z.string(),
    accounts: z.array(z.string()),
    ingestionAccount: z.string(),
  }),
  rows: z.record(z.number().int()),
});
export type EmulatorInfo = z.infer<typeof EmulatorInfoSchema>;

/** `POST /_emulator/reset`. */
export const ResetReportSchema = z.object({
  /** What was kept on request (`?keep=`). */
  kept: z.array(z.string()),
  /** Rows deleted, by table. */
  deleted: z.record(z.number().int()),
  /** Modules that could not start over (see the log); empty when all did. */
  problems: z.array(z.string()),
});
export type ResetReport = z.infer<typeof ResetReportSchema>;

/** `GET|PUT|DELETE /_emulator/clock`. */
export const ClockStateSchema = z.object({ now: dateTime, offsetSeconds: z.number() });
export type ClockState = z.infer<typeof ClockStateSchema>;

/** `GET /_emulator/search/index`: the full-text index next to the entity store it indexes. */
export const SearchIndexStateSchema = z.object({
  table: z.string(),
  tokenizer: z.literal('trigram'),
  state: z.enum(['current', 'stale']),
  indexedRows: z.number().int(),
  entityRows: z.number().int(),
  activeEntities: z.number().int(),
  lastRebuild: z
    .object({ at: dateTime, rows: z.number().int(), durationMs: z.number(), reason: z.string() })
    .nullable(),
});
export type SearchIndexState = z.infer<typeof SearchIndexStateSchema>;

/** One system classification rule as the scan engine applies it (`GET /_emulator/classifications`). */
export const EmulatorClassificationSchema = z.object({
  classificationName: z.string(),
  kind: z.literal('System'),
  minimumPercentageMatch: z.number(),
  /** Applied to structured data (columns) only, never to documents. */
  structuredOnly: z.boolean(),
  /** The column name must carry one of the rule's keywords before any value counts. */
  columnNameRequired: z.boolean(),
});
export type EmulatorClassification = z.infer<typeof EmulatorClassificationSchema>;

/** The `{ value, count }` list envelope the emulator's own lists use. */
export const emulatorListOf = <T extends z.ZodTypeAny>(item: T) =>
  z.object({ value: z.array(item), count: z.number().int() });

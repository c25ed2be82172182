/**
 * Fault injection (`/_emulator/faults`): conditions a user switches on to test how their code copes with what real
 * Purview and its runtime do on a bad day. None of it is real Purview. Each fault has a scope (what it hits) and
 * lasts for `count` occurrences or `durationSeconds` on the emulator clock (or both: whichever ends first; neither:
 * until deleted).
 */
import { z } from 'zod';

const name = (what: string) =>
  z
    .string({ required_error: `${what} is required` })
    .trim()
    .min(1, `${what} must not be empty`)
    .max(256);

const LimitsSchema = z.object({
  count: z.number().int('count must be a whole number').min(1, 'count must be at least 1').max(1_000_000).optional(),
  durationSeconds: z
    .number()
    .positive('durationSeconds must be more than 0')
    .max(7 * 24 * 3600, 'durationSeconds must be at most a week')
    .optional(),
});

/**
 * Answers matching requests with `status` (429 with `Retry-After` as Azure throttles, or a 5xx) in the route's own
 * error shape, and/or delays them by `delayMs`. `path` is a prefix of the request path (case-insensitive, no query).
 */
export const HttpFaultSchema = LimitsSchema.extend({
  kind: z.literal('http'),
  method: z
    .string()
    .regex(/^[A-Za-z]+$/, 'method must be an HTTP method such as GET')
    .transform((m) => m.toUpperCase())
    .optional(),
  path: z.string().startsWith('/', 'path must start with /').max(2048),
  status: z.union([z.literal(429), z.literal(500), z.literal(502), z.literal(503), z.literal(504)]).optional(),
  retryAfterSeconds: z.number().int().min(0).max(3600).optional(),
  delayMs: z.number().int().min(1).max(60_000, 'delayMs must be at most 60000').optional(),
  message: z.string().max(1000).optional(),
})
  .strict()
  .refine((f) => f.status !== undefined || f.delayMs !== undefined, {
    message: 'an http fault needs a status (429, 500, 502, 503, 504) or a delayMs, or both',
  });

/** The next runs of a scan fail at once with this error (as a run that the service failed). */
export const ScanRunFaultSchema = LimitsSchema.extend({
  kind: z.literal('scanRunFailure'),
  dataSource: name('dataSource'),
  scan: name('scan'),
  errorCode: z.string().max(128).optional(),
  message: z.string().max(1000).optional(),
}).strict();

/** The node's calls stop counting as signs of life, so it goes Offline (as when its heartbeats do not arrive). */
export const NodeHeartbeatFaultSchema = LimitsSchema.extend({
  kind: z.literal('nodeHeartbeatsIgnored'),
  integrationRuntime: name('integrationRuntime'),
  node: name('node'),
}).strict();

/**
 * The node's relay (hybrid connection listener) connection drops, and its attempts to listen again are refused while
 * the fault lasts (each dropped or refused connection is one occurrence), as when the node loses its way to Azure
 * Relay: the node reports the relay down and its status is Limited (interactive authoring fails, scans still run).
 */
export const RelayDropFaultSchema = LimitsSchema.extend({
  kind: z.literal('relayDrop'),
  integrationRuntime: name('integrationRuntime'),
  node: name('node'),
}).strict();

/** Result batches from runtimes: `delay` leaves each message in the queue `delaySeconds` longer; `reject` refuses it. */
export const IngestionFaultSchema = LimitsSchema.extend({
  kind: z.literal('ingestion'),
  action: z.enum(['delay', 'reject'], { errorMap: () => ({ message: "action must be 'delay' or 'reject'" }) }),
  delaySeconds: z.number().int().min(1).max(3600).optional(),
})
  .strict()
  .refine((f) => f.action !== 'delay' || f.delaySeconds !== undefined, {
    message: 'a delay needs delaySeconds',
  });

export type HttpFault = z.infer<typeof HttpFaultSchema>;
export type ScanRunFault = z.infer<typeof ScanRunFaultSchema>;
export type NodeHeartbeatFault = z.infer<typeof NodeHeartbeatFaultSchema>;
export type RelayDropFault = z.infer<typeof RelayDropFaultSchema>;
export type IngestionFault = z.infer<typeof IngestionFaultSchema>;
export type FaultSpec = HttpFault | ScanRunFault | NodeHeartbeatFault | RelayDropFault | IngestionFault;
export type FaultKind = FaultSpec['kind'];

/** One schema per kind: a body is read by its `kind` first, so its errors name the fields of that kind. */
export const FAULT_SCHEMAS = {
  http: HttpFaultSchema,
  scanRunFailure: ScanRunFaultSchema,
  nodeHeartbeatsIgnored: NodeHeartbeatFaultSchema,
  relayDrop: RelayDropFaultSchema,
  ingestion: IngestionFaultSchema,
} as const satisfies Record<FaultKind, z.ZodTypeAny>;

/** A fault as listed: its spec, how many occurrences are left, when it ends, and how often it fired. */
export const FaultStateSchema = z.object({
  id: z.string(),
  remaining: z.number().int().nullable(),
  expiresAt: z.string().nullable(),
  createdAt: z.string(),
  fired: z.number().int(),
});
export type Fault = FaultSpec & z.infer<typeof FaultStateSchema>;

/** A fault as the API answers it: the state above and the fields of its kind's spec. */
export const FaultViewSchema = FaultStateSchema.extend({
  kind: z.enum(Object.keys(FAULT_SCHEMAS) as [FaultKind, ...FaultKind[]]),
}).passthrough();

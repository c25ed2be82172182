/**
 * The runtime protocol: how a self-hosted integration runtime node talks to the emulator.
 * Real Purview keeps this internal, so it lives under the emulator's own prefix and is documented in the README.
 *
 *   POST /_emulator/runtime/register                      RegisterNodeRequest  -> RegisterNodeResponse (no auth: the key is the proof)
 *   POST /_emulator/runtime/heartbeat                     HeartbeatRequest     -> HeartbeatResponse
 *   POST /_emulator/runtime/jobs/lease                    LeaseJobsRequest     -> LeaseJobsResponse (long poll up to waitSeconds)
 *   POST /_emulator/runtime/jobs/{jobId}/renew            RenewLeaseRequest    -> RenewLeaseResponse
 *   POST /_emulator/runtime/jobs/{jobId}/known-etags      KnownEtagsRequest    -> KnownEtagsResponse (incremental runs)
 *   POST /_emulator/runtime/jobs/{jobId}/progress         JobProgressRequest   -> 204
 *   POST /_emulator/runtime/jobs/{jobId}/complete         CompleteJobRequest   -> 204
 *   GET  /_emulator/runtime/node                          -> NodeView (the node as its integration runtime sees it)
 *   DELETE /_emulator/runtime/node                        -> 204 (unregister: the node leaves its IR, its credential stops working)
 *   PUT  /_emulator/runtime/node/remote-access            RemoteAccessRequest  -> RemoteAccessSettings
 *   PUT  /_emulator/runtime/auto-update                   AutoUpdateRequest    -> AutoUpdateSettings (for the node's IR)
 *   GET  /_emulator/runtime/relay                         -> RelayListenerConnection (relay.ts: listen URL + short-lived listen token)
 *
 * After registration a node authenticates every call with `Authorization: Node {nodeCredential}`, never with
 * the auth key again. Errors use the scanning envelope `{ error: { code, message } }`.
 */
import { z } from 'zod';
import {
  IntegrationRuntimeAutoUpdateSchema,
  IntegrationRuntimeInternalChannelEncryptionModeSchema,
  IntegrationRuntimeStateSchema,
  NodeStatusSchema,
  SelfHostedIntegrationRuntimeNodeSchema,
  ServiceUrlEndpointSchema,
} from './integration-runtimes';
import { type AzureStorageScanSource, AzureStorageScanSourceSchema } from './scan-source';
import { DatabaseScanSourceSchema } from './database-scan-source';
import { ScanJobFilterSchema, ScanJobRulesetSchema } from './scan-rulesets';
import { ScanLevelSchema } from './scanning';

export const RUNTIME_PROTOCOL_PREFIX = '/_emulator/runtime';
export const NODE_AUTH_SCHEME = 'Node';

export const RegisterNodeRequestSchema = z.object({
  authKey: z.string().min(1),
  nodeName: z
    .string()
    .min(1)
    .max(150)
    .regex(
      /^[a-z0-9A-Z][a-z0-9A-Z_.-]{0,149}$/,
      'node names start with a letter or digit and contain only letters, digits, _, . and -',
    ),
  machineName: z.string().min(1).max(255),
  version: z.string().regex(/^\d+\.\d+\.\d+\.\d+$/, 'versions have four parts, like 5.40.9000.1'),
  cores: z.number().int().min(1),
  memoryMb: z.number().int().min(1),
  os: z.string().optional(),
  /** Replace a node registered under the same name (its credential stops working), like `shir register --force`. */
  force: z.boolean().default(false),
});
export type RegisterNodeRequest = z.infer<typeof RegisterNodeRequestSchema>;

export const RegisterNodeResponseSchema = z.object({
  accountName: z.string(),
  integrationRuntime: z.object({ name: z.string(), id: z.string() }),
  node: z.object({ name: z.string(), id: z.string() }),
  /** Secret the node presents from now on; shown once, stored hashed by the emulator. */
  nodeCredential: z.string(),
  heartbeatIntervalSeconds: z.number(),
  offlineAfterSeconds: z.number(),
});
export type RegisterNodeResponse = z.infer<typeof RegisterNodeResponseSchema>;

export const HeartbeatRequestSchema = z.object({
  version: z.string(),
  runningJobs: z.number().int().min(0),
  availableMemoryMb: z.number().min(0).optional(),
  cpuUtilization: z.number().min(0).max(100).optional(),
  relayConnected: z.boolean().optional(),
  /** True while the node installs an update it was told about (`updateTo`); its status is then Upgrading. */
  upgrading: z.boolean().optional(),
});
export type HeartbeatRequest = z.infer<typeof HeartbeatRequestSchema>;

/** `versionStatus` of a node or IR. `Expiring` and `Expired` are the documentation's concepts, spelled as the API would. */
export const VersionStatusSchema = z.enum(['UpToDate', 'UpdateAvailable', 'Expiring', 'Expired']);
export type VersionStatus = z.infer<typeof VersionStatusSchema>;

export const HeartbeatResponseSchema = z.object({
  nodeStatus: NodeStatusSchema,
  integrationRuntimeState: IntegrationRuntimeStateSchema,
  /** How many jobs this node may run at once (the node's concurrentJobsLimit). */
  concurrentJobsLimit: z.number().int(),
  heartbeatIntervalSeconds: z.number(),
  offlineAfterSeconds: z.number(),
  isActiveDispatcher: z.boolean(),
  versionStatus: VersionStatusSchema,
  /** Plain words whenever the node is not Online (same text as the IR status' emulatorDiagnostics). */
  statusReason: z.string().optional(),
  autoUpdate: IntegrationRuntimeAutoUpdateSchema,
  latestVersion: z.string(),
  pushedVersion: z.string(),
  /** Set when auto-update is On and the pushed version differs from the node's: install it (report `upgrading`). */
  updateTo: z.string().optional(),
});
export type HeartbeatResponse = z.infer<typeof HeartbeatResponseSchema>;

export const RemoteAccessRequestSchema = z.object({
  enabled: z.boolean(),
  /** TCP port of the node-to-node channel; the SHIR's default is 8060. */
  port: z.number().int().min(1).max(65535).default(8060),
});
export type RemoteAccessRequest = z.infer<typeof RemoteAccessRequestSchema>;
export const RemoteAccessSettingsSchema = z.object({
  enabled: z.boolean(),
  port: z.number().int(),
  internalChannelEncryption: IntegrationRuntimeInternalChannelEncryptionModeSchema,
});
export type RemoteAccessSettings = z.infer<typeof RemoteAccessSettingsSchema>;

export const AutoUpdateRequestSchema = z.object({ autoUpdate: IntegrationRuntimeAutoUpdateSchema });
export type AutoUpdateRequest = z.infer<typeof AutoUpdateRequestSchema>;
export const AutoUpdateSettingsSchema = AutoUpdateRequestSchema;
export type AutoUpdateSettings = z.infer<typeof AutoUpdateSettingsSchema>;

/** `GET /_emulator/runtime/node`: what `shir status` shows from the service side. */
export const NodeViewSchema = z.object({
  accountName: z.string(),
  integrationRuntime: z.object({
    name: z.string(),
    id: z.string(),
    state: IntegrationRuntimeStateSchema,
    stateReason: z.string().optional(),
    autoUpdate: IntegrationRuntimeAutoUpdateSchema,
    latestVersion: z.string(),
    pushedVersion: z.string(),
    nodeCount: z.number().int(),
  }),
  node: SelfHostedIntegrationRuntimeNodeSchema,
  statusReason: z.string().optional(),
  remoteAccess: RemoteAccessSettingsSchema,
  /** Every address the node must reach (what `shir diagnose` probes), as `/status` serviceUrls lists their hosts. */
  serviceEndpoints: z.array(ServiceUrlEndpointSchema),
});
export type NodeView = z.infer<typeof NodeViewSchema>;

export const LeaseJobsRequestSchema = z.object({
  maxJobs: z.number().int().min(1).max(64),
  waitSeconds: z.number().min(0).max(30).default(0),
});
export type LeaseJobsRequest = z.infer<typeof LeaseJobsRequestSchema>;

export const ScanJobSchema = z.object({
  jobId: z.string(),
  leaseId: z.string(),
  leaseExpiresAt: z.string(),
  leaseSeconds: z.number(),
  attempt: z.number().int(),
  scanRun: z.object({
    runId: z.string(),
    dataSourceName: z.string(),
    scanName: z.string(),
    scanLevel: ScanLevelSchema,
    scanRulesetName: z.string(),
  }),
  /** A storage account (AzureStorage) or, for the database kinds, a server and its login (Database). */
  source: z.union([AzureStorageScanSourceSchema, DatabaseScanSourceSchema]),
  /** The scan rule set the run scans with (absent from older emulators: the system rule set, every file type). */
  scanRuleset: ScanJobRulesetSchema.optional(),
  /** The scan's `filters/custom`, when it has one: only blobs under an include prefix and under no exclude prefix. */
  filter: ScanJobFilterSchema.optional(),
  ingestion: z.object({
    /** Container URL with a write SAS. */
    containerSasUrl: z.string(),
    /** Queue URL with an add SAS. */
    queueSasUrl: z.string(),
    blobPrefix: z.string(),
  }),
});
export type ScanJob = z.infer<typeof ScanJobSchema>;

export const LeaseJobsResponseSchema = z.object({ jobs: z.array(ScanJobSchema) });
export type LeaseJobsResponse = z.infer<typeof LeaseJobsResponseSchema>;

export const RenewLeaseRequestSchema = z.object({ leaseId: z.string().min(1) });
export type RenewLeaseRequest = z.infer<typeof RenewLeaseRequestSchema>;
export const RenewLeaseResponseSchema = z.object({ leaseExpiresAt: z.string() });
export type RenewLeaseResponse = z.infer<typeof RenewLeaseResponseSchema>;

/** Blobs an incremental job looks up at once, at most. */
export const MAX_KNOWN_ETAGS_LOOKUP = 1000;

/** The ETags earlier runs of the job's scan recorded (IngestionBatch.blobs) for these blobs, by qualifiedName. */
export const KnownEtagsRequestSchema = z.object({
  leaseId: z.string().min(1),
  qualifiedNames: z.array(z.string().min(1)).min(1).max(MAX_KNOWN_ETAGS_LOOKUP),
});
export type KnownEtagsRequest = z.infer<typeof KnownEtagsRequestSchema>;
/** Only the blobs with a recorded ETag are present. */
export const KnownEtagsResponseSchema = z.object({ etags: z.record(z.string(), z.string()) });
export type KnownEtagsResponse = z.infer<typeof KnownEtagsResponseSchema>;

export const JobProgressRequestSchema = z.object({
  leaseId: z.string().min(1),
  assetsDiscovered: z.number().int().min(0),
  assetsClassified: z.number().int().min(0),
  batchesUploaded: z.number().int().min(0),
});
export type JobProgressRequest = z.infer<typeof JobProgressRequestSchema>;

export const CompleteJobRequestSchema = z.object({
  leaseId: z.string().min(1),
  status: z.enum(['Succeeded', 'Failed']),
  assetsDiscovered: z.number().int().min(0),
  assetsClassified: z.number().int().min(0),
  assetsFailed: z.number().int().min(0).default(0),
  /** Number of ingestion batches uploaded; the run succeeds once all are ingested. */
  batchCount: z.number().int().min(0),
  /**
   * Why a Failed part failed. `retryable`: the failure may go away on another attempt (storage was unreachable), so
   * the emulator queues the part again (attempt + 1) instead of failing the run, until the run's attempts run out.
   */
  error: z.object({ code: z.string(), message: z.string(), retryable: z.boolean().optional() }).optional(),
  /** The first files that could not be read (at most MAX_REPORTED_FILE_FAILURES); `assetsFailed` has the count. */
  failures: z
    .array(z.object({ qualifiedName: z.string().max(4096), reason: z.string().max(2000) }))
    .max(50)
    .optional(),
});
/** How many failed files a node names in its completion (the rest are only counted). */
export const MAX_REPORTED_FILE_FAILURES = 10;
export type CompleteJobRequest = z.infer<typeof CompleteJobRequestSchema>;

/** The version of the reference runtime (`shir`), which the emulator also publishes as the latest by default. */
export const REFERENCE_RUNTIME_VERSION = '5.40.9000.1';

/** Compares four-part runtime versions numerically (5.9.0.0 < 5.40.0.0). */
export function compareRuntimeVersions(a: string, b: string): number {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

/** The storage source of a job known to scan storage (throws for a database job): for code and tests that read a SAS. */
export function storageSourceOf(job: Pick<ScanJob, 'source'>): AzureStorageScanSource {
  if (job.source.kind !== 'AzureStorage')
    throw new Error(`The job scans a ${job.source.kind} source, not an AzureStorage one`);
  return job.source;
}

/** Scanning data plane: data sources, scans, scan runs (2023-09-01 shapes). */
import { z } from 'zod';
import { ErrorModelSchema } from './common';

/** `ScanLevelType`: how much a run scans (the `scanLevel` of a run, `scanLevelType` in its history). */
export const ScanLevelSchema = z.enum(['Full', 'Incremental']);
export type ScanLevel = z.infer<typeof ScanLevelSchema>;
export const SCAN_LEVELS = ScanLevelSchema.options;

/** `ScanRulesetType`: whether a scan uses one of Purview's rule sets or the account's own. */
export const ScanRulesetTypeSchema = z.enum(['Custom', 'System']);
export type ScanRulesetType = z.infer<typeof ScanRulesetTypeSchema>;
export const SCAN_RULESET_TYPES = ScanRulesetTypeSchema.options;

/** `runType` of a run in history: started by a user (the run routes) or by the scan's trigger. */
export const RunTypeSchema = z.enum(['Manual', 'Scheduled']);
export type RunType = z.infer<typeof RunTypeSchema>;

export const CollectionReferenceSchema = z.object({
  referenceName: z.string(),
  type: z.literal('CollectionReference'),
  lastModifiedAt: z.string().optional(),
});
export type CollectionReference = z.infer<typeof CollectionReferenceSchema>;

export const DataSourceSchema = z.object({
  id: z.string(), // relative: datasources/{name}
  name: z.string(),
  kind: z.string(), // DataSourceType, e.g. AzureStorage
  properties: z
    .object({
      endpoint: z.string().optional(),
      collection: CollectionReferenceSchema.nullish(),
      createdAt: z.string(),
      lastModifiedAt: z.string(),
      dataSourceCollectionMovingState: z.string().optional(),
    })
    .catchall(z.unknown()),
});
export type DataSource = z.infer<typeof DataSourceSchema>;

export const ConnectedViaSchema = z.object({
  referenceName: z.string(),
  integrationRuntimeType: z.string().optional(),
});
export type ConnectedVia = z.infer<typeof ConnectedViaSchema>;

export const ScanSchema = z.object({
  id: z.string(), // relative: datasources/{ds}/scans/{scan}
  name: z.string(),
  kind: z.string(), // ScanAuthorizationType, e.g. AzureStorageMsi
  dataSourceName: z.string().optional(),
  properties: z
    .object({
      scanRulesetName: z.string().optional(),
      scanRulesetType: ScanRulesetTypeSchema.optional(),
      collection: CollectionReferenceSchema.nullish(),
      connectedVia: ConnectedViaSchema.nullish(),
      createdAt: z.string(),
      lastModifiedAt: z.string(),
    })
    .catchall(z.unknown()),
});
export type Scan = z.infer<typeof ScanSchema>;

export const OperationStatusSchema = z.enum([
  'Accepted',
  'InProgress',
  'TransientFailure',
  'Succeeded',
  'Failed',
  'Canceled',
]);
export type OperationStatus = z.infer<typeof OperationStatusSchema>;

/** Returned by run and cancel (202). */
export const OperationResponseSchema = z.object({
  scanResultId: z.string(),
  startTime: z.string(),
  endTime: z.string().nullable(),
  status: OperationStatusSchema,
  error: ErrorModelSchema.nullable(),
});
export type OperationResponse = z.infer<typeof OperationResponseSchema>;

/** `ScanStatus` enum used by discoveryExecutionDetails. */
export type DiscoveryStatus =
  | 'Queued'
  | 'Running'
  | 'Succeeded'
  | 'Failed'
  | 'Cancelled'
  | 'Delayed'
  | 'Throttled'
  | 'CompletedWithExceptions'
  | 'CompleteWithWarning';
/** `IngestionPhaseStatus`. */
export type IngestionStatus =
  | 'None'
  | 'Succeeded'
  | 'Queued'
  | 'InProgress'
  | 'SourceUnknown'
  | 'PartialSucceeded'
  | 'Failed'
  | 'Canceled'
  | 'Canceling';
/** Run-level status as seen in history: Queued → InProgress → Succeeded | Failed | Canceled. */
export type ScanRunStatus = 'Queued' | 'InProgress' | 'Succeeded' | 'Failed' | 'Canceled' | 'CompletedWithExceptions';

/**
 * `diagnostics.notifications[].code` values the emulator uses. The 2023-09-01 spec types `Notification.code` as an
 * int32 and documents no values, so these are the emulator's own, stable once published (README "Scan run
 * notifications"): 1xxx a run waits, 2xxx something went wrong and was recovered or skipped, 3xxx the run failed,
 * 4xxx the client stopped it. The reason is in `message`.
 */
export const ScanNotificationCode = {
  WaitingForIntegrationRuntime: 1001,
  WaitingForCapacity: 1002,
  WaitingForIngestion: 1003,
  LeaseExpired: 2001,
  JobRetried: 2002,
  FileNotRead: 2003,
  MoreFilesNotRead: 2004,
  RunFailed: 3000,
  ScanFailed: 3001,
  IngestionUploadFailed: 3002,
  IngestionFailed: 3003,
  IntegrationRuntimeRequired: 3004,
  IntegrationRuntimeNotFound: 3005,
  IntegrationRuntimeNodeUnresponsive: 3006,
  DataSourceUnreachable: 3007,
  ConnectorNotAvailable: 3008,
  ManagedVirtualNetworkNotEmulated: 3009,
  Canceled: 4001,
} as const;
export type ScanNotificationName = keyof typeof ScanNotificationCode;

/** The code of a notification name; a name the emulator does not know (e.g. an error code a node sent) is RunFailed. */
export function scanNotificationCodeOf(name: string): number {
  return Object.prototype.hasOwnProperty.call(ScanNotificationCode, name)
    ? ScanNotificationCode[name as ScanNotificationName]
    : ScanNotificationCode.RunFailed;
}

/** `Notification` (2023-09-01): `code` is an int32 (ScanNotificationCode), `message` says what happened. */
export interface ScanNotification {
  message: string;
  code: number;
}

export interface ScanResultWithIngestion {
  id: string;
  parentId: string | null;
  resourceId: string | null;
  status: ScanRunStatus;
  /** Null: web scans are not emulated (the spec's ScanResult_ListScanHistory example has it, null). */
  webScanResults: null;
  assetsDiscovered: number;
  assetsClassified: number;
  diagnostics: { notifications: ScanNotification[]; exceptionCountMap: Record<string, number> };
  startTime: string | null;
  queuedTime: string;
  pipelineStartTime: string | null;
  endTime: string | null;
  scanRulesetVersion: number;
  scanRulesetType: ScanRulesetType;
  scanLevelType: ScanLevel;
  errorMessage: string | null;
  error: { code: string; message: string } | null;
  runType: RunType;
  dataSourceType: string;
  isErrorLogAvailable: boolean;
  ingestionJobId: string;
  discoveryExecutionDetails: {
    discoveryStartTime: string | null;
    discoveryEndTime: string | null;
    status: DiscoveryStatus;
    /** `deleted` is an emulator addition (the spec leaves `statistics` untyped): assets a Full run found gone. */
    statistics: { assets: { discovered: number; classified: number; failed: number; deleted: number } };
    isErrorLogAvailable: boolean;
  };
  ingestionExecutionDetails: {
    ingestionStartTime: string | null;
    ingestionEndTime: string | null;
    status: IngestionStatus;
    statistics: {
      assets: { succeeded: number; failed: number; processing: number };
      relationships: { succeeded: number; failed: number; processing: number };
    };
    estimatedTimeRemainingInSeconds: number;
    isErrorLogAvailable: boolean;
    lastUpdatedAt: string | null;
  };
  /** Emulator addition: which node ran the scan and why a run waits or failed, in plain words. */
  emulatorDiagnostics?: { nodes: string[]; reason?: string };
}

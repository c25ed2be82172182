/** Scanning data plane: data sources, scans, scan runs (2023-09-01 shapes). */

export interface CollectionReference {
  referenceName: string;
  type: 'CollectionReference';
  lastModifiedAt?: string;
}

export interface DataSource {
  id: string; // relative: datasources/{name}
  name: string;
  kind: string; // DataSourceType, e.g. AzureStorage
  properties: {
    endpoint?: string;
    collection?: CollectionReference | null;
    createdAt: string;
    lastModifiedAt: string;
    dataSourceCollectionMovingState?: string;
    [k: string]: unknown;
  };
}

export interface ConnectedVia {
  referenceName: string;
  integrationRuntimeType?: string;
}

export interface Scan {
  id: string; // relative: datasources/{ds}/scans/{scan}
  name: string;
  kind: string; // ScanAuthorizationType, e.g. AzureStorageMsi
  dataSourceName?: string;
  properties: {
    scanRulesetName?: string;
    scanRulesetType?: 'Custom' | 'System';
    collection?: CollectionReference | null;
    connectedVia?: ConnectedVia | null;
    createdAt: string;
    lastModifiedAt: string;
    [k: string]: unknown;
  };
}

export type OperationStatus = 'Accepted' | 'InProgress' | 'TransientFailure' | 'Succeeded' | 'Failed' | 'Canceled';

/** Returned by run and cancel (202). */
export interface OperationResponse {
  scanResultId: string;
  startTime: string;
  endTime: string | null;
  status: OperationStatus;
  error: { code: string; message: string; target?: string; details?: unknown[] } | null;
}

/** `ScanStatus` enum used by discoveryExecutionDetails. */
export type DiscoveryStatus = 'Queued' | 'Running' | 'Succeeded' | 'Failed' | 'Cancelled' | 'Delayed' | 'Throttled' | 'CompletedWithExceptions' | 'CompleteWithWarning';
/** `IngestionPhaseStatus`. */
export type IngestionStatus = 'None' | 'Succeeded' | 'Queued' | 'InProgress' | 'SourceUnknown' | 'PartialSucceeded' | 'Failed' | 'Canceled' | 'Canceling';
/** Run-level status as seen in history: Queued → InProgress → Succeeded | Failed | Canceled. */
export type ScanRunStatus = 'Queued' | 'InProgress' | 'Succeeded' | 'Failed' | 'Canceled' | 'CompletedWithExceptions';

export interface ScanResultWithIngestion {
  id: string;
  parentId: string | null;
  resourceId: string | null;
  status: ScanRunStatus;
  assetsDiscovered: number;
  assetsClassified: number;
  diagnostics: { notifications: { message: string; code: string }[]; exceptionCountMap: Record<string, number> };
  startTime: string | null;
  queuedTime: string;
  pipelineStartTime: string | null;
  endTime: string | null;
  scanRulesetVersion: number;
  scanRulesetType: 'Custom' | 'System';
  scanLevelType: 'Full' | 'Incremental';
  errorMessage: string | null;
  error: { code: string; message: string } | null;
  runType: 'Manual' | 'Scheduled';
  dataSourceType: string;
  isErrorLogAvailable: boolean;
  ingestionJobId: string;
  discoveryExecutionDetails: {
    discoveryStartTime: string | null;
    discoveryEndTime: string | null;
    status: DiscoveryStatus;
    statistics: { assets: { discovered: number; classified: number; failed: number } };
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

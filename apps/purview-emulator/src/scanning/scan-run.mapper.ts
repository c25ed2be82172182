import {
  type OperationResponse,
  type ScanNotification,
  type ScanResultWithIngestion,
  scanNotificationCodeOf,
} from '@purview-emulator/contracts';
import type { RunNotification, ScanRunEntity } from './scan-run.entity';

/** What a run is doing right now, computed at read time and never stored. */
export interface LiveStatus {
  /** `emulatorDiagnostics.reason`. */
  reason: string;
  /** Also shown in `diagnostics.notifications` (for a run that waits). */
  notification?: RunNotification;
}

/** A run as `ScanResultWithIngestion`; a finished run's reason is its error message, if any. */
export function toScanResult(run: ScanRunEntity, live?: LiveStatus): ScanResultWithIngestion {
  const reason = live?.reason ?? run.errorMessage ?? undefined;
  return {
    id: run.id,
    parentId: null,
    resourceId: null,
    status: run.status,
    webScanResults: null,
    assetsDiscovered: run.assetsDiscovered,
    assetsClassified: run.assetsClassified,
    diagnostics: {
      notifications: (live?.notification ? [...run.notifications, live.notification] : run.notifications).map(
        toNotification,
      ),
      exceptionCountMap: {},
    },
    startTime: run.startTime,
    queuedTime: run.queuedTime,
    pipelineStartTime: run.pipelineStartTime,
    endTime: run.endTime,
    scanRulesetVersion: run.scanRules?.ruleset.version ?? 1,
    scanRulesetType: run.scanRulesetType,
    scanLevelType: run.scanLevel,
    errorMessage: run.errorMessage,
    error: run.errorCode !== null ? { code: run.errorCode, message: run.errorMessage ?? '' } : null,
    runType: run.runType,
    dataSourceType: run.dataSourceKind,
    isErrorLogAvailable: false,
    ingestionJobId: run.id,
    discoveryExecutionDetails: {
      discoveryStartTime: run.discoveryStartTime,
      discoveryEndTime: run.discoveryEndTime,
      status: run.discoveryStatus,
      statistics: {
        assets: {
          discovered: run.assetsDiscovered,
          classified: run.assetsClassified,
          failed: run.assetsFailed,
          deleted: run.assetsDeleted ?? 0,
        },
      },
      isErrorLogAvailable: false,
    },
    ingestionExecutionDetails: {
      ingestionStartTime: run.ingestionStartTime,
      ingestionEndTime: run.ingestionEndTime,
      status: run.ingestionStatus,
      statistics: {
        assets: { succeeded: run.ingestedAssetsSucceeded, failed: run.ingestedAssetsFailed, processing: 0 },
        relationships: { succeeded: run.ingestedRelationships, failed: 0, processing: 0 },
      },
      estimatedTimeRemainingInSeconds: 0,
      isErrorLogAvailable: false,
      lastUpdatedAt: run.ingestionUpdatedAt,
    },
    emulatorDiagnostics: { nodes: [...run.nodes], ...(reason ? { reason } : {}) },
  };
}

/** The spec's int32 code, also for rows stored with the code's name. */
function toNotification(notification: RunNotification): ScanNotification {
  const code = typeof notification.code === 'number' ? notification.code : scanNotificationCodeOf(notification.code);
  return { code, message: notification.message };
}

/** The 202 body of run and cancel: the operation was accepted; its outcome is read from the run. */
export function acceptedOperation(run: ScanRunEntity): OperationResponse {
  return {
    scanResultId: run.id,
    startTime: run.startTime ?? run.queuedTime,
    endTime: null,
    status: 'Accepted',
    error: null,
  };
}

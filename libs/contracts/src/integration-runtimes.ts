/** Scanning data plane: integration runtimes (2023-09-01 shapes, ADF status vocabulary). */
import { z } from 'zod';
import type { AuthKeyName } from './auth-key';
import type { InteractiveQueryStatus } from './interactive-authoring';

/** `IntegrationRuntimeAutoUpdate` (ADF): whether the self-hosted IR's nodes install pushed versions by themselves. */
export const IntegrationRuntimeAutoUpdateSchema = z.enum(['On', 'Off']);
export type IntegrationRuntimeAutoUpdate = z.infer<typeof IntegrationRuntimeAutoUpdateSchema>;
export const INTEGRATION_RUNTIME_AUTO_UPDATE_VALUES = IntegrationRuntimeAutoUpdateSchema.options;

/** `IntegrationRuntimeInternalChannelEncryptionMode` (ADF): how nodes of one IR talk to each other. */
export const IntegrationRuntimeInternalChannelEncryptionModeSchema = z.enum(['NotSet', 'SslEncrypted', 'NotEncrypted']);
export type IntegrationRuntimeInternalChannelEncryptionMode = z.infer<
  typeof IntegrationRuntimeInternalChannelEncryptionModeSchema
>;

export type IntegrationRuntimeKind = 'SelfHosted' | 'Managed';

export interface IntegrationRuntime {
  id?: string;
  name: string;
  kind: IntegrationRuntimeKind;
  properties: { description?: string };
}

/**
 * An integration runtime as the rest of the emulator refers to it: its id (the one in its auth keys, node
 * registrations and relay path) and its canonical name.
 */
export interface IntegrationRuntimeReference {
  id: string;
  name: string;
  kind: IntegrationRuntimeKind;
}

export interface IntegrationRuntimeAuthKeys {
  authKey1: string | null;
  authKey2: string | null;
}

export interface IntegrationRuntimeRegenerateKeyParameters {
  keyName: AuthKeyName;
}

/** `IntegrationRuntimeState` (ADF vocabulary; Purview leaves it a free string). */
export type IntegrationRuntimeState = 'NeedRegistration' | 'Online' | 'Limited' | 'Offline';
/** `SelfHostedIntegrationRuntimeNodeStatus`. */
export type NodeStatus =
  'NeedRegistration' | 'Initializing' | 'Online' | 'Limited' | 'Offline' | 'Upgrading' | 'InitializeFailed';

export interface SelfHostedIntegrationRuntimeNode {
  nodeName: string;
  machineName: string;
  hostServiceUri?: string;
  status: NodeStatus;
  capabilities: Record<string, 'True' | 'False'>;
  versionStatus: string;
  version: string;
  registerTime: string;
  lastConnectTime?: string;
  expiryTime?: string;
  lastStartTime?: string;
  lastStopTime?: string;
  lastUpdateResult: 'None' | 'Succeed' | 'Fail';
  isActiveDispatcher: boolean;
  concurrentJobsLimit: number;
  maxConcurrentJobs: number;
}

export interface SelfHostedIntegrationRuntimeStatus {
  id?: string;
  name: string;
  kind: 'SelfHosted';
  properties: {
    state: IntegrationRuntimeState;
    typeProperties: {
      createTime: string;
      taskQueueId: string;
      internalChannelEncryption: IntegrationRuntimeInternalChannelEncryptionMode;
      version?: string;
      nodes: SelfHostedIntegrationRuntimeNode[];
      updateDelayOffset?: string;
      localTimeZoneOffset?: string;
      capabilities: Record<string, 'True' | 'False'>;
      serviceUrls: string[];
      autoUpdate: IntegrationRuntimeAutoUpdate;
      versionStatus?: string;
      pushedVersion?: string;
      latestVersion?: string;
      interactiveQuery?: InteractiveQueryStatus;
    };
  };
  /** Emulator addition: plain-words reasons whenever the IR or a node is not Online. */
  emulatorDiagnostics?: { stateReason?: string; nodes: { nodeName: string; statusReason?: string }[] };
}

/** `PATCH …/nodes/{nodeName}` body (`UpdateIntegrationRuntimeNodeRequest`). */
export interface UpdateIntegrationRuntimeNodeRequest {
  concurrentJobsLimit?: number;
}

/** `IntegrationRuntimeNodeMonitoringData`: one node's live figures. */
export interface IntegrationRuntimeNodeMonitoringData {
  nodeName: string;
  availableMemoryInMB?: number;
  cpuUtilization?: number;
  concurrentJobsLimit: number;
  concurrentJobsRunning: number;
  maxConcurrentJobs: number;
  sentBytes?: number;
  receivedBytes?: number;
}

/** `POST …/monitoringData` response (`IntegrationRuntimeMonitoringData`). */
export interface IntegrationRuntimeMonitoringData {
  name: string;
  nodes: IntegrationRuntimeNodeMonitoringData[];
}

/** One address a self-hosted integration runtime node must reach, and what for ("View Service URLs"). */
export interface ServiceUrlEndpoint {
  purpose: string;
  url: string;
}

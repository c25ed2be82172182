/** Scanning data plane: integration runtimes (2023-09-01 shapes, ADF status vocabulary). */
import { z } from 'zod';
import type { AuthKeyName } from './auth-key';
import { InteractiveQueryStatusSchema } from './interactive-authoring';

/** `IntegrationRuntimeAutoUpdate` (ADF): whether the self-hosted IR's nodes install pushed versions by themselves. */
export const IntegrationRuntimeAutoUpdateSchema = z.enum(['On', 'Off']);
export type IntegrationRuntimeAutoUpdate = z.infer<typeof IntegrationRuntimeAutoUpdateSchema>;
export const INTEGRATION_RUNTIME_AUTO_UPDATE_VALUES = IntegrationRuntimeAutoUpdateSchema.options;

/** `IntegrationRuntimeInternalChannelEncryptionMode` (ADF): how nodes of one IR talk to each other. */
export const IntegrationRuntimeInternalChannelEncryptionModeSchema = z.enum(['NotSet', 'SslEncrypted', 'NotEncrypted']);
export type IntegrationRuntimeInternalChannelEncryptionMode = z.infer<
  typeof IntegrationRuntimeInternalChannelEncryptionModeSchema
>;

export const IntegrationRuntimeKindSchema = z.enum(['SelfHosted', 'Managed']);
export type IntegrationRuntimeKind = z.infer<typeof IntegrationRuntimeKindSchema>;

export const IntegrationRuntimeSchema = z.object({
  id: z.string().optional(),
  name: z.string(),
  kind: IntegrationRuntimeKindSchema,
  properties: z.object({ description: z.string().optional() }),
});
export type IntegrationRuntime = z.infer<typeof IntegrationRuntimeSchema>;

/**
 * An integration runtime as the rest of the emulator refers to it: its id (the one in its auth keys, node
 * registrations and relay path) and its canonical name.
 */
export interface IntegrationRuntimeReference {
  id: string;
  name: string;
  kind: IntegrationRuntimeKind;
}

export const IntegrationRuntimeAuthKeysSchema = z.object({
  authKey1: z.string().nullable(),
  authKey2: z.string().nullable(),
});
export type IntegrationRuntimeAuthKeys = z.infer<typeof IntegrationRuntimeAuthKeysSchema>;

export interface IntegrationRuntimeRegenerateKeyParameters {
  keyName: AuthKeyName;
}

/** `IntegrationRuntimeState` (ADF vocabulary; Purview leaves it a free string). */
export const IntegrationRuntimeStateSchema = z.enum(['NeedRegistration', 'Online', 'Limited', 'Offline']);
export type IntegrationRuntimeState = z.infer<typeof IntegrationRuntimeStateSchema>;
/** `SelfHostedIntegrationRuntimeNodeStatus`. */
export const NodeStatusSchema = z.enum([
  'NeedRegistration',
  'Initializing',
  'Online',
  'Limited',
  'Offline',
  'Upgrading',
  'InitializeFailed',
]);
export type NodeStatus = z.infer<typeof NodeStatusSchema>;

const Capabilities = z.record(z.enum(['True', 'False']));

export const SelfHostedIntegrationRuntimeNodeSchema = z.object({
  nodeName: z.string(),
  machineName: z.string(),
  hostServiceUri: z.string().optional(),
  status: NodeStatusSchema,
  capabilities: Capabilities,
  versionStatus: z.string(),
  version: z.string(),
  registerTime: z.string(),
  lastConnectTime: z.string().optional(),
  expiryTime: z.string().optional(),
  lastStartTime: z.string().optional(),
  lastStopTime: z.string().optional(),
  lastUpdateResult: z.enum(['None', 'Succeed', 'Fail']),
  isActiveDispatcher: z.boolean(),
  concurrentJobsLimit: z.number().int(),
  maxConcurrentJobs: z.number().int(),
});
export type SelfHostedIntegrationRuntimeNode = z.infer<typeof SelfHostedIntegrationRuntimeNodeSchema>;

export const SelfHostedIntegrationRuntimeStatusSchema = z.object({
  id: z.string().optional(),
  name: z.string(),
  kind: z.literal('SelfHosted'),
  properties: z.object({
    state: IntegrationRuntimeStateSchema,
    typeProperties: z.object({
      createTime: z.string(),
      taskQueueId: z.string(),
      internalChannelEncryption: IntegrationRuntimeInternalChannelEncryptionModeSchema,
      version: z.string().optional(),
      nodes: z.array(SelfHostedIntegrationRuntimeNodeSchema),
      updateDelayOffset: z.string().optional(),
      localTimeZoneOffset: z.string().optional(),
      capabilities: Capabilities,
      serviceUrls: z.array(z.string()),
      autoUpdate: IntegrationRuntimeAutoUpdateSchema,
      versionStatus: z.string().optional(),
      pushedVersion: z.string().optional(),
      latestVersion: z.string().optional(),
      interactiveQuery: InteractiveQueryStatusSchema.optional(),
    }),
  }),
  /** Emulator addition: plain-words reasons whenever the IR or a node is not Online. */
  emulatorDiagnostics: z
    .object({
      stateReason: z.string().optional(),
      nodes: z.array(z.object({ nodeName: z.string(), statusReason: z.string().optional() })),
    })
    .optional(),
});
export type SelfHostedIntegrationRuntimeStatus = z.infer<typeof SelfHostedIntegrationRuntimeStatusSchema>;

/** `PATCH …/nodes/{nodeName}` body (`UpdateIntegrationRuntimeNodeRequest`). */
export interface UpdateIntegrationRuntimeNodeRequest {
  concurrentJobsLimit?: number;
}

/** `IntegrationRuntimeNodeMonitoringData`: one node's live figures. */
export const IntegrationRuntimeNodeMonitoringDataSchema = z.object({
  nodeName: z.string(),
  availableMemoryInMB: z.number().optional(),
  cpuUtilization: z.number().optional(),
  concurrentJobsLimit: z.number().int(),
  concurrentJobsRunning: z.number().int(),
  maxConcurrentJobs: z.number().int(),
  sentBytes: z.number().optional(),
  receivedBytes: z.number().optional(),
});
export type IntegrationRuntimeNodeMonitoringData = z.infer<typeof IntegrationRuntimeNodeMonitoringDataSchema>;

/** `POST …/monitoringData` response (`IntegrationRuntimeMonitoringData`). */
export const IntegrationRuntimeMonitoringDataSchema = z.object({
  name: z.string(),
  nodes: z.array(IntegrationRuntimeNodeMonitoringDataSchema),
});
export type IntegrationRuntimeMonitoringData = z.infer<typeof IntegrationRuntimeMonitoringDataSchema>;

/** One address a self-hosted integration runtime node must reach, and what for ("View Service URLs"). */
export const ServiceUrlEndpointSchema = z.object({ purpose: z.string(), url: z.string() });
export type ServiceUrlEndpoint = z.infer<typeof ServiceUrlEndpointSchema>;

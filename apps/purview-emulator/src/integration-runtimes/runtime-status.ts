import {
  compareRuntimeVersions,
  type IntegrationRuntimeState,
  type NodeStatus,
  type SelfHostedIntegrationRuntimeNode,
  type SelfHostedIntegrationRuntimeStatus,
  type VersionStatus,
} from '@purview-emulator/contracts';
import type { EmulatorConfig } from '../config/emulator-config';
import type { IntegrationRuntimeEntity } from './integration-runtime.entity';
import type { IntegrationRuntimeNodeEntity } from './integration-runtime-node.entity';
import { assessVersion } from './runtime-versions';
import { serviceHostsOf } from '../account/service-urls';

type Liveness = Pick<IntegrationRuntimeNodeEntity, 'lastConnectMs'>;
type StatusContext = { config: EmulatorConfig; nowMs: number };

/** A node is connected while its last call is no older than the published Offline timeout. */
export function isNodeOnline(
  node: Liveness,
  nowMs: number,
  config: Pick<EmulatorConfig, 'nodeOfflineAfterSeconds'>,
): boolean {
  return node.lastConnectMs !== null && nowMs - node.lastConnectMs <= config.nodeOfflineAfterSeconds * 1000;
}

const bool = (value: boolean): 'True' | 'False' => (value ? 'True' : 'False');

/** One node's derived state: what `/status` shows, why, and whether the scheduler may give it work. */
export interface NodeAssessment {
  entity: IntegrationRuntimeNodeEntity;
  status: NodeStatus;
  reason?: string;
  versionStatus: VersionStatus;
  expiryTime?: string;
  /** Connected, not expired and not upgrading: the node may lease jobs. */
  acceptsJobs: boolean;
  expired: boolean;
}

/**
 * Every node's status, in priority order: never connected (Initializing, then Offline), expired version (Offline),
 * no heartbeat (Offline), installing an update (Upgrading), relay down or off the majority version (Limited), Online.
 */
export function assessNodes(nodes: IntegrationRuntimeNodeEntity[], { config, nowMs }: StatusContext): NodeAssessment[] {
  const majority = majorityVersion(nodes);
  return nodes.map((node) => {
    const version = assessVersion(node.version, config, nowMs);
    const expired = version.versionStatus === 'Expired';
    const connected = isNodeOnline(node, nowMs, config);
    const base = { entity: node, versionStatus: version.versionStatus, expiryTime: version.expiryTime, expired };
    if (node.lastConnectMs === null) {
      const justRegistered = nowMs - Date.parse(node.registerTime) <= config.nodeOfflineAfterSeconds * 1000;
      return justRegistered
        ? {
            ...base,
            status: 'Initializing',
            acceptsJobs: false,
            reason: 'The node is registered and waiting for its host service (shir start) to connect.',
          }
        : {
            ...base,
            status: 'Offline',
            acceptsJobs: false,
            reason: 'The node has not connected since it registered. Start its host service (shir start).',
          };
    }
    if (expired) return { ...base, status: 'Offline', acceptsJobs: false, reason: version.reason };
    if (!connected) {
      return {
        ...base,
        status: 'Offline',
        acceptsJobs: false,
        reason: `No heartbeat for ${Math.round((nowMs - node.lastConnectMs) / 1000)} s (a node is Offline after ${config.nodeOfflineAfterSeconds} s without one). Is its host service (shir start) running and able to reach ${config.publicUrl}?`,
      };
    }
    if (node.upgrading)
      return {
        ...base,
        status: 'Upgrading',
        acceptsJobs: false,
        reason: 'The node is installing an update; it takes no new jobs until it reports its new version.',
      };
    if (node.relayConnected === false) {
      return {
        ...base,
        status: 'Limited',
        acceptsJobs: true,
        reason:
          'The node cannot reach the relay (serviceBusConnected is False): interactive authoring through this node does not work; scans still run.',
      };
    }
    if (majority && node.version !== majority) {
      return {
        ...base,
        status: 'Limited',
        acceptsJobs: true,
        reason: `Majority version rule: this node runs ${node.version} but most nodes of the integration runtime run ${majority}. Nodes on another version than the majority are Limited until they are updated.`,
      };
    }
    return { ...base, status: 'Online', acceptsJobs: true };
  });
}

/**
 * The dispatcher: the recorded one while it can work, otherwise the earliest-registered node that can, so the role
 * moves as soon as the dispatcher goes Offline and does not move back when it returns.
 */
export function dispatcherOf(
  ir: Pick<IntegrationRuntimeEntity, 'dispatcherNodeId'>,
  assessed: NodeAssessment[],
): string | undefined {
  const current = assessed.find((a) => a.entity.id === ir.dispatcherNodeId);
  if (current?.acceptsJobs) return current.entity.id;
  return assessed.find((a) => a.acceptsJobs)?.entity.id;
}

/**
 * The `/status` body: ADF's vocabulary in Purview's shape, derived on read from heartbeats and capabilities.
 * Whenever the IR or a node is not Online, `emulatorDiagnostics` says why in plain words.
 */
export function buildStatus(
  ir: IntegrationRuntimeEntity,
  nodes: IntegrationRuntimeNodeEntity[],
  context: StatusContext,
): SelfHostedIntegrationRuntimeStatus {
  const { config } = context;
  const assessed = assessNodes(nodes, context);
  const dispatcherId = dispatcherOf(ir, assessed);
  const contractNodes = assessed.map((a) => toContractNode(a, a.entity.id === dispatcherId));
  const { state, stateReason } = runtimeStateOf(assessed);
  const version = majorityVersion(nodes);
  const dispatcher = contractNodes.find((n) => n.isActiveDispatcher);
  return {
    id: `integrationruntimes/${ir.name}`,
    name: ir.name,
    kind: 'SelfHosted',
    properties: {
      state,
      typeProperties: {
        createTime: ir.createdAt,
        taskQueueId: ir.id,
        internalChannelEncryption: internalChannelEncryptionOf(nodes),
        ...(version ? { version } : {}),
        nodes: contractNodes,
        updateDelayOffset: 'PT3H',
        localTimeZoneOffset: 'PT0S',
        capabilities: dispatcher?.capabilities ?? {
          serviceBusConnected: 'False',
          httpsPortEnabled: 'False',
          credentialInSync: 'False',
          connectedToResourceManager: 'False',
          nodeEnabled: 'False',
        },
        serviceUrls: serviceUrlsOf(config),
        autoUpdate: ir.autoUpdate,
        ...(version ? { versionStatus: assessVersion(version, config, context.nowMs).versionStatus } : {}),
        pushedVersion: config.runtimeVersions.pushed,
        latestVersion: config.runtimeVersions.latest,
      },
    },
    emulatorDiagnostics: {
      ...(stateReason ? { stateReason } : {}),
      nodes: assessed.map((a) => ({ nodeName: a.entity.nodeName, ...(a.reason ? { statusReason: a.reason } : {}) })),
    },
  };
}

function runtimeStateOf(assessed: NodeAssessment[]): { state: IntegrationRuntimeState; stateReason?: string } {
  if (assessed.length === 0) {
    return {
      state: 'NeedRegistration',
      stateReason:
        'No node is registered to this self-hosted integration runtime yet. Register one with an auth key from :listAuthKeys (shir register --key <authKey>).',
    };
  }
  const notOnline = assessed.filter((a) => a.status !== 'Online');
  if (notOnline.length === 0) return { state: 'Online' };
  const working = assessed.filter((a) => a.status === 'Online' || a.status === 'Limited' || a.status === 'Upgrading');
  const detail = notOnline.map((a) => `${a.entity.nodeName} is ${a.status}: ${a.reason}`).join(' ');
  if (working.length === 0) return { state: 'Offline', stateReason: `No node is online. ${detail}` };
  return {
    state: 'Limited',
    stateReason: `${assessed.length - notOnline.length} of ${assessed.length} nodes are online; not all nodes are in a healthy state. ${detail}`,
  };
}

function toContractNode(a: NodeAssessment, isDispatcher: boolean): SelfHostedIntegrationRuntimeNode {
  const node = a.entity;
  const working = a.status === 'Online' || a.status === 'Limited' || a.status === 'Upgrading';
  return {
    nodeName: node.nodeName,
    machineName: node.machineName,
    // The SHIR's host service endpoint (port 8050), as ADF reports it.
    hostServiceUri: `https://${node.machineName}:8050/HostServiceRemote.svc/`,
    status: a.status,
    capabilities: {
      serviceBusConnected: bool(working && node.relayConnected !== false),
      httpsPortEnabled: bool(working),
      credentialInSync: 'True',
      connectedToResourceManager: bool(working),
      nodeEnabled: bool(!a.expired),
    },
    versionStatus: a.versionStatus,
    version: node.version,
    registerTime: node.registerTime,
    ...(node.lastConnectMs !== null ? { lastConnectTime: new Date(node.lastConnectMs).toISOString() } : {}),
    ...(a.expiryTime ? { expiryTime: a.expiryTime } : {}),
    ...(node.lastStartTime ? { lastStartTime: node.lastStartTime } : {}),
    ...(node.lastStopTime ? { lastStopTime: node.lastStopTime } : {}),
    lastUpdateResult: node.lastUpdateResult,
    isActiveDispatcher: isDispatcher,
    concurrentJobsLimit: node.concurrentJobsLimit ?? node.maxConcurrentJobs,
    maxConcurrentJobs: node.maxConcurrentJobs,
  };
}

/** Remote access without a certificate: the node-to-node channel is not encrypted (the emulator has no TLS option for it). */
function internalChannelEncryptionOf(nodes: IntegrationRuntimeNodeEntity[]): 'NotSet' | 'NotEncrypted' {
  return nodes.some((n) => n.remoteAccessEnabled) ? 'NotEncrypted' : 'NotSet';
}

/** "The version of the self-hosted integration runtime is determined based on version of majority of nodes." */
export function majorityVersion(nodes: Pick<IntegrationRuntimeNodeEntity, 'version'>[]): string | undefined {
  const counts = new Map<string, number>();
  for (const n of nodes) counts.set(n.version, (counts.get(n.version) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || compareRuntimeVersions(b[0], a[0]))[0]?.[0];
}

/** Every host:port a node must reach: the emulator (account, token, relay, updates, over HTTP and HTTPS) and ingestion storage. */
export function serviceUrlsOf(config: EmulatorConfig): string[] {
  return serviceHostsOf(config);
}

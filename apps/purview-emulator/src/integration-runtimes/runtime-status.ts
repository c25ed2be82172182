import type { IntegrationRuntimeState, NodeStatus, SelfHostedIntegrationRuntimeNode, SelfHostedIntegrationRuntimeStatus } from '@purview-emulator/contracts';
import type { EmulatorConfig } from '../config/emulator-config';
import type { IntegrationRuntimeEntity } from './integration-runtime.entity';
import type { IntegrationRuntimeNodeEntity } from './integration-runtime-node.entity';

type Liveness = Pick<IntegrationRuntimeNodeEntity, 'lastConnectMs'>;

/** A node is Online while its last call is no older than the published Offline timeout. */
export function isNodeOnline(node: Liveness, nowMs: number, config: Pick<EmulatorConfig, 'nodeOfflineAfterSeconds'>): boolean {
  return node.lastConnectMs !== null && nowMs - node.lastConnectMs <= config.nodeOfflineAfterSeconds * 1000;
}

const bool = (value: boolean): 'True' | 'False' => (value ? 'True' : 'False');

/**
 * The `/status` body: ADF's vocabulary in Purview's shape, derived on read from heartbeats and capabilities.
 * Whenever the IR or a node is not Online, `emulatorDiagnostics` says why in plain words.
 */
export function buildStatus(
  ir: IntegrationRuntimeEntity,
  nodes: IntegrationRuntimeNodeEntity[],
  context: { config: EmulatorConfig; nowMs: number },
): SelfHostedIntegrationRuntimeStatus {
  const { config, nowMs } = context;
  const dispatcherId = nodes.find((n) => isNodeOnline(n, nowMs, config))?.id;
  const derived = nodes.map((node) => nodeStatusOf(node, node.id === dispatcherId, context));
  const online = derived.filter((d) => d.node.status === 'Online').length;
  let state: IntegrationRuntimeState;
  let stateReason: string | undefined;
  if (nodes.length === 0) {
    state = 'NeedRegistration';
    stateReason = 'No node is registered to this self-hosted integration runtime yet. Register one with an auth key from :listAuthKeys (shir register --key <authKey>).';
  } else if (online === nodes.length) {
    state = 'Online';
  } else if (derived.every((d) => d.node.status === 'Offline')) {
    state = 'Offline';
    stateReason = 'No node is online.';
  } else {
    state = 'Limited';
    stateReason = `${online} of ${nodes.length} nodes are online; not all nodes are in a healthy state.`;
  }
  const dispatcher = derived.find((d) => d.node.isActiveDispatcher)?.node;
  return {
    id: `integrationruntimes/${ir.name}`,
    name: ir.name,
    kind: 'SelfHosted',
    properties: {
      state,
      typeProperties: {
        createTime: ir.createdAt,
        taskQueueId: ir.id,
        internalChannelEncryption: 'NotSet',
        version: majorityVersion(nodes),
        nodes: derived.map((d) => d.node),
        updateDelayOffset: 'PT3H',
        localTimeZoneOffset: 'PT0S',
        capabilities: dispatcher?.capabilities ?? { serviceBusConnected: 'False', httpsPortEnabled: 'False', credentialInSync: 'False', connectedToResourceManager: 'False', nodeEnabled: 'False' },
        serviceUrls: serviceUrlsOf(config),
        autoUpdate: 'Off',
        versionStatus: 'UpToDate',
      },
    },
    emulatorDiagnostics: {
      ...(stateReason ? { stateReason } : {}),
      nodes: derived.map((d) => ({ nodeName: d.node.nodeName, ...(d.reason ? { statusReason: d.reason } : {}) })),
    },
  };
}

function nodeStatusOf(node: IntegrationRuntimeNodeEntity, isDispatcher: boolean, { config, nowMs }: { config: EmulatorConfig; nowMs: number }): { node: SelfHostedIntegrationRuntimeNode; reason?: string } {
  const online = isNodeOnline(node, nowMs, config);
  const relayDown = node.relayConnected === false;
  let status: NodeStatus = 'Online';
  let reason: string | undefined;
  if (!online) {
    status = 'Offline';
    reason = node.lastConnectMs === null
      ? 'The node has not connected since it registered.'
      : `No heartbeat for ${Math.round((nowMs - node.lastConnectMs) / 1000)} s (a node is Offline after ${config.nodeOfflineAfterSeconds} s without one). Is its host service (shir start) running and able to reach ${config.publicUrl}?`;
  } else if (relayDown) {
    status = 'Limited';
    reason = 'The node cannot reach the relay (serviceBusConnected is False): interactive authoring through this node does not work.';
  }
  return {
    node: {
      nodeName: node.nodeName,
      machineName: node.machineName,
      status,
      capabilities: {
        serviceBusConnected: bool(online && !relayDown),
        httpsPortEnabled: bool(online),
        credentialInSync: 'True',
        connectedToResourceManager: bool(online),
        nodeEnabled: 'True',
      },
      versionStatus: 'UpToDate',
      version: node.version,
      registerTime: node.registerTime,
      ...(node.lastConnectMs !== null ? { lastConnectTime: new Date(node.lastConnectMs).toISOString() } : {}),
      ...(node.lastStartTime ? { lastStartTime: node.lastStartTime } : {}),
      lastUpdateResult: 'None',
      isActiveDispatcher: isDispatcher,
      concurrentJobsLimit: node.concurrentJobsLimit ?? node.maxConcurrentJobs,
      maxConcurrentJobs: node.maxConcurrentJobs,
    },
    reason,
  };
}

/** "The version of the self-hosted integration runtime is determined based on version of majority of nodes." */
function majorityVersion(nodes: IntegrationRuntimeNodeEntity[]): string | undefined {
  const counts = new Map<string, number>();
  for (const n of nodes) counts.set(n.version, (counts.get(n.version) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || b[0].localeCompare(a[0]))[0]?.[0];
}

/** Every host:port a node must reach: the emulator (account, token, runtime protocol) and ingestion storage. */
export function serviceUrlsOf(config: EmulatorConfig): string[] {
  return [...new Set([config.publicUrl, config.storage.blobEndpoint, config.storage.queueEndpoint].map((u) => new URL(u).host))];
}

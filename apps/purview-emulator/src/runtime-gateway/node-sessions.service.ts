import { Inject, Injectable, Optional } from '@nestjs/common';
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import {
  AutoUpdateSettings,
  HeartbeatRequest,
  HeartbeatResponse,
  IntegrationRuntimeAutoUpdate,
  NodeView,
  RegisterNodeRequest,
  RegisterNodeResponse,
  RemoteAccessRequest,
  RemoteAccessSettings,
  parseAuthKey,
} from '@purview-emulator/contracts';
import { EMULATOR_CONFIG, EmulatorConfig } from '../config/emulator-config';
import { Clock } from '../common/clock';
import { PurviewError } from '../common/errors';
import { TransactionRunner } from '../database/transaction-runner';
import { FaultsService } from '../faults/faults.service';
import { serviceEndpointsOf } from '../account/service-urls';
import type { IntegrationRuntimeNodeEntity } from '../integration-runtimes/integration-runtime-node.entity';
import { IntegrationRuntimesRepository } from '../integration-runtimes/integration-runtimes.repository';
import { IntegrationRuntimesService } from '../integration-runtimes/integration-runtimes.service';
import { maxConcurrentJobsFor } from '../integration-runtimes/node-capacity';
import { assessNodes, buildStatus, dispatcherOf, isNodeOnline } from '../integration-runtimes/runtime-status';
import { updateTarget } from '../integration-runtimes/runtime-versions';

/** Documented limit: "You can have up to four nodes associated with a self-hosted integration runtime". */
export const MAX_NODES_PER_RUNTIME = 4;

/** A node as the runtime gateway sees it once its credential checked out. */
export interface AuthenticatedNode {
  nodeId: string;
  nodeName: string;
  integrationRuntimeId: string;
  integrationRuntimeName: string;
}

/**
 * How stale the stored sign of life may get before a node call writes it: a heartbeat interval, at most a third of the
 * Offline timeout. Nodes call often (lease polls, renewals, progress); writing the row on each of those cost a SQLite
 * write per call for nothing `/status` shows. Heartbeats write it anyway, so with them running a node's stored
 * last-connect time is at most one heartbeat old, and it is on disk, so a restart finds it.
 */
export function livenessWriteIntervalMs(
  config: Pick<EmulatorConfig, 'heartbeatIntervalSeconds' | 'nodeOfflineAfterSeconds'>,
): number {
  return Math.min(config.heartbeatIntervalSeconds, config.nodeOfflineAfterSeconds / 3) * 1000;
}

/**
 * The node's side of an integration runtime (the runtime protocol): registration with an auth key, the node
 * credential and its liveness, heartbeats, the node's own view, leaving, remote access and auto-update. It works on
 * the integration runtime module's tables, so that module provides it; the gateway's controller and guard use it.
 */
@Injectable()
export class NodeSessionsService {
  constructor(
    @Inject(EMULATOR_CONFIG) private readonly config: EmulatorConfig,
    private readonly repository: IntegrationRuntimesRepository,
    private readonly runtimes: IntegrationRuntimesService,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    @Optional() private readonly faults?: FaultsService,
  ) {}

  /**
   * Registers a node with an auth key. Refused: a name already in use (unless `force`, which replaces that node and
   * revokes its credential), a fifth node, and a second node while no existing node has remote access enabled.
   */
  async registerNode(request: RegisterNodeRequest): Promise<RegisterNodeResponse> {
    let key;
    try {
      key = parseAuthKey(request.authKey);
    } catch (error) {
      throw PurviewError.badRequest((error as Error).message, 'MalformedAuthKey');
    }
    if (key.accountName.toLowerCase() !== this.config.accountName.toLowerCase()) {
      throw PurviewError.unauthorized(
        `The authentication key belongs to account '${key.accountName}', but this emulator serves account '${this.config.accountName}'.`,
        'InvalidAuthKey',
      );
    }
    const credentialSecret = randomBytes(32).toString('base64url');
    const nodeId = randomUUID();
    const result = await this.transactions.run(async (manager) => {
      const match = await this.runtimes.matchAuthKey(key.integrationRuntimeId, key.secret, manager);
      if (!match) {
        throw PurviewError.unauthorized(
          `The authentication key is not valid for any integration runtime of account '${this.config.accountName}'. It may have been regenerated, or its integration runtime deleted; copy a current key from :listAuthKeys.`,
          'InvalidAuthKey',
        );
      }
      const { ir, keyName } = match;
      let nodes = await this.repository.nodesOf(ir.id, manager);
      const sameName = nodes.find((n) => n.nodeName.toLowerCase() === request.nodeName.toLowerCase());
      if (sameName && !request.force) {
        throw PurviewError.conflict(
          `A node named '${sameName.nodeName}' is already registered to integration runtime '${ir.name}'. Choose another node name, or replace that node with 'shir register --force'.`,
          'NodeNameInUse',
        );
      }
      if (sameName) {
        await this.repository.deleteNode(sameName.id, manager);
        nodes = nodes.filter((n) => n.id !== sameName.id);
      }
      if (nodes.length >= MAX_NODES_PER_RUNTIME) {
        throw PurviewError.conflict(
          `Integration runtime '${ir.name}' already has ${nodes.length} nodes (${nodes.map((n) => n.nodeName).join(', ')}); a self-hosted integration runtime can have at most ${MAX_NODES_PER_RUNTIME}. Remove one first (DELETE …/nodes/{nodeName} or 'shir unregister' on it).`,
          'TooManyNodes',
        );
      }
      if (nodes.length > 0 && !nodes.some((n) => n.remoteAccessEnabled)) {
        throw PurviewError.conflict(
          `Registration of new node is forbidden when Remote Access is disabled on another node. To enable it, run 'shir remote-access enable [--port 8060]' on the machine of node '${nodes[0].nodeName}' (dmgcmd -EnableRemoteAccess "<port>" on a real SHIR).`,
          'RemoteAccessDisabled',
        );
      }
      const now = this.clock.iso();
      await this.repository.insertNode(
        {
          id: nodeId,
          integrationRuntimeId: ir.id,
          nodeName: request.nodeName,
          machineName: request.machineName,
          credentialHash: hashSecret(credentialSecret),
          registeredWith: keyName,
          version: request.version,
          os: request.os ?? null,
          cores: request.cores,
          memoryMb: request.memoryMb,
          registerTime: now,
          // Registered is not running: the node is Initializing until its host service calls in.
          lastConnectMs: null,
          lastStartTime: null,
          lastStopTime: null,
          runningJobs: 0,
          availableMemoryMb: null,
          cpuUtilization: null,
          relayConnected: null,
          concurrentJobsLimit: null,
          maxConcurrentJobs: maxConcurrentJobsFor(request.cores, request.memoryMb),
          remoteAccessEnabled: false,
          remoteAccessPort: null,
          upgrading: false,
          lastUpdateResult: 'None',
        },
        manager,
      );
      return ir;
    });
    return {
      accountName: this.config.accountName,
      integrationRuntime: { name: result.name, id: result.id },
      node: { name: request.nodeName, id: nodeId },
      nodeCredential: `${nodeId}.${credentialSecret}`,
      ...this.intervals(),
    };
  }

  /**
   * Checks a node credential (`{nodeId}.{secret}`); every call also counts as a sign of life. The row is written only
   * when the call brings the node back (Offline to Online: a new start, and a stop at its last call) or the stored
   * sign of life is older than livenessWriteIntervalMs.
   */
  async authenticateNode(credential: string): Promise<AuthenticatedNode> {
    const [nodeId, secret] = credential.split('.');
    const node = nodeId && secret ? await this.repository.findNode(nodeId) : null;
    if (!node || !credentialMatches(node.credentialHash, secret)) {
      throw PurviewError.unauthorized(
        'The node credential is not recognised: this node was removed from its integration runtime, or the integration runtime was deleted. Register the node again with a current auth key.',
        'InvalidNodeCredential',
      );
    }
    const ir = await this.repository.findById(node.integrationRuntimeId);
    if (!ir)
      throw PurviewError.unauthorized(
        'The integration runtime of this node no longer exists.',
        'InvalidNodeCredential',
      );
    const nowMs = this.clock.nowMs();
    const restarted = !isNodeOnline(node, nowMs, this.config);
    // Under a nodeHeartbeatsIgnored fault the call is served, but the service does not hear from the node: it goes
    // Offline once its last sign of life is old enough, as when its heartbeats do not arrive.
    const heard = !this.heartbeatsIgnored(ir.name, node.nodeName);
    if (heard && restarted) {
      await this.repository.updateNode(node.id, {
        lastConnectMs: nowMs,
        lastStartTime: new Date(nowMs).toISOString(),
        ...(node.lastConnectMs !== null ? { lastStopTime: new Date(node.lastConnectMs).toISOString() } : {}),
      });
    } else if (heard && nowMs - node.lastConnectMs! >= livenessWriteIntervalMs(this.config)) {
      await this.repository.updateNode(node.id, { lastConnectMs: nowMs });
    }
    return { nodeId: node.id, nodeName: node.nodeName, integrationRuntimeId: ir.id, integrationRuntimeName: ir.name };
  }

  intervals(): { heartbeatIntervalSeconds: number; offlineAfterSeconds: number } {
    return {
      heartbeatIntervalSeconds: this.config.heartbeatIntervalSeconds,
      offlineAfterSeconds: this.config.nodeOfflineAfterSeconds,
    };
  }

  /**
   * Records a heartbeat (and its time as the node's last connect: the row is written anyway). A node that was
   * upgrading and now reports another version finished its update. The dispatcher role is written down here, so it
   * stays with one node while that node can work.
   */
  async heartbeat(node: AuthenticatedNode, request: HeartbeatRequest): Promise<HeartbeatResponse> {
    const before = await this.requireNode(node.nodeId);
    const finishedUpdate = before.upgrading && !request.upgrading && request.version !== before.version;
    const ignored = this.faults?.take(
      'nodeHeartbeatsIgnored',
      (f) => this.matchesNode(f, node.integrationRuntimeName, node.nodeName),
      `a heartbeat of node '${node.nodeName}' of '${node.integrationRuntimeName}'`,
    );
    await this.repository.updateNode(node.nodeId, {
      ...(ignored ? {} : { lastConnectMs: this.clock.nowMs() }),
      version: request.version,
      runningJobs: request.runningJobs,
      availableMemoryMb: request.availableMemoryMb ?? null,
      cpuUtilization: request.cpuUtilization ?? null,
      // Under a relayDrop fault the service sees no listener, whatever the node last knew.
      relayConnected: this.relayDropped(node.integrationRuntimeName, node.nodeName)
        ? false
        : (request.relayConnected ?? null),
      upgrading: request.upgrading ?? false,
      ...(finishedUpdate ? { lastUpdateResult: 'Succeed' as const } : {}),
    });
    const ir = (await this.repository.findById(node.integrationRuntimeId))!;
    const nodes = await this.repository.nodesOf(ir.id);
    const nowMs = this.clock.nowMs();
    const assessed = assessNodes(nodes, { config: this.config, nowMs });
    const dispatcherId = dispatcherOf(ir, assessed);
    if (dispatcherId && dispatcherId !== ir.dispatcherNodeId) {
      ir.dispatcherNodeId = dispatcherId;
      await this.repository.saveRuntime(ir);
    }
    const status = buildStatus(ir, nodes, { config: this.config, nowMs });
    const self = assessed.find((a) => a.entity.id === node.nodeId)!;
    const updateTo = request.upgrading ? undefined : updateTarget(request.version, ir.autoUpdate, this.config);
    return {
      nodeStatus: self.status,
      integrationRuntimeState: status.properties.state,
      concurrentJobsLimit: self.entity.concurrentJobsLimit ?? self.entity.maxConcurrentJobs,
      ...this.intervals(),
      isActiveDispatcher: dispatcherId === node.nodeId,
      versionStatus: self.versionStatus,
      ...(self.reason ? { statusReason: self.reason } : {}),
      autoUpdate: ir.autoUpdate,
      latestVersion: this.config.runtimeVersions.latest,
      pushedVersion: this.config.runtimeVersions.pushed,
      ...(updateTo ? { updateTo } : {}),
    };
  }

  /** `GET /_emulator/runtime/node`: the node and its IR as the service sees them. */
  async nodeView(node: AuthenticatedNode): Promise<NodeView> {
    const ir = (await this.repository.findById(node.integrationRuntimeId))!;
    const nodes = await this.repository.nodesOf(ir.id);
    const status = buildStatus(ir, nodes, { config: this.config, nowMs: this.clock.nowMs() });
    const self = nodes.find((n) => n.id === node.nodeId)!;
    const reason = status.emulatorDiagnostics?.nodes.find((n) => n.nodeName === self.nodeName)?.statusReason;
    return {
      accountName: this.config.accountName,
      integrationRuntime: {
        name: ir.name,
        id: ir.id,
        state: status.properties.state,
        ...(status.emulatorDiagnostics?.stateReason ? { stateReason: status.emulatorDiagnostics.stateReason } : {}),
        autoUpdate: ir.autoUpdate,
        latestVersion: this.config.runtimeVersions.latest,
        pushedVersion: this.config.runtimeVersions.pushed,
        nodeCount: nodes.length,
      },
      node: status.properties.typeProperties.nodes.find((n) => n.nodeName === self.nodeName)!,
      ...(reason ? { statusReason: reason } : {}),
      remoteAccess: remoteAccessOf(self, nodes),
      serviceEndpoints: serviceEndpointsOf(this.config),
    };
  }

  /** `shir unregister`: the node leaves its IR; its credential stops working at once. */
  async unregisterNode(node: AuthenticatedNode): Promise<void> {
    await this.transactions.run((manager) => this.repository.deleteNode(node.nodeId, manager));
  }

  /**
   * "Remote access from intranet" on one node. Turning it off is refused while other nodes are registered: they
   * depend on it (the SHIR only lets a single-node IR change these settings).
   */
  async setRemoteAccess(node: AuthenticatedNode, request: RemoteAccessRequest): Promise<RemoteAccessSettings> {
    const nodes = await this.repository.nodesOf(node.integrationRuntimeId);
    const self = nodes.find((n) => n.id === node.nodeId)!;
    const others = nodes.filter((n) => n.id !== node.nodeId);
    if (!request.enabled && others.length > 0) {
      throw PurviewError.conflict(
        `Remote access cannot be disabled on node '${self.nodeName}' while other nodes are registered to integration runtime '${node.integrationRuntimeName}' (${others.map((n) => n.nodeName).join(', ')}): they use it to talk to this node. Remove them first.`,
        'RemoteAccessInUse',
      );
    }
    self.remoteAccessEnabled = request.enabled;
    self.remoteAccessPort = request.enabled ? request.port : null;
    await this.repository.updateNode(self.id, {
      remoteAccessEnabled: self.remoteAccessEnabled,
      remoteAccessPort: self.remoteAccessPort,
    });
    return remoteAccessOf(self, nodes);
  }

  async setAutoUpdate(node: AuthenticatedNode, autoUpdate: IntegrationRuntimeAutoUpdate): Promise<AutoUpdateSettings> {
    const ir = (await this.repository.findById(node.integrationRuntimeId))!;
    ir.autoUpdate = autoUpdate;
    ir.updatedAt = this.clock.iso();
    await this.repository.saveRuntime(ir);
    return { autoUpdate };
  }

  private heartbeatsIgnored(integrationRuntimeName: string, nodeName: string): boolean {
    return !!this.faults?.active('nodeHeartbeatsIgnored', (f) => this.matchesNode(f, integrationRuntimeName, nodeName));
  }

  private relayDropped(integrationRuntimeName: string, nodeName: string): boolean {
    return !!this.faults?.active('relayDrop', (f) => this.matchesNode(f, integrationRuntimeName, nodeName));
  }

  private matchesNode(
    fault: { integrationRuntime: string; node: string },
    integrationRuntimeName: string,
    nodeName: string,
  ): boolean {
    return (
      fault.integrationRuntime.toLowerCase() === integrationRuntimeName.toLowerCase() &&
      fault.node.toLowerCase() === nodeName.toLowerCase()
    );
  }

  private async requireNode(id: string): Promise<IntegrationRuntimeNodeEntity> {
    const node = await this.repository.findNode(id);
    if (!node)
      throw PurviewError.unauthorized(
        'The node credential is not recognised: this node was removed from its integration runtime.',
        'InvalidNodeCredential',
      );
    return node;
  }
}

function remoteAccessOf(
  node: IntegrationRuntimeNodeEntity,
  nodes: IntegrationRuntimeNodeEntity[],
): RemoteAccessSettings {
  return {
    enabled: node.remoteAccessEnabled,
    port: node.remoteAccessPort ?? 8060,
    internalChannelEncryption: nodes.some((n) => n.remoteAccessEnabled) ? 'NotEncrypted' : 'NotSet',
  };
}

function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** Node credentials are kept as SHA-256 hex; compared in constant time. */
function credentialMatches(storedHash: string, secret: string): boolean {
  const expected = Buffer.from(storedHash, 'hex');
  const actual = Buffer.from(hashSecret(secret), 'hex');
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

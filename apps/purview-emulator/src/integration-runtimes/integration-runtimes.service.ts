import { Inject, Injectable, Logger } from '@nestjs/common';
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import {
  AUTH_KEY_NAMES,
  AuthKeyName,
  AutoUpdateSettings,
  HeartbeatRequest,
  HeartbeatResponse,
  IntegrationRuntime,
  IntegrationRuntimeAuthKeys,
  IntegrationRuntimeAutoUpdate,
  IntegrationRuntimeMonitoringData,
  NodeView,
  RegisterNodeRequest,
  RegisterNodeResponse,
  RemoteAccessRequest,
  RemoteAccessSettings,
  SelfHostedIntegrationRuntimeNode,
  SelfHostedIntegrationRuntimeStatus,
  formatAuthKey,
  parseAuthKey,
} from '@purview-emulator/contracts';
import { EMULATOR_CONFIG, EmulatorConfig, serviceEndpointOf } from '../config/emulator-config';
import { Clock } from '../common/clock';
import { PurviewError } from '../common/errors';
import { TransactionRunner } from '../database/transaction-runner';
import { DatabaseSecrets } from '../database/database-secrets';
import { IntegrationRuntimeEntity } from './integration-runtime.entity';
import { IntegrationRuntimeNodeEntity } from './integration-runtime-node.entity';
import { IntegrationRuntimesRepository } from './integration-runtimes.repository';
import { maxConcurrentJobsFor } from './node-capacity';
import { assessNodes, buildStatus, dispatcherOf, isNodeOnline } from './runtime-status';
import { updateTarget } from './runtime-versions';
import { serviceEndpointsOf } from '../account/service-urls';

/** Documented limit: "You can have up to four nodes associated with a self-hosted integration runtime". */
export const MAX_NODES_PER_RUNTIME = 4;

/** How the scheduler sees a node: may it take jobs now, and how many at once. */
export interface SchedulingNode {
  nodeId: string;
  nodeName: string;
  online: boolean;
  acceptsJobs: boolean;
  /** Why the node takes no jobs (expired version, upgrading, offline). */
  reason?: string;
  expired: boolean;
  concurrentJobsLimit: number;
}

/**
 * Asked before an integration runtime is deleted; answers the names of what still uses it (say, scans). Other
 * modules register checks, so this module needs no import of theirs.
 */
export type RuntimeDeletionCheck = (integrationRuntimeName: string) => Promise<string[]>;

/**
 * Told once an integration runtime's deletion has committed, so a module that keeps state for it (say, the relay's
 * listeners on its hybrid connection) lets go at once instead of polling the table. Registered like deletion checks.
 */
export type RuntimeDeletedHook = (deleted: { id: string; name: string }) => void;

/** Adds fields another module owns to an IR's `/status` typeProperties (say, interactive authoring's state). */
export type RuntimeStatusExtension = (integrationRuntimeName: string) => Promise<Partial<SelfHostedIntegrationRuntimeStatus['properties']['typeProperties']>>;

/** A node as the runtime gateway sees it once its credential checked out. */
export interface AuthenticatedNode {
  nodeId: string;
  nodeName: string;
  integrationRuntimeId: string;
  integrationRuntimeName: string;
}

@Injectable()
export class IntegrationRuntimesService {
  private readonly deletionChecks: RuntimeDeletionCheck[] = [];
  private readonly deletedHooks: RuntimeDeletedHook[] = [];
  private readonly logger = new Logger('IntegrationRuntimes');
  private readonly statusExtensions: RuntimeStatusExtension[] = [];

  constructor(
    @Inject(EMULATOR_CONFIG) private readonly config: EmulatorConfig,
    private readonly repository: IntegrationRuntimesRepository,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    private readonly secrets: DatabaseSecrets,
  ) {}

  findByName(name: string): Promise<IntegrationRuntimeEntity | null> {
    return this.repository.findByName(name);
  }

  async get(name: string): Promise<IntegrationRuntime> {
    return this.toContract(await this.require(name));
  }

  async list(skip: number, take: number): Promise<{ value: IntegrationRuntime[]; count: number }> {
    const [page, count] = await this.repository.page(skip, take);
    return { value: page.map((ir) => this.toContract(ir)), count };
  }

  /** PUT semantics: create (true) or replace the description (false). The kind of an existing IR cannot change. */
  async createOrReplace(name: string, kind: 'SelfHosted', description: string | undefined): Promise<{ created: boolean; runtime: IntegrationRuntime }> {
    return this.transactions.run(async (manager) => {
      const existing = await this.repository.findByName(name, manager);
      const now = this.clock.iso();
      if (existing) {
        if (existing.kind !== kind) throw PurviewError.badRequest(`Integration runtime '${existing.name}' is of kind ${existing.kind}; its kind cannot be changed to ${kind}.`, 'InvalidKind');
        existing.description = description ?? null;
        existing.updatedAt = now;
        await this.repository.saveRuntime(existing, manager);
        return { created: false, runtime: this.toContract(existing) };
      }
      const id = randomUUID();
      const authKey1 = this.secrets.seal('integration_runtimes.auth_key1', id, newSecret());
      const authKey2 = this.secrets.seal('integration_runtimes.auth_key2', id, newSecret());
      const entity: IntegrationRuntimeEntity = { id, name, kind, description: description ?? null, authKey1, authKey2, autoUpdate: 'On', dispatcherNodeId: null, createdAt: now, updatedAt: now };
      await this.repository.saveRuntime(entity, manager);
      return { created: true, runtime: this.toContract(entity) };
    });
  }

  addDeletionCheck(check: RuntimeDeletionCheck): void {
    this.deletionChecks.push(check);
  }

  onDeleted(hook: RuntimeDeletedHook): void {
    this.deletedHooks.push(hook);
  }

  addStatusExtension(extension: RuntimeStatusExtension): void {
    this.statusExtensions.push(extension);
  }

  /** Deleting an IR removes its nodes, which revokes their credentials at once. An IR that scans use cannot go (409). */
  async delete(name: string): Promise<void> {
    const existing = await this.require(name);
    const users = (await Promise.all(this.deletionChecks.map((check) => check(existing.name)))).flat();
    if (users.length > 0) {
      throw PurviewError.conflict(
        `Integration runtime '${existing.name}' is referenced by ${users.length} scan(s): ${users.join(', ')}. Point those scans at another integration runtime or delete them first.`,
        'IntegrationRuntimeInUse',
      );
    }
    const deleted = await this.transactions.run(async (manager) => {
      const current = await this.repository.findByName(name, manager);
      if (current) await this.repository.deleteRuntime(current.id, manager);
      return current;
    });
    if (!deleted) return;
    for (const hook of this.deletedHooks) {
      // The IR is gone already: a hook that fails must not turn the DELETE into an error.
      try {
        hook({ id: deleted.id, name: deleted.name });
      } catch (error) {
        this.logger.warn(`After deleting integration runtime '${deleted.name}': ${(error as Error).message}`);
      }
    }
  }

  async listAuthKeys(name: string): Promise<IntegrationRuntimeAuthKeys> {
    const ir = await this.require(name);
    return { authKey1: this.authKey(ir, this.secretOf(ir, 'authKey1')), authKey2: this.authKey(ir, this.secretOf(ir, 'authKey2')) };
  }

  /** The secret of one auth key; the entity holds it sealed, as stored. */
  private secretOf(ir: IntegrationRuntimeEntity, keyName: AuthKeyName): string {
    return keyName === 'authKey1' ? this.secrets.open('integration_runtimes.auth_key1', ir.id, ir.authKey1) : this.secrets.open('integration_runtimes.auth_key2', ir.id, ir.authKey2);
  }

  /**
   * A new secret for one key. The old value stops working for new registrations at once; nodes already
   * registered keep working, because after registration they authenticate with their own credential.
   */
  async regenerateAuthKey(name: string, keyName: AuthKeyName): Promise<IntegrationRuntimeAuthKeys> {
    return this.transactions.run(async (manager) => {
      const ir = await this.repository.findByName(name, manager);
      if (!ir) throw PurviewError.notFound('Integration runtime', name);
      const secret = newSecret();
      if (keyName === 'authKey1') ir.authKey1 = this.secrets.seal('integration_runtimes.auth_key1', ir.id, secret);
      else ir.authKey2 = this.secrets.seal('integration_runtimes.auth_key2', ir.id, secret);
      ir.updatedAt = this.clock.iso();
      await this.repository.saveRuntime(ir, manager);
      // Like ADF, only the regenerated key is returned.
      return { authKey1: keyName === 'authKey1' ? this.authKey(ir, secret) : null, authKey2: keyName === 'authKey2' ? this.authKey(ir, secret) : null };
    });
  }

  async status(name: string): Promise<SelfHostedIntegrationRuntimeStatus> {
    const ir = await this.require(name);
    const nodes = await this.repository.nodesOf(ir.id);
    const status = buildStatus(ir, nodes, { config: this.config, nowMs: this.clock.nowMs() });
    for (const extension of this.statusExtensions) Object.assign(status.properties.typeProperties, await extension(ir.name));
    return status;
  }

  /** Counts for the health endpoint. */
  async connectivity(): Promise<{ integrationRuntimes: number; nodes: number; nodesOnline: number }> {
    const [runtimes, nodes] = await Promise.all([this.repository.all(), this.repository.allNodes()]);
    const nowMs = this.clock.nowMs();
    return { integrationRuntimes: runtimes.length, nodes: nodes.length, nodesOnline: nodes.filter((n) => isNodeOnline(n, nowMs, this.config)).length };
  }

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
      throw PurviewError.unauthorized(`The authentication key belongs to account '${key.accountName}', but this emulator serves account '${this.config.accountName}'.`, 'InvalidAuthKey');
    }
    const credentialSecret = randomBytes(32).toString('base64url');
    const nodeId = randomUUID();
    const result = await this.transactions.run(async (manager) => {
      const ir = await manager.getRepository(IntegrationRuntimeEntity).findOneBy({ id: key.integrationRuntimeId });
      const keyName = ir && AUTH_KEY_NAMES.find((k) => safeEqual(this.secretOf(ir, k), key.secret));
      if (!ir || !keyName) {
        throw PurviewError.unauthorized(`The authentication key is not valid for any integration runtime of account '${this.config.accountName}'. It may have been regenerated, or its integration runtime deleted; copy a current key from :listAuthKeys.`, 'InvalidAuthKey');
      }
      let nodes = await this.repository.nodesOf(ir.id, manager);
      const sameName = nodes.find((n) => n.nodeName.toLowerCase() === request.nodeName.toLowerCase());
      if (sameName && !request.force) {
        throw PurviewError.conflict(`A node named '${sameName.nodeName}' is already registered to integration runtime '${ir.name}'. Choose another node name, or replace that node with 'shir register --force'.`, 'NodeNameInUse');
      }
      if (sameName) {
        await this.repository.deleteNode(sameName.id, manager);
        nodes = nodes.filter((n) => n.id !== sameName.id);
      }
      if (nodes.length >= MAX_NODES_PER_RUNTIME) {
        throw PurviewError.conflict(`Integration runtime '${ir.name}' already has ${nodes.length} nodes (${nodes.map((n) => n.nodeName).join(', ')}); a self-hosted integration runtime can have at most ${MAX_NODES_PER_RUNTIME}. Remove one first (DELETE …/nodes/{nodeName} or 'shir unregister' on it).`, 'TooManyNodes');
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

  /** Checks a node credential (`{nodeId}.{secret}`); every call also counts as a sign of life. */
  async authenticateNode(credential: string): Promise<AuthenticatedNode> {
    const [nodeId, secret] = credential.split('.');
    const node = nodeId && secret ? await this.repository.findNode(nodeId) : null;
    if (!node || !safeEqual(node.credentialHash, hashSecret(secret))) {
      throw PurviewError.unauthorized('The node credential is not recognised: this node was removed from its integration runtime, or the integration runtime was deleted. Register the node again with a current auth key.', 'InvalidNodeCredential');
    }
    const ir = await this.repository.findById(node.integrationRuntimeId);
    if (!ir) throw PurviewError.unauthorized('The integration runtime of this node no longer exists.', 'InvalidNodeCredential');
    const nowMs = this.clock.nowMs();
    const restarted = !isNodeOnline(node, nowMs, this.config);
    await this.repository.updateNode(node.id, {
      lastConnectMs: nowMs,
      ...(restarted ? { lastStartTime: this.clock.iso(), ...(node.lastConnectMs !== null ? { lastStopTime: new Date(node.lastConnectMs).toISOString() } : {}) } : {}),
    });
    return { nodeId: node.id, nodeName: node.nodeName, integrationRuntimeId: ir.id, integrationRuntimeName: ir.name };
  }

  intervals(): { heartbeatIntervalSeconds: number; offlineAfterSeconds: number } {
    return { heartbeatIntervalSeconds: this.config.heartbeatIntervalSeconds, offlineAfterSeconds: this.config.nodeOfflineAfterSeconds };
  }

  /**
   * Records a heartbeat. A node that was upgrading and now reports another version finished its update. The
   * dispatcher role is written down here, so it stays with one node while that node can work.
   */
  async heartbeat(node: AuthenticatedNode, request: HeartbeatRequest): Promise<HeartbeatResponse> {
    const before = await this.requireNode(node.nodeId);
    const finishedUpdate = before.upgrading && !request.upgrading && request.version !== before.version;
    await this.repository.updateNode(node.nodeId, {
      version: request.version,
      runningJobs: request.runningJobs,
      availableMemoryMb: request.availableMemoryMb ?? null,
      cpuUtilization: request.cpuUtilization ?? null,
      relayConnected: request.relayConnected ?? null,
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

  /** What the scheduler needs about the nodes of an IR. */
  async schedulingNodes(integrationRuntimeName: string): Promise<SchedulingNode[]> {
    const ir = await this.repository.findByName(integrationRuntimeName);
    if (!ir) return [];
    const nowMs = this.clock.nowMs();
    return assessNodes(await this.repository.nodesOf(ir.id), { config: this.config, nowMs }).map((a) => ({
      nodeId: a.entity.id,
      nodeName: a.entity.nodeName,
      online: isNodeOnline(a.entity, nowMs, this.config),
      acceptsJobs: a.acceptsJobs,
      ...(a.reason && !a.acceptsJobs ? { reason: a.reason } : {}),
      expired: a.expired,
      concurrentJobsLimit: a.entity.concurrentJobsLimit ?? a.entity.maxConcurrentJobs,
    }));
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
      remoteAccess: this.remoteAccessOf(self, nodes),
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
    await this.repository.updateNode(self.id, { remoteAccessEnabled: self.remoteAccessEnabled, remoteAccessPort: self.remoteAccessPort });
    return this.remoteAccessOf(self, nodes);
  }

  async setAutoUpdate(node: AuthenticatedNode, autoUpdate: IntegrationRuntimeAutoUpdate): Promise<AutoUpdateSettings> {
    const ir = (await this.repository.findById(node.integrationRuntimeId))!;
    ir.autoUpdate = autoUpdate;
    ir.updatedAt = this.clock.iso();
    await this.repository.saveRuntime(ir);
    return { autoUpdate };
  }

  /** `GET …/nodes/{nodeName}` (ADF spelling; Purview shows nodes only in `/status`). */
  async getNode(name: string, nodeName: string): Promise<SelfHostedIntegrationRuntimeNode> {
    const status = await this.status(name);
    const node = status.properties.typeProperties.nodes.find((n) => n.nodeName.toLowerCase() === nodeName.toLowerCase());
    if (!node) throw PurviewError.notFound('Integration runtime node', nodeName, 'IntegrationRuntimeNodeNotFound');
    return node;
  }

  /** `DELETE …/nodes/{nodeName}`: revokes the node's credential at once; its next call gets 401. */
  async deleteNode(name: string, nodeName: string): Promise<{ nodeName: string; machineName: string }> {
    return this.transactions.run(async (manager) => {
      const ir = await this.repository.findByName(name, manager);
      if (!ir) throw PurviewError.notFound('Integration runtime', name, 'IntegrationRuntimeNotFound');
      const node = (await this.repository.nodesOf(ir.id, manager)).find((n) => n.nodeName.toLowerCase() === nodeName.toLowerCase());
      if (!node) throw PurviewError.notFound('Integration runtime node', nodeName, 'IntegrationRuntimeNodeNotFound');
      await this.repository.deleteNode(node.id, manager);
      return { nodeName: node.nodeName, machineName: node.machineName };
    });
  }

  /** `PATCH …/nodes/{nodeName}`: "Values between 1 and maxConcurrentJobs (inclusive) are allowed." */
  async updateNode(name: string, nodeName: string, concurrentJobsLimit: number | undefined): Promise<SelfHostedIntegrationRuntimeNode> {
    const ir = await this.require(name);
    const node = (await this.repository.nodesOf(ir.id)).find((n) => n.nodeName.toLowerCase() === nodeName.toLowerCase());
    if (!node) throw PurviewError.notFound('Integration runtime node', nodeName, 'IntegrationRuntimeNodeNotFound');
    if (concurrentJobsLimit !== undefined) {
      if (!Number.isInteger(concurrentJobsLimit) || concurrentJobsLimit < 1 || concurrentJobsLimit > node.maxConcurrentJobs) {
        throw PurviewError.badRequest(
          `concurrentJobsLimit ${concurrentJobsLimit} is out of range for node '${node.nodeName}': values between 1 and maxConcurrentJobs (${node.maxConcurrentJobs}) inclusive are allowed.`,
          'InvalidConcurrentJobsLimit',
          'concurrentJobsLimit',
        );
      }
      await this.repository.updateNode(node.id, { concurrentJobsLimit });
    }
    return this.getNode(ir.name, node.nodeName);
  }

  /** `monitoringData`: live figures per node, from the last heartbeat. */
  async monitoringData(name: string): Promise<IntegrationRuntimeMonitoringData> {
    const ir = await this.require(name);
    const nodes = await this.repository.nodesOf(ir.id);
    return {
      name: ir.name,
      nodes: nodes.map((n) => ({
        nodeName: n.nodeName,
        ...(n.availableMemoryMb !== null ? { availableMemoryInMB: Math.round(n.availableMemoryMb) } : {}),
        ...(n.cpuUtilization !== null ? { cpuUtilization: Math.round(n.cpuUtilization) } : {}),
        concurrentJobsLimit: n.concurrentJobsLimit ?? n.maxConcurrentJobs,
        concurrentJobsRunning: n.runningJobs,
        maxConcurrentJobs: n.maxConcurrentJobs,
      })),
    };
  }

  private remoteAccessOf(node: IntegrationRuntimeNodeEntity, nodes: IntegrationRuntimeNodeEntity[]): RemoteAccessSettings {
    return {
      enabled: node.remoteAccessEnabled,
      port: node.remoteAccessPort ?? 8060,
      internalChannelEncryption: nodes.some((n) => n.remoteAccessEnabled) ? 'NotEncrypted' : 'NotSet',
    };
  }

  private async requireNode(id: string): Promise<IntegrationRuntimeNodeEntity> {
    const node = await this.repository.findNode(id);
    if (!node) throw PurviewError.unauthorized('The node credential is not recognised: this node was removed from its integration runtime.', 'InvalidNodeCredential');
    return node;
  }

  private async require(name: string): Promise<IntegrationRuntimeEntity> {
    const ir = await this.repository.findByName(name);
    if (!ir) throw PurviewError.notFound('Integration runtime', name, 'IntegrationRuntimeNotFound');
    return ir;
  }

  private authKey(ir: IntegrationRuntimeEntity, secret: string): string {
    return formatAuthKey({ integrationRuntimeId: ir.id, accountName: this.config.accountName, serviceEndpoint: serviceEndpointOf(this.config), secret });
  }

  private toContract(ir: IntegrationRuntimeEntity): IntegrationRuntime {
    return { id: `integrationruntimes/${ir.name}`, name: ir.name, kind: ir.kind, properties: { description: ir.description ?? undefined } };
  }
}

function newSecret(): string {
  return randomBytes(32).toString('base64');
}

function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

function safeEqual(a: string, b: string): boolean {
  const x = createHash('sha256').update(a).digest();
  const y = createHash('sha256').update(b).digest();
  return timingSafeEqual(x, y);
}

import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import {
  AUTH_KEY_NAMES,
  AuthKeyName,
  HeartbeatRequest,
  IntegrationRuntime,
  IntegrationRuntimeAuthKeys,
  RegisterNodeRequest,
  RegisterNodeResponse,
  SelfHostedIntegrationRuntimeStatus,
  formatAuthKey,
  parseAuthKey,
} from '@purview-emulator/contracts';
import { EMULATOR_CONFIG, EmulatorConfig, serviceEndpointOf } from '../config/emulator-config';
import { Clock } from '../common/clock';
import { PurviewError } from '../common/errors';
import { TransactionRunner } from '../database/transaction-runner';
import { IntegrationRuntimeEntity } from './integration-runtime.entity';
import { IntegrationRuntimeNodeEntity } from './integration-runtime-node.entity';
import { IntegrationRuntimesRepository } from './integration-runtimes.repository';
import { maxConcurrentJobsFor } from './node-capacity';
import { buildStatus, isNodeOnline } from './runtime-status';

/** Documented limit: "You can have up to four nodes associated with a self-hosted integration runtime". */
export const MAX_NODES_PER_RUNTIME = 4;

/** A node as the runtime gateway sees it once its credential checked out. */
export interface AuthenticatedNode {
  nodeId: string;
  nodeName: string;
  integrationRuntimeId: string;
  integrationRuntimeName: string;
}

@Injectable()
export class IntegrationRuntimesService {
  constructor(
    @Inject(EMULATOR_CONFIG) private readonly config: EmulatorConfig,
    private readonly repository: IntegrationRuntimesRepository,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
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
      const entity: IntegrationRuntimeEntity = { id: randomUUID(), name, kind, description: description ?? null, authKey1: newSecret(), authKey2: newSecret(), createdAt: now, updatedAt: now };
      await this.repository.saveRuntime(entity, manager);
      return { created: true, runtime: this.toContract(entity) };
    });
  }

  /** Deleting an IR removes its nodes, which revokes their credentials at once. */
  async delete(name: string): Promise<void> {
    await this.transactions.run(async (manager) => {
      const existing = await this.repository.findByName(name, manager);
      if (!existing) throw PurviewError.notFound('Integration runtime', name);
      await this.repository.deleteRuntime(existing.id, manager);
    });
  }

  async listAuthKeys(name: string): Promise<IntegrationRuntimeAuthKeys> {
    const ir = await this.require(name);
    return { authKey1: this.authKey(ir, ir.authKey1), authKey2: this.authKey(ir, ir.authKey2) };
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
      if (keyName === 'authKey1') ir.authKey1 = secret;
      else ir.authKey2 = secret;
      ir.updatedAt = this.clock.iso();
      await this.repository.saveRuntime(ir, manager);
      // Like ADF, only the regenerated key is returned.
      return { authKey1: keyName === 'authKey1' ? this.authKey(ir, secret) : null, authKey2: keyName === 'authKey2' ? this.authKey(ir, secret) : null };
    });
  }

  async status(name: string): Promise<SelfHostedIntegrationRuntimeStatus> {
    const ir = await this.require(name);
    const nodes = await this.repository.nodesOf(ir.id);
    return buildStatus(ir, nodes, { config: this.config, nowMs: this.clock.nowMs() });
  }

  /** Counts for the health endpoint. */
  async connectivity(): Promise<{ integrationRuntimes: number; nodes: number; nodesOnline: number }> {
    const [runtimes, nodes] = await Promise.all([this.repository.all(), this.repository.allNodes()]);
    const nowMs = this.clock.nowMs();
    return { integrationRuntimes: runtimes.length, nodes: nodes.length, nodesOnline: nodes.filter((n) => isNodeOnline(n, nowMs, this.config)).length };
  }

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
      const keyName = ir && AUTH_KEY_NAMES.find((k) => safeEqual(k === 'authKey1' ? ir.authKey1 : ir.authKey2, key.secret));
      if (!ir || !keyName) {
        throw PurviewError.unauthorized(`The authentication key is not valid for any integration runtime of account '${this.config.accountName}'. It may have been regenerated, or its integration runtime deleted; copy a current key from :listAuthKeys.`, 'InvalidAuthKey');
      }
      const nodes = await this.repository.nodesOf(ir.id, manager);
      if (nodes.some((n) => n.nodeName.toLowerCase() === request.nodeName.toLowerCase())) {
        throw PurviewError.conflict(`A node named '${request.nodeName}' is already registered to integration runtime '${ir.name}'. Choose another node name.`, 'NodeNameInUse');
      }
      if (nodes.length >= MAX_NODES_PER_RUNTIME) {
        throw PurviewError.conflict(`Integration runtime '${ir.name}' already has ${nodes.length} nodes; a self-hosted integration runtime can have at most ${MAX_NODES_PER_RUNTIME}.`, 'TooManyNodes');
      }
      const now = this.clock.iso();
      const maxConcurrentJobs = maxConcurrentJobsFor(request.cores, request.memoryMb);
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
          // Registered is not running: the node is Online once its host service calls in.
          lastConnectMs: null,
          lastStartTime: null,
          runningJobs: 0,
          availableMemoryMb: null,
          cpuUtilization: null,
          relayConnected: null,
          concurrentJobsLimit: null,
          maxConcurrentJobs,
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
    await this.repository.updateNode(node.id, { lastConnectMs: this.clock.nowMs(), ...(isNodeOnline(node, this.clock.nowMs(), this.config) ? {} : { lastStartTime: this.clock.iso() }) });
    return { nodeId: node.id, nodeName: node.nodeName, integrationRuntimeId: ir.id, integrationRuntimeName: ir.name };
  }

  intervals(): { heartbeatIntervalSeconds: number; offlineAfterSeconds: number } {
    return { heartbeatIntervalSeconds: this.config.heartbeatIntervalSeconds, offlineAfterSeconds: this.config.nodeOfflineAfterSeconds };
  }

  async heartbeat(node: AuthenticatedNode, request: HeartbeatRequest): Promise<{ nodeStatus: string; integrationRuntimeState: string; concurrentJobsLimit: number }> {
    await this.repository.updateNode(node.nodeId, {
      version: request.version,
      runningJobs: request.runningJobs,
      availableMemoryMb: request.availableMemoryMb ?? null,
      cpuUtilization: request.cpuUtilization ?? null,
      relayConnected: request.relayConnected ?? null,
    });
    const status = await this.status(node.integrationRuntimeName);
    const self = status.properties.typeProperties.nodes.find((n) => n.nodeName === node.nodeName);
    return { nodeStatus: self?.status ?? 'Offline', integrationRuntimeState: status.properties.state, concurrentJobsLimit: self?.concurrentJobsLimit ?? 1 };
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

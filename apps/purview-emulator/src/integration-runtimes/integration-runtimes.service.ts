import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import {
  AUTH_KEY_NAMES,
  AuthKeyName,
  IntegrationRuntime,
  IntegrationRuntimeAuthKeys,
  IntegrationRuntimeMonitoringData,
  SelfHostedIntegrationRuntimeNode,
  SelfHostedIntegrationRuntimeStatus,
  formatAuthKey,
} from '@purview-emulator/contracts';
import { EMULATOR_CONFIG, EmulatorConfig, serviceEndpointOf } from '../config/emulator-config';
import { Clock } from '../common/clock';
import { PurviewError } from '../common/errors';
import { TransactionRunner } from '../database/transaction-runner';
import { DatabaseSecrets } from '../database/database-secrets';
import { IntegrationRuntimeEntity } from './integration-runtime.entity';
import { IntegrationRuntimeDirectory, integrationRuntimeNotFound } from './integration-runtime-directory';
import { IntegrationRuntimesRepository } from './integration-runtimes.repository';
import { buildStatus } from './runtime-status';

/**
 * The integration runtime API: create, replace, list, delete, auth keys, `/status`, monitoring data and node
 * administration (get, limit, remove). Other modules reach IRs through IntegrationRuntimeDirectory; nodes talk to
 * NodeSessionsService.
 */
@Injectable()
export class IntegrationRuntimesService {
  constructor(
    @Inject(EMULATOR_CONFIG) private readonly config: EmulatorConfig,
    private readonly repository: IntegrationRuntimesRepository,
    private readonly directory: IntegrationRuntimeDirectory,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    private readonly secrets: DatabaseSecrets,
  ) {}

  async get(name: string): Promise<IntegrationRuntime> {
    return this.toContract(await this.require(name));
  }

  async list(skip: number, take: number): Promise<{ value: IntegrationRuntime[]; count: number }> {
    const [page, count] = await this.repository.page(skip, take);
    return { value: page.map((ir) => this.toContract(ir)), count };
  }

  /** PUT semantics: create (true) or replace the description (false). The kind of an existing IR cannot change. */
  async createOrReplace(
    name: string,
    kind: 'SelfHosted',
    description: string | undefined,
  ): Promise<{ created: boolean; runtime: IntegrationRuntime }> {
    return this.transactions.run(async (manager) => {
      const existing = await this.repository.findByName(name, manager);
      const now = this.clock.iso();
      if (existing) {
        if (existing.kind !== kind)
          throw PurviewError.badRequest(
            `Integration runtime '${existing.name}' is of kind ${existing.kind}; its kind cannot be changed to ${kind}.`,
            'InvalidKind',
          );
        existing.description = description ?? null;
        existing.updatedAt = now;
        await this.repository.saveRuntime(existing, manager);
        return { created: false, runtime: this.toContract(existing) };
      }
      const id = randomUUID();
      const authKey1 = this.secrets.seal('integration_runtimes.auth_key1', id, newSecret());
      const authKey2 = this.secrets.seal('integration_runtimes.auth_key2', id, newSecret());
      const entity: IntegrationRuntimeEntity = {
        id,
        name,
        kind,
        description: description ?? null,
        authKey1,
        authKey2,
        autoUpdate: 'On',
        dispatcherNodeId: null,
        createdAt: now,
        updatedAt: now,
      };
      await this.repository.saveRuntime(entity, manager);
      return { created: true, runtime: this.toContract(entity) };
    });
  }

  /** Deleting an IR removes its nodes, which revokes their credentials at once. An IR that scans use cannot go (409). */
  async delete(name: string): Promise<void> {
    const existing = await this.require(name);
    const users = await this.directory.usersOf(existing.name);
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
    if (deleted) this.directory.announceDeleted({ id: deleted.id, name: deleted.name });
  }

  async listAuthKeys(name: string): Promise<IntegrationRuntimeAuthKeys> {
    const ir = await this.require(name);
    return {
      authKey1: this.authKey(ir, this.secretOf(ir, 'authKey1')),
      authKey2: this.authKey(ir, this.secretOf(ir, 'authKey2')),
    };
  }

  /** The secret of one auth key; the entity holds it sealed, as stored. */
  private secretOf(ir: IntegrationRuntimeEntity, keyName: AuthKeyName): string {
    return keyName === 'authKey1'
      ? this.secrets.open('integration_runtimes.auth_key1', ir.id, ir.authKey1)
      : this.secrets.open('integration_runtimes.auth_key2', ir.id, ir.authKey2);
  }

  /**
   * A new secret for one key. The old value stops working for new registrations at once; nodes already
   * registered keep working, because after registration they authenticate with their own credential.
   */
  async regenerateAuthKey(name: string, keyName: AuthKeyName): Promise<IntegrationRuntimeAuthKeys> {
    return this.transactions.run(async (manager) => {
      const ir = await this.repository.findByName(name, manager);
      if (!ir) throw integrationRuntimeNotFound(name);
      const secret = newSecret();
      if (keyName === 'authKey1') ir.authKey1 = this.secrets.seal('integration_runtimes.auth_key1', ir.id, secret);
      else ir.authKey2 = this.secrets.seal('integration_runtimes.auth_key2', ir.id, secret);
      ir.updatedAt = this.clock.iso();
      await this.repository.saveRuntime(ir, manager);
      // Like ADF, only the regenerated key is returned.
      return {
        authKey1: keyName === 'authKey1' ? this.authKey(ir, secret) : null,
        authKey2: keyName === 'authKey2' ? this.authKey(ir, secret) : null,
      };
    });
  }

  async status(name: string): Promise<SelfHostedIntegrationRuntimeStatus> {
    const ir = await this.require(name);
    const nodes = await this.repository.nodesOf(ir.id);
    const status = buildStatus(ir, nodes, { config: this.config, nowMs: this.clock.nowMs() });
    Object.assign(
      status.properties.typeProperties,
      await this.directory.statusExtras({ id: ir.id, name: ir.name, kind: ir.kind }),
    );
    return status;
  }

  /**
   * For NodeSessionsService.registerNode, inside its transaction: the IR whose key has this secret, and which key.
   * Auth-key secrets are read here only, beside the code that generates them.
   */
  async matchAuthKey(
    integrationRuntimeId: string,
    secret: string,
    manager: EntityManager,
  ): Promise<{ ir: IntegrationRuntimeEntity; keyName: AuthKeyName } | undefined> {
    const ir = await this.repository.findById(integrationRuntimeId, manager);
    const keyName = ir && AUTH_KEY_NAMES.find((k) => safeEqual(this.secretOf(ir, k), secret));
    return ir && keyName ? { ir, keyName } : undefined;
  }

  /** `GET …/nodes/{nodeName}` (ADF spelling; Purview shows nodes only in `/status`). */
  async getNode(name: string, nodeName: string): Promise<SelfHostedIntegrationRuntimeNode> {
    const status = await this.status(name);
    const node = status.properties.typeProperties.nodes.find(
      (n) => n.nodeName.toLowerCase() === nodeName.toLowerCase(),
    );
    if (!node) throw PurviewError.notFound('Integration runtime node', nodeName, 'IntegrationRuntimeNodeNotFound');
    return node;
  }

  /** `DELETE …/nodes/{nodeName}`: revokes the node's credential at once; its next call gets 401. */
  async deleteNode(name: string, nodeName: string): Promise<{ nodeName: string; machineName: string }> {
    return this.transactions.run(async (manager) => {
      const ir = await this.repository.findByName(name, manager);
      if (!ir) throw integrationRuntimeNotFound(name);
      const node = (await this.repository.nodesOf(ir.id, manager)).find(
        (n) => n.nodeName.toLowerCase() === nodeName.toLowerCase(),
      );
      if (!node) throw PurviewError.notFound('Integration runtime node', nodeName, 'IntegrationRuntimeNodeNotFound');
      await this.repository.deleteNode(node.id, manager);
      return { nodeName: node.nodeName, machineName: node.machineName };
    });
  }

  /** `PATCH …/nodes/{nodeName}`: "Values between 1 and maxConcurrentJobs (inclusive) are allowed." */
  async updateNode(
    name: string,
    nodeName: string,
    concurrentJobsLimit: number | undefined,
  ): Promise<SelfHostedIntegrationRuntimeNode> {
    const ir = await this.require(name);
    const node = (await this.repository.nodesOf(ir.id)).find(
      (n) => n.nodeName.toLowerCase() === nodeName.toLowerCase(),
    );
    if (!node) throw PurviewError.notFound('Integration runtime node', nodeName, 'IntegrationRuntimeNodeNotFound');
    if (concurrentJobsLimit !== undefined) {
      if (
        !Number.isInteger(concurrentJobsLimit) ||
        concurrentJobsLimit < 1 ||
        concurrentJobsLimit > node.maxConcurrentJobs
      ) {
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

  private async require(name: string): Promise<IntegrationRuntimeEntity> {
    const ir = await this.repository.findByName(name);
    if (!ir) throw integrationRuntimeNotFound(name);
    return ir;
  }

  private authKey(ir: IntegrationRuntimeEntity, secret: string): string {
    return formatAuthKey({
      integrationRuntimeId: ir.id,
      accountName: this.config.accountName,
      serviceEndpoint: serviceEndpointOf(this.config),
      secret,
    });
  }

  private toContract(ir: IntegrationRuntimeEntity): IntegrationRuntime {
    return {
      id: `integrationruntimes/${ir.name}`,
      name: ir.name,
      kind: ir.kind,
      properties: { description: ir.description ?? undefined },
    };
  }
}

function newSecret(): string {
  return randomBytes(32).toString('base64');
}

function safeEqual(a: string, b: string): boolean {
  const x = createHash('sha256').update(a).digest();
  const y = createHash('sha256').update(b).digest();
  return timingSafeEqual(x, y);
}

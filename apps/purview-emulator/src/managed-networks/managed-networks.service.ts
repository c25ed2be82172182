import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import {
  MANAGED_PRIVATE_ENDPOINT_NAME_PATTERN,
  MANAGED_VIRTUAL_NETWORK_NAMES,
  type ManagedPrivateEndpoint,
  type ManagedPrivateEndpointBody,
  type ManagedVirtualNetwork,
} from '@purview-emulator/contracts';
import { Clock } from '../common/clock';
import { PurviewError } from '../common/errors';
import { abbreviate } from '../common/validation';
import { EMULATOR_CONFIG, EmulatorConfig } from '../config/emulator-config';
import { TransactionRunner } from '../database/transaction-runner';
import { ManagedPrivateEndpointEntity, ManagedVirtualNetworkEntity } from './managed-network.entities';
import { ManagedNetworksRepository } from './managed-networks.repository';

/** What a managed private endpoint's connection state says: recorded, approved, nothing provisioned. */
const CONNECTION_STATE = {
  actionsRequired: 'None',
  description:
    'Recorded by the Purview emulator: there is no network to manage here, so no private endpoint was provisioned.',
  status: 'Approved',
};

/**
 * Managed virtual networks (`/scan/managedvirtualnetworks/{default|defaultv2}`) and their managed private endpoints,
 * stored and returned in the spec's shapes. The emulator runs on loopback: there is no network to manage, nothing is
 * provisioned, and a scan that connects via a Managed integration runtime fails saying so (ScanRunsService).
 */
@Injectable()
export class ManagedNetworksService {
  constructor(
    @Inject(EMULATOR_CONFIG) private readonly config: EmulatorConfig,
    private readonly repository: ManagedNetworksRepository,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
  ) {}

  async getNetwork(name: string): Promise<ManagedVirtualNetwork> {
    return toNetwork(await this.requireNetwork(name));
  }

  async listNetworks(skip: number, take: number): Promise<{ value: ManagedVirtualNetwork[]; count: number }> {
    const [rows, count] = await this.repository.pageNetworks(skip, take);
    return { value: rows.map(toNetwork), count };
  }

  /** PUT: the network's properties are read-only, so a replace keeps its vNetId and alias (200). */
  async createOrReplaceNetwork(name: string): Promise<{ created: boolean; value: ManagedVirtualNetwork }> {
    const canonical = networkName(name);
    return this.transactions.run(async (manager) => {
      const existing = await this.repository.findNetwork(canonical, manager);
      const now = this.clock.iso();
      const entity: ManagedVirtualNetworkEntity = existing
        ? { ...existing, updatedAt: now }
        : {
            name: canonical,
            vNetId: randomUUID(),
            alias: `${this.config.accountName}-${canonical}`,
            createdAt: now,
            updatedAt: now,
          };
      await this.repository.saveNetwork(entity, manager);
      return { created: !existing, value: toNetwork(entity) };
    });
  }

  async getEndpoint(networkName: string, name: string): Promise<ManagedPrivateEndpoint> {
    const network = await this.requireNetwork(networkName);
    return toEndpoint(await this.requireEndpoint(network.name, name));
  }

  async listEndpoints(
    networkName: string,
    skip: number,
    take: number,
  ): Promise<{ value: ManagedPrivateEndpoint[]; count: number }> {
    const network = await this.requireNetwork(networkName);
    const [rows, count] = await this.repository.pageEndpoints(network.name, skip, take);
    return { value: rows.map(toEndpoint), count };
  }

  async createOrReplaceEndpoint(
    networkName: string,
    name: string,
    body: ManagedPrivateEndpointBody,
  ): Promise<{ created: boolean; value: ManagedPrivateEndpoint }> {
    assertEndpointName(name);
    const { privateLinkResourceId, groupId } = body.properties;
    return this.transactions.run(async (manager) => {
      const network = await this.requireNetwork(networkName, manager);
      const existing = await this.repository.findEndpoint(network.name, name, manager);
      const now = this.clock.iso();
      const entity: ManagedPrivateEndpointEntity = {
        networkName: network.name,
        name: existing?.name ?? name,
        privateLinkResourceId,
        groupId,
        fqdns: body.properties.fqdns ?? fqdnsOf(privateLinkResourceId, groupId),
        createdAt: existing?.createdAt ?? now,
        updatedAt: now,
      };
      await this.repository.saveEndpoint(entity, manager);
      return { created: !existing, value: toEndpoint(entity) };
    });
  }

  async deleteEndpoint(networkName: string, name: string): Promise<void> {
    await this.transactions.run(async (manager) => {
      const network = await this.requireNetwork(networkName, manager);
      const endpoint = await this.requireEndpoint(network.name, name, manager);
      await this.repository.deleteEndpoint(network.name, endpoint.name, manager);
    });
  }

  private async requireNetwork(name: string, manager?: EntityManager): Promise<ManagedVirtualNetworkEntity> {
    const entity = await this.repository.findNetwork(networkName(name), manager);
    if (!entity)
      throw PurviewError.notFound('Managed virtual network', abbreviate(name), 'ManagedVirtualNetworkNotFound');
    return entity;
  }

  private async requireEndpoint(
    network: string,
    name: string,
    manager?: EntityManager,
  ): Promise<ManagedPrivateEndpointEntity> {
    const entity = await this.repository.findEndpoint(network, name, manager);
    if (!entity)
      throw PurviewError.notFound(
        `Managed private endpoint of managed virtual network '${network}'`,
        abbreviate(name),
        'ManagedPrivateEndpointNotFound',
      );
    return entity;
  }
}

/** The spec's enum of network names (default, defaultv2), case-insensitively; 400 for any other. */
function networkName(name: string): string {
  const found = MANAGED_VIRTUAL_NETWORK_NAMES.find((n) => n === name.toLowerCase());
  if (!found)
    throw PurviewError.badRequest(
      `'${abbreviate(name)}' is not a managed virtual network name: the 2023-09-01 API allows ${MANAGED_VIRTUAL_NETWORK_NAMES.join(' and ')}.`,
      'InvalidName',
      'managedVirtualNetworkName',
    );
  return found;
}

function assertEndpointName(name: string): void {
  if (!MANAGED_PRIVATE_ENDPOINT_NAME_PATTERN.test(name))
    throw PurviewError.badRequest(
      `'${abbreviate(name)}' is not a valid managed private endpoint name: 1–127 letters, digits, '_' and '-', starting and ending with a letter, digit or '_' (pattern ${MANAGED_PRIVATE_ENDPOINT_NAME_PATTERN.source}).`,
      'InvalidName',
      'managedPrivateEndpointName',
    );
}

/**
 * The host names a private endpoint to a well-known resource would serve (storage `blob`/`dfs`/…, Key Vault `vault`,
 * SQL `sqlServer`), as Azure names them; none for other resources (a client may send its own `fqdns`).
 */
export function fqdnsOf(privateLinkResourceId: string, groupId: string): string[] {
  const match = /\/providers\/([^/]+)\/([^/]+)\/([^/]+)\/?$/i.exec(privateLinkResourceId);
  if (!match) return [];
  const [, provider, type, resource] = match;
  const kind = `${provider}/${type}`.toLowerCase();
  const group = groupId.toLowerCase();
  if (kind === 'microsoft.storage/storageaccounts' && ['blob', 'dfs', 'queue', 'file', 'table', 'web'].includes(group))
    return [`${resource.toLowerCase()}.${group}.core.windows.net`];
  if (kind === 'microsoft.keyvault/vaults' && group === 'vault') return [`${resource.toLowerCase()}.vault.azure.net`];
  if (kind === 'microsoft.sql/servers' && group === 'sqlserver')
    return [`${resource.toLowerCase()}.database.windows.net`];
  return [];
}

function toNetwork(entity: ManagedVirtualNetworkEntity): ManagedVirtualNetwork {
  return {
    id: `managedvirtualnetworks/${entity.name}`,
    name: entity.name,
    properties: { vNetId: entity.vNetId, alias: entity.alias },
  };
}

function toEndpoint(entity: ManagedPrivateEndpointEntity): ManagedPrivateEndpoint {
  return {
    id: `managedvirtualnetworks/${entity.networkName}/managedprivateendpoints/${entity.name}`,
    name: entity.name,
    properties: {
      connectionState: { ...CONNECTION_STATE },
      fqdns: [...entity.fqdns],
      groupId: entity.groupId,
      privateLinkResourceId: entity.privateLinkResourceId,
      provisioningState: 'Succeeded',
    },
  };
}

import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { ManagedPrivateEndpointEntity, ManagedVirtualNetworkEntity } from './managed-network.entities';

/** All SQL for managed virtual networks and their private endpoints (names compare case-insensitively). */
@Injectable()
export class ManagedNetworksRepository {
  constructor(
    @InjectRepository(ManagedVirtualNetworkEntity) private readonly networks: Repository<ManagedVirtualNetworkEntity>,
    @InjectRepository(ManagedPrivateEndpointEntity)
    private readonly endpoints: Repository<ManagedPrivateEndpointEntity>,
  ) {}

  findNetwork(name: string, manager?: EntityManager): Promise<ManagedVirtualNetworkEntity | null> {
    return this.networkRepo(manager).findOneBy({ name });
  }

  pageNetworks(skip: number, take: number): Promise<[ManagedVirtualNetworkEntity[], number]> {
    return this.networks.findAndCount({ order: { name: 'ASC' }, skip, take });
  }

  async saveNetwork(entity: ManagedVirtualNetworkEntity, manager: EntityManager): Promise<void> {
    await this.networkRepo(manager).save(entity);
  }

  findEndpoint(
    networkName: string,
    name: string,
    manager?: EntityManager,
  ): Promise<ManagedPrivateEndpointEntity | null> {
    return this.endpointRepo(manager).findOneBy({ networkName, name });
  }

  pageEndpoints(networkName: string, skip: number, take: number): Promise<[ManagedPrivateEndpointEntity[], number]> {
    return this.endpoints.findAndCount({ where: { networkName }, order: { name: 'ASC' }, skip, take });
  }

  async saveEndpoint(entity: ManagedPrivateEndpointEntity, manager: EntityManager): Promise<void> {
    await this.endpointRepo(manager).save(entity);
  }

  async deleteEndpoint(networkName: string, name: string, manager: EntityManager): Promise<void> {
    await this.endpointRepo(manager).delete({ networkName, name });
  }

  private networkRepo(manager?: EntityManager): Repository<ManagedVirtualNetworkEntity> {
    return manager ? manager.getRepository(ManagedVirtualNetworkEntity) : this.networks;
  }

  private endpointRepo(manager?: EntityManager): Repository<ManagedPrivateEndpointEntity> {
    return manager ? manager.getRepository(ManagedPrivateEndpointEntity) : this.endpoints;
  }
}

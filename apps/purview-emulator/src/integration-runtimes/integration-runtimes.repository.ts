import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { IntegrationRuntimeEntity } from './integration-runtime.entity';
import { IntegrationRuntimeNodeEntity } from './integration-runtime-node.entity';
import { PreparedRead } from '../database/prepared-read';

/** All SQL for integration runtimes and their nodes. */
@Injectable()
export class IntegrationRuntimesRepository {
  constructor(
    @InjectRepository(IntegrationRuntimeEntity) private readonly runtimes: Repository<IntegrationRuntimeEntity>,
    @InjectRepository(IntegrationRuntimeNodeEntity) private readonly nodes: Repository<IntegrationRuntimeNodeEntity>,
  ) {
    // `/status` reads these two on every call: prepared once (see PreparedRead), as the TypeORM queries below spell them.
    this.runtimeByName = new PreparedRead(
      runtimes.manager.connection,
      IntegrationRuntimeEntity,
      'name = ? COLLATE NOCASE',
    );
    this.nodesOfRuntime = new PreparedRead(
      nodes.manager.connection,
      IntegrationRuntimeNodeEntity,
      'integration_runtime_id = ?',
      'register_time ASC, node_name ASC',
    );
  }

  private readonly runtimeByName: PreparedRead<IntegrationRuntimeEntity>;
  private readonly nodesOfRuntime: PreparedRead<IntegrationRuntimeNodeEntity>;

  findByName(name: string, manager?: EntityManager): Promise<IntegrationRuntimeEntity | null> {
    if (!manager) return Promise.resolve(this.runtimeByName.one(name));
    const repo = manager ? manager.getRepository(IntegrationRuntimeEntity) : this.runtimes;
    return repo.createQueryBuilder('ir').where('ir.name = :name COLLATE NOCASE', { name }).getOne();
  }

  findById(id: string, manager?: EntityManager): Promise<IntegrationRuntimeEntity | null> {
    return (manager ? manager.getRepository(IntegrationRuntimeEntity) : this.runtimes).findOneBy({ id });
  }

  page(skip: number, take: number): Promise<[IntegrationRuntimeEntity[], number]> {
    return this.runtimes.findAndCount({ order: { name: 'ASC' }, skip, take });
  }

  all(): Promise<IntegrationRuntimeEntity[]> {
    return this.runtimes.find({ order: { name: 'ASC' } });
  }

  async saveRuntime(entity: IntegrationRuntimeEntity, manager?: EntityManager): Promise<void> {
    await (manager ? manager.getRepository(IntegrationRuntimeEntity) : this.runtimes).save(entity);
  }

  async deleteRuntime(id: string, manager: EntityManager): Promise<void> {
    await manager.getRepository(IntegrationRuntimeNodeEntity).delete({ integrationRuntimeId: id });
    await manager.getRepository(IntegrationRuntimeEntity).delete({ id });
  }

  nodesOf(integrationRuntimeId: string, manager?: EntityManager): Promise<IntegrationRuntimeNodeEntity[]> {
    if (!manager) return Promise.resolve(this.nodesOfRuntime.all(integrationRuntimeId));
    const repo = manager ? manager.getRepository(IntegrationRuntimeNodeEntity) : this.nodes;
    return repo.find({ where: { integrationRuntimeId }, order: { registerTime: 'ASC', nodeName: 'ASC' } });
  }

  allNodes(): Promise<IntegrationRuntimeNodeEntity[]> {
    return this.nodes.find();
  }

  findNode(id: string): Promise<IntegrationRuntimeNodeEntity | null> {
    return this.nodes.findOneBy({ id });
  }

  async insertNode(node: IntegrationRuntimeNodeEntity, manager: EntityManager): Promise<void> {
    await manager.getRepository(IntegrationRuntimeNodeEntity).insert(node);
  }

  async deleteNode(id: string, manager: EntityManager): Promise<void> {
    await manager.getRepository(IntegrationRuntimeNodeEntity).delete({ id });
  }

  async updateNode(id: string, changes: Partial<IntegrationRuntimeNodeEntity>): Promise<void> {
    await this.nodes.update({ id }, changes);
  }
}

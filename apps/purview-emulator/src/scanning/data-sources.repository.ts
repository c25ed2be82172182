import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { DataSourceEntity } from './data-source.entity';

/** All SQL for data sources. Writes take the transaction's manager; reads may run outside one. */
@Injectable()
export class DataSourcesRepository {
  constructor(@InjectRepository(DataSourceEntity) private readonly dataSources: Repository<DataSourceEntity>) {}

  /** Case-insensitive (the column's collation is NOCASE). */
  findByName(name: string, manager?: EntityManager): Promise<DataSourceEntity | null> {
    return this.repo(manager).findOneBy({ name });
  }

  page(skip: number, take: number): Promise<[DataSourceEntity[], number]> {
    return this.dataSources.findAndCount({ order: { name: 'ASC' }, skip, take });
  }

  async save(entity: DataSourceEntity, manager: EntityManager): Promise<void> {
    await this.repo(manager).save(entity);
  }

  async delete(id: string, manager: EntityManager): Promise<void> {
    await this.repo(manager).delete({ id });
  }

  private repo(manager?: EntityManager): Repository<DataSourceEntity> {
    return manager ? manager.getRepository(DataSourceEntity) : this.dataSources;
  }
}

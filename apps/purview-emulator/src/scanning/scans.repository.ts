import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { ScanEntity } from './scan.entity';

/** All SQL for scan definitions. */
@Injectable()
export class ScansRepository {
  constructor(@InjectRepository(ScanEntity) private readonly scans: Repository<ScanEntity>) {}

  /** Case-insensitive within the data source. */
  findByName(dataSourceId: string, name: string, manager?: EntityManager): Promise<ScanEntity | null> {
    return this.repo(manager).findOneBy({ dataSourceId, name });
  }

  namesOf(dataSourceId: string, manager?: EntityManager): Promise<string[]> {
    return this.repo(manager)
      .find({ where: { dataSourceId }, select: { name: true }, order: { name: 'ASC' } })
      .then((rows) => rows.map((r) => r.name));
  }

  page(dataSourceId: string, skip: number, take: number): Promise<[ScanEntity[], number]> {
    return this.scans.findAndCount({ where: { dataSourceId }, order: { name: 'ASC' }, skip, take });
  }

  async save(entity: ScanEntity, manager: EntityManager): Promise<void> {
    await this.repo(manager).save(entity);
  }

  async delete(id: string, manager: EntityManager): Promise<void> {
    await this.repo(manager).delete({ id });
  }

  private repo(manager?: EntityManager): Repository<ScanEntity> {
    return manager ? manager.getRepository(ScanEntity) : this.scans;
  }
}

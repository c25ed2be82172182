import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { CollectionRecord } from './collection.record';

/** All SQL of collections. */
@Injectable()
export class CollectionsRepository {
  constructor(@InjectRepository(CollectionRecord) private readonly collections: Repository<CollectionRecord>) {}

  all(): Promise<CollectionRecord[]> {
    return this.collections.find({ order: { createdAt: 'ASC', name: 'ASC' } });
  }

  findByName(name: string): Promise<CollectionRecord | null> {
    return this.collections.findOneBy({ name });
  }

  childrenOf(name: string): Promise<CollectionRecord[]> {
    return this.collections.find({ where: { parentName: name }, order: { name: 'ASC' } });
  }

  async save(record: CollectionRecord): Promise<void> {
    await this.collections.save(record);
  }

  async delete(name: string): Promise<void> {
    await this.collections.delete({ name });
  }
}

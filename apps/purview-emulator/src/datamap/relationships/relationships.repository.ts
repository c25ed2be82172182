import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, Repository } from 'typeorm';
import { RelationshipRecord } from './relationship.record';

const IN_CHUNK = 400;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** All SQL of relationship instances. */
@Injectable()
export class RelationshipsRepository {
  constructor(@InjectRepository(RelationshipRecord) private readonly relationships: Repository<RelationshipRecord>) {}

  private repo(manager?: EntityManager): Repository<RelationshipRecord> {
    return manager ? manager.getRepository(RelationshipRecord) : this.relationships;
  }

  findByGuid(guid: string, manager?: EntityManager): Promise<RelationshipRecord | null> {
    return this.repo(manager).findOneBy({ guid });
  }

  /** Active relationships of a type with `key` at end 1 or end 2. */
  activeAt(typeName: string, end: 1 | 2, key: string, manager?: EntityManager): Promise<RelationshipRecord[]> {
    return this.repo(manager).findBy(
      end === 1 ? { typeName, end1Key: key, status: 'ACTIVE' } : { typeName, end2Key: key, status: 'ACTIVE' },
    );
  }

  /** Active relationships of any type with one of `keys` at either end. */
  async activeTouching(keys: readonly string[], manager?: EntityManager): Promise<RelationshipRecord[]> {
    const found = new Map<string, RelationshipRecord>();
    for (const chunk of chunks([...new Set(keys)], IN_CHUNK)) {
      for (const r of await this.repo(manager).findBy({ end1Key: In(chunk), status: 'ACTIVE' })) found.set(r.guid, r);
      for (const r of await this.repo(manager).findBy({ end2Key: In(chunk), status: 'ACTIVE' })) found.set(r.guid, r);
    }
    return [...found.values()];
  }

  async insert(record: RelationshipRecord, manager: EntityManager): Promise<void> {
    await manager.getRepository(RelationshipRecord).insert(record);
  }

  async update(record: RelationshipRecord, manager: EntityManager): Promise<void> {
    const { guid, ...changes } = record;
    await manager.getRepository(RelationshipRecord).update({ guid }, changes);
  }
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, Repository } from 'typeorm';
import { PreparedRead } from '../../database/prepared-read';
import { PreparedWrite } from '../../database/prepared-write';
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
  // An entity write looks up and writes the relationships of each of its relationship attributes: a scan's batch
  // does so thousands of times (see PreparedRead, PreparedWrite).
  private readonly activeAtEnd: Record<1 | 2, PreparedRead<RelationshipRecord>>;
  private readonly writes: PreparedWrite<RelationshipRecord>;

  constructor(
    @InjectRepository(RelationshipRecord) private readonly relationships: Repository<RelationshipRecord>,
    @InjectDataSource() dataSource: DataSource,
  ) {
    const activeAt = (end: 1 | 2) =>
      new PreparedRead(dataSource, RelationshipRecord, `type_name = ? AND end${end}_key = ? AND status = 'ACTIVE'`);
    this.activeAtEnd = { 1: activeAt(1), 2: activeAt(2) };
    this.writes = new PreparedWrite(dataSource, RelationshipRecord);
  }

  private repo(manager?: EntityManager): Repository<RelationshipRecord> {
    return manager ? manager.getRepository(RelationshipRecord) : this.relationships;
  }

  findByGuid(guid: string, manager?: EntityManager): Promise<RelationshipRecord | null> {
    return this.repo(manager).findOneBy({ guid });
  }

  /** Active relationships of a type with `key` at end 1 or end 2. */
  async activeAt(typeName: string, end: 1 | 2, key: string, _manager?: EntityManager): Promise<RelationshipRecord[]> {
    return this.activeAtEnd[end].all(typeName, key);
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

  /** Inside the caller's transaction (`manager`'s: the prepared write runs on the same connection). */
  async insert(record: RelationshipRecord, _manager: EntityManager): Promise<void> {
    this.writes.insert(record);
  }

  async update(record: RelationshipRecord, _manager: EntityManager): Promise<void> {
    this.writes.update(record);
  }
}

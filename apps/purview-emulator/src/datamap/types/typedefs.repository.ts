import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, Repository } from 'typeorm';
import { TypeDefRecord } from './typedef.record';
import { TypeDef } from './type-registry';

export interface StoredTypeDef {
  def: TypeDef;
  builtIn: boolean;
}

function fromRecord(record: TypeDefRecord): StoredTypeDef {
  return { def: JSON.parse(record.definition) as TypeDef, builtIn: Boolean(record.builtIn) };
}

function toRecord(def: TypeDef, builtIn: boolean): TypeDefRecord {
  return Object.assign(new TypeDefRecord(), {
    guid: def.guid,
    name: def.name,
    category: def.category,
    definition: JSON.stringify(def),
    builtIn,
  });
}

/** All SQL of the type system. */
@Injectable()
export class TypeDefsRepository {
  constructor(@InjectRepository(TypeDefRecord) private readonly records: Repository<TypeDefRecord>) {}

  private repo(manager?: EntityManager): Repository<TypeDefRecord> {
    return manager ? manager.getRepository(TypeDefRecord) : this.records;
  }

  async all(manager?: EntityManager): Promise<StoredTypeDef[]> {
    return (await this.repo(manager).find()).map(fromRecord);
  }

  async insert(defs: readonly TypeDef[], builtIn: boolean, manager: EntityManager): Promise<void> {
    for (const def of defs) await manager.getRepository(TypeDefRecord).insert(toRecord(def, builtIn));
  }

  async update(defs: readonly TypeDef[], builtIn: boolean, manager: EntityManager): Promise<void> {
    for (const def of defs) {
      const { guid, ...changes } = toRecord(def, builtIn);
      await manager.getRepository(TypeDefRecord).update({ guid }, changes);
    }
  }

  async deleteByNames(names: readonly string[], manager: EntityManager): Promise<void> {
    if (names.length) await manager.getRepository(TypeDefRecord).delete({ name: In([...names]) });
  }
}

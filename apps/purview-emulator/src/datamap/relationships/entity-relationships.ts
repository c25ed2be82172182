import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import type { AtlasEntity } from '@purview-emulator/contracts';
import { Clock } from '../../common/clock';
import { PurviewError } from '../../common/errors';
import { AtlasEntityRecord } from '../atlas-entity.record';
import { isTemporaryGuid } from '../atlas-input';
import { DataMapService } from '../datamap.service';
import type { EntityHooks, WrittenEntity } from '../entity-hooks';
import type { RefTarget, StoredRef } from '../entity-model';
import { q } from '../types/type-errors';
import { TypeRegistry } from '../types/type-registry';
import { TypeDefsService } from '../types/typedefs.service';
import { RELATIONSHIP_ERRORS as E, entityGuidNotFound } from './relationship-errors';
import {
  EndOf,
  endNamed,
  endsOfType,
  entityKey,
  isMany,
  refOfKey,
  relatedObjectId,
  relationshipDefOf,
} from './relationship-model';
import { RelationshipRecord } from './relationship.record';
import { RelationshipsRepository } from './relationships.repository';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Relationship instances behind entities' relationship attributes, as Atlas keeps them: an entity write that sets a
 * relationship attribute declared by a relationship def (a Process's `inputs`/`outputs` too, even as plain
 * attributes) creates the missing relationships and deletes those it no longer names; deleting an entity deletes
 * its relationships; reads show each relationship from both ends. Attributes no def declares stay references
 * stored on the entity, as before.
 */
@Injectable()
export class EntityRelationships implements EntityHooks {
  constructor(
    private readonly repository: RelationshipsRepository,
    private readonly dataMap: DataMapService,
    private readonly types: TypeDefsService,
    private readonly clock: Clock,
  ) {}

  async afterWrite(
    entities: WrittenEntity[],
    resolveTemporaryGuid: (guid: string) => StoredRef | undefined,
    manager: EntityManager,
  ): Promise<void> {
    const registry = await this.types.registry();
    for (const { record, attributes, relationships } of entities) {
      const wanted = new Map<string, { end: EndOf; refs: StoredRef[] }>();
      for (const [name, value] of Object.entries(relationships)) {
        const end = endNamed(registry, record.typeName, name);
        if (end) wanted.set(name, { end, refs: value === null ? [] : Array.isArray(value) ? value : [value] });
      }
      // Lineage clients (pyapacheatlas among them) send a Process's inputs and outputs as attributes.
      if (registry.isA(record.typeName, 'Process')) {
        for (const name of ['inputs', 'outputs']) {
          const end = endNamed(registry, record.typeName, name);
          if (!end || wanted.has(name) || !(name in attributes)) continue;
          wanted.set(name, {
            end,
            refs: await this.refsOf(attributes[name], `${record.typeName}.${name}`, resolveTemporaryGuid, manager),
          });
        }
      }
      for (const { end, refs } of wanted.values()) await this.sync(registry, record, end, refs, manager);
    }
  }

  async afterDelete(records: AtlasEntityRecord[], actor: string, manager: EntityManager): Promise<void> {
    if (!records.length) return;
    for (const row of await this.repository.activeTouching(
      records.map((r) => entityKey(r.typeName, r.qualifiedName)),
      manager,
    )) {
      await this.markDeleted(row, actor, manager);
    }
  }

  async decorate(records: AtlasEntityRecord[], entities: AtlasEntity[]): Promise<void> {
    if (!records.length) return;
    const registry = await this.types.registry();
    const keys = records.map((r) => entityKey(r.typeName, r.qualifiedName));
    const rows = await this.repository.activeTouching(keys);
    const targets = await this.targetsOf(rows.flatMap((r) => [r.end1Key, r.end2Key]));
    const byKey = new Map<string, RelationshipRecord[]>();
    for (const row of rows) {
      for (const key of new Set([row.end1Key, row.end2Key])) byKey.set(key, [...(byKey.get(key) ?? []), row]);
    }
    records.forEach((record, i) => {
      const key = keys[i];
      const out: Record<string, unknown> = {};
      for (const e of endsOfType(registry, record.typeName))
        out[e.mine.name] ??= isMany(e.mine.cardinality) ? [] : null;
      for (const row of byKey.get(key) ?? []) {
        const def = relationshipDefOf(registry, row.typeName);
        if (!def) continue;
        for (const [mine, at, otherKey] of [
          [def.endDef1, row.end1Key, row.end2Key],
          [def.endDef2, row.end2Key, row.end1Key],
        ] as const) {
          const target = at === key ? targets.get(otherKey) : undefined;
          if (!target) continue;
          const value = relatedObjectId(row, target);
          if (isMany(mine.cardinality))
            out[mine.name] = [...(Array.isArray(out[mine.name]) ? (out[mine.name] as unknown[]) : []), value];
          else out[mine.name] = value;
        }
      }
      entities[i].relationshipAttributes = { ...entities[i].relationshipAttributes, ...out };
    });
  }

  /** Entities at relationship ends, keyed by entity key (ends not, or not yet, in the data map are left out). */
  async targetsOf(keys: readonly string[]): Promise<Map<string, RefTarget>> {
    const found = await this.dataMap.findRefTargets([...new Set(keys)].map(refOfKey));
    return new Map([...found.values()].map((t) => [entityKey(t.typeName, t.qualifiedName), t]));
  }

  async markDeleted(row: RelationshipRecord, actor: string, manager: EntityManager): Promise<void> {
    row.status = 'DELETED';
    row.updateTime = this.clock.nowMs();
    row.updatedBy = actor;
    row.version = Number(row.version) + 1;
    await this.repository.update(row, manager);
  }

  async insert(
    typeName: string,
    label: string,
    end1Key: string,
    end2Key: string,
    attributes: Record<string, unknown>,
    actor: string,
    manager: EntityManager,
  ): Promise<RelationshipRecord> {
    const now = this.clock.nowMs();
    const record = Object.assign(new RelationshipRecord(), {
      guid: randomUUID(),
      typeName,
      end1Key,
      end2Key,
      attributes: JSON.stringify(attributes),
      label,
      status: 'ACTIVE' as const,
      createTime: now,
      updateTime: now,
      createdBy: actor,
      updatedBy: actor,
      version: 0,
    });
    await this.repository.insert(record, manager);
    return record;
  }

  /** Makes the entity's relationships of one attribute exactly `refs`; an other end that holds one such relationship loses its old one. */
  private async sync(
    registry: TypeRegistry,
    record: AtlasEntityRecord,
    end: EndOf,
    refs: StoredRef[],
    manager: EntityManager,
  ): Promise<void> {
    const { def } = end;
    const attribute = `${record.typeName}.${end.mine.name}`;
    if (!isMany(end.mine.cardinality) && refs.length > 1) {
      throw PurviewError.atlas(
        404,
        E.INSTANCE_CRUD_INVALID_PARAMS,
        `Invalid instance creation/updation parameters passed : ${attribute} takes one entity (cardinality SINGLE), got ${refs.length}`,
      );
    }
    for (const ref of refs) {
      if (!registry.isA(ref.typeName, end.other.type)) {
        throw PurviewError.atlas(
          400,
          E.RELATIONSHIP_INVALID_ENDTYPE,
          `Invalid entity-type for relationship attribute '${q(end.mine.name)}': entity specified (qualifiedName=${q(ref.qualifiedName)}) is of type '${q(ref.typeName)}', but expected type is '${end.other.type}'`,
        );
      }
    }
    const key = entityKey(record.typeName, record.qualifiedName);
    const otherEnd: 1 | 2 = end.end === 1 ? 2 : 1;
    const otherKeyOf = (r: RelationshipRecord): string => (end.end === 1 ? r.end2Key : r.end1Key);
    const desired = new Set(refs.map((r) => entityKey(r.typeName, r.qualifiedName)));
    const kept = new Set<string>();
    for (const row of await this.repository.activeAt(def.name, end.end, key, manager)) {
      if (desired.has(otherKeyOf(row)) && !kept.has(otherKeyOf(row))) kept.add(otherKeyOf(row));
      else await this.markDeleted(row, record.updatedBy, manager);
    }
    for (const otherKey of desired) {
      if (kept.has(otherKey)) continue;
      if (!isMany(end.other.cardinality)) {
        for (const row of await this.repository.activeAt(def.name, otherEnd, otherKey, manager))
          await this.markDeleted(row, record.updatedBy, manager);
      }
      const [end1Key, end2Key] = end.end === 1 ? [key, otherKey] : [otherKey, key];
      await this.insert(
        def.name,
        def.relationshipLabel || `r:${def.name}`,
        end1Key,
        end2Key,
        {},
        record.updatedBy,
        manager,
      );
    }
  }

  /** References in a plain attribute (`inputs: [{guid}|{typeName, uniqueAttributes}]`) as stored references. */
  private async refsOf(
    value: unknown,
    path: string,
    resolveTemporaryGuid: (guid: string) => StoredRef | undefined,
    manager: EntityManager,
  ): Promise<StoredRef[]> {
    if (value === null || value === undefined) return [];
    const items = Array.isArray(value) ? value : [value];
    const realGuids = items
      .map((v) =>
        isObject(v) && (typeof v.guid === 'string' || typeof v.guid === 'number') ? String(v.guid) : undefined,
      )
      .filter((g): g is string => g !== undefined && !isTemporaryGuid(g));
    const byGuid = new Map((await this.dataMap.findRecordsByGuids(realGuids, manager)).map((r) => [r.guid, r]));
    return items.map((item, i): StoredRef => {
      const where = `${path}[${i}]`;
      if (!isObject(item))
        throw PurviewError.atlas(400, E.INVALID_PARAMETERS, `invalid parameters: ${where} must be an object id`);
      const unique = isObject(item.uniqueAttributes)
        ? item.uniqueAttributes
        : isObject(item.attributes)
          ? item.attributes
          : undefined;
      if (typeof item.typeName === 'string' && typeof unique?.qualifiedName === 'string')
        return { typeName: item.typeName, qualifiedName: unique.qualifiedName };
      if (typeof item.guid === 'string' || typeof item.guid === 'number') {
        const guid = String(item.guid);
        const found = isTemporaryGuid(guid) ? resolveTemporaryGuid(guid) : byGuid.get(guid);
        if (!found) {
          if (isTemporaryGuid(guid))
            throw PurviewError.atlas(
              400,
              E.INVALID_PARAMETERS,
              `invalid parameters: ${where} refers to the temporary guid ${guid}, which is not an entity of this request`,
            );
          throw entityGuidNotFound(guid);
        }
        return { typeName: found.typeName, qualifiedName: found.qualifiedName };
      }
      throw PurviewError.atlas(
        400,
        E.INVALID_PARAMETERS,
        `invalid parameters: ${where} must carry a guid, or a typeName with uniqueAttributes.qualifiedName`,
      );
    });
  }
}

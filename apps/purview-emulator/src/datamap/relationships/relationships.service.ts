import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AtlasRelationshipInputSchema } from '@purview-emulator/contracts';
import type {
  AtlasEntityHeader,
  AtlasRelationship,
  AtlasRelationshipInput,
  AtlasRelationshipWithExtInfo,
  RelationshipEnd,
} from '@purview-emulator/contracts';
import { Clock } from '../../common/clock';
import { PurviewError } from '../../common/errors';
import { TransactionRunner } from '../../database/transaction-runner';
import { AtlasEntityRecord } from '../atlas-entity.record';
import { isTemporaryGuid } from '../atlas-input';
import { DataMapService } from '../datamap.service';
import { refKey, toEntityHeader } from '../entity-model';
import { q } from '../types/type-errors';
import { TypeDefsService } from '../types/typedefs.service';
import { EntityRelationships } from './entity-relationships';
import {
  RELATIONSHIP_ERRORS as E,
  entityGuidNotFound,
  entityKeyNotFound,
  invalidParameters,
  invalidRelationship,
  relationshipNotFound,
  unknownRelationshipType,
} from './relationship-errors';
import {
  RelationshipDef,
  entityKey,
  isMany,
  parseAttributes,
  refOfKey,
  relationshipDefOf,
  toAtlasRelationship,
} from './relationship-model';
import { RelationshipsRepository } from './relationships.repository';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function parseBody(body: unknown): AtlasRelationshipInput {
  if (!isObject(body)) throw invalidParameters('the request body must be an AtlasRelationship object');
  const parsed = AtlasRelationshipInputSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw invalidParameters(`${issue.path.join('.') || 'body'}: ${issue.message}`);
  }
  return parsed.data;
}

/**
 * Atlas relationship instances (`atlas/v2/relationship`): created, updated, read and deleted by guid, validated
 * against their relationship def (ends' types, SINGLE ends holding one relationship, mandatory attributes).
 * Entity writes keep them too (entity-relationships.ts), which this module registers with the entity store.
 */
@Injectable()
export class RelationshipsService implements OnModuleInit {
  constructor(
    private readonly repository: RelationshipsRepository,
    private readonly entities: EntityRelationships,
    private readonly dataMap: DataMapService,
    private readonly types: TypeDefsService,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.dataMap.useHooks(this.entities);
  }

  async create(body: unknown, actor: string): Promise<AtlasRelationship> {
    const input = parseBody(body);
    const def = await this.defOf(input.typeName);
    return this.transactions.run(async (manager) => {
      const [end1, end2] = await this.resolveEnds(def, input, manager);
      const [key1, key2] = [entityKey(end1.typeName, end1.qualifiedName), entityKey(end2.typeName, end2.qualifiedName)];
      const atEnd1 = await this.repository.activeAt(def.name, 1, key1, manager);
      if (atEnd1.some((r) => r.end2Key === key2)) {
        throw PurviewError.atlas(
          409,
          E.RELATIONSHIP_ALREADY_EXISTS,
          `relationship ${def.name} already exists between entities ${end1.guid} and ${end2.guid}`,
        );
      }
      // A SINGLE end holds one relationship of the type (a column belongs to one schema).
      const atEnd2 = await this.repository.activeAt(def.name, 2, key2, manager);
      for (const [endDef, entity, held] of [
        [def.endDef1, end1, atEnd1],
        [def.endDef2, end2, atEnd2],
      ] as const) {
        if (!isMany(endDef.cardinality) && held.length) {
          throw PurviewError.atlas(
            409,
            E.RELATIONSHIP_ALREADY_EXISTS,
            `relationship ${def.name} already exists for entity ${entity.guid} (${entity.typeName}.${endDef.name} has cardinality SINGLE): relationship ${held[0].guid}`,
          );
        }
      }
      const attributes = this.validAttributes(def, input.attributes ?? {});
      const record = await this.entities.insert(
        def.name,
        input.label || def.relationshipLabel || `r:${def.name}`,
        key1,
        key2,
        attributes,
        actor,
        manager,
      );
      return toAtlasRelationship(record, await this.entities.targetsOf([key1, key2]));
    });
  }

  /** `PUT atlas/v2/relationship`: updates the attributes of the relationship named by `guid`; its type and ends cannot change. */
  async update(body: unknown, actor: string): Promise<AtlasRelationship> {
    const input = parseBody(body);
    if (!input.guid || isTemporaryGuid(input.guid))
      throw invalidParameters('guid of the relationship to update is required');
    const guid = input.guid;
    return this.transactions.run(async (manager) => {
      const record = await this.repository.findByGuid(guid, manager);
      if (!record) throw relationshipNotFound(guid);
      if (input.typeName && input.typeName !== record.typeName) {
        throw PurviewError.atlas(
          404,
          E.RELATIONSHIP_UPDATE_TYPE_CHANGE_NOT_ALLOWED,
          `change of relationship type is not permitted. relationship-guid=${guid}, current-type=${record.typeName}, new-type=${q(input.typeName)}`,
        );
      }
      const def = await this.defOf(record.typeName);
      for (const [end, current] of [
        [input.end1, record.end1Key],
        [input.end2, record.end2Key],
      ] as const) {
        if (!end) continue;
        const entity = await this.resolveEnd(end, current === record.end1Key ? 'end1' : 'end2', manager);
        const key = entityKey(entity.typeName, entity.qualifiedName);
        if (key !== current) {
          const currentGuid = (await this.entities.targetsOf([current])).get(current)?.guid ?? current;
          throw PurviewError.atlas(
            404,
            E.RELATIONSHIP_UPDATE_END_CHANGE_NOT_ALLOWED,
            `change of relationship end is not permitted. relationship-type=${record.typeName}, relationship-guid=${guid}, end-guid=${currentGuid}, updated-end-guid=${entity.guid}`,
          );
        }
      }
      const attributes = this.validAttributes(def, { ...parseAttributes(record), ...(input.attributes ?? {}) });
      record.attributes = JSON.stringify(attributes);
      if (input.label) record.label = input.label;
      record.updateTime = this.clock.nowMs();
      record.updatedBy = actor;
      record.version = Number(record.version) + 1;
      await this.repository.update(record, manager);
      return toAtlasRelationship(record, await this.entities.targetsOf([record.end1Key, record.end2Key]));
    });
  }

  /** `GET atlas/v2/relationship/guid/{guid}`; `extendedInfo` adds the headers of both ends. */
  async get(guid: string, extendedInfo: boolean): Promise<AtlasRelationshipWithExtInfo> {
    const record = await this.repository.findByGuid(guid);
    if (!record) throw relationshipNotFound(guid);
    const relationship = toAtlasRelationship(record, await this.entities.targetsOf([record.end1Key, record.end2Key]));
    const referredEntities: Record<string, AtlasEntityHeader> = {};
    if (extendedInfo) {
      for (const entity of (
        await this.dataMap.findRecordsByKeys([record.end1Key, record.end2Key].map(refOfKey))
      ).values()) {
        referredEntities[entity.guid] = toEntityHeader(entity);
      }
    }
    return { relationship, referredEntities };
  }

  /** `DELETE atlas/v2/relationship/guid/{guid}`: soft delete, as Atlas does. */
  async delete(guid: string, actor: string): Promise<void> {
    await this.transactions.run(async (manager) => {
      const record = await this.repository.findByGuid(guid, manager);
      if (!record) throw relationshipNotFound(guid);
      if (record.status === 'DELETED')
        throw PurviewError.atlas(
          404,
          E.RELATIONSHIP_ALREADY_DELETED,
          `Attempting to delete a relationship which is already deleted : ${guid}`,
        );
      await this.entities.markDeleted(record, actor, manager);
    });
  }

  // ------------------------------------------------------------------------------------------------------- private

  private async defOf(typeName: string | undefined): Promise<RelationshipDef> {
    if (!typeName) throw invalidParameters('typeName (the relationship type) is required');
    const def = relationshipDefOf(await this.types.registry(), typeName);
    if (!def) throw unknownRelationshipType(typeName);
    return def;
  }

  private async resolveEnds(
    def: RelationshipDef,
    input: AtlasRelationshipInput,
    manager: EntityManager,
  ): Promise<[AtlasEntityRecord, AtlasEntityRecord]> {
    if (!input.end1)
      throw PurviewError.atlas(
        400,
        E.RELATIONSHIP_END_IS_NULL,
        'Relationship end is invalid. Expected end1 but is NULL',
      );
    if (!input.end2)
      throw PurviewError.atlas(
        400,
        E.RELATIONSHIP_END_IS_NULL,
        'Relationship end is invalid. Expected end2 but is NULL',
      );
    const end1 = await this.resolveEnd(input.end1, 'end1', manager);
    const end2 = await this.resolveEnd(input.end2, 'end2', manager);
    const registry = await this.types.registry();
    if (!registry.isA(end1.typeName, def.endDef1.type) || !registry.isA(end2.typeName, def.endDef2.type)) {
      throw PurviewError.atlas(
        400,
        E.INVALID_RELATIONSHIP_END_TYPE,
        `invalid relationshipDef: ${def.name}: end type 1: ${end1.typeName}, end type 2: ${end2.typeName} (the def expects ${def.endDef1.type} and ${def.endDef2.type})`,
      );
    }
    return [end1, end2];
  }

  /** An end names an active entity by guid, or by typeName and unique attributes. */
  private async resolveEnd(end: RelationshipEnd, name: string, manager: EntityManager): Promise<AtlasEntityRecord> {
    const qualifiedName = isObject(end.uniqueAttributes) ? end.uniqueAttributes.qualifiedName : undefined;
    let record: AtlasEntityRecord | undefined;
    if (end.guid && !isTemporaryGuid(end.guid)) {
      record = (await this.dataMap.findRecordsByGuids([end.guid], manager))[0];
      if (!record) throw entityGuidNotFound(end.guid);
    } else if (end.typeName && typeof qualifiedName === 'string') {
      record = (await this.dataMap.findRecordsByKeys([{ typeName: end.typeName, qualifiedName }], manager)).get(
        refKey(end.typeName, qualifiedName),
      );
      if (!record) throw entityKeyNotFound(end.typeName, qualifiedName);
    } else {
      throw invalidParameters(
        `${name} must carry the guid of an entity, or its typeName and uniqueAttributes.qualifiedName`,
      );
    }
    if (record.status === 'DELETED')
      throw PurviewError.atlas(404, E.INSTANCE_GUID_DELETED, `Given instance guid ${record.guid} has been deleted`);
    return record;
  }

  /** Mandatory attributes of the def must be given; attributes it does not declare are kept, as on entities. */
  private validAttributes(def: RelationshipDef, attributes: Record<string, unknown>): Record<string, unknown> {
    const missing = (def.attributeDefs ?? []).filter(
      (a) => a.isOptional === false && (attributes[a.name] === undefined || attributes[a.name] === null),
    );
    if (missing.length)
      throw invalidRelationship(
        `[${missing.map((a) => `${def.name}.${a.name}: mandatory attribute value missing`).join(', ')}]`,
      );
    return attributes;
  }
}

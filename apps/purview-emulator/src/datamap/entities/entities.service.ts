import { Injectable } from '@nestjs/common';
import { type EntityMutationResult, displayValue } from '@purview-emulator/contracts';
import { PurviewError } from '../../common/errors';
import { ATLAS_INVALID_INSTANCE, parseEntityWithExtInfo } from '../atlas-input';
import { AtlasEntityRecord } from '../atlas-entity.record';
import { DataMapRepository } from '../datamap.repository';
import { DataMapService } from '../datamap.service';
import { guidDeleted, guidNotFound, uniqueAttributeNotFound } from '../entity-errors';
import { TYPE_ERRORS } from '../types/type-errors';
import { TypeDefsService } from '../types/typedefs.service';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Atlas's partial updates of one entity, written through the data map's create-or-update (same merge, validation
 * and transaction) and reported under `mutatedEntities.PARTIAL_UPDATE` and `partialUpdatedEntities`, as Atlas's
 * `EntityMutationResponse` serializes them (2021-05-01-preview example Entity_PartialUpdateEntityByUniqueAttrs).
 * A deleted entity is not updated (404 ATLAS-404-00-012): Atlas's create-or-update would bring it back.
 */
@Injectable()
export class EntitiesService {
  constructor(
    private readonly dataMap: DataMapService,
    private readonly repository: DataMapRepository,
    private readonly types: TypeDefsService,
  ) {}

  /** `PUT entity/guid/{guid}?name=`: the body is the attribute's new value. */
  async partialUpdateByGuid(guid: string, name: string, value: unknown, actor: string): Promise<EntityMutationResult> {
    const record = this.active(await this.repository.findByGuid(guid), () => guidNotFound(guid));
    await this.types.validatePartialUpdate(record.typeName, name, value);
    if ((name === 'qualifiedName' || name === 'name') && (typeof value !== 'string' || value === '')) {
      throw PurviewError.atlas(
        400,
        TYPE_ERRORS.INVALID_PARTIAL_UPDATE_ATTR_VAL,
        `Invalid attrVal for partial update of ${record.typeName}.${name}, expected = a non-empty string found ${JSON.stringify(value)}`,
      );
    }
    const registry = await this.types.registry();
    const declared = registry.allAttributes(record.typeName).has(name);
    const entity: Record<string, unknown> = {
      guid: record.guid,
      typeName: record.typeName,
      attributes: { qualifiedName: record.qualifiedName, name: record.name, ...(declared ? { [name]: value } : {}) },
    };
    // An attribute only a relationship def declares is a relationship attribute.
    if (!declared) entity.relationshipAttributes = { [name]: value };
    return this.dataMap.createOrUpdate(parseEntityWithExtInfo({ entity }), { updatedBy: actor, partial: true });
  }

  /** `PUT entity/uniqueAttribute/type/{typeName}?attr:qualifiedName=`: the body's attributes overlay the entity's. */
  async partialUpdateByUniqueAttribute(
    typeName: string,
    qualifiedName: string,
    body: unknown,
    actor: string,
  ): Promise<EntityMutationResult> {
    const record = this.active(await this.repository.findByKey(typeName, qualifiedName), () =>
      uniqueAttributeNotFound(typeName, qualifiedName),
    );
    if (!isObject(body) || !isObject(body.entity)) {
      throw PurviewError.atlas(
        400,
        ATLAS_INVALID_INSTANCE,
        'The request body must be an AtlasEntityWithExtInfo: {"entity": {...}, "referredEntities": {}}.',
      );
    }
    const sent = body.entity;
    if (sent.typeName !== undefined && sent.typeName !== null && sent.typeName !== typeName) {
      throw PurviewError.atlas(
        400,
        TYPE_ERRORS.TYPE_MATCH_FAILED,
        `Given type ${displayValue(sent.typeName)} doesn't match ${typeName}`,
      );
    }
    const attributes = isObject(sent.attributes) ? sent.attributes : {};
    const entity = {
      ...sent,
      guid: record.guid,
      typeName,
      attributes: { qualifiedName: record.qualifiedName, name: record.name, ...attributes },
    };
    return this.dataMap.createOrUpdate(parseEntityWithExtInfo({ ...body, entity }), {
      updatedBy: actor,
      partial: true,
    });
  }

  private active(record: AtlasEntityRecord | null, notFound: () => PurviewError): AtlasEntityRecord {
    if (!record) throw notFound();
    if (record.status === 'DELETED') throw guidDeleted(record.guid);
    return record;
  }
}

import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { AtlasEntity, BulkImportResult } from '@purview-emulator/contracts';
import { Clock } from '../../common/clock';
import { PurviewError } from '../../common/errors';
import { TransactionRunner } from '../../database/transaction-runner';
import { AtlasEntityRecord } from '../atlas-entity.record';
import { BusinessAttributeUpdateBehavior, DataMapService, WrittenBusinessAttributes } from '../datamap.service';
import { EntityTarget, findTarget } from '../entity-target';
import { TypeRegistry } from '../types/type-registry';
import { TypeDefsService } from '../types/typedefs.service';
import { BM_ERRORS, BusinessValues, javaMapString, validateBusinessValues } from './business-attributes';
import { BUSINESS_METADATA_TEMPLATE, planImport, readCsv } from './business-metadata-import';
import { BusinessMetadataRepository } from './business-metadata.repository';

function isEmpty(values: Record<string, unknown>): boolean {
  return Object.keys(values).length === 0;
}

/** Values as one map, later ones winning; `null` removes an attribute. */
function merged(existing: BusinessValues, changes: BusinessValues): BusinessValues {
  const out: BusinessValues = {};
  for (const [bm, attrs] of Object.entries(existing)) out[bm] = { ...attrs };
  for (const [bm, attrs] of Object.entries(changes)) {
    for (const [name, value] of Object.entries(attrs)) {
      if (value === null) delete out[bm]?.[name];
      else (out[bm] ??= {})[name] = value;
    }
    if (out[bm] && Object.keys(out[bm]).length === 0) delete out[bm];
  }
  return out;
}

/**
 * Business metadata on entities, as Atlas's entity store handles it (`addOrUpdateBusinessAttributes`,
 * `removeBusinessAttributes`, `bulkCreateOrUpdateBusinessAttributes`): values are validated against the business
 * metadata defs of the type system, kept in their own table, and shown as `businessAttributes` on entity reads.
 */
@Injectable()
export class BusinessMetadataService implements OnModuleInit {
  constructor(
    private readonly repository: BusinessMetadataRepository,
    private readonly transactions: TransactionRunner,
    private readonly types: TypeDefsService,
    private readonly dataMap: DataMapService,
    private readonly clock: Clock,
  ) {}

  /** Entity reads show business attributes; a business metadata def that entities still use cannot be deleted. */
  onModuleInit(): void {
    this.dataMap.useReadDecorator((entities) => this.decorate(entities));
    this.dataMap.useBusinessAttributesWriter((manager, written, behavior, actor) =>
      this.writeFromEntityBodies(manager, written, behavior, actor),
    );
    this.types.useBusinessMetadataLookup((bmName, sampleSize, manager) =>
      this.repository.activeCarrying(bmName, sampleSize, manager),
    );
  }

  /**
   * `businessAttributes` sent with entities on create-or-update, as Atlas's entity store maps them: a created entity
   * gets those it was sent; an existing one keeps its own unless `businessAttributeUpdateBehavior` is `replace` (it
   * keeps only those sent, none when none were) or `merge` (those sent are added or updated). Invalid values fail the
   * whole write, as any invalid entity does.
   */
  private async writeFromEntityBodies(
    manager: EntityManager,
    written: WrittenBusinessAttributes[],
    behavior: BusinessAttributeUpdateBehavior,
    actor: string,
  ): Promise<void> {
    const registry = await this.types.registry();
    for (const { record, created, businessAttributes: values = {} } of written) {
      if (created || behavior === 'merge') {
        if (!isEmpty(values)) await this.apply(manager, registry, record, values, false, actor);
      } else if (behavior === 'replace') {
        if (!isEmpty(values)) await this.apply(manager, registry, record, values, true, actor);
        else {
          const existing = (await this.repository.valuesOf([record.guid], manager)).get(record.guid) ?? {};
          await this.write(manager, record.guid, existing, {}, actor);
        }
      }
    }
  }

  /** Adds `businessAttributes` to the entities that carry any. */
  async decorate(entities: AtlasEntity[]): Promise<void> {
    if (entities.length === 0) return;
    const values = await this.repository.valuesOf(entities.map((e) => e.guid));
    for (const entity of entities) {
      const own = values.get(entity.guid);
      if (own) entity.businessAttributes = own;
    }
  }

  /**
   * `POST …/businessmetadata[?isOverwrite=true]`: adds or updates the values given; with `isOverwrite` the entity
   * keeps only them. `POST …/businessmetadata/{bmName}` is this for one business metadata, never overwriting.
   */
  async addOrUpdate(target: EntityTarget, values: BusinessValues, isOverwrite: boolean, actor: string): Promise<void> {
    if (isEmpty(values))
      throw PurviewError.atlas(
        400,
        BM_ERRORS.INVALID_PARAMETERS,
        'invalid parameters: businessAttributes is null/empty',
      );
    const registry = await this.types.registry();
    await this.transactions.run(async (manager) => {
      const record = await findTarget(manager, registry, target);
      await this.apply(manager, registry, record, values, isOverwrite, actor);
    });
  }

  /**
   * `DELETE …/businessmetadata`: removes the attributes named (values are ignored); a business metadata given with
   * no attributes loses all of them. Names the entity does not carry are ignored, as in Atlas.
   */
  async remove(target: EntityTarget, values: BusinessValues, actor: string): Promise<void> {
    if (isEmpty(values))
      throw PurviewError.atlas(
        400,
        BM_ERRORS.INVALID_PARAMETERS,
        'invalid parameters: businessAttributes is null/empty',
      );
    const registry = await this.types.registry();
    await this.transactions.run(async (manager) => {
      const record = await findTarget(manager, registry, target);
      const existing = (await this.repository.valuesOf([record.guid], manager)).get(record.guid) ?? {};
      const removals: BusinessValues = {};
      for (const [bm, attrs] of Object.entries(values)) {
        const names = isEmpty(attrs) ? Object.keys(existing[bm] ?? {}) : Object.keys(attrs);
        for (const name of names) if (existing[bm]?.[name] !== undefined) (removals[bm] ??= {})[name] = null;
      }
      await this.write(manager, record.guid, existing, merged(existing, removals), actor);
    });
  }

  /** `GET …/businessmetadata/import/template`. */
  template(): string {
    return BUSINESS_METADATA_TEMPLATE;
  }

  /**
   * `POST …/businessmetadata/import`: refused lines are listed with their reason and the others applied, one
   * transaction per entity, so that one entity's failure leaves the rest written.
   */
  async importCsv(fileName: string | undefined, content: Buffer, actor: string): Promise<BulkImportResult> {
    const rows = readCsv(fileName, content);
    const registry = await this.types.registry();
    const plan = await planImport(rows, registry, async (typeName, qualifiedName) => {
      const guid = await this.repository.findGuid(typeName, qualifiedName);
      return guid === undefined ? undefined : { guid };
    });
    const result: BulkImportResult = { failedImportInfoList: [], successImportInfoList: [] };
    for (const remark of plan.failures)
      result.failedImportInfoList.push({
        parentObjectName: '',
        childObjectName: '',
        importStatus: 'FAILED',
        remarks: remark,
      });
    for (const target of plan.targets.values()) {
      let written: BusinessValues = target.values;
      try {
        await this.transactions.run(async (manager) => {
          const record = await findTarget(manager, registry, { guid: target.guid });
          written = await this.apply(manager, registry, record, target.values, false, actor);
        });
        result.successImportInfoList.push({
          parentObjectName: target.guid,
          childObjectName: javaMapString(written),
          importStatus: 'SUCCESS',
          remarks: '',
        });
      } catch (error) {
        const remarks = error instanceof Error ? error.message : String(error);
        result.failedImportInfoList.push({
          parentObjectName: target.guid,
          childObjectName: javaMapString(written),
          importStatus: 'FAILED',
          remarks,
        });
      }
    }
    return result;
  }

  // ------------------------------------------------------------------------------------------------------- private

  /** Validates and writes values for one entity; returns the entity's business attributes afterwards. */
  private async apply(
    manager: EntityManager,
    registry: TypeRegistry,
    record: AtlasEntityRecord,
    values: BusinessValues,
    isOverwrite: boolean,
    actor: string,
  ): Promise<BusinessValues> {
    const existing = (await this.repository.valuesOf([record.guid], manager)).get(record.guid) ?? {};
    const normalized = validateBusinessValues(registry, record.typeName, values, existing, isOverwrite);
    const next = isOverwrite ? merged({}, normalized) : merged(existing, normalized);
    await this.write(manager, record.guid, existing, next, actor);
    return next;
  }

  /** Writes the difference between two states; any change stamps the entity's update time. */
  private async write(
    manager: EntityManager,
    guid: string,
    before: BusinessValues,
    after: BusinessValues,
    actor: string,
  ): Promise<void> {
    let changed = false;
    for (const [bm, attrs] of Object.entries(before)) {
      for (const name of Object.keys(attrs)) {
        if (after[bm]?.[name] === undefined) {
          await this.repository.remove(guid, bm, name, manager);
          changed = true;
        }
      }
    }
    for (const [bm, attrs] of Object.entries(after)) {
      for (const [name, value] of Object.entries(attrs)) {
        if (JSON.stringify(before[bm]?.[name]) !== JSON.stringify(value)) {
          await this.repository.put(guid, bm, name, value, manager);
          changed = true;
        }
      }
    }
    if (changed) await this.repository.touchEntity(guid, this.clock.nowMs(), actor, manager);
  }
}

import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type {
  AtlasClassification,
  AtlasClassificationInput,
  AtlasClassifications,
  AtlasEntityHeaders,
  ClassificationAssociateOptions,
} from '@purview-emulator/contracts';
import { Clock } from '../../common/clock';
import { PurviewError } from '../../common/errors';
import { TransactionRunner } from '../../database/transaction-runner';
import { AtlasEntityRecord } from '../atlas-entity.record';
import { DataMapRepository } from '../datamap.repository';
import { guidDeleted, guidNotFound, uniqueAttributeNotFound } from '../entity-errors';
import {
  StoredClassification,
  bumpVersion,
  canonicalJson,
  parseJson,
  storedClassification,
  toAtlasClassification,
} from '../entity-model';
import { TYPE_ERRORS } from '../types/type-errors';
import { isEntityDef } from '../types/type-registry';
import { TypeDefsService } from '../types/typedefs.service';
import { SetClassificationsReport, planSetClassifications, updatedClassification } from './set-classifications';

/** Apache Atlas's `AtlasErrorCode`s for classification instances. */
export const CLASSIFICATION_ERRORS = {
  ALREADY_ASSOCIATED: 'ATLAS-400-00-01B',
  UPDATE_FROM_PROPAGATED_ENTITY: 'ATLAS-400-00-06B',
  NOT_ASSOCIATED_WITH_ENTITY: 'ATLAS-400-00-06D',
  INVALID_CLASSIFICATION_PARAMS: 'ATLAS-400-00-06F',
  NO_CLASSIFICATIONS_FOUND_FOR_ENTITY: 'ATLAS-404-00-003',
} as const;

/** An entity named by guid, or by typeName and `attr:qualifiedName`. */
export type EntityLocator = { guid: string } | { typeName: string; qualifiedName: string };

const E = CLASSIFICATION_ERRORS;

function notAssociated(name: string): PurviewError {
  return PurviewError.atlas(400, E.NOT_ASSOCIATED_WITH_ENTITY, `Classification ${name} is not associated with entity`);
}

function invalidParams(operation: string, guid: string): PurviewError {
  return PurviewError.atlas(
    400,
    E.INVALID_CLASSIFICATION_PARAMS,
    `Invalid classification parameters passed for ${operation} operation for entity: ${guid}`,
  );
}

function classificationsOfRecord(record: AtlasEntityRecord): StoredClassification[] {
  return parseJson<StoredClassification[]>(record.classifications, []);
}

/**
 * Classifications on entities (the spec's Entity_*Classification* operations), stored on the entity in the shared
 * entity store and mirrored in the search side table. Each write validates against the classification defs of the
 * type system, changes the entity's version and lastModifiedTS, and is one transaction. `propagate` is stored as
 * sent; the emulator does not propagate classifications along lineage.
 */
@Injectable()
export class ClassificationsService {
  constructor(
    private readonly repository: DataMapRepository,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    private readonly types: TypeDefsService,
  ) {}

  /** `GET entity/guid/{guid}/classification/{name}`: 404 ATLAS-404-00-008 when the entity does not carry it. */
  async get(guid: string, name: string): Promise<AtlasClassification> {
    const record = await this.find({ guid });
    const found = classificationsOfRecord(record).find((c) => c.typeName === name);
    if (!found)
      throw PurviewError.atlas(404, TYPE_ERRORS.CLASSIFICATION_NOT_FOUND, `Given classification ${name} was invalid`);
    return toAtlasClassification(found, record);
  }

  /** `GET entity/guid/{guid}/classifications`: Atlas's PList, unpaged. */
  async list(guid: string): Promise<AtlasClassifications> {
    const record = await this.find({ guid });
    const list = classificationsOfRecord(record).map((c) => toAtlasClassification(c, record));
    return { list, pageSize: list.length, sortType: 'NONE', startIndex: 0, totalCount: list.length };
  }

  /** POST …/classifications: each must be new on the entity (400 ATLAS-400-00-01B) and valid for its type. */
  async add(locator: EntityLocator, incoming: AtlasClassificationInput[], actor: string): Promise<void> {
    await this.change(locator, actor, async (record, current) => {
      if (incoming.length === 0) throw invalidParams('add', record.guid);
      await this.types.validateClassifications(record.typeName, incoming);
      return this.added(record, current, incoming);
    });
  }

  /** PUT …/classifications: each must be on the entity already (400 ATLAS-400-00-06D). */
  async update(locator: EntityLocator, incoming: AtlasClassificationInput[], actor: string): Promise<void> {
    await this.change(locator, actor, async (record, current) => {
      if (incoming.length === 0) throw invalidParams('update', record.guid);
      const next = [...current];
      for (const c of incoming) {
        if (c.entityGuid && c.entityGuid !== record.guid) {
          throw PurviewError.atlas(
            400,
            E.UPDATE_FROM_PROPAGATED_ENTITY,
            `Update to classification ${c.typeName} is not allowed from propagated entity`,
          );
        }
        const i = next.findIndex((n) => n.typeName === c.typeName);
        if (i < 0) throw notAssociated(c.typeName);
        next[i] = updatedClassification(next[i], c);
      }
      await this.types.validateClassifications(record.typeName, next);
      return next;
    });
  }

  /** DELETE …/classification/{name}: 404 ATLAS-404-00-003 on an unclassified entity, else 400 ATLAS-400-00-06D. */
  async remove(locator: EntityLocator, name: string, actor: string): Promise<void> {
    await this.change(locator, actor, (record, current) => {
      if (current.length === 0) {
        throw PurviewError.atlas(
          404,
          E.NO_CLASSIFICATIONS_FOUND_FOR_ENTITY,
          `No classifications associated with entity: ${record.guid}`,
        );
      }
      if (!current.some((c) => c.typeName === name)) throw notAssociated(name);
      return Promise.resolve(current.filter((c) => c.typeName !== name));
    });
  }

  /** `POST entity/bulk/classification`: one classification onto every entity, all or none. */
  async addToEntities(options: ClassificationAssociateOptions, actor: string): Promise<void> {
    await this.transactions.run(async (manager) => {
      const records = new Map(
        (await this.repository.findByGuids(options.entityGuids, manager)).map((r) => [r.guid, r]),
      );
      for (const guid of new Set(options.entityGuids)) {
        const record = this.writable(records.get(guid), () => guidNotFound(guid));
        await this.types.validateClassifications(record.typeName, [options.classification]);
        await this.save(
          record,
          this.added(record, classificationsOfRecord(record), [options.classification]),
          actor,
          manager,
        );
      }
    });
  }

  /**
   * `POST entity/bulk/setClassifications` as Atlas's ClassificationAssociator does it: each entity, found by typeName
   * and qualifiedName, ends up with exactly the classifications of its header (missing ones deleted, present ones
   * updated, new ones added). Failures do not stop the request: each step reports (Done), (Partial) or (Skipped).
   */
  async set(headers: AtlasEntityHeaders, actor: string): Promise<string[]> {
    const report: SetClassificationsReport = [];
    const registry = await this.types.registry();
    for (const header of Object.values(headers.guidHeaderMap)) {
      if (!isEntityDef(registry.get(header.typeName))) {
        report.push(`${header.typeName}: (Skipped)`);
        continue;
      }
      const qualifiedName = header.attributes?.qualifiedName;
      const record =
        typeof qualifiedName === 'string' ? await this.repository.findByKey(header.typeName, qualifiedName) : null;
      if (!record || record.status === 'DELETED') {
        report.push(`Entity:${header.typeName}:qualifiedName:[Not found]:(Skipped)`);
        continue;
      }
      await this.transactions.run(async (manager) => {
        const fresh = (await this.repository.findByGuid(record.guid, manager))!;
        const plan = planSetClassifications(header.guid, classificationsOfRecord(fresh), header.classifications ?? []);
        let next = classificationsOfRecord(fresh);
        for (const step of plan.steps) {
          const attempt = step.apply(next);
          let status = '(Done)';
          try {
            await this.types.validateClassifications(fresh.typeName, attempt);
            next = attempt;
          } catch (e) {
            if (!(e instanceof PurviewError)) throw e;
            status = '(Partial)';
          }
          report.push(`${step.op}:${fresh.guid}:${fresh.typeName}:qualifiedName -> ${step.names.join(', ')}:${status}`);
        }
        if (plan.steps.length) await this.save(fresh, next, actor, manager);
      });
    }
    return report;
  }

  // ---------------------------------------------------------------------------------------------------------- private

  private added(
    record: AtlasEntityRecord,
    current: StoredClassification[],
    incoming: AtlasClassificationInput[],
  ): StoredClassification[] {
    const next = [...current];
    for (const c of incoming) {
      if (next.some((n) => n.typeName === c.typeName)) {
        throw PurviewError.atlas(
          400,
          E.ALREADY_ASSOCIATED,
          `instance ${record.guid} already is associated with classification ${c.typeName}`,
        );
      }
      next.push(storedClassification(c));
    }
    return next;
  }

  private async find(locator: EntityLocator, manager?: EntityManager): Promise<AtlasEntityRecord> {
    if ('guid' in locator) {
      const record = await this.repository.findByGuid(locator.guid, manager);
      if (!record) throw guidNotFound(locator.guid);
      return record;
    }
    const record = await this.repository.findByKey(locator.typeName, locator.qualifiedName, manager);
    if (!record) throw uniqueAttributeNotFound(locator.typeName, locator.qualifiedName);
    return record;
  }

  /** A deleted entity's classifications are not changed (Atlas's INSTANCE_GUID_DELETED). */
  private writable(record: AtlasEntityRecord | undefined, notFound: () => PurviewError): AtlasEntityRecord {
    if (!record) throw notFound();
    if (record.status === 'DELETED') throw guidDeleted(record.guid);
    return record;
  }

  private async change(
    locator: EntityLocator,
    actor: string,
    next: (record: AtlasEntityRecord, current: StoredClassification[]) => Promise<StoredClassification[]>,
  ): Promise<void> {
    await this.transactions.run(async (manager) => {
      const record = this.writable(await this.find(locator, manager), () => guidNotFound(JSON.stringify(locator)));
      await this.save(record, await next(record, classificationsOfRecord(record)), actor, manager);
    });
  }

  private async save(
    record: AtlasEntityRecord,
    classifications: StoredClassification[],
    actor: string,
    manager: EntityManager,
  ): Promise<void> {
    const json = canonicalJson(classifications);
    if (json === record.classifications) return;
    record.classifications = json;
    bumpVersion(record, actor, this.clock.nowMs());
    await this.repository.update(record, manager);
    await this.repository.setClassifications(
      record.guid,
      classifications.map((c) => c.typeName),
      manager,
    );
  }
}

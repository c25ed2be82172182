import { Injectable, OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import type {
  AtlasEntity,
  AtlasEntityHeader,
  AtlasEntityWithExtInfo,
  EntityMutationResult,
  ScannedAsset,
} from '@purview-emulator/contracts';
import { Clock } from '../common/clock';
import { PurviewError } from '../common/errors';
import { TransactionRunner } from '../database/transaction-runner';
import { AtlasEntityRecord } from './atlas-entity.record';
import { AtlasEntityInput, isTemporaryGuid, scannedAssetProblem } from './atlas-input';
import { guidNotFound, uniqueAttributeNotFound } from './entity-errors';
import { realGuidsOf, referencedKeysOf, resolveGuids } from './entities/temporary-guids';
import { DataMapRepository } from './datamap.repository';
import { EntityDeleteListener, EntityHeaderDecorator, EntityHooks } from './entity-hooks';
import { EntityReadDecorator, EntityRenderer, ReadOptions } from './entity-renderer';
import { EntityWrite, EntityWriter } from './entity-writer';
import { TypeDefsService } from './types/typedefs.service';
import { RefTarget, StoredRef, StoredRelationships, refKey, refsOf, toEntityHeader } from './entity-model';

export {
  ATLAS_CONFLICT,
  ATLAS_GUID_NOT_FOUND,
  ATLAS_UNIQUE_ATTRIBUTE_NOT_FOUND,
  guidNotFound,
  uniqueAttributeNotFound,
} from './entity-errors';

export type { EntityReadDecorator, ReadOptions } from './entity-renderer';

/** Scan results are written in transactions of at most this many assets. */
export const UPSERT_CHUNK = 500;

/** Who scans write as (`createdBy`/`updatedBy` of what they create). */
export const SCANNER = 'scanner';

export interface UpsertContext {
  /** `datasources/{ds}/scans/{scan}`: recorded in `sourceDetails.ScanResourceId` of created or changed assets. */
  scanResourceId?: string;
  updatedBy: string;
  /** Collection of newly created assets; defaults to the root collection (the account name). */
  collectionId?: string;
}

/** The spec's `businessAttributeUpdateBehavior` of entity create-or-update. */
export const BUSINESS_ATTRIBUTE_UPDATE_BEHAVIORS = ['ignore', 'replace', 'merge'] as const;
export type BusinessAttributeUpdateBehavior = (typeof BUSINESS_ATTRIBUTE_UPDATE_BEHAVIORS)[number];

/** An entity a create-or-update wrote, with the `businessAttributes` its input carried. */
export interface WrittenBusinessAttributes {
  record: AtlasEntityRecord;
  created: boolean;
  businessAttributes?: Record<string, Record<string, unknown>>;
}

/** Writes the business attributes of entity create-or-update bodies, inside the write's transaction. */
export type BusinessAttributesWriter = (
  manager: EntityManager,
  written: WrittenBusinessAttributes[],
  behavior: BusinessAttributeUpdateBehavior,
  actor: string,
) => Promise<void>;

export interface UpsertResult {
  created: number;
  updated: number;
  unchanged: number;
  /** Relationship references carried by the assets (each end written by the scanner counts once). */
  relationships: number;
}

function relationshipsOfAsset(asset: ScannedAsset): StoredRelationships | undefined {
  if (!asset.relationshipAttributes) return undefined;
  const out: StoredRelationships = {};
  for (const [name, value] of Object.entries(asset.relationshipAttributes)) {
    const toRef = (r: { typeName: string; uniqueAttributes: { qualifiedName: string } }): StoredRef => ({
      typeName: r.typeName,
      qualifiedName: r.uniqueAttributes.qualifiedName,
    });
    out[name] =
      value === null ? null : Array.isArray(value) ? value.filter((v) => v !== null).map(toRef) : toRef(value);
  }
  return out;
}

/**
 * The data map: Atlas entities keyed by guid and unique by typeName + qualifiedName. Scans and Atlas clients write
 * through the same merge: attributes and relationships are overlaid, classifications only added, and a write that
 * changes nothing leaves version, lastModifiedTS and updateTime alone (so re-ingesting a batch is a no-op).
 */
@Injectable()
export class DataMapService implements OnModuleInit {
  constructor(
    private readonly repository: DataMapRepository,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    private readonly types: TypeDefsService,
    private readonly writer: EntityWriter,
    private readonly renderer: EntityRenderer,
  ) {}

  private businessAttributesWriter?: BusinessAttributesWriter;
  private readonly headerDecorators: EntityHeaderDecorator[] = [];

  /** Lets the type system refuse to delete a type that entities still use, without reading this module's tables. */
  onModuleInit(): void {
    this.types.useInstanceLookup({
      entitiesOfType: (typeName, sampleSize, manager) => this.repository.activeOfType(typeName, sampleSize, manager),
      entitiesClassifiedAs: (classification, sampleSize, manager) =>
        this.repository.activeClassifiedAs(classification, sampleSize, manager),
    });
  }

  /** Modules that annotate entities register here, so that entity reads include their annotations. */
  useReadDecorator(decorator: EntityReadDecorator): void {
    this.renderer.useReadDecorator(decorator);
  }

  /** Lets a module drop what it keeps about entities when they are deleted (see EntityDeleteListener). */
  useDeleteListener(listener: EntityDeleteListener): void {
    this.writer.useDeleteListener(listener);
  }

  /** Modules that annotate entity headers (the glossary's `meanings`) register here, for `entity/guid/{guid}/header`. */
  useHeaderDecorator(decorator: EntityHeaderDecorator): void {
    this.headerDecorators.push(decorator);
  }

  /** The business metadata module writes the `businessAttributes` entity bodies carry (it owns their table). */
  useBusinessAttributesWriter(writer: BusinessAttributesWriter): void {
    this.businessAttributesWriter = writer;
  }

  /** Writes scanned assets, idempotent by typeName + qualifiedName. Invalid assets are a 400 (callers filter them first). */
  async upsertAssets(assets: ScannedAsset[], context: UpsertContext): Promise<UpsertResult> {
    assets.forEach((asset, i) => {
      const problem = scannedAssetProblem(asset);
      if (problem) throw PurviewError.badRequest(`Asset ${i} cannot be ingested: ${problem}.`, 'InvalidAsset');
    });
    // Scans write built-in types; their classifications come from scan rules, which may name custom ones.
    await this.types.validateEntities(assets.map((asset, i) => ({ ...asset, path: `asset ${i}` })));
    const result: UpsertResult = { created: 0, updated: 0, unchanged: 0, relationships: 0 };
    for (let i = 0; i < assets.length; i += UPSERT_CHUNK) {
      const chunk = assets.slice(i, i + UPSERT_CHUNK);
      const sourceDetails = context.scanResourceId
        ? { ScanResourceId: context.scanResourceId, ScanLastModifiedAt: this.clock.iso() }
        : undefined;
      const writes: EntityWrite[] = chunk.map((asset) => ({
        typeName: asset.typeName,
        attributes: asset.attributes,
        relationships: relationshipsOfAsset(asset),
        classifications: asset.classifications?.map((c) => ({
          typeName: c.typeName,
          ...(c.attributes ? { attributes: c.attributes } : {}),
        })),
        collectionId: context.collectionId,
        sourceDetails,
        scannedClassifications: context.updatedBy === SCANNER,
      }));
      const outcomes = await this.transactions.run((manager) => this.writer.write(manager, writes, context.updatedBy));
      for (const o of outcomes) result[o.outcome]++;
      for (const w of writes) result.relationships += refsOf(w.relationships ?? {}).length;
    }
    return result;
  }

  /**
   * Deleted-asset detection (a Full scan run no longer found these assets): soft-deletes, inside the caller's
   * transaction, those still active that a scan created. An entity created by hand (through the Atlas API) is never
   * removed, even when a scan also wrote it. Answers the typeNames of the entities it deleted.
   */
  async softDeleteScannedAssets(keys: readonly StoredRef[], manager: EntityManager): Promise<string[]> {
    const found = await this.repository.findByKeys(keys, manager);
    const gone = [...found.values()].filter((r) => r.status === 'ACTIVE' && r.createdBy === SCANNER);
    if (gone.length === 0) return [];
    await this.writer.softDelete(gone, SCANNER, manager);
    return gone.map((r) => r.typeName);
  }

  /**
   * Atlas create-or-update (`POST /entity`, `POST /entity/bulk`, and the partial updates, which report the entity
   * under `PARTIAL_UPDATE` as Atlas does). All-or-nothing: guids and references resolve and every entity validates
   * against its type inside one transaction before anything is written.
   */
  async createOrUpdate(
    inputs: AtlasEntityInput[],
    context: {
      updatedBy: string;
      collectionId?: string;
      partial?: boolean;
      businessAttributeUpdateBehavior?: BusinessAttributeUpdateBehavior;
    },
  ): Promise<EntityMutationResult> {
    return this.transactions.run(async (manager) => {
      const byGuid = new Map((await this.repository.findByGuids(realGuidsOf(inputs), manager)).map((r) => [r.guid, r]));
      const byKey = await this.repository.findByKeys(
        [
          ...inputs.map((i) => ({ typeName: i.typeName, qualifiedName: i.attributes.qualifiedName })),
          ...referencedKeysOf(inputs),
        ],
        manager,
      );
      const { entities, guidAssignments } = resolveGuids(inputs, byGuid, byKey, randomUUID);
      // Relationship hooks resolve object ids by guid; temporary ones name entities of this body.
      const temporary = new Map<string, StoredRef>();
      for (const input of inputs) {
        if (isTemporaryGuid(input.guid))
          temporary.set(input.guid!, { typeName: input.typeName, qualifiedName: input.attributes.qualifiedName });
      }
      const writes: EntityWrite[] = inputs.map((input, i) => ({
        typeName: input.typeName,
        attributes: entities[i].attributes,
        relationships: entities[i].relationships,
        classifications: input.classifications,
        labels: input.labels,
        collectionId: context.collectionId,
        targetGuid: entities[i].existing ? entities[i].guid : undefined,
        newGuid: entities[i].existing ? undefined : entities[i].guid,
      }));

      // After references resolve (a dangling guid is Atlas's 404) and inside the transaction: nothing is written unless all pass.
      await this.types.validateEntities(inputs, { checkClassifications: true });
      const outcomes = await this.writer.write(manager, writes, context.updatedBy, temporary);
      await this.businessAttributesWriter?.(
        manager,
        outcomes.map((o, i) => ({
          record: o.record,
          created: o.outcome === 'created',
          businessAttributes: inputs[i].businessAttributes,
        })),
        context.businessAttributeUpdateBehavior ?? 'ignore',
        context.updatedBy,
      );
      const result: EntityMutationResult = {};
      if (Object.keys(guidAssignments).length) result.guidAssignments = guidAssignments;
      const created = new Map<string, AtlasEntityHeader>();
      const updated = new Map<string, AtlasEntityHeader>();
      for (const o of outcomes) {
        if (o.outcome === 'created') created.set(o.record.guid, toEntityHeader(o.record));
        else if (o.outcome === 'updated' && !created.has(o.record.guid))
          updated.set(o.record.guid, toEntityHeader(o.record));
      }
      if (created.size || updated.size) {
        result.mutatedEntities = {};
        if (created.size) result.mutatedEntities.CREATE = [...created.values()];
        if (updated.size && context.partial) {
          result.mutatedEntities.PARTIAL_UPDATE = [...updated.values()];
          result.partialUpdatedEntities = [...updated.values()];
        } else if (updated.size) {
          result.mutatedEntities.UPDATE = [...updated.values()];
        }
      }
      return result;
    });
  }

  async getByGuid(guid: string, options: ReadOptions = {}): Promise<AtlasEntityWithExtInfo> {
    const record = await this.repository.findByGuid(guid);
    if (!record) throw guidNotFound(guid);
    const { entities, referredEntities } = await this.renderer.expand([record], options);
    return { entity: entities[0], referredEntities };
  }

  async getHeader(guid: string): Promise<AtlasEntityHeader> {
    const record = await this.repository.findByGuid(guid);
    if (!record) throw guidNotFound(guid);
    const header = toEntityHeader(record);
    for (const decorate of this.headerDecorators) await decorate([header]);
    return header;
  }

  async getByUniqueAttribute(
    typeName: string,
    qualifiedName: string,
    options: ReadOptions = {},
  ): Promise<AtlasEntityWithExtInfo> {
    const record = await this.repository.findByKey(typeName, qualifiedName);
    if (!record) throw uniqueAttributeNotFound(typeName, qualifiedName);
    const { entities, referredEntities } = await this.renderer.expand([record], options);
    return { entity: entities[0], referredEntities };
  }

  /** `GET /entity/bulk?guid=…`: every guid must exist (Atlas answers 404 for the first unknown one). */
  async getBulk(
    guids: string[],
    options: ReadOptions = {},
  ): Promise<{ entities: AtlasEntity[]; referredEntities: Record<string, AtlasEntity> }> {
    const byGuid = new Map((await this.repository.findByGuids(guids)).map((r) => [r.guid, r]));
    const missing = guids.find((g) => !byGuid.has(g));
    if (missing) throw guidNotFound(missing);
    return this.renderer.expand(
      [...new Set(guids)].map((g) => byGuid.get(g)!),
      options,
    );
  }

  /** `GET /entity/bulk/uniqueAttribute/type/{typeName}`: the entities found (unknown qualifiedNames are skipped). */
  async getBulkByUniqueAttributes(
    typeName: string,
    qualifiedNames: string[],
    options: ReadOptions = {},
  ): Promise<{ entities: AtlasEntity[]; referredEntities: Record<string, AtlasEntity> }> {
    const found = await this.repository.findByKeys(
      qualifiedNames.map((qualifiedName) => ({ typeName, qualifiedName })),
    );
    const records = qualifiedNames
      .map((qn) => found.get(refKey(typeName, qn)))
      .filter((r): r is AtlasEntityRecord => r !== undefined);
    return this.renderer.expand([...new Map(records.map((r) => [r.guid, r])).values()], options);
  }

  /** Soft delete: status DELETED. Deleting a deleted entity changes nothing and reports nothing. */
  async deleteByGuids(guids: string[], updatedBy: string): Promise<EntityMutationResult> {
    return this.transactions.run(async (manager) => {
      const byGuid = new Map((await this.repository.findByGuids(guids, manager)).map((r) => [r.guid, r]));
      const missing = guids.find((g) => !byGuid.has(g));
      if (missing) throw guidNotFound(missing);
      return this.writer.softDelete([...byGuid.values()], updatedBy, manager);
    });
  }

  async deleteByUniqueAttribute(
    typeName: string,
    qualifiedName: string,
    updatedBy: string,
  ): Promise<EntityMutationResult> {
    return this.transactions.run(async (manager) => {
      const record = await this.repository.findByKey(typeName, qualifiedName, manager);
      if (!record) throw uniqueAttributeNotFound(typeName, qualifiedName);
      return this.writer.softDelete([record], updatedBy, manager);
    });
  }

  // ------------------------------------------------------------ for the other data map modules (relationships, collections)

  /** Lets relationships and lineage follow entity writes and complete entity reads (see entity-hooks.ts). */
  useHooks(hooks: EntityHooks): void {
    this.writer.useHooks(hooks);
    this.renderer.useHooks(hooks);
  }

  findRecordsByGuids(guids: readonly string[], manager?: EntityManager): Promise<AtlasEntityRecord[]> {
    return this.repository.findByGuids(guids, manager);
  }

  /** Entities by typeName + qualifiedName, keyed by `refKey`. */
  findRecordsByKeys(keys: readonly StoredRef[], manager?: EntityManager): Promise<Map<string, AtlasEntityRecord>> {
    return this.repository.findByKeys(keys, manager);
  }

  /** Just enough of each referenced entity to render a reference to it, keyed by `refKey`. */
  findRefTargets(keys: readonly StoredRef[]): Promise<Map<string, RefTarget>> {
    return this.repository.findRefTargets(keys);
  }

  /** Entities of a collection, active or deleted (a collection that holds any cannot be deleted). */
  countInCollection(collectionId: string): Promise<number> {
    return this.repository.countInCollection(collectionId);
  }

  /** `POST entity/moveTo` (and the legacy `moveHere`): every guid must exist; entities already there are not reported. */
  async moveToCollection(
    guids: readonly string[],
    collectionId: string,
    updatedBy: string,
  ): Promise<EntityMutationResult> {
    return this.transactions.run(async (manager) => {
      const byGuid = new Map((await this.repository.findByGuids(guids, manager)).map((r) => [r.guid, r]));
      const missing = guids.find((g) => !byGuid.has(g));
      if (missing) throw guidNotFound(missing);
      const moved: AtlasEntityHeader[] = [];
      for (const record of byGuid.values()) {
        if (record.collectionId.toLowerCase() === collectionId.toLowerCase()) continue;
        record.collectionId = collectionId;
        this.writer.bump(record, updatedBy);
        await this.repository.update(record, manager);
        moved.push(toEntityHeader(record));
      }
      return moved.length ? { mutatedEntities: { UPDATE: moved } } : {};
    });
  }
}

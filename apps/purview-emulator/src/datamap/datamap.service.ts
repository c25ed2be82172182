import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import type {
  AtlasEntity,
  AtlasEntityHeader,
  AtlasEntityWithExtInfo,
  EntityMutationResult,
  ScannedAsset,
} from '@purview-emulator/contracts';
import { EMULATOR_CONFIG, EmulatorConfig } from '../config/emulator-config';
import { Clock } from '../common/clock';
import { PurviewError } from '../common/errors';
import { TransactionRunner } from '../database/transaction-runner';
import { AtlasEntityRecord } from './atlas-entity.record';
import { AtlasEntityInput, isTemporaryGuid, scannedAssetProblem } from './atlas-input';
import { ATLAS_CONFLICT, guidNotFound, uniqueAttributeNotFound } from './entity-errors';
import { realGuidsOf, resolveGuids } from './entities/temporary-guids';
import { DataMapRepository } from './datamap.repository';
import { EntityHooks, WrittenEntity } from './entity-hooks';
import { TypeDefsService } from './types/typedefs.service';
import {
  RefTarget,
  StoredClassification,
  StoredRef,
  StoredRelationships,
  bumpVersion,
  canonicalJson,
  classificationNamesOf,
  parseJson,
  refKey,
  refsOf,
  storedClassification,
  toAtlasEntity,
  toEntityHeader,
} from './entity-model';

export {
  ATLAS_CONFLICT,
  ATLAS_GUID_NOT_FOUND,
  ATLAS_UNIQUE_ATTRIBUTE_NOT_FOUND,
  guidNotFound,
  uniqueAttributeNotFound,
} from './entity-errors';

/** Adds what another module keeps about entities (business metadata) to rendered entities, in place. */
export type EntityReadDecorator = (entities: AtlasEntity[]) => Promise<void>;

/** Scan results are written in transactions of at most this many assets. */
export const UPSERT_CHUNK = 500;

export interface UpsertContext {
  /** `datasources/{ds}/scans/{scan}`: recorded in `sourceDetails.ScanResourceId` of created or changed assets. */
  scanResourceId?: string;
  updatedBy: string;
  /** Collection of newly created assets; defaults to the root collection (the account name). */
  collectionId?: string;
}

export interface UpsertResult {
  created: number;
  updated: number;
  unchanged: number;
  /** Relationship references carried by the assets (each end written by the scanner counts once). */
  relationships: number;
}

export interface ReadOptions {
  /** Leave `referredEntities` empty. */
  minExtInfo?: boolean;
  /** Leave `relationshipAttributes` (and `referredEntities`) empty. */
  ignoreRelationships?: boolean;
}

/** One entity to create, or to merge into the existing one with the same typeName + qualifiedName. */
interface EntityWrite {
  typeName: string;
  attributes: { qualifiedName: string; name: string; [k: string]: unknown };
  /** Overlaid per relationship name. */
  relationships?: StoredRelationships;
  /** Merged by typeName: classifications are added, never removed. */
  classifications?: StoredClassification[];
  /** Replaces the labels when given. */
  labels?: string[];
  collectionId?: string;
  /** An existing entity to update (Atlas writes that name a real guid). */
  targetGuid?: string;
  /** The guid a created entity gets (settled beforehand when other entities of the request refer to it). */
  newGuid?: string;
  /** Written with every creation or change. */
  sourceDetails?: Record<string, string>;
}

type WriteOutcome = { record: AtlasEntityRecord; outcome: 'created' | 'updated' | 'unchanged' };

function mergeClassifications(
  existing: StoredClassification[],
  incoming: StoredClassification[] | undefined,
): StoredClassification[] {
  const merged = [...existing];
  for (const c of incoming ?? []) {
    if (!merged.some((m) => m.typeName === c.typeName)) merged.push(storedClassification(c));
  }
  return merged;
}

function descriptionOf(attributes: Record<string, unknown>): string | null {
  return typeof attributes.description === 'string' ? attributes.description : null;
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
  private hooks?: EntityHooks;
  private readonly readDecorators: EntityReadDecorator[] = [];

  constructor(
    @Inject(EMULATOR_CONFIG) private readonly config: EmulatorConfig,
    private readonly repository: DataMapRepository,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    private readonly types: TypeDefsService,
  ) {}

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
    this.readDecorators.push(decorator);
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
      }));
      const outcomes = await this.transactions.run((manager) => this.write(manager, writes, context.updatedBy));
      for (const o of outcomes) result[o.outcome]++;
      for (const w of writes) result.relationships += refsOf(w.relationships ?? {}).length;
    }
    return result;
  }

  /**
   * Atlas create-or-update (`POST /entity`, `POST /entity/bulk`, and the partial updates, which report the entity
   * under `PARTIAL_UPDATE` as Atlas does). All-or-nothing: guids and references resolve and every entity validates
   * against its type inside one transaction before anything is written.
   */
  async createOrUpdate(
    inputs: AtlasEntityInput[],
    context: { updatedBy: string; collectionId?: string; partial?: boolean },
  ): Promise<EntityMutationResult> {
    return this.transactions.run(async (manager) => {
      const byGuid = new Map((await this.repository.findByGuids(realGuidsOf(inputs), manager)).map((r) => [r.guid, r]));
      const byKey = await this.repository.findByKeys(
        inputs.map((i) => ({ typeName: i.typeName, qualifiedName: i.attributes.qualifiedName })),
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
      const outcomes = await this.write(manager, writes, context.updatedBy, temporary);
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
    const { entities, referredEntities } = await this.expand([record], options);
    return { entity: entities[0], referredEntities };
  }

  async getHeader(guid: string): Promise<AtlasEntityHeader> {
    const record = await this.repository.findByGuid(guid);
    if (!record) throw guidNotFound(guid);
    return toEntityHeader(record);
  }

  async getByUniqueAttribute(
    typeName: string,
    qualifiedName: string,
    options: ReadOptions = {},
  ): Promise<AtlasEntityWithExtInfo> {
    const record = await this.repository.findByKey(typeName, qualifiedName);
    if (!record) throw uniqueAttributeNotFound(typeName, qualifiedName);
    const { entities, referredEntities } = await this.expand([record], options);
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
    return this.expand(
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
    return this.expand([...new Map(records.map((r) => [r.guid, r])).values()], options);
  }

  /** Soft delete: status DELETED. Deleting a deleted entity changes nothing and reports nothing. */
  async deleteByGuids(guids: string[], updatedBy: string): Promise<EntityMutationResult> {
    return this.transactions.run(async (manager) => {
      const byGuid = new Map((await this.repository.findByGuids(guids, manager)).map((r) => [r.guid, r]));
      const missing = guids.find((g) => !byGuid.has(g));
      if (missing) throw guidNotFound(missing);
      return this.softDelete([...byGuid.values()], updatedBy, manager);
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
      return this.softDelete([record], updatedBy, manager);
    });
  }

  // ---------------------------------------------------------------------------------------------------------- private

  private async softDelete(
    records: AtlasEntityRecord[],
    updatedBy: string,
    manager: EntityManager,
  ): Promise<EntityMutationResult> {
    const deleted: AtlasEntityHeader[] = [];
    for (const record of records) {
      if (record.status === 'DELETED') continue;
      record.status = 'DELETED';
      this.bump(record, updatedBy);
      await this.repository.update(record, manager);
      deleted.push(toEntityHeader(record));
    }
    const deletedGuids = new Set(deleted.map((d) => d.guid));
    await this.hooks?.afterDelete(
      records.filter((r) => deletedGuids.has(r.guid)),
      updatedBy,
      manager,
    );
    return deleted.length ? { mutatedEntities: { DELETE: deleted } } : {};
  }

  private bump(record: AtlasEntityRecord, updatedBy: string): void {
    bumpVersion(record, updatedBy, this.clock.nowMs());
  }

  /** Applies writes in order inside the caller's transaction; later writes see earlier ones. */
  private async write(
    manager: EntityManager,
    writes: EntityWrite[],
    actor: string,
    temporary?: ReadonlyMap<string, StoredRef>,
  ): Promise<WriteOutcome[]> {
    const byKey = await this.repository.findByKeys(
      writes.map((w) => ({ typeName: w.typeName, qualifiedName: w.attributes.qualifiedName })),
      manager,
    );
    const targets = writes.map((w) => w.targetGuid).filter((g): g is string => g !== undefined);
    const byGuid = new Map((await this.repository.findByGuids(targets, manager)).map((r) => [r.guid, r]));
    for (const record of byKey.values()) byGuid.set(record.guid, record);

    const outcomes: WriteOutcome[] = [];
    for (const w of writes) {
      const key = refKey(w.typeName, w.attributes.qualifiedName);
      const existing = (w.targetGuid ? byGuid.get(w.targetGuid) : undefined) ?? byKey.get(key);
      if (!existing) {
        const record = this.newRecord(w, actor);
        await this.repository.insert(record, manager);
        await this.repository.addClassifications(record.guid, classificationNamesOf(record), manager);
        byKey.set(key, record);
        byGuid.set(record.guid, record);
        outcomes.push({ record, outcome: 'created' });
        continue;
      }
      const oldKey = refKey(existing.typeName, existing.qualifiedName);
      if (oldKey !== key) {
        const clash =
          byKey.get(key) ?? (await this.repository.findByKey(w.typeName, w.attributes.qualifiedName, manager));
        if (clash && clash.guid !== existing.guid) {
          throw PurviewError.atlas(
            409,
            ATLAS_CONFLICT,
            `An entity of type ${w.typeName} with qualifiedName '${w.attributes.qualifiedName}' already exists (guid ${clash.guid}).`,
          );
        }
      }
      const changed = this.merge(existing, w);
      if (!changed) {
        outcomes.push({ record: existing, outcome: 'unchanged' });
        continue;
      }
      const previousClassifications = new Set(classificationNamesOf(changed.before));
      this.bump(existing, actor);
      if (w.sourceDetails) existing.sourceDetails = canonicalJson(w.sourceDetails);
      await this.repository.update(existing, manager);
      await this.repository.addClassifications(
        existing.guid,
        classificationNamesOf(existing).filter((c) => !previousClassifications.has(c)),
        manager,
      );
      if (oldKey !== key) byKey.delete(oldKey);
      byKey.set(key, existing);
      outcomes.push({ record: existing, outcome: 'updated' });
    }
    if (this.hooks) {
      const written: WrittenEntity[] = [];
      outcomes.forEach((o, i) => {
        if (o.outcome !== 'unchanged')
          written.push({
            record: o.record,
            attributes: writes[i].attributes,
            relationships: writes[i].relationships ?? {},
          });
      });
      if (written.length) await this.hooks.afterWrite(written, (guid) => temporary?.get(guid), manager);
    }
    return outcomes;
  }

  private newRecord(w: EntityWrite, actor: string): AtlasEntityRecord {
    const now = this.clock.nowMs();
    return Object.assign(new AtlasEntityRecord(), {
      guid: w.newGuid ?? randomUUID(),
      typeName: w.typeName,
      qualifiedName: w.attributes.qualifiedName,
      name: w.attributes.name,
      description: descriptionOf(w.attributes),
      attributes: canonicalJson(w.attributes),
      relationshipAttributes: canonicalJson(w.relationships ?? {}),
      classifications: canonicalJson(mergeClassifications([], w.classifications)),
      labels: JSON.stringify(w.labels ?? []),
      status: 'ACTIVE' as const,
      createTime: now,
      updateTime: now,
      createdBy: actor,
      updatedBy: actor,
      version: 0,
      lastModifiedTS: '1',
      collectionId: w.collectionId ?? this.config.accountName,
      sourceDetails: w.sourceDetails ? canonicalJson(w.sourceDetails) : null,
    });
  }

  /** Merges a write into the record in place; returns the prior state when anything changed, else undefined. */
  private merge(record: AtlasEntityRecord, w: EntityWrite): { before: AtlasEntityRecord } | undefined {
    const before = Object.assign(new AtlasEntityRecord(), record);
    const attributes = { ...parseJson<Record<string, unknown>>(record.attributes, {}), ...w.attributes };
    const relationships = {
      ...parseJson<StoredRelationships>(record.relationshipAttributes, {}),
      ...(w.relationships ?? {}),
    };
    const classifications = mergeClassifications(
      parseJson<StoredClassification[]>(record.classifications, []),
      w.classifications,
    );
    record.typeName = w.typeName;
    record.qualifiedName = w.attributes.qualifiedName;
    record.name = w.attributes.name;
    record.description = descriptionOf(attributes);
    record.attributes = canonicalJson(attributes);
    record.relationshipAttributes = canonicalJson(relationships);
    record.classifications = canonicalJson(classifications);
    if (w.labels) record.labels = JSON.stringify(w.labels);
    if (w.collectionId) record.collectionId = w.collectionId;
    record.status = 'ACTIVE';
    const fields: (keyof AtlasEntityRecord)[] = [
      'typeName',
      'qualifiedName',
      'name',
      'attributes',
      'relationshipAttributes',
      'classifications',
      'labels',
      'collectionId',
      'status',
    ];
    return fields.some((f) => before[f] !== record[f]) ? { before } : undefined;
  }

  /** Renders entities (and referred entities) with what the registered read decorators add. */
  private async expand(
    records: AtlasEntityRecord[],
    options: ReadOptions,
  ): Promise<{ entities: AtlasEntity[]; referredEntities: Record<string, AtlasEntity> }> {
    const out = await this.render(records, options);
    const all = [...out.entities, ...Object.values(out.referredEntities)];
    for (const decorate of this.readDecorators) await decorate(all);
    return out;
  }

  /** Renders entities with resolved relationships and, unless `minExtInfo`, the entities they reference. */
  private async render(
    records: AtlasEntityRecord[],
    options: ReadOptions,
  ): Promise<{ entities: AtlasEntity[]; referredEntities: Record<string, AtlasEntity> }> {
    if (options.ignoreRelationships)
      return { entities: records.map((r) => toAtlasEntity(r, undefined)), referredEntities: {} };
    const refs = records.flatMap((r) => refsOf(parseJson<StoredRelationships>(r.relationshipAttributes, {})));
    if (options.minExtInfo) {
      const targets = await this.repository.findRefTargets(refs);
      const entities = records.map((r) => toAtlasEntity(r, targets));
      await this.hooks?.decorate(records, entities);
      return { entities, referredEntities: {} };
    }
    const referred = await this.repository.findByKeys(refs);
    const targets = new Map<string, RefTarget>();
    for (const [key, r] of referred)
      targets.set(key, {
        guid: r.guid,
        typeName: r.typeName,
        qualifiedName: r.qualifiedName,
        name: r.name,
        status: r.status,
      });
    const secondHop = [...referred.values()].flatMap((r) =>
      refsOf(parseJson<StoredRelationships>(r.relationshipAttributes, {})),
    );
    const missing = secondHop.filter((ref) => !targets.has(refKey(ref.typeName, ref.qualifiedName)));
    for (const [key, target] of await this.repository.findRefTargets(missing)) targets.set(key, target);
    const own = new Set(records.map((r) => r.guid));
    const referredEntities: Record<string, AtlasEntity> = {};
    const others = [...referred.values()].filter((r) => !own.has(r.guid));
    for (const r of others) referredEntities[r.guid] = toAtlasEntity(r, targets);
    const entities = records.map((r) => toAtlasEntity(r, targets));
    await this.hooks?.decorate([...records, ...others], [...entities, ...others.map((r) => referredEntities[r.guid])]);
    return { entities, referredEntities };
  }

  // ------------------------------------------------------------ for the other data map modules (relationships, collections)

  /** Lets relationships and lineage follow entity writes and complete entity reads (see entity-hooks.ts). */
  useHooks(hooks: EntityHooks): void {
    this.hooks = hooks;
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
        this.bump(record, updatedBy);
        await this.repository.update(record, manager);
        moved.push(toEntityHeader(record));
      }
      return moved.length ? { mutatedEntities: { UPDATE: moved } } : {};
    });
  }
}

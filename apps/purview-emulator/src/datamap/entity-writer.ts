import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import type { AtlasEntityHeader, EntityMutationResult } from '@purview-emulator/contracts';
import { EMULATOR_CONFIG, EmulatorConfig } from '../config/emulator-config';
import { Clock } from '../common/clock';
import { PurviewError } from '../common/errors';
import { AtlasEntityRecord } from './atlas-entity.record';
import { ATLAS_CONFLICT } from './entity-errors';
import { DataMapRepository } from './datamap.repository';
import { EntityDeleteListener, EntityHooks, WrittenEntity } from './entity-hooks';
import {
  StoredClassification,
  StoredRef,
  StoredRelationships,
  bumpVersion,
  canonicalJson,
  classificationNamesOf,
  parseJson,
  refKey,
  storedClassification,
  toEntityHeader,
} from './entity-model';

/** One entity to create, or to merge into the existing one with the same typeName + qualifiedName. */
export interface EntityWrite {
  typeName: string;
  attributes: { qualifiedName: string; name: string; [k: string]: unknown };
  /** Overlaid per relationship name. */
  relationships?: StoredRelationships;
  /**
   * Merged by typeName: classifications are added, never removed, unless the write is a scan's
   * (`scannedClassifications`).
   */
  classifications?: StoredClassification[];
  /**
   * A scan's write: `classifications` (when given, even empty) is what the scan found now. It replaces what scans
   * applied before (a classification that no longer applies is removed) and keeps those applied by hand.
   */
  scannedClassifications?: boolean;
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

export type WriteOutcome = { record: AtlasEntityRecord; outcome: 'created' | 'updated' | 'unchanged' };

function mergeClassifications(
  existing: StoredClassification[],
  incoming: StoredClassification[] | undefined,
  scanned = false,
): StoredClassification[] {
  const merged = scanned
    ? existing.filter((m) => m.origin !== 'scanner' || incoming!.some((c) => c.typeName === m.typeName))
    : [...existing];
  for (const c of incoming ?? []) {
    if (!merged.some((m) => m.typeName === c.typeName))
      merged.push(scanned ? { ...storedClassification(c), origin: 'scanner' } : storedClassification(c));
  }
  return merged;
}

/** Does this write replace the classifications scans applied (a scan's write that says what it found)? */
function replacesScanned(w: EntityWrite): boolean {
  return w.scannedClassifications === true && w.classifications !== undefined;
}

function descriptionOf(attributes: Record<string, unknown>): string | null {
  return typeof attributes.description === 'string' ? attributes.description : null;
}

/**
 * The entity store's writes, inside the caller's transaction: the merge every writer (scans, Atlas clients, moves)
 * goes through, soft deletes, and the write and delete hooks of the other data map modules (relationships), so that
 * what they keep changes in the same transaction as the entities.
 */
@Injectable()
export class EntityWriter {
  private hooks?: Pick<EntityHooks, 'afterWrite' | 'afterDelete'>;
  private readonly deleteListeners: EntityDeleteListener[] = [];

  constructor(
    @Inject(EMULATOR_CONFIG) private readonly config: EmulatorConfig,
    private readonly repository: DataMapRepository,
    private readonly clock: Clock,
  ) {}

  useHooks(hooks: Pick<EntityHooks, 'afterWrite' | 'afterDelete'>): void {
    this.hooks = hooks;
  }

  /** Another module's clean-up of what it keeps about entities, run inside the delete's transaction. */
  useDeleteListener(listener: EntityDeleteListener): void {
    this.deleteListeners.push(listener);
  }

  /** Soft delete: status DELETED. Deleting a deleted entity changes nothing and reports nothing. */
  async softDelete(
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
    for (const listener of this.deleteListeners) if (deletedGuids.size) await listener([...deletedGuids], manager);
    return deleted.length ? { mutatedEntities: { DELETE: deleted } } : {};
  }

  /** A change: version and lastModifiedTS up by one, update time and author now. */
  bump(record: AtlasEntityRecord, updatedBy: string): void {
    bumpVersion(record, updatedBy, this.clock.nowMs());
  }

  /** Applies writes in order inside the caller's transaction; later writes see earlier ones. */
  async write(
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
      if (replacesScanned(w) && changed.before.classifications !== existing.classifications)
        await this.repository.setClassifications(existing.guid, classificationNamesOf(existing), manager);
      else
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
      classifications: canonicalJson(mergeClassifications([], w.classifications, replacesScanned(w))),
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
      replacesScanned(w),
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
}

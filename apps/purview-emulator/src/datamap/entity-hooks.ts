import type { EntityManager } from 'typeorm';
import type { AtlasEntity, AtlasEntityHeader } from '@purview-emulator/contracts';
import type { AtlasEntityRecord } from './atlas-entity.record';
import type { StoredRef, StoredRelationships } from './entity-model';

/** An entity a write created or changed, with what the write itself set (an update overlays only those). */
export interface WrittenEntity {
  record: AtlasEntityRecord;
  /** The attributes the write set (a Process's `inputs`/`outputs` among them). */
  attributes: Record<string, unknown>;
  /** The relationship attributes the write set, as stored references. */
  relationships: StoredRelationships;
}

/**
 * What the other data map modules (relationships, lineage) add to entity writes and reads, registered at start so
 * that the entity store does not depend on them. Write hooks run inside the entity write's transaction: when one
 * throws, nothing of the write is kept.
 */
export interface EntityHooks {
  afterWrite(
    entities: WrittenEntity[],
    resolveTemporaryGuid: (guid: string) => StoredRef | undefined,
    manager: EntityManager,
  ): Promise<void>;
  afterDelete(records: AtlasEntityRecord[], actor: string, manager: EntityManager): Promise<void>;
  /** Completes `relationshipAttributes` of entities about to be answered (`entities[i]` renders `records[i]`). */
  decorate(records: AtlasEntityRecord[], entities: AtlasEntity[]): Promise<void>;
}

/** Called with the guids of entities a delete just took, inside its transaction (e.g. to drop term assignments). */
export type EntityDeleteListener = (guids: string[], manager: EntityManager) => Promise<void>;

/** Adds what another module keeps about entities to entity headers, in place (the glossary's `meanings`). */
export type EntityHeaderDecorator = (headers: AtlasEntityHeader[]) => Promise<void>;

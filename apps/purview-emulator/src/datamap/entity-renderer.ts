import { Injectable } from '@nestjs/common';
import type { AtlasEntity } from '@purview-emulator/contracts';
import { AtlasEntityRecord } from './atlas-entity.record';
import { DataMapRepository } from './datamap.repository';
import { EntityHooks } from './entity-hooks';
import { RefTarget, StoredRelationships, parseJson, refKey, refsOf, toAtlasEntity } from './entity-model';

export interface ReadOptions {
  /** Leave `referredEntities` empty. */
  minExtInfo?: boolean;
  /** Leave `relationshipAttributes` (and `referredEntities`) empty. */
  ignoreRelationships?: boolean;
}

/** Adds what another module keeps about entities (business metadata) to rendered entities, in place. */
export type EntityReadDecorator = (entities: AtlasEntity[]) => Promise<void>;

/**
 * Entity records as Atlas answers them: references resolved, the entities they refer to, and what the other data
 * map modules add (relationships from both ends, business metadata), registered at start so that the entity store
 * does not depend on them.
 */
@Injectable()
export class EntityRenderer {
  private hooks?: Pick<EntityHooks, 'decorate'>;
  private readonly readDecorators: EntityReadDecorator[] = [];

  constructor(private readonly repository: DataMapRepository) {}

  useHooks(hooks: Pick<EntityHooks, 'decorate'>): void {
    this.hooks = hooks;
  }

  useReadDecorator(decorator: EntityReadDecorator): void {
    this.readDecorators.push(decorator);
  }

  /** Renders entities (and referred entities) with what the registered read decorators add. */
  async expand(
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
}

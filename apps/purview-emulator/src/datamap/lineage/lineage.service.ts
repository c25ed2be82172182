import { Injectable } from '@nestjs/common';
import { LineageNextPageQuerySchema, LineageQuerySchema } from '@purview-emulator/contracts';
import type { AtlasEntityHeader, AtlasLineageInfo, LineageDirection } from '@purview-emulator/contracts';
import { PurviewError } from '../../common/errors';
import { AtlasEntityRecord } from '../atlas-entity.record';
import { DataMapService, guidNotFound, uniqueAttributeNotFound } from '../datamap.service';
import { refKey, toEntityHeader } from '../entity-model';
import { entityKey, refOfKey } from '../relationships/relationship-model';
import { TypeDefsService } from '../types/typedefs.service';
import { LineageWalk, NodeKind, lineagePage, walkLineage } from './lineage-walk';
import { LineageRepository } from './lineage.repository';

/** Atlas's INSTANCE_LINEAGE_INVALID_PARAMS and INVALID_LINEAGE_ENTITY_TYPE. */
export const ATLAS_LINEAGE_INVALID_PARAMS = 'ATLAS-400-00-026';
export const ATLAS_INVALID_LINEAGE_ENTITY_TYPE = 'ATLAS-404-00-011';

type QueryParams = Record<string, unknown>;

/** Query values as strings (a repeated parameter counts once: its first value). */
function firsts(query: QueryParams): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(query)) {
    const value: unknown = Array.isArray(v) ? v[0] : v;
    if (typeof value === 'string' && value !== '') out[k] = value;
  }
  return out;
}

function parseQuery<T>(
  schema: {
    safeParse(
      v: unknown,
    ):
      | { success: true; data: T }
      | { success: false; error: { issues: { path: (string | number)[]; message: string }[] } };
  },
  query: QueryParams,
): T {
  const parsed = schema.safeParse(firsts(query));
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw PurviewError.atlas(
    400,
    ATLAS_LINEAGE_INVALID_PARAMS,
    `Invalid lineage query parameters passed ${String(issue.path[0] ?? '')}: ${issue.message}`,
  );
}

/**
 * Lineage of data map entities (Lineage group of the 2023-09-01 spec): the datasets and processes around an entity,
 * walked over the relationships Process entities' `inputs` and `outputs` keep, answered as `AtlasLineageInfo`.
 */
@Injectable()
export class LineageService {
  constructor(
    private readonly repository: LineageRepository,
    private readonly dataMap: DataMapService,
    private readonly types: TypeDefsService,
  ) {}

  async get(guid: string, query: QueryParams): Promise<AtlasLineageInfo> {
    const { direction, depth, width } = parseQuery(LineageQuerySchema, query);
    const base = await this.byGuid(guid);
    const walk = await walkLineage(
      this.repository,
      { key: entityKey(base.typeName, base.qualifiedName), kind: await this.kindOf(base) },
      direction,
      depth,
      width,
    );
    return this.answer(base, walk, direction, depth, width);
  }

  async getByUniqueAttribute(typeName: string, qualifiedName: string, query: QueryParams): Promise<AtlasLineageInfo> {
    const { direction, depth, width } = parseQuery(LineageQuerySchema, query);
    const base = (await this.dataMap.findRecordsByKeys([{ typeName, qualifiedName }])).get(
      refKey(typeName, qualifiedName),
    );
    if (!base) throw uniqueAttributeNotFound(typeName, qualifiedName);
    const walk = await walkLineage(
      this.repository,
      { key: entityKey(base.typeName, base.qualifiedName), kind: await this.kindOf(base) },
      direction,
      depth,
      width,
    );
    return this.answer(base, walk, direction, depth, width);
  }

  /** `lineage/{guid}/next`: the entity's direct lineage in a direction, `limit` neighbours from `offset`. */
  async nextPage(guid: string, query: QueryParams): Promise<AtlasLineageInfo> {
    const { direction, offset, limit } = parseQuery(LineageNextPageQuerySchema, query);
    const base = await this.byGuid(guid);
    const walk = await lineagePage(
      this.repository,
      { key: entityKey(base.typeName, base.qualifiedName), kind: await this.kindOf(base) },
      direction,
      offset,
      limit,
    );
    return this.answer(base, walk, direction, 1, limit);
  }

  private async byGuid(guid: string): Promise<AtlasEntityRecord> {
    const [base] = await this.dataMap.findRecordsByGuids([guid]);
    if (!base) throw guidNotFound(guid);
    return base;
  }

  /** Lineage runs through DataSets and Processes; Atlas refuses any other entity as its base. */
  private async kindOf(record: AtlasEntityRecord): Promise<NodeKind> {
    const registry = await this.types.registry();
    if (registry.isA(record.typeName, 'Process')) return 'process';
    if (registry.isA(record.typeName, 'DataSet')) return 'dataset';
    throw PurviewError.atlas(
      404,
      ATLAS_INVALID_LINEAGE_ENTITY_TYPE,
      `Given instance guid ${record.guid} with type ${record.typeName} is not a valid lineage entity type.`,
    );
  }

  /** Resolves the walk's keys to entities; edges to entities not in the data map (never written) are left out. */
  private async answer(
    base: AtlasEntityRecord,
    walk: LineageWalk,
    direction: LineageDirection,
    depth: number,
    width: number,
  ): Promise<AtlasLineageInfo> {
    const baseKey = entityKey(base.typeName, base.qualifiedName);
    const others = [...walk.nodes].filter((k) => k !== baseKey);
    const found = await this.dataMap.findRecordsByKeys(others.map(refOfKey));
    const guidOf = new Map<string, string>([[baseKey, base.guid]]);
    const guidEntityMap: Record<string, AtlasEntityHeader> = { [base.guid]: toEntityHeader(base) };
    for (const record of found.values()) {
      guidOf.set(entityKey(record.typeName, record.qualifiedName), record.guid);
      guidEntityMap[record.guid] = toEntityHeader(record);
    }
    const widthCounts: Record<string, Record<string, number>> = {};
    for (const [dir, counts] of Object.entries(walk.widthCounts)) {
      for (const [key, n] of Object.entries(counts)) {
        const guid = guidOf.get(key);
        if (guid) (widthCounts[dir] ??= {})[guid] = n;
      }
    }
    return {
      baseEntityGuid: base.guid,
      lineageDirection: direction,
      lineageDepth: depth,
      lineageWidth: width,
      childrenCount: walk.childrenCount,
      guidEntityMap,
      widthCounts,
      relations: walk.relations
        .filter((r) => guidOf.has(r.from) && guidOf.has(r.to))
        .map((r) => ({
          fromEntityId: guidOf.get(r.from)!,
          toEntityId: guidOf.get(r.to)!,
          relationshipId: r.relationshipId,
        })),
      parentRelations: [],
    };
  }
}

import { SearchTerm, SearchTerms } from '../search/term-index';
import { assignedTermSql } from './glossary.repository';
import { searchableTermOf } from './term-search-source';
import { randomUUID } from 'node:crypto';
import { Injectable, OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  AtlasEntity,
  AtlasEntityHeader,
  AtlasTermAssignmentHeader,
  AtlasTermAssignmentObjectId,
  TermAssignmentsInputSchema,
} from '@purview-emulator/contracts';
import { Clock } from '../../common/clock';
import { parseBody } from '../../common/validation';
import { TransactionRunner } from '../../database/transaction-runner';
import { DataMapService } from '../datamap.service';
import { glossaryErrors } from './glossary-errors';
import { GlossaryNodes, compact } from './glossary-nodes';
import { QueryParams, paged } from './glossary-query';
import { assignmentObjectId } from './glossary-reader';
import { GlossaryNodeRecord, TermAssignmentRecord } from './glossary.records';

interface Assigned {
  assignment: TermAssignmentRecord;
  term: GlossaryNodeRecord;
}

/** An assignment as an entity's `meanings` show it (`AtlasTermAssignmentHeader`). */
function assignmentHeader(a: TermAssignmentRecord, term: GlossaryNodeRecord): AtlasTermAssignmentHeader {
  const { confidence, createdBy, description, expression, status, steward } = JSON.parse(
    a.attributes,
  ) as Partial<AtlasTermAssignmentHeader>;
  return {
    ...compact({ confidence, createdBy, description, expression, status, steward }),
    termGuid: term.guid,
    relationGuid: a.relationGuid,
    displayText: term.name,
  };
}

/** A term assigned to an entity, for the other data map modules (search filters and facets by term). */
export interface EntityTerm {
  termGuid: string;
  relationGuid: string;
  displayText: string;
  qualifiedName: string;
  glossaryGuid: string;
  glossaryName: string;
  status: string;
}

/**
 * Term assignment (`glossary/terms/{termId}/assignedEntities`, Atlas's AtlasGlossarySemanticAssignment): assigned
 * terms show on entity reads (`meanings`, `relationshipAttributes.meanings`); deleting the entity removes them.
 */
@Injectable()
export class TermAssignmentsService implements OnModuleInit {
  constructor(
    private readonly nodes: GlossaryNodes,
    private readonly dataMap: DataMapService,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    private readonly searchTerms: SearchTerms,
  ) {}

  onModuleInit(): void {
    this.searchTerms.use({
      assignedSql: assignedTermSql,
      countByTerm: (where) => this.nodes.repository.countByTerm(where),
      termsOf: async (guids) => {
        const out = new Map<string, SearchTerm[]>();
        for (const [guid, terms] of await this.termsOfEntities(guids))
          out.set(
            guid,
            terms.map((t) => ({ name: t.displayText, glossaryName: t.glossaryName, guid: t.termGuid })),
          );
        return out;
      },
      searchableTerms: async (tokens) =>
        (await this.nodes.repository.termsContaining(tokens)).map(({ term, glossaryName }) =>
          searchableTermOf(term, glossaryName),
        ),
    });
    this.dataMap.useReadDecorator((entities) => this.decorate(entities));
    this.dataMap.useDeleteListener((guids, manager) => this.entitiesDeleted(guids, manager));
    this.dataMap.useHeaderDecorator((headers) => this.decorateHeaders(headers));
  }

  async list(termGuid: string, query: QueryParams): Promise<AtlasTermAssignmentObjectId[]> {
    await this.nodes.get(termGuid, 'term');
    const assignments = await this.nodes.repository.assignmentsOfTerms([termGuid]);
    const entities = new Map(
      (await this.dataMap.findRecordsByGuids(assignments.map((a) => a.entityGuid))).map((e) => [e.guid, e]),
    );
    const active = assignments.filter((a) => entities.get(a.entityGuid)?.status === 'ACTIVE');
    return paged(
      active.map((a) => assignmentObjectId(a, entities.get(a.entityGuid)!)),
      query,
    );
  }

  /** Assigns the term to each entity (204); an entity it is assigned to already is skipped, as Atlas does. */
  async assign(termGuid: string, body: unknown, actor: string): Promise<void> {
    const items = parseBody(TermAssignmentsInputSchema, body);
    if (!items.length) throw glossaryErrors.emptyRequest();
    await this.transactions.run(async (manager) => {
      await this.nodes.get(termGuid, 'term', manager);
      const entities = new Map(
        (
          await this.dataMap.findRecordsByGuids(
            items.map((i) => i.guid),
            manager,
          )
        ).map((e) => [e.guid, e]),
      );
      const have = new Set(
        (await this.nodes.repository.assignmentsOfTerms([termGuid], manager)).map((a) => a.entityGuid),
      );
      const records: TermAssignmentRecord[] = [];
      for (const item of items) {
        if (entities.get(item.guid)?.status !== 'ACTIVE') throw glossaryErrors.notFound(item.guid);
        if (have.has(item.guid)) continue;
        have.add(item.guid);
        const attributes = compact({ createdBy: actor, ...item.relationshipAttributes?.attributes });
        records.push(
          Object.assign(new TermAssignmentRecord(), {
            relationGuid: randomUUID(),
            termGuid,
            entityGuid: item.guid,
            attributes: JSON.stringify(attributes),
            createTime: this.clock.nowMs(),
          }),
        );
      }
      await this.nodes.repository.saveAssignments(records, manager);
    });
  }

  /**
   * Removes the term from each entity (204). An entity the term is not assigned to, or a `relationshipGuid` that is
   * not this assignment's, is Atlas's 400.
   */
  async remove(termGuid: string, body: unknown): Promise<void> {
    const items = parseBody(TermAssignmentsInputSchema, body);
    if (!items.length) throw glossaryErrors.emptyRequest();
    await this.transactions.run(async (manager) => {
      await this.nodes.get(termGuid, 'term', manager);
      const byEntity = new Map(
        (await this.nodes.repository.assignmentsOfTerms([termGuid], manager)).map((a) => [a.entityGuid, a]),
      );
      const gone: string[] = [];
      for (const item of items) {
        const assignment = byEntity.get(item.guid);
        if (!assignment || (item.relationshipGuid && item.relationshipGuid !== assignment.relationGuid))
          throw glossaryErrors.invalidDissociation(item.relationshipGuid ?? '', termGuid, item.guid);
        gone.push(assignment.relationGuid);
      }
      await this.nodes.repository.deleteAssignments(gone, manager);
    });
  }

  /** The terms assigned to each of the entities (those with none are absent). */
  async termsOfEntities(entityGuids: readonly string[]): Promise<Map<string, EntityTerm[]>> {
    const assignments = await this.nodes.repository.assignmentsOfEntities(entityGuids);
    const terms = new Map(
      (await this.nodes.repository.nodes(assignments.map((a) => a.termGuid))).map((t) => [t.guid, t]),
    );
    const glossaries = new Map(
      (await this.nodes.repository.nodes([...terms.values()].map((t) => t.glossaryGuid!))).map((g) => [g.guid, g]),
    );
    const out = new Map<string, EntityTerm[]>();
    for (const a of assignments) {
      const term = terms.get(a.termGuid);
      if (!term) continue;
      const glossary = glossaries.get(term.glossaryGuid!);
      out.set(a.entityGuid, [
        ...(out.get(a.entityGuid) ?? []),
        {
          termGuid: term.guid,
          relationGuid: a.relationGuid,
          displayText: term.name,
          qualifiedName: term.qualifiedName,
          glossaryGuid: term.glossaryGuid!,
          glossaryName: glossary?.name ?? '',
          status: term.status ?? 'Draft',
        },
      ]);
    }
    return out;
  }

  /** The assignments of each entity with their terms (entities with none are absent). */
  private async assignmentsOf(guids: string[]): Promise<Map<string, Assigned[]>> {
    const out = new Map<string, Assigned[]>();
    if (!guids.length) return out;
    const assignments = await this.nodes.repository.assignmentsOfEntities(guids);
    if (!assignments.length) return out;
    const terms = new Map(
      (await this.nodes.repository.nodes(assignments.map((a) => a.termGuid))).map((t) => [t.guid, t]),
    );
    for (const assignment of assignments) {
      const term = terms.get(assignment.termGuid);
      if (term) out.set(assignment.entityGuid, [...(out.get(assignment.entityGuid) ?? []), { assignment, term }]);
    }
    return out;
  }

  /** Adds the assigned terms to entity headers: `meanings` and `meaningNames`. */
  private async decorateHeaders(headers: AtlasEntityHeader[]): Promise<void> {
    const byEntity = await this.assignmentsOf(headers.map((h) => h.guid));
    for (const header of headers) {
      const mine = byEntity.get(header.guid);
      if (!mine) continue;
      header.meanings = mine.map(({ assignment, term }) => assignmentHeader(assignment, term));
      header.meaningNames = mine.map(({ term }) => term.name);
    }
  }

  /** Adds the assigned terms to rendered entities: `meanings` headers and `relationshipAttributes.meanings`. */
  private async decorate(entities: AtlasEntity[]): Promise<void> {
    const byEntity = await this.assignmentsOf(entities.map((e) => e.guid));
    for (const entity of entities) {
      const mine = byEntity.get(entity.guid);
      if (!mine) continue;
      entity.meanings = mine.map(({ assignment, term }) => assignmentHeader(assignment, term));
      if (entity.relationshipAttributes && 'meanings' in entity.relationshipAttributes)
        entity.relationshipAttributes.meanings = mine.map(({ assignment, term }) =>
          assignmentObjectId(assignment, {
            guid: term.guid,
            typeName: 'AtlasGlossaryTerm',
            qualifiedName: term.qualifiedName,
            name: term.name,
            status: 'ACTIVE',
          }),
        );
    }
  }

  private async entitiesDeleted(guids: readonly string[], manager: EntityManager): Promise<void> {
    await this.nodes.repository.deleteAssignmentsOfEntities(guids, manager);
  }
}

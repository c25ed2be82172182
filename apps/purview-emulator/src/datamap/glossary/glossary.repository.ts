import { type Sql, escapeLike } from '../search/sql';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In } from 'typeorm';
import { GlossaryLinkRecord, GlossaryNodeKind, GlossaryNodeRecord, TermAssignmentRecord } from './glossary.records';

/** Short IN lists keep statements cheap to prepare. */
const IN_CHUNK = 400;

async function chunked<T>(keys: readonly string[], fetch: (part: string[]) => Promise<T[]>): Promise<T[]> {
  const unique = [...new Set(keys)];
  const out: T[] = [];
  for (let i = 0; i < unique.length; i += IN_CHUNK) out.push(...(await fetch(unique.slice(i, i + IN_CHUNK))));
  return out;
}

/** All SQL of the glossary: nodes (glossaries, categories, terms), links between them, and term assignments. */
@Injectable()
export class GlossaryRepository {
  constructor(private readonly dataSource: DataSource) {}

  private m(manager?: EntityManager): EntityManager {
    return manager ?? this.dataSource.manager;
  }

  node(guid: string, manager?: EntityManager): Promise<GlossaryNodeRecord | null> {
    return this.m(manager).findOneBy(GlossaryNodeRecord, { guid });
  }

  nodes(guids: readonly string[], manager?: EntityManager): Promise<GlossaryNodeRecord[]> {
    return chunked(guids, (part) => this.m(manager).findBy(GlossaryNodeRecord, { guid: In(part) }));
  }

  byQualifiedName(kind: GlossaryNodeKind, qualifiedName: string, manager?: EntityManager) {
    return this.m(manager).findOneBy(GlossaryNodeRecord, { kind, qualifiedName });
  }

  glossaries(manager?: EntityManager): Promise<GlossaryNodeRecord[]> {
    return this.m(manager).find(GlossaryNodeRecord, { where: { kind: 'glossary' }, order: { name: 'ASC' } });
  }

  /** Categories or terms of a glossary, by name. */
  ofGlossary(glossaryGuid: string, kind: GlossaryNodeKind, manager?: EntityManager) {
    return this.m(manager).find(GlossaryNodeRecord, { where: { glossaryGuid, kind }, order: { name: 'ASC' } });
  }

  children(parentGuid: string, manager?: EntityManager): Promise<GlossaryNodeRecord[]> {
    return this.m(manager).find(GlossaryNodeRecord, { where: { parentGuid }, order: { name: 'ASC' } });
  }

  /** The children of each of the parents, by name. */
  childrenOf(parentGuids: readonly string[], manager?: EntityManager): Promise<GlossaryNodeRecord[]> {
    return chunked(parentGuids, (part) =>
      this.m(manager).find(GlossaryNodeRecord, { where: { parentGuid: In(part) }, order: { name: 'ASC' } }),
    );
  }

  saveNode(record: GlossaryNodeRecord, manager: EntityManager): Promise<GlossaryNodeRecord> {
    return manager.save(GlossaryNodeRecord, record);
  }

  /** Deletes nodes; the schema's cascades take a glossary's categories, terms, links and assignments with it. */
  async deleteNode(guid: string, manager: EntityManager): Promise<void> {
    await manager.delete(GlossaryNodeRecord, { guid });
  }

  /** Links touching any of the nodes, at either end. */
  async links(guids: readonly string[], manager?: EntityManager): Promise<GlossaryLinkRecord[]> {
    const from = await chunked(guids, (part) => this.m(manager).findBy(GlossaryLinkRecord, { fromGuid: In(part) }));
    const to = await chunked(guids, (part) => this.m(manager).findBy(GlossaryLinkRecord, { toGuid: In(part) }));
    return [...new Map([...from, ...to].map((l) => [l.relationGuid, l])).values()];
  }

  async saveLinks(links: GlossaryLinkRecord[], manager: EntityManager): Promise<void> {
    if (links.length) await manager.save(GlossaryLinkRecord, links);
  }

  async deleteLinks(relationGuids: readonly string[], manager: EntityManager): Promise<void> {
    for (let i = 0; i < relationGuids.length; i += IN_CHUNK)
      await manager.delete(GlossaryLinkRecord, { relationGuid: In(relationGuids.slice(i, i + IN_CHUNK)) });
  }

  assignmentsOfTerms(termGuids: readonly string[], manager?: EntityManager): Promise<TermAssignmentRecord[]> {
    return chunked(termGuids, (part) =>
      this.m(manager).find(TermAssignmentRecord, { where: { termGuid: In(part) }, order: { createTime: 'ASC' } }),
    );
  }

  assignmentsOfEntities(entityGuids: readonly string[], manager?: EntityManager): Promise<TermAssignmentRecord[]> {
    return chunked(entityGuids, (part) =>
      this.m(manager).find(TermAssignmentRecord, { where: { entityGuid: In(part) }, order: { createTime: 'ASC' } }),
    );
  }

  async saveAssignments(records: TermAssignmentRecord[], manager: EntityManager): Promise<void> {
    if (records.length) await manager.save(TermAssignmentRecord, records);
  }

  async deleteAssignments(relationGuids: readonly string[], manager: EntityManager): Promise<void> {
    for (let i = 0; i < relationGuids.length; i += IN_CHUNK)
      await manager.delete(TermAssignmentRecord, { relationGuid: In(relationGuids.slice(i, i + IN_CHUNK)) });
  }

  async deleteAssignmentsOfEntities(entityGuids: readonly string[], manager: EntityManager): Promise<void> {
    for (let i = 0; i < entityGuids.length; i += IN_CHUNK)
      await manager.delete(TermAssignmentRecord, { entityGuid: In(entityGuids.slice(i, i + IN_CHUNK)) });
  }

  /**
   * Terms, with their glossary's name, whose name, qualifiedName or stored text (`doc`: descriptions, abbreviation…)
   * contain every token (case-insensitive LIKE: a superset search narrows further). All terms without tokens.
   */
  async termsContaining(tokens: readonly string[]): Promise<{ term: GlossaryNodeRecord; glossaryName: string }[]> {
    const like = (token: string) => `%${escapeLike(token)}%`;
    const rows = await this.dataSource.query<{ guid: string; glossary_name: string }[]>(
      `SELECT t.guid AS guid, g.name AS glossary_name FROM glossary_nodes t JOIN glossary_nodes g ON g.guid = t.glossary_guid ` +
        `WHERE t.kind = 'term'` +
        tokens
          .map(
            () => ` AND (t.name LIKE ? ESCAPE '\\' OR t.qualified_name LIKE ? ESCAPE '\\' OR t.doc LIKE ? ESCAPE '\\')`,
          )
          .join(''),
      tokens.flatMap((token) => [like(token), like(token), like(token)]),
    );
    const glossaryOf = new Map(rows.map((r) => [r.guid, r.glossary_name]));
    const terms = await this.nodes(rows.map((r) => r.guid));
    return terms.map((term) => ({ term, glossaryName: glossaryOf.get(term.guid) ?? '' }));
  }

  /** Entities matching `where` (a condition on `datamap_entities e`) by the name of their terms, for search's facet. */
  async countByTerm(where: Sql): Promise<Map<string, number>> {
    const rows = await this.dataSource.query<{ value: string; n: number }[]>(
      `SELECT t.name AS value, COUNT(DISTINCT a.entity_guid) AS n FROM glossary_term_assignments a ` +
        `JOIN glossary_nodes t ON t.guid = a.term_guid ` +
        `WHERE a.entity_guid IN (SELECT e.guid FROM datamap_entities e WHERE ${where.sql}) GROUP BY t.name`,
      where.params,
    );
    return new Map(rows.map((r) => [r.value, Number(r.n)]));
  }
}

/** Search's `term` filter: entity alias `e` is assigned a term of that name (in that glossary, when given). */
export function assignedTermSql(term: string, glossary: string | undefined): Sql {
  const inGlossary = glossary === undefined ? '' : ` AND g.name = ? COLLATE NOCASE`;
  return {
    sql:
      `e.guid IN (SELECT a.entity_guid FROM glossary_term_assignments a ` +
      `JOIN glossary_nodes t ON t.guid = a.term_guid JOIN glossary_nodes g ON g.guid = t.glossary_guid ` +
      `WHERE t.name = ? COLLATE NOCASE${inGlossary})`,
    params: glossary === undefined ? [term] : [term, glossary],
  };
}

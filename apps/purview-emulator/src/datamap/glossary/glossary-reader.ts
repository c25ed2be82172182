import { Injectable } from '@nestjs/common';
import type {
  AtlasGlossary,
  AtlasGlossaryCategory,
  AtlasGlossaryTerm,
  AtlasRelatedCategoryHeader,
  AtlasRelatedTermHeader,
  AtlasTermAssignmentObjectId,
  PurviewObjectId,
  TermRelation,
  TermStatus,
} from '@purview-emulator/contracts';
import { DataMapService } from '../datamap.service';
import { GlossaryLinkRecord, GlossaryNodeRecord, TermAssignmentRecord } from './glossary.records';
import { GlossaryRepository } from './glossary.repository';

export function docOf(record: { doc: string }): Record<string, unknown> {
  return JSON.parse(record.doc) as Record<string, unknown>;
}

function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null)) as T;
}

function audit(r: GlossaryNodeRecord) {
  return {
    lastModifiedTS: String(r.version),
    createdBy: r.createdBy,
    updatedBy: r.updatedBy,
    createTime: Number(r.createTime),
    updateTime: Number(r.updateTime),
  };
}

/** A term as a related-term header (`AtlasRelatedTermHeader`). */
export function termHeader(term: GlossaryNodeRecord, relationGuid?: string | null): AtlasRelatedTermHeader {
  return defined({
    termGuid: term.guid,
    relationGuid: relationGuid ?? undefined,
    displayText: term.name,
    description: docOf(term).shortDescription as string | undefined,
  });
}

export function categoryHeader(category: GlossaryNodeRecord): AtlasRelatedCategoryHeader {
  return defined({
    categoryGuid: category.guid,
    parentCategoryGuid: category.parentGuid ?? undefined,
    relationGuid: category.anchorRelationGuid ?? undefined,
    displayText: category.name,
    description: docOf(category).shortDescription as string | undefined,
  });
}

const SEMANTIC_ASSIGNMENT = 'AtlasGlossarySemanticAssignment' as const;

/** The term attributes each Atlas glossary relationship type fills (for `excludeRelationshipTypes`). */
const ATTRIBUTES_OF_RELATIONSHIP: Record<string, (keyof AtlasGlossaryTerm)[]> = {
  [SEMANTIC_ASSIGNMENT]: ['assignedEntities'],
  AtlasGlossaryTermCategorization: ['categories'],
  AtlasGlossaryRelatedTerm: ['seeAlso'],
  AtlasGlossarySynonym: ['synonyms'],
  AtlasGlossaryAntonym: ['antonyms'],
  AtlasGlossaryPreferredTerm: ['preferredTerms', 'preferredToTerms'],
  AtlasGlossaryReplacementTerm: ['replacementTerms', 'replacedBy'],
  AtlasGlossaryTranslation: ['translationTerms', 'translatedTerms'],
  AtlasGlossaryIsARelationship: ['isA', 'classifies'],
  AtlasGlossaryValidValue: ['validValues', 'validValuesFor'],
};

/** One end of a term assignment as an `AtlasRelatedObjectId`. */
export function assignmentObjectId(
  a: TermAssignmentRecord,
  other: { guid: string; typeName: string; qualifiedName: string; name: string; status: 'ACTIVE' | 'DELETED' },
): AtlasTermAssignmentObjectId {
  return {
    guid: other.guid,
    typeName: other.typeName,
    uniqueAttributes: { qualifiedName: other.qualifiedName },
    displayText: other.name,
    entityStatus: other.status,
    relationshipType: SEMANTIC_ASSIGNMENT,
    relationshipGuid: a.relationGuid,
    relationshipStatus: 'ACTIVE',
    relationshipAttributes: {
      typeName: SEMANTIC_ASSIGNMENT,
      attributes: JSON.parse(a.attributes) as Record<string, unknown>,
    },
  };
}

/** Glossary nodes as the Glossary group answers them, with what they link to loaded in few queries. */
@Injectable()
export class GlossaryReader {
  constructor(
    private readonly repository: GlossaryRepository,
    private readonly dataMap: DataMapService,
  ) {}

  async glossaries(records: GlossaryNodeRecord[], ignoreTermsAndCategories = false): Promise<AtlasGlossary[]> {
    return Promise.all(records.map((r) => this.glossary(r, ignoreTermsAndCategories)));
  }

  async glossary(r: GlossaryNodeRecord, ignoreTermsAndCategories = false): Promise<AtlasGlossary> {
    const doc = docOf(r);
    const out: AtlasGlossary = defined({
      guid: r.guid,
      qualifiedName: r.qualifiedName,
      name: r.name,
      shortDescription: doc.shortDescription as string | undefined,
      longDescription: doc.longDescription as string | undefined,
      language: doc.language as string | undefined,
      usage: doc.usage as string | undefined,
      ...audit(r),
    });
    if (ignoreTermsAndCategories) return out;
    const categories = await this.repository.ofGlossary(r.guid, 'category');
    const terms = await this.repository.ofGlossary(r.guid, 'term');
    if (categories.length) out.categories = categories.map(categoryHeader);
    if (terms.length) out.terms = terms.map((t) => termHeader(t, t.anchorRelationGuid));
    return out;
  }

  async categories(records: GlossaryNodeRecord[]): Promise<AtlasGlossaryCategory[]> {
    if (!records.length) return [];
    const guids = records.map((r) => r.guid);
    const links = (await this.repository.links(guids)).filter((l) => l.kind === 'categorization');
    const related = await this.byGuid([
      ...records.flatMap((r) => [r.glossaryGuid!, r.parentGuid].filter((g): g is string => !!g)),
      ...links.map((l) => l.fromGuid),
    ]);
    const children = new Map<string, GlossaryNodeRecord[]>();
    for (const c of await this.repository.childrenOf(guids))
      children.set(c.parentGuid!, [...(children.get(c.parentGuid!) ?? []), c]);
    return records.map((r) => {
      const doc = docOf(r);
      const parent = r.parentGuid ? related.get(r.parentGuid) : undefined;
      const terms = links
        .filter((l) => l.toGuid === r.guid && related.has(l.fromGuid))
        .map((l) => termHeader(related.get(l.fromGuid)!, l.relationGuid));
      const kids = children.get(r.guid) ?? [];
      return defined({
        guid: r.guid,
        qualifiedName: r.qualifiedName,
        name: r.name,
        shortDescription: doc.shortDescription as string | undefined,
        longDescription: doc.longDescription as string | undefined,
        ...audit(r),
        anchor: defined({
          glossaryGuid: r.glossaryGuid!,
          relationGuid: r.anchorRelationGuid!,
          displayText: related.get(r.glossaryGuid!)?.name,
        }),
        parentCategory: parent
          ? defined({ categoryGuid: parent.guid, relationGuid: r.parentRelationGuid!, displayText: parent.name })
          : undefined,
        childrenCategories: kids.length
          ? kids.map((c) => defined({ categoryGuid: c.guid, relationGuid: c.parentRelationGuid!, displayText: c.name }))
          : undefined,
        terms: terms.length ? terms : undefined,
      });
    });
  }

  async terms(
    records: GlossaryNodeRecord[],
    options: { includeTermHierarchy?: boolean; excludeRelationshipTypes?: readonly string[] } = {},
  ): Promise<AtlasGlossaryTerm[]> {
    if (!records.length) return [];
    const guids = records.map((r) => r.guid);
    const links = await this.repository.links(guids);
    const assignments = await this.repository.assignmentsOfTerms(guids);
    const entities = new Map(
      (await this.dataMap.findRecordsByGuids([...new Set(assignments.map((a) => a.entityGuid))])).map((e) => [
        e.guid,
        e,
      ]),
    );
    const related = await this.byGuid([
      ...records.flatMap((r) => [r.glossaryGuid!, r.parentGuid].filter((g): g is string => !!g)),
      ...links.flatMap((l) => [l.fromGuid, l.toGuid]),
    ]);
    const ancestors = options.includeTermHierarchy ? await this.ancestorsOf(records, related) : undefined;
    return records.map((r) => {
      const doc = docOf(r);
      const out: AtlasGlossaryTerm = defined({
        guid: r.guid,
        qualifiedName: r.qualifiedName,
        name: r.name,
        shortDescription: doc.shortDescription as string | undefined,
        longDescription: doc.longDescription as string | undefined,
        abbreviation: doc.abbreviation as string | undefined,
        nickName: doc.nickName as string | undefined,
        usage: doc.usage as string | undefined,
        examples: doc.examples as string[] | undefined,
        templateName: doc.templateName as unknown[] | undefined,
        ...audit(r),
        status: (r.status ?? 'Draft') as TermStatus,
        anchor: defined({
          glossaryGuid: r.glossaryGuid!,
          relationGuid: r.anchorRelationGuid!,
          displayText: related.get(r.glossaryGuid!)?.name,
        }),
        resources: doc.resources as AtlasGlossaryTerm['resources'],
        contacts: doc.contacts as AtlasGlossaryTerm['contacts'],
        attributes: doc.attributes as AtlasGlossaryTerm['attributes'],
      });
      const parent = r.parentGuid ? related.get(r.parentGuid) : undefined;
      if (parent) out.parentTerm = termHeader(parent, r.parentRelationGuid);
      this.addLinks(out, r.guid, links, related);
      const mine = assignments.filter((a) => a.termGuid === r.guid && entities.get(a.entityGuid)?.status === 'ACTIVE');
      if (mine.length) out.assignedEntities = mine.map((a) => assignmentObjectId(a, entities.get(a.entityGuid)!));
      if (ancestors) out.hierarchyInfo = ancestors.get(r.guid) ?? [];
      for (const type of options.excludeRelationshipTypes ?? [])
        for (const attribute of ATTRIBUTES_OF_RELATIONSHIP[type] ?? []) delete out[attribute];
      return out;
    });
  }

  private addLinks(
    out: AtlasGlossaryTerm,
    guid: string,
    links: GlossaryLinkRecord[],
    nodes: Map<string, GlossaryNodeRecord>,
  ): void {
    for (const l of links) {
      const [attr, otherGuid] = l.fromGuid === guid ? [l.fromAttr, l.toGuid] : [l.toAttr, l.fromGuid];
      const other = nodes.get(otherGuid);
      if (!other || (l.fromGuid !== guid && l.toGuid !== guid)) continue;
      const doc = docOf(l);
      if (l.kind === 'categorization') {
        if (l.fromGuid !== guid) continue;
        (out.categories ??= []).push(
          defined({
            categoryGuid: other.guid,
            relationGuid: l.relationGuid,
            displayText: other.name,
            description: doc.description as string | undefined,
            status: doc.status as 'ACTIVE' | undefined,
          }),
        );
        continue;
      }
      (out[attr as TermRelation] ??= []).push(
        defined({ ...termHeader(other, l.relationGuid), description: undefined, ...doc }),
      );
    }
  }

  /** Each term's ancestors, root first (`hierarchyInfo`). */
  private async ancestorsOf(
    records: GlossaryNodeRecord[],
    known: Map<string, GlossaryNodeRecord>,
  ): Promise<Map<string, PurviewObjectId[]>> {
    const out = new Map<string, PurviewObjectId[]>();
    for (const r of records) {
      const chain: PurviewObjectId[] = [];
      const seen = new Set([r.guid]);
      let next = r.parentGuid;
      while (next && !seen.has(next)) {
        seen.add(next);
        const node = known.get(next) ?? (await this.repository.node(next));
        if (!node) break;
        known.set(node.guid, node);
        chain.unshift({
          guid: node.guid,
          typeName: 'AtlasGlossaryTerm',
          name: node.name,
          displayText: node.name,
          uniqueAttributes: { qualifiedName: node.qualifiedName },
        });
        next = node.parentGuid;
      }
      out.set(r.guid, chain);
    }
    return out;
  }

  private async byGuid(guids: string[]): Promise<Map<string, GlossaryNodeRecord>> {
    return new Map((await this.repository.nodes(guids)).map((n) => [n.guid, n]));
  }
}

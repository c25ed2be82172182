import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  AtlasGlossaryTerm,
  AtlasRelatedTermHeader,
  GlossaryPartialInputSchema,
  GlossaryTermInput,
  GlossaryTermInputSchema,
  TERM_RELATIONS,
  TERM_RELATION_NAMES,
  TermStatusSchema,
} from '@purview-emulator/contracts';
import { parseBody } from '../../common/validation';
import { TransactionRunner } from '../../database/transaction-runner';
import { TypeDefsService } from '../types/typedefs.service';
import { glossaryErrors } from './glossary-errors';
import { validateTermTemplateValues } from './term-templates';
import { GlossaryNodes, compact } from './glossary-nodes';
import { GlossaryReader, docOf } from './glossary-reader';
import { GlossaryLinkRecord, GlossaryNodeRecord } from './glossary.records';

/**
 * The name a term's qualifiedName starts with: Purview's "formal name", `Parent_Child` under a parent term. Clients
 * that send the formal name as the name (pyapacheatlas: name `Parent_Child`, nickName `Child`) and clients that
 * send just `Child` with the same `parentTerm` get the same qualifiedName.
 */
export function formalName(name: string, parent: GlossaryNodeRecord | null): string {
  if (!parent) return name;
  const parentFormal = parent.qualifiedName.slice(0, parent.qualifiedName.lastIndexOf('@'));
  const own = name.startsWith(`${parent.name}_`) ? name.slice(parent.name.length + 1) : name;
  return `${parentFormal}_${own}`;
}

const PARTIAL = ['name', 'shortDescription', 'longDescription', 'abbreviation', 'nickName', 'usage', 'status'];

export interface TermReadOptions {
  includeTermHierarchy?: boolean;
  /** Relationship types whose attributes the answer leaves out (`AtlasGlossarySemanticAssignment`, …). */
  excludeRelationshipTypes?: readonly string[];
}

/**
 * Glossary terms (`glossary/term…`, `glossary/terms`): anchored in a glossary, with a status, an optional parent
 * term (the hierarchy), categories and related terms that both ends show (Atlas's relationship pairs). The
 * qualifiedName is `name@glossary` (Atlas derives it; a sent one is ignored), with the parent's formal name first
 * under a parent term (see formalName), so names are unique within a glossary and parent.
 */
@Injectable()
export class TermsService {
  constructor(
    private readonly typeDefs: TypeDefsService,
    private readonly nodes: GlossaryNodes,
    private readonly reader: GlossaryReader,
    private readonly transactions: TransactionRunner,
  ) {}

  async create(body: unknown, actor: string, options: TermReadOptions): Promise<AtlasGlossaryTerm> {
    const input = parseBody(GlossaryTermInputSchema, body);
    const record = await this.transactions.run((manager) => this.write(undefined, input, actor, manager));
    return (await this.reader.terms([record], options))[0];
  }

  async createMany(body: unknown, actor: string, options: TermReadOptions): Promise<AtlasGlossaryTerm[]> {
    const inputs = parseBody(GlossaryTermInputSchema.array(), body);
    const records = await this.transactions.run(async (manager) => {
      const out: GlossaryNodeRecord[] = [];
      for (const input of inputs) out.push(await this.write(undefined, input, actor, manager));
      return out;
    });
    return this.reader.terms(records, options);
  }

  async get(guid: string, options: TermReadOptions): Promise<AtlasGlossaryTerm> {
    return (await this.reader.terms([await this.nodes.get(guid, 'term')], options))[0];
  }

  async update(guid: string, body: unknown, actor: string, options: TermReadOptions): Promise<AtlasGlossaryTerm> {
    const input = parseBody(GlossaryTermInputSchema, body);
    const record = await this.transactions.run(async (manager) =>
      this.write(await this.nodes.get(guid, 'term', manager), input, actor, manager),
    );
    return (await this.reader.terms([record], options))[0];
  }

  async partialUpdate(guid: string, body: unknown, actor: string, options: TermReadOptions) {
    const changes = parseBody(GlossaryPartialInputSchema, body);
    const record = await this.transactions.run(async (manager) => {
      const record = await this.nodes.get(guid, 'term', manager);
      const doc = docOf(record);
      for (const [key, value] of Object.entries(changes)) {
        if (!PARTIAL.includes(key)) throw glossaryErrors.partialAttribute(key, 'term');
        if (key === 'name') record.name = this.checkName(value);
        else if (key === 'status') {
          if (!TermStatusSchema.safeParse(value).success)
            throw glossaryErrors.partialValue('term', TermStatusSchema.options.join('|'), value);
          record.status = value;
        } else doc[key] = value;
      }
      record.doc = JSON.stringify(compact(doc));
      await this.requalify(record, manager);
      this.nodes.touch(record, actor);
      return this.nodes.repository.saveNode(record, manager);
    });
    return (await this.reader.terms([record], options))[0];
  }

  /** Deletes a term that no entity is assigned to (Atlas's 400 otherwise); its child terms become top-level. */
  async delete(guid: string): Promise<void> {
    await this.transactions.run(async (manager) => {
      await this.nodes.get(guid, 'term', manager);
      const assigned = await this.nodes.repository.assignmentsOfTerms([guid], manager);
      if (assigned.length) throw glossaryErrors.termAssigned(guid, assigned.length);
      await this.nodes.deleteLiftingChildren(guid, manager, (child) => this.requalify(child, manager));
    });
  }

  /** `terms/{termId}/related`: the related terms by relation (`seeAlso`, `synonyms`, …), as Atlas keys them. */
  async related(guid: string): Promise<Record<string, AtlasRelatedTermHeader[]>> {
    const [term] = await this.reader.terms([await this.nodes.get(guid, 'term')]);
    return Object.fromEntries(
      TERM_RELATION_NAMES.filter((r) => term[r]?.length).map((r) => [r, term[r] as AtlasRelatedTermHeader[]]),
    );
  }

  private checkName(name: string | undefined): string {
    if (!name) throw glossaryErrors.termNameMissing();
    if (name.includes('@')) throw glossaryErrors.invalidName();
    return name;
  }

  /** Creates (no `existing`) or replaces a term from its input, inside the caller's transaction. */
  private async write(
    existing: GlossaryNodeRecord | undefined,
    input: GlossaryTermInput,
    actor: string,
    manager: EntityManager,
  ): Promise<GlossaryNodeRecord> {
    const name = this.checkName(input.name || existing?.name);
    const glossaryGuid = input.anchor?.glossaryGuid ?? existing?.glossaryGuid;
    if (!glossaryGuid) throw glossaryErrors.anchorMissing();
    if (existing && glossaryGuid !== existing.glossaryGuid) throw glossaryErrors.anchorChange();
    await this.nodes.get(glossaryGuid, 'glossary', manager);
    const { shortDescription, longDescription, abbreviation, nickName, usage, examples } = input;
    const { resources, contacts, attributes, templateName } = input;
    if (attributes && Object.keys(attributes).length)
      validateTermTemplateValues(await this.typeDefs.registry(), attributes);
    const doc = compact({
      ...{ shortDescription, longDescription, abbreviation, nickName, usage, examples },
      ...{ resources, contacts, attributes, templateName },
    });
    const record = existing ?? this.nodes.create('term', { glossaryGuid, name, qualifiedName: '' }, actor);
    record.name = name;
    record.status = input.status ?? existing?.status ?? 'Draft';
    record.doc = JSON.stringify(doc);
    // A PUT that leaves parentTerm out keeps the parent (read-modify-write clients); `null` removes it.
    const parentGuid = input.parentTerm === undefined ? record.parentGuid : (input.parentTerm?.termGuid ?? null);
    if (parentGuid !== record.parentGuid) {
      if (parentGuid) {
        const parent = await this.nodes.get(parentGuid, 'term', manager);
        if (parent.guid === record.guid) throw glossaryErrors.relationToSelf();
        if (parent.glossaryGuid !== glossaryGuid) throw glossaryErrors.otherGlossary(parentGuid);
        if (await this.isDescendant(parent, record.guid, manager)) throw glossaryErrors.relationToSelf();
      }
      record.parentGuid = parentGuid;
      record.parentRelationGuid = parentGuid ? randomUUID() : null;
    }
    await this.requalify(record, manager);
    if (existing) this.nodes.touch(record, actor);
    await this.nodes.repository.saveNode(record, manager);
    await this.setLinks(record, input, manager);
    return record;
  }

  private async isDescendant(node: GlossaryNodeRecord, ancestor: string, manager: EntityManager) {
    let next = node.parentGuid;
    for (let i = 0; next && i < 64; i++) {
      if (next === ancestor) return true;
      next = (await this.nodes.repository.node(next, manager))?.parentGuid ?? null;
    }
    return false;
  }

  /**
   * Replaces the term's related terms and categories with the input's (what the input leaves out is removed, as an
   * Atlas PUT does). A relation shows on both terms: `A.preferredTerms` ∋ B is `B.preferredToTerms` ∋ A.
   */
  private async setLinks(record: GlossaryNodeRecord, input: GlossaryTermInput, manager: EntityManager) {
    const existing = await this.nodes.repository.links([record.guid], manager);
    const keyOf = (l: GlossaryLinkRecord) =>
      l.fromGuid === record.guid ? `${l.fromAttr}|${l.toGuid}` : `${l.toAttr}|${l.fromGuid}`;
    const wanted = new Map<string, GlossaryLinkRecord>();
    for (const relation of TERM_RELATION_NAMES) {
      for (const related of input[relation] ?? []) {
        if (related.termGuid === record.guid) throw glossaryErrors.relationToSelf();
        await this.nodes.get(related.termGuid, 'term', manager);
        const { description, expression, status, steward } = related;
        wanted.set(
          `${relation}|${related.termGuid}`,
          this.link('related', record.guid, relation, related.termGuid, TERM_RELATIONS[relation], {
            description,
            expression,
            status,
            steward,
          }),
        );
      }
    }
    for (const c of input.categories ?? []) {
      await this.nodes.get(c.categoryGuid, 'category', manager);
      wanted.set(
        `categories|${c.categoryGuid}`,
        this.link('categorization', record.guid, 'categories', c.categoryGuid, 'terms', {
          description: c.description,
          status: c.status,
        }),
      );
    }
    const mine = existing.filter((l) => l.kind === 'related' || l.fromGuid === record.guid);
    await this.nodes.repository.deleteLinks(
      mine.filter((l) => !wanted.has(keyOf(l))).map((l) => l.relationGuid),
      manager,
    );
    const have = new Set(mine.map(keyOf));
    await this.nodes.repository.saveLinks(
      [...wanted].filter(([k]) => !have.has(k)).map(([, l]) => l),
      manager,
    );
  }

  private link(
    kind: GlossaryLinkRecord['kind'],
    fromGuid: string,
    fromAttr: string,
    toGuid: string,
    toAttr: string,
    doc: Record<string, unknown>,
  ): GlossaryLinkRecord {
    return Object.assign(new GlossaryLinkRecord(), {
      relationGuid: randomUUID(),
      kind,
      ...{ fromGuid, fromAttr, toGuid, toAttr },
      doc: JSON.stringify(compact(doc)),
    });
  }

  /** `formalName@glossary`; descendants follow. */
  private async requalify(
    record: GlossaryNodeRecord,
    manager: EntityManager,
    parentRecord?: GlossaryNodeRecord | null,
    depth = 0,
  ): Promise<void> {
    const glossary = await this.nodes.get(record.glossaryGuid!, 'glossary', manager);
    const parent =
      parentRecord !== undefined
        ? parentRecord
        : record.parentGuid
          ? await this.nodes.repository.node(record.parentGuid, manager)
          : null;
    const qualifiedName = `${formalName(record.name, parent)}@${glossary.qualifiedName}`;
    if (qualifiedName === record.qualifiedName) return;
    record.qualifiedName = qualifiedName;
    await this.nodes.assertUnique(record, manager);
    if (depth > 0) await this.nodes.repository.saveNode(record, manager);
    if (depth > 64) return;
    for (const child of await this.nodes.repository.children(record.guid, manager))
      await this.requalify(child, manager, record, depth + 1);
  }
}

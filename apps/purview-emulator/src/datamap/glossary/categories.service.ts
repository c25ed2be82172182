import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  AtlasGlossaryCategory,
  AtlasRelatedCategoryHeader,
  AtlasRelatedTermHeader,
  GlossaryCategoryInput,
  GlossaryCategoryInputSchema,
  GlossaryPartialInputSchema,
} from '@purview-emulator/contracts';
import { parseBody } from '../../common/validation';
import { TransactionRunner } from '../../database/transaction-runner';
import { glossaryErrors } from './glossary-errors';
import { GlossaryNodes, compact } from './glossary-nodes';
import { QueryParams, paged } from './glossary-query';
import { GlossaryReader, categoryHeader, docOf, termHeader } from './glossary-reader';
import { GlossaryLinkRecord, GlossaryNodeRecord } from './glossary.records';

const PARTIAL = ['name', 'shortDescription', 'longDescription'] as const;

/**
 * Glossary categories (`glossary/category…`): a category is anchored in one glossary, may have a parent category
 * of the same glossary, and holds terms. Its qualifiedName is `name@glossary`, or `name.<parent's>` under a parent,
 * so names are unique per level, as in Atlas.
 */
@Injectable()
export class CategoriesService {
  constructor(
    private readonly nodes: GlossaryNodes,
    private readonly reader: GlossaryReader,
    private readonly transactions: TransactionRunner,
  ) {}

  async create(body: unknown, actor: string): Promise<AtlasGlossaryCategory> {
    const input = parseBody(GlossaryCategoryInputSchema, body);
    const record = await this.transactions.run((manager) => this.write(undefined, input, actor, manager));
    return (await this.reader.categories([record]))[0];
  }

  async createMany(body: unknown, actor: string): Promise<AtlasGlossaryCategory[]> {
    const inputs = parseBody(GlossaryCategoryInputSchema.array(), body);
    const records = await this.transactions.run(async (manager) => {
      const out: GlossaryNodeRecord[] = [];
      for (const input of inputs) out.push(await this.write(undefined, input, actor, manager));
      return out;
    });
    return this.reader.categories(records);
  }

  async get(guid: string): Promise<AtlasGlossaryCategory> {
    return (await this.reader.categories([await this.nodes.get(guid, 'category')]))[0];
  }

  async update(guid: string, body: unknown, actor: string): Promise<AtlasGlossaryCategory> {
    const input = parseBody(GlossaryCategoryInputSchema, body);
    const record = await this.transactions.run(async (manager) =>
      this.write(await this.nodes.get(guid, 'category', manager), input, actor, manager),
    );
    return (await this.reader.categories([record]))[0];
  }

  async partialUpdate(guid: string, body: unknown, actor: string): Promise<AtlasGlossaryCategory> {
    const changes = parseBody(GlossaryPartialInputSchema, body);
    const record = await this.transactions.run(async (manager) => {
      const record = await this.nodes.get(guid, 'category', manager);
      const doc = docOf(record);
      for (const [key, value] of Object.entries(changes)) {
        if (!(PARTIAL as readonly string[]).includes(key)) throw glossaryErrors.partialAttribute(key, 'category');
        if (key === 'name') record.name = this.checkName(value);
        else doc[key] = value;
      }
      record.doc = JSON.stringify(compact(doc));
      await this.requalify(record, manager);
      this.nodes.touch(record, actor);
      return this.nodes.repository.saveNode(record, manager);
    });
    return (await this.reader.categories([record]))[0];
  }

  /** Deletes the category; its children become top-level categories, its terms stay (uncategorized). */
  async delete(guid: string): Promise<void> {
    await this.transactions.run(async (manager) => {
      await this.nodes.get(guid, 'category', manager);
      await this.nodes.deleteLiftingChildren(guid, manager, (child) => this.requalify(child, manager));
    });
  }

  /** `category/{categoryId}/related`: `parent` and `children`, as Atlas keys them. */
  async related(guid: string): Promise<Record<string, AtlasRelatedCategoryHeader[]>> {
    const record = await this.nodes.get(guid, 'category');
    const out: Record<string, AtlasRelatedCategoryHeader[]> = {};
    const parent = record.parentGuid ? await this.nodes.repository.node(record.parentGuid) : null;
    if (parent) out.parent = [categoryHeader(parent)];
    const children = await this.nodes.repository.children(guid);
    if (children.length) out.children = children.map(categoryHeader);
    return out;
  }

  async terms(guid: string, query: QueryParams): Promise<AtlasRelatedTermHeader[]> {
    await this.nodes.get(guid, 'category');
    const links = (await this.nodes.repository.links([guid])).filter(
      (l) => l.kind === 'categorization' && l.toGuid === guid,
    );
    const terms = new Map((await this.nodes.repository.nodes(links.map((l) => l.fromGuid))).map((t) => [t.guid, t]));
    const headers = links
      .filter((l) => terms.has(l.fromGuid))
      .map((l) => termHeader(terms.get(l.fromGuid)!, l.relationGuid))
      .sort((a, b) => (a.displayText ?? '').localeCompare(b.displayText ?? ''));
    return paged(headers, query);
  }

  private checkName(name: string | undefined): string {
    if (!name) throw glossaryErrors.categoryNameMissing();
    if (name.includes('@') || name.includes('.')) throw glossaryErrors.invalidName();
    return name;
  }

  /** Creates (no `existing`) or replaces a category from its input, inside the caller's transaction. */
  private async write(
    existing: GlossaryNodeRecord | undefined,
    input: GlossaryCategoryInput,
    actor: string,
    manager: EntityManager,
  ): Promise<GlossaryNodeRecord> {
    const name = this.checkName(input.name || existing?.name);
    const glossaryGuid = input.anchor?.glossaryGuid ?? existing?.glossaryGuid;
    if (!glossaryGuid) throw glossaryErrors.anchorMissing();
    if (existing && glossaryGuid !== existing.glossaryGuid) throw glossaryErrors.anchorChange();
    await this.nodes.get(glossaryGuid, 'glossary', manager);
    const doc = compact({ shortDescription: input.shortDescription, longDescription: input.longDescription });
    const record = existing ?? this.nodes.create('category', { glossaryGuid, name, qualifiedName: '' }, actor);
    record.name = name;
    record.doc = JSON.stringify(doc);
    const parentGuid = input.parentCategory?.categoryGuid ?? null;
    if (parentGuid !== record.parentGuid) {
      if (parentGuid) await this.sameGlossary(parentGuid, record, manager);
      record.parentGuid = parentGuid;
      record.parentRelationGuid = parentGuid ? randomUUID() : null;
    }
    await this.requalify(record, manager);
    if (existing) this.nodes.touch(record, actor);
    await this.nodes.repository.saveNode(record, manager);
    for (const child of input.childrenCategories ?? []) {
      const node = await this.sameGlossary(child.categoryGuid, record, manager);
      if (node.parentGuid === record.guid) continue;
      node.parentGuid = record.guid;
      node.parentRelationGuid = randomUUID();
      await this.requalify(node, manager);
      this.nodes.touch(node, actor);
      await this.nodes.repository.saveNode(node, manager);
    }
    await this.setTerms(record, input, manager);
    return record;
  }

  private async sameGlossary(guid: string, category: GlossaryNodeRecord, manager: EntityManager) {
    const node = await this.nodes.get(guid, 'category', manager);
    if (node.guid === category.guid) throw glossaryErrors.otherGlossary(guid);
    if (node.glossaryGuid !== category.glossaryGuid) throw glossaryErrors.otherGlossary(guid);
    return node;
  }

  /** Categorizes the input's terms here (a PUT replaces them; none given on a PUT removes them, as Atlas does). */
  private async setTerms(record: GlossaryNodeRecord, input: GlossaryCategoryInput, manager: EntityManager) {
    const existing = (await this.nodes.repository.links([record.guid], manager)).filter(
      (l) => l.kind === 'categorization' && l.toGuid === record.guid,
    );
    const wanted = new Map((input.terms ?? []).map((t) => [t.termGuid, t]));
    await this.nodes.repository.deleteLinks(
      existing.filter((l) => !wanted.has(l.fromGuid)).map((l) => l.relationGuid),
      manager,
    );
    const have = new Set(existing.map((l) => l.fromGuid));
    const links: GlossaryLinkRecord[] = [];
    for (const [termGuid, t] of wanted) {
      if (have.has(termGuid)) continue;
      await this.nodes.get(termGuid, 'term', manager);
      links.push(
        Object.assign(new GlossaryLinkRecord(), {
          relationGuid: randomUUID(),
          kind: 'categorization',
          fromGuid: termGuid,
          fromAttr: 'categories',
          toGuid: record.guid,
          toAttr: 'terms',
          doc: JSON.stringify(compact({ description: t.description, status: t.status })),
        }),
      );
    }
    await this.nodes.repository.saveLinks(links, manager);
  }

  /**
   * Recomputes the qualifiedName from the parent (`parent`, when the caller holds a changed one) and then the
   * descendants'; 409 when a category of that level has the name.
   */
  private async requalify(
    record: GlossaryNodeRecord,
    manager: EntityManager,
    parentRecord?: GlossaryNodeRecord | null,
    depth = 0,
  ): Promise<void> {
    if (depth > 64) throw glossaryErrors.otherGlossary(record.guid);
    const glossary = await this.nodes.get(record.glossaryGuid!, 'glossary', manager);
    const parent =
      parentRecord !== undefined
        ? parentRecord
        : record.parentGuid
          ? await this.nodes.repository.node(record.parentGuid, manager)
          : null;
    const qualifiedName = parent
      ? `${record.name}.${parent.qualifiedName}`
      : `${record.name}@${glossary.qualifiedName}`;
    if (qualifiedName === record.qualifiedName) return;
    record.qualifiedName = qualifiedName;
    await this.nodes.assertUnique(record, manager);
    if (depth > 0) await this.nodes.repository.saveNode(record, manager);
    for (const child of await this.nodes.repository.children(record.guid, manager))
      await this.requalify(child, manager, record, depth + 1);
  }
}

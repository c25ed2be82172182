import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  AtlasGlossary,
  AtlasGlossaryCategory,
  AtlasGlossaryExtInfo,
  AtlasGlossaryTerm,
  AtlasRelatedCategoryHeader,
  AtlasRelatedTermHeader,
  GlossaryInput,
  GlossaryInputSchema,
  GlossaryPartialInputSchema,
} from '@purview-emulator/contracts';
import { parseBody } from '../../common/validation';
import { TransactionRunner } from '../../database/transaction-runner';
import { glossaryErrors } from './glossary-errors';
import { GlossaryNodes, compact } from './glossary-nodes';
import { QueryParams, flagOf, paged } from './glossary-query';
import { GlossaryReader, categoryHeader, docOf, termHeader } from './glossary-reader';
import { GlossaryNodeRecord } from './glossary.records';

const PARTIAL = ['name', 'shortDescription', 'longDescription', 'language', 'usage'] as const;

/** Glossaries (`atlas/v2/glossary`, `glossary/{glossaryId}` and its lists); deleting one deletes all it holds. */
@Injectable()
export class GlossariesService {
  constructor(
    private readonly nodes: GlossaryNodes,
    private readonly reader: GlossaryReader,
    private readonly transactions: TransactionRunner,
  ) {}

  async list(query: QueryParams): Promise<AtlasGlossary[]> {
    const page = paged(await this.nodes.repository.glossaries(), query);
    return this.reader.glossaries(page, flagOf(query, 'ignoreTermsAndCategories'));
  }

  async create(body: unknown, actor: string): Promise<AtlasGlossary> {
    const input = parseBody(GlossaryInputSchema, body);
    const name = input.name || input.qualifiedName;
    if (!name) throw glossaryErrors.glossaryNameMissing();
    if (name.includes('@')) throw glossaryErrors.invalidName();
    const record = this.nodes.create(
      'glossary',
      { name, qualifiedName: input.qualifiedName || name, doc: JSON.stringify(this.docOf(input)) },
      actor,
    );
    await this.transactions.run(async (manager) => {
      await this.nodes.assertUnique(record, manager);
      await this.nodes.repository.saveNode(record, manager);
    });
    return this.reader.glossary(record);
  }

  async get(guid: string): Promise<AtlasGlossary> {
    return this.reader.glossary(await this.nodes.get(guid, 'glossary'));
  }

  async update(guid: string, body: unknown, actor: string, query: QueryParams): Promise<AtlasGlossary> {
    const input = parseBody(GlossaryInputSchema, body);
    const record = await this.transactions.run(async (manager) => {
      const record = await this.nodes.get(guid, 'glossary', manager);
      record.name = await this.checkRename(record, input.name || record.name, manager);
      record.doc = JSON.stringify(this.docOf(input));
      return this.save(record, actor, manager);
    });
    return this.reader.glossary(record, flagOf(query, 'ignoreTermsAndCategories'));
  }

  async partialUpdate(guid: string, body: unknown, actor: string, query: QueryParams): Promise<AtlasGlossary> {
    const changes = parseBody(GlossaryPartialInputSchema, body);
    const record = await this.transactions.run(async (manager) => {
      const record = await this.nodes.get(guid, 'glossary', manager);
      const doc = docOf(record);
      for (const [key, value] of Object.entries(changes)) {
        if (!(PARTIAL as readonly string[]).includes(key)) throw glossaryErrors.partialAttribute(key, 'glossary');
        if (key === 'name') {
          if (!value) throw glossaryErrors.glossaryNameMissing();
          record.name = await this.checkRename(record, value, manager);
        } else doc[key] = value;
      }
      record.doc = JSON.stringify(compact(doc));
      return this.save(record, actor, manager);
    });
    return this.reader.glossary(record, flagOf(query, 'ignoreTermsAndCategories'));
  }

  /** Deletes the glossary with its categories, terms, their links and term assignments (schema cascades). */
  async delete(guid: string): Promise<void> {
    await this.transactions.run(async (manager) => {
      await this.nodes.get(guid, 'glossary', manager);
      await this.nodes.repository.deleteNode(guid, manager);
    });
  }

  async detailed(guid: string): Promise<AtlasGlossaryExtInfo> {
    const record = await this.nodes.get(guid, 'glossary');
    const glossary = await this.reader.glossary(record);
    const categories = await this.reader.categories(await this.nodes.repository.ofGlossary(guid, 'category'));
    const terms = await this.reader.terms(await this.nodes.repository.ofGlossary(guid, 'term'));
    return {
      ...glossary,
      categoryInfo: Object.fromEntries(categories.map((c) => [c.guid, c])),
      termInfo: Object.fromEntries(terms.map((t) => [t.guid, t])),
    };
  }

  async categories(guid: string, query: QueryParams): Promise<AtlasGlossaryCategory[]> {
    return this.reader.categories(paged(await this.ofGlossary(guid, 'category'), query));
  }

  async categoryHeaders(guid: string, query: QueryParams): Promise<AtlasRelatedCategoryHeader[]> {
    return paged(await this.ofGlossary(guid, 'category'), query).map(categoryHeader);
  }

  async terms(guid: string, query: QueryParams): Promise<AtlasGlossaryTerm[]> {
    return this.reader.terms(paged(await this.ofGlossary(guid, 'term'), query));
  }

  async termHeaders(guid: string, query: QueryParams): Promise<AtlasRelatedTermHeader[]> {
    return paged(await this.ofGlossary(guid, 'term'), query).map((t) => termHeader(t, t.anchorRelationGuid));
  }

  private async ofGlossary(guid: string, kind: 'category' | 'term'): Promise<GlossaryNodeRecord[]> {
    await this.nodes.get(guid, 'glossary');
    return this.nodes.repository.ofGlossary(guid, kind);
  }

  /**
   * A new name for a glossary: its qualifiedName stays (its terms' and categories' end with it), so the name must
   * not be another glossary's name or qualifiedName (409 `ATLAS-409-00-007`).
   */
  private async checkRename(record: GlossaryNodeRecord, name: string, manager: EntityManager): Promise<string> {
    if (name.includes('@')) throw glossaryErrors.invalidName();
    if (name === record.name) return name;
    const others = await this.nodes.repository.glossaries(manager);
    if (others.some((g) => g.guid !== record.guid && (g.name === name || g.qualifiedName === name)))
      throw glossaryErrors.glossaryExists(name);
    return name;
  }

  private docOf(input: GlossaryInput): Record<string, unknown> {
    const { shortDescription, longDescription, language, usage } = input;
    return compact({ shortDescription, longDescription, language, usage });
  }

  private async save(record: GlossaryNodeRecord, actor: string, manager: EntityManager) {
    this.nodes.touch(record, actor);
    return this.nodes.repository.saveNode(record, manager);
  }
}

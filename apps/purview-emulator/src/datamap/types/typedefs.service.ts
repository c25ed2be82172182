import { ResetHooks } from '../../common/reset-hooks';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { TYPE_CATEGORIES, TYPES_DEF_KEYS } from '@purview-emulator/contracts';
import type { AtlasTypeDef, AtlasTypeDefHeader, AtlasTypesDef, DefinableCategory } from '@purview-emulator/contracts';
import { Clock } from '../../common/clock';
import { PurviewError } from '../../common/errors';
import { TransactionRunner } from '../../database/transaction-runner';
import { builtInDefinitions } from './builtin-types';
import {
  ClassificationToValidate,
  EntityToValidate,
  EntityValidationOptions,
  validateClassification,
  validateEntity,
  validatePartialUpdate,
} from './entity-validation';
import { TYPE_ERRORS as E, invalidType, q, typeGuidNotFound, typeNameNotFound } from './type-errors';
import { PRIMITIVE_TYPES, TypeDef, TypeRegistry, parseCollectionType } from './type-registry';
import { parseTypesDef } from './typedef-input';
import { headerOf, normalizeDef, renderDef } from './typedef-model';
import {
  BusinessMetadataInstanceLookup,
  TypeInstanceLookup,
  parseDeleteBody,
  referencesTo,
} from './typedef-references';
import { validateDefinitions } from './typedef-validation';
import { TypeDefsRepository } from './typedefs.repository';

/** Query of `GET /types/typedefs` and `/types/typedefs/headers`. */
export interface TypeDefFilter {
  type?: string;
  includeTermTemplate?: boolean;
}

interface TypeState {
  registry: TypeRegistry;
  builtIn: ReadonlySet<string>;
}

const LIST_ORDER: DefinableCategory[] = [
  'ENUM',
  'STRUCT',
  'CLASSIFICATION',
  'ENTITY',
  'RELATIONSHIP',
  'BUSINESS_METADATA',
  'TERM_TEMPLATE',
];

/**
 * The data map's type system: Atlas type definitions stored in SQLite, kept in memory as a registry (loaded once,
 * replaced after each committed write) so that entity writes validate without a query. Built-in types are
 * seeded at start and are read-only. Writes are all-or-nothing: one invalid definition fails the whole request.
 */
@Injectable()
export class TypeDefsService implements OnModuleInit {
  private state?: TypeState;
  private instances?: TypeInstanceLookup;
  private businessMetadataInstances?: BusinessMetadataInstanceLookup;

  constructor(
    private readonly repository: TypeDefsRepository,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    private readonly resets: ResetHooks,
  ) {}

  async onModuleInit(): Promise<void> {
    // After a reset only the built-in types are left: seeding puts them back and reloads the registry.
    this.resets.register('data map types', () => this.seed());
    await this.seed();
  }

  /** The data map registers how to find entities of a type, so that types in use are not deleted. */
  useInstanceLookup(lookup: TypeInstanceLookup): void {
    this.instances = lookup;
  }

  /** Business metadata registers how to find entities carrying a business metadata's values, likewise. */
  useBusinessMetadataLookup(lookup: BusinessMetadataInstanceLookup): void {
    this.businessMetadataInstances = lookup;
  }

  /** Adds the built-in types that are missing and refreshes those an older emulator stored. Idempotent. */
  async seed(classificationNames?: readonly string[]): Promise<void> {
    const builtIns = builtInDefinitions(classificationNames);
    this.state = await this.transactions.run(async (manager) => {
      const stored = new Map((await this.repository.all(manager)).map((s) => [s.def.name, s]));
      const missing = builtIns.filter((d) => !stored.has(d.name));
      const changed = builtIns.filter(
        (d) => stored.get(d.name)?.builtIn && JSON.stringify(stored.get(d.name)!.def) !== JSON.stringify(d),
      );
      await this.repository.insert(missing, true, manager);
      await this.repository.update(changed, true, manager);
      return this.load(manager);
    });
  }

  /** The registry entity writes validate against. */
  async registry(): Promise<TypeRegistry> {
    return (this.state ??= await this.load()).registry;
  }

  /** Validates classifications about to be attached to an entity of `entityTypeName` (see entity-validation.ts). */
  async validateClassifications(
    entityTypeName: string,
    classifications: readonly ClassificationToValidate[],
  ): Promise<void> {
    const registry = await this.registry();
    for (const c of classifications) validateClassification(registry, entityTypeName, c);
  }

  /** Validates a one-attribute partial update (see entity-validation.ts). */
  async validatePartialUpdate(entityTypeName: string, name: string, value: unknown): Promise<void> {
    validatePartialUpdate(await this.registry(), entityTypeName, name, value);
  }

  /** Validates entities about to be written (see entity-validation.ts). */
  async validateEntities(
    entities: readonly (EntityToValidate & { path?: string })[],
    options: Omit<EntityValidationOptions, 'path'> = {},
  ): Promise<void> {
    const registry = await this.registry();
    for (const entity of entities) validateEntity(registry, entity, { ...options, path: entity.path });
  }

  // --------------------------------------------------------------------------------------------------------- reads

  async list(filter: TypeDefFilter): Promise<AtlasTypesDef> {
    const { registry } = await this.current();
    const categories = this.categoriesOf(filter);
    const out: AtlasTypesDef = {
      enumDefs: [],
      structDefs: [],
      classificationDefs: [],
      entityDefs: [],
      relationshipDefs: [],
      businessMetadataDefs: [],
    };
    if (categories.has('TERM_TEMPLATE')) out.termTemplateDefs = [];
    for (const def of this.sorted(registry)) {
      if (!categories.has(def.category)) continue;
      (out[TYPES_DEF_KEYS[def.category]] as AtlasTypeDef[]).push(renderDef(def, registry));
    }
    return out;
  }

  async headers(filter: TypeDefFilter): Promise<AtlasTypeDefHeader[]> {
    const { registry } = await this.current();
    const categories = this.categoriesOf(filter);
    return this.sorted(registry)
      .filter((d) => categories.has(d.category))
      .map(headerOf);
  }

  /** `GET …/typedef/name/{name}` (any category) or `…/{category}def/name/{name}`. */
  async getByName(name: string, category?: DefinableCategory): Promise<AtlasTypeDef> {
    const { registry } = await this.current();
    if (!category && (PRIMITIVE_TYPES.has(name) || parseCollectionType(name))) {
      const kind = PRIMITIVE_TYPES.has(name)
        ? name === 'object_id'
          ? 'OBJECT_ID_TYPE'
          : 'PRIMITIVE'
        : parseCollectionType(name)!.kind.toUpperCase();
      throw invalidType(E.SYSTEM_TYPE, `${kind} is a System-type`);
    }
    const def = registry.get(name);
    if (!def || (category && def.category !== category)) throw typeNameNotFound(name);
    return renderDef(def, registry);
  }

  async getByGuid(guid: string, category?: DefinableCategory): Promise<AtlasTypeDef> {
    const { registry } = await this.current();
    const def = registry.getByGuid(guid);
    if (!def || (category && def.category !== category)) throw typeGuidNotFound(guid);
    return renderDef(def, registry);
  }

  // -------------------------------------------------------------------------------------------------------- writes

  /** `POST /types/typedefs`: creates every definition or none; an existing name is a 409. */
  async create(body: unknown, actor: string): Promise<AtlasTypesDef> {
    const inputs = parseTypesDef(body, { checkNames: true });
    return this.write(async (state) => {
      const now = this.clock.nowMs();
      const defs = inputs.map(({ category, def }) => {
        if (state.registry.get(def.name))
          throw PurviewError.atlas(409, E.TYPE_ALREADY_EXISTS, `Given type ${q(def.name)} already exists`);
        if (def.guid && state.registry.getByGuid(def.guid))
          throw PurviewError.atlas(409, E.TYPE_ALREADY_EXISTS, `Given type ${q(def.guid)} already exists`);
        return normalizeDef(def, category, { guid: def.guid || randomUUID(), actor, now });
      });
      const candidate = state.registry.with(defs);
      validateDefinitions(defs, candidate);
      return { defs, candidate, persist: (m) => this.repository.insert(defs, false, m) };
    });
  }

  /** `PUT /types/typedefs`: updates existing definitions (by name), as Atlas allows: attributes are only added. */
  async update(body: unknown, actor: string): Promise<AtlasTypesDef> {
    const inputs = parseTypesDef(body, { checkNames: false });
    return this.write(async (state) => {
      const now = this.clock.nowMs();
      const before = new Map<string, TypeDef>();
      const defs = inputs.map(({ category, def }) => {
        const existing = state.registry.get(def.name);
        if (!existing) throw invalidType(E.BAD_REQUEST, `Given typename ${q(def.name)} was invalid`);
        if (state.builtIn.has(def.name)) throw invalidType(E.SYSTEM_TYPE, `${q(def.name)} is a System-type`);
        if (existing.category !== category)
          throw invalidType(E.TYPE_MATCH_FAILED, `Given type ${q(def.name)} doesn't match ${category}`);
        before.set(def.name, existing);
        const meta = {
          guid: existing.guid,
          createdBy: existing.createdBy,
          createTime: existing.createTime,
          version: (existing.version ?? 1) + 1,
          actor,
          now,
        };
        return normalizeDef(def, category, meta);
      });
      const candidate = state.registry.with(defs);
      validateDefinitions(defs, candidate, before);
      return { defs, candidate, persist: (m) => this.repository.update(defs, false, m) };
    });
  }

  /** `DELETE /types/typedefs` and `DELETE /types/typedef/name/{name}`: all or none, never a type still referenced. */
  async delete(body: unknown): Promise<void> {
    const targets = parseDeleteBody(body);
    await this.write(async (state, manager) => {
      const defs = targets.map((t) => {
        const def = t.name !== undefined ? state.registry.get(t.name) : state.registry.getByGuid(t.guid!);
        if (!def) throw t.name !== undefined ? typeNameNotFound(t.name) : typeGuidNotFound(t.guid!);
        if (state.builtIn.has(def.name)) throw invalidType(E.SYSTEM_TYPE, `${q(def.name)} is a System-type`);
        return def;
      });
      const names = new Set(defs.map((d) => d.name));
      for (const def of defs) {
        const refs = referencesTo(def.name, state.registry, names);
        if (refs.relationships.length) {
          throw PurviewError.atlas(
            409,
            E.TYPE_HAS_RELATIONSHIPS,
            `Given type ${q(def.name)} has associated relationshipDefs: ${refs.relationships.join(', ')}`,
          );
        }
        if (refs.types.length)
          throw PurviewError.atlas(
            409,
            E.TYPE_HAS_REFERENCES,
            `Given type ${q(def.name)} has references: ${refs.types.join(', ')}`,
          );
        await this.assertNoInstances(def, manager);
      }
      return {
        defs: [],
        candidate: state.registry.with([], names),
        persist: (m) => this.repository.deleteByNames([...names], m),
      };
    });
  }

  async deleteByName(name: string): Promise<void> {
    await this.delete({
      [TYPES_DEF_KEYS[(await this.current()).registry.get(name)?.category ?? 'ENTITY']]: [{ name }],
    });
  }

  // ------------------------------------------------------------------------------------------------------- private

  private async assertNoInstances(def: TypeDef, manager: EntityManager): Promise<void> {
    if (def.category === 'BUSINESS_METADATA' && this.businessMetadataInstances) {
      const found = await this.businessMetadataInstances(def.name, 3, manager);
      if (found.count === 0) return;
      const sample = found.sample.map((e) => `${e.guid} (${q(e.qualifiedName)})`).join(', ');
      const message = `Given type ${q(def.name)} has references: ${found.count} active entities carry its attributes`;
      throw PurviewError.atlas(409, E.TYPE_HAS_REFERENCES, `${message}, e.g. ${sample}`);
    }
    if (!this.instances || (def.category !== 'ENTITY' && def.category !== 'CLASSIFICATION')) return;
    const found =
      def.category === 'ENTITY'
        ? await this.instances.entitiesOfType(def.name, 3, manager)
        : await this.instances.entitiesClassifiedAs(def.name, 3, manager);
    if (found.count === 0) return;
    const sample = found.sample.map((e) => `${e.guid} (${q(e.qualifiedName)})`).join(', ');
    const what = def.category === 'ENTITY' ? `entities of this type` : `entities classified with it`;
    throw PurviewError.atlas(
      409,
      E.TYPE_HAS_REFERENCES,
      `Given type ${q(def.name)} has references: ${found.count} active ${what}, e.g. ${sample}`,
    );
  }

  /** Runs a write in one transaction against the stored types, then makes its registry the current one. */
  private async write(
    work: (
      state: TypeState,
      manager: EntityManager,
    ) => Promise<{ defs: TypeDef[]; candidate: TypeRegistry; persist: (manager: EntityManager) => Promise<void> }>,
  ): Promise<AtlasTypesDef> {
    const { result, state } = await this.transactions.run(async (manager) => {
      const current = await this.load(manager);
      const { defs, candidate, persist } = await work(current, manager);
      await persist(manager);
      const out: AtlasTypesDef = {
        enumDefs: [],
        structDefs: [],
        classificationDefs: [],
        entityDefs: [],
        relationshipDefs: [],
        businessMetadataDefs: [],
      };
      for (const def of defs)
        ((out[TYPES_DEF_KEYS[def.category]] ??= []) as AtlasTypeDef[]).push(renderDef(def, candidate));
      return { result: out, state: { registry: candidate, builtIn: current.builtIn } };
    });
    this.state = state;
    return result;
  }

  private async load(manager?: EntityManager): Promise<TypeState> {
    const stored = await this.repository.all(manager);
    return {
      registry: new TypeRegistry(stored.map((s) => s.def)),
      builtIn: new Set(stored.filter((s) => s.builtIn).map((s) => s.def.name)),
    };
  }

  private async current(): Promise<TypeState> {
    return (this.state ??= await this.load());
  }

  private sorted(registry: TypeRegistry): TypeDef[] {
    return registry
      .all()
      .sort((a, b) => LIST_ORDER.indexOf(a.category) - LIST_ORDER.indexOf(b.category) || a.name.localeCompare(b.name));
  }

  /** The categories a list answers: all (term templates only when asked), or the one `type` names. */
  private categoriesOf(filter: TypeDefFilter): Set<DefinableCategory> {
    if (filter.type === undefined)
      return new Set(LIST_ORDER.filter((c) => c !== 'TERM_TEMPLATE' || filter.includeTermTemplate));
    const type = filter.type.toUpperCase();
    if (!(TYPE_CATEGORIES as readonly string[]).includes(type)) {
      throw invalidType(
        E.TYPE_CATEGORY_INVALID,
        `Type Category ${q(filter.type)} is invalid. Valid categories: ${TYPE_CATEGORIES.join(', ')}`,
      );
    }
    // PRIMITIVE, OBJECT_ID_TYPE, ARRAY and MAP are built into the type system: no definitions to list.
    return new Set(LIST_ORDER.filter((c) => c === type));
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { COLLECTION_NAME_PATTERN, CollectionInputSchema, MoveEntitiesOptionsSchema } from '@purview-emulator/contracts';
import type {
  Collection,
  CollectionList,
  CollectionNameList,
  CollectionPath,
  EntityMutationResult,
} from '@purview-emulator/contracts';
import { Clock } from '../../common/clock';
import { PurviewError } from '../../common/errors';
import { abbreviate } from '../../common/validation';
import { EMULATOR_CONFIG, EmulatorConfig } from '../../config/emulator-config';
import { ATLAS_INVALID_INSTANCE } from '../atlas-input';
import { DataMapService } from '../datamap.service';
import { CollectionRecord } from './collection.record';
import { CollectionsRepository } from './collections.repository';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const same = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

/**
 * The account's collections (account data plane, 2019-11-01-preview) and moving entities between them (data map).
 * The root collection is named after the account, as in Purview, and always exists; others are stored. A
 * collection that holds entities or child collections cannot be deleted.
 */
@Injectable()
export class CollectionsService {
  /** When the root collection came to be, as far as the emulator knows: its first start of this process. */
  private readonly rootCreatedAt: string;

  constructor(
    @Inject(EMULATOR_CONFIG) private readonly config: EmulatorConfig,
    private readonly repository: CollectionsRepository,
    private readonly dataMap: DataMapService,
    private readonly clock: Clock,
  ) {
    this.rootCreatedAt = clock.iso();
  }

  async list(): Promise<CollectionList> {
    const value = [this.root(), ...(await this.repository.all()).map((r) => this.view(r))];
    return { value, count: value.length };
  }

  async get(name: string): Promise<Collection> {
    if (this.isRoot(name)) return this.root();
    return this.view(await this.stored(name));
  }

  /** `PUT /account/collections/{name}`: creates or updates; the parent defaults to the root collection. */
  async createOrUpdate(name: string, body: unknown, actor: string): Promise<Collection> {
    if (!COLLECTION_NAME_PATTERN.test(name)) {
      throw PurviewError.badRequest(
        `The collection name '${abbreviate(name, 80)}' is invalid: use 1-63 letters, digits, '_' or '-', starting with a letter or digit.`,
        'InvalidCollectionName',
      );
    }
    if (this.isRoot(name))
      throw PurviewError.badRequest(
        `The root collection '${this.config.accountName}' is the account's and cannot be changed.`,
        'BadRequest',
      );
    const parsed = CollectionInputSchema.safeParse(body ?? {});
    if (!parsed.success) throw PurviewError.badRequest(parsed.error.issues[0].message, 'BadRequest');
    const input = parsed.data;
    const parentName = input.parentCollection?.referenceName ?? this.config.accountName;
    if (!this.isRoot(parentName)) {
      if (!(await this.repository.findByName(parentName)))
        throw PurviewError.badRequest(
          `The parent collection '${abbreviate(parentName, 80)}' does not exist.`,
          'BadRequest',
        );
      if (await this.isAncestorOrSelf(name, parentName)) {
        throw PurviewError.badRequest(
          `The collection '${name}' cannot be placed under '${parentName}', which is itself or one of its descendants.`,
          'BadRequest',
        );
      }
    }
    const now = this.clock.iso();
    const existing = await this.repository.findByName(name);
    const record = Object.assign(existing ?? new CollectionRecord(), {
      name: existing?.name ?? name,
      friendlyName: input.friendlyName ?? existing?.friendlyName ?? name,
      description: input.description !== undefined ? input.description : (existing?.description ?? null),
      parentName: this.isRoot(parentName) ? this.config.accountName : parentName,
      createdAt: existing?.createdAt ?? now,
      createdBy: existing?.createdBy ?? actor,
      lastModifiedAt: now,
      lastModifiedBy: actor,
    });
    await this.repository.save(record);
    return this.view(record);
  }

  async delete(name: string): Promise<void> {
    if (this.isRoot(name))
      throw PurviewError.badRequest(
        `The root collection '${this.config.accountName}' cannot be deleted.`,
        'BadRequest',
      );
    const record = await this.stored(name);
    const children = await this.repository.childrenOf(record.name);
    if (children.length)
      throw PurviewError.conflict(
        `The collection '${record.name}' has child collections (${children.map((c) => c.name).join(', ')}): delete or move them first.`,
      );
    const entities = await this.dataMap.countInCollection(record.name);
    if (entities)
      throw PurviewError.conflict(
        `The collection '${record.name}' holds ${entities} assets: move them to another collection first.`,
      );
    await this.repository.delete(record.name);
  }

  async childNames(name: string): Promise<CollectionNameList> {
    if (!this.isRoot(name)) await this.stored(name);
    const children = await this.repository.childrenOf(this.isRoot(name) ? this.config.accountName : name);
    return { value: children.map((c) => ({ name: c.name, friendlyName: c.friendlyName })), count: children.length };
  }

  /** The chain of parents, root first, down to the collection's own parent. */
  async path(name: string): Promise<CollectionPath> {
    const chain: { name: string; friendlyName: string }[] = [];
    let current = this.isRoot(name) ? undefined : await this.stored(name);
    while (current) {
      const parentName = current.parentName;
      if (this.isRoot(parentName)) {
        chain.unshift({ name: this.config.accountName, friendlyName: this.config.accountName });
        break;
      }
      current = (await this.repository.findByName(parentName)) ?? undefined;
      if (current) chain.unshift({ name: current.name, friendlyName: current.friendlyName });
    }
    return { parentNameChain: chain.map((c) => c.name), parentFriendlyNameChain: chain.map((c) => c.friendlyName) };
  }

  /** `POST entity/moveTo?collectionId=` and the legacy `collections/{collection}/entity/moveHere`. */
  async moveEntities(collectionId: string | undefined, body: unknown, actor: string): Promise<EntityMutationResult> {
    if (!collectionId)
      throw PurviewError.atlas(
        400,
        ATLAS_INVALID_INSTANCE,
        'invalid parameters: the collectionId query parameter (the collection to move the entities to) is required',
      );
    const parsed = MoveEntitiesOptionsSchema.safeParse(isObject(body) ? body : undefined);
    if (!parsed.success)
      throw PurviewError.atlas(400, ATLAS_INVALID_INSTANCE, `invalid parameters: ${parsed.error.issues[0].message}`);
    const target = this.isRoot(collectionId)
      ? this.config.accountName
      : (await this.repository.findByName(collectionId))?.name;
    if (!target)
      throw PurviewError.atlas(
        400,
        ATLAS_INVALID_INSTANCE,
        `invalid parameters: the collection '${abbreviate(collectionId, 80)}' does not exist (create it with PUT /account/collections/{name})`,
      );
    return this.dataMap.moveToCollection(parsed.data.entityGuids, target, actor);
  }

  // ------------------------------------------------------------------------------------------------------- private

  private isRoot(name: string): boolean {
    return same(name, this.config.accountName);
  }

  private async stored(name: string): Promise<CollectionRecord> {
    const record = await this.repository.findByName(name);
    if (!record) throw PurviewError.notFound('Collection', abbreviate(name, 80), 'CollectionNotFound');
    return record;
  }

  /** Whether `name` is `candidate` or one of its ancestors (placing `name` under `candidate` would make a cycle). */
  private async isAncestorOrSelf(name: string, candidate: string): Promise<boolean> {
    let current: string | undefined = candidate;
    for (let hops = 0; current && hops < 1000; hops++) {
      if (same(current, name)) return true;
      if (this.isRoot(current)) return false;
      current = (await this.repository.findByName(current))?.parentName;
    }
    return false;
  }

  private root(): Collection {
    const name = this.config.accountName;
    return {
      name,
      friendlyName: name,
      collectionProvisioningState: 'Succeeded',
      systemData: {
        createdAt: this.rootCreatedAt,
        createdBy: 'admin',
        createdByType: 'Application',
        lastModifiedAt: this.rootCreatedAt,
        lastModifiedBy: 'admin',
        lastModifiedByType: 'Application',
      },
    };
  }

  private view(record: CollectionRecord): Collection {
    return {
      name: record.name,
      friendlyName: record.friendlyName,
      ...(record.description ? { description: record.description } : {}),
      parentCollection: { referenceName: record.parentName, type: 'CollectionReference' },
      collectionProvisioningState: 'Succeeded',
      systemData: {
        createdAt: record.createdAt,
        createdBy: record.createdBy,
        createdByType: 'Application',
        lastModifiedAt: record.lastModifiedAt,
        lastModifiedBy: record.lastModifiedBy,
        lastModifiedByType: 'Application',
      },
    };
  }
}

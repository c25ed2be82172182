import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Clock } from '../../common/clock';
import { glossaryErrors } from './glossary-errors';
import { GlossaryNodeKind, GlossaryNodeRecord } from './glossary.records';
import { GlossaryRepository } from './glossary.repository';

/** Drops undefined and null values: what Atlas leaves out of its answers. */
export function compact(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null));
}

/** What glossary, category and term writes share: new nodes, audit stamps, lookups that 404 as Atlas does. */
@Injectable()
export class GlossaryNodes {
  constructor(
    readonly repository: GlossaryRepository,
    private readonly clock: Clock,
  ) {}

  /** Deletes a category or term; its children move to the top level, re-qualified by their kind's rule. */
  async deleteLiftingChildren(
    guid: string,
    manager: EntityManager,
    requalify: (child: GlossaryNodeRecord) => Promise<unknown>,
  ): Promise<void> {
    const children = await this.repository.children(guid, manager);
    await this.repository.deleteNode(guid, manager);
    for (const child of children) {
      child.parentGuid = null;
      child.parentRelationGuid = null;
      await requalify(child);
      await this.repository.saveNode(child, manager);
    }
  }

  create(kind: GlossaryNodeKind, fields: Partial<GlossaryNodeRecord>, actor: string): GlossaryNodeRecord {
    const now = this.clock.nowMs();
    return Object.assign(new GlossaryNodeRecord(), {
      guid: randomUUID(),
      kind,
      glossaryGuid: null,
      parentGuid: null,
      status: null,
      anchorRelationGuid: kind === 'glossary' ? null : randomUUID(),
      parentRelationGuid: null,
      doc: '{}',
      createdBy: actor,
      updatedBy: actor,
      createTime: now,
      updateTime: now,
      version: 1,
      ...fields,
    });
  }

  touch(record: GlossaryNodeRecord, actor: string): void {
    record.updatedBy = actor;
    record.updateTime = this.clock.nowMs();
    record.version = Number(record.version) + 1;
  }

  /** The node of that kind, or Atlas's 404. */
  async get(guid: string, kind: GlossaryNodeKind, manager?: EntityManager): Promise<GlossaryNodeRecord> {
    const node = await this.repository.node(guid, manager);
    if (!node || node.kind !== kind) throw glossaryErrors.notFound(guid);
    return node;
  }

  /** 409 when another node of the kind has the qualifiedName. */
  async assertUnique(record: GlossaryNodeRecord, manager: EntityManager): Promise<void> {
    const other = await this.repository.byQualifiedName(record.kind, record.qualifiedName, manager);
    if (!other || other.guid === record.guid) return;
    if (record.kind === 'glossary') throw glossaryErrors.glossaryExists(record.qualifiedName);
    if (record.kind === 'term') throw glossaryErrors.termExists(record.qualifiedName);
    throw glossaryErrors.categoryExists(record.qualifiedName);
  }
}

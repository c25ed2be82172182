import { Injectable } from '@nestjs/common';
import { PurviewError } from '../../common/errors';
import { TransactionRunner } from '../../database/transaction-runner';
import { EntityTarget, findTarget } from '../entity-target';
import { parseJson } from '../entity-model';
import { TYPE_ERRORS as E } from '../types/type-errors';
import { TypeDefsService } from '../types/typedefs.service';
import { validateLabels } from './label-validation';
import { LabelsRepository } from './labels.repository';

/**
 * Labels on entities, as Atlas's entity store handles them (`addLabels`, `setLabels`, `removeLabels`): a set of
 * short tokens, validated before anything is written. Like Atlas, a label change leaves the entity's version and
 * update time alone.
 */
@Injectable()
export class LabelsService {
  constructor(
    private readonly repository: LabelsRepository,
    private readonly transactions: TransactionRunner,
    private readonly types: TypeDefsService,
  ) {}

  /** `PUT …/labels`: adds to the entity's labels. The spec says an empty set adds nothing, so that is a no-op. */
  async add(target: EntityTarget, labels: string[]): Promise<void> {
    await this.change(target, labels, (current) => [...new Set([...current, ...labels])], { allowEmpty: true });
  }

  /** `POST …/labels`: replaces the entity's labels; an empty or absent set clears them (Atlas's setLabels). */
  async set(target: EntityTarget, labels: string[]): Promise<void> {
    await this.change(target, labels, () => labels, { allowEmpty: true, evenIfEmpty: true });
  }

  /** `DELETE …/labels`: removes the labels given; Atlas refuses an empty set. Labels the entity lacks are ignored. */
  async remove(target: EntityTarget, labels: string[]): Promise<void> {
    const removed = new Set(labels);
    await this.change(target, labels, (current) => current.filter((l) => !removed.has(l)), { allowEmpty: false });
  }

  private async change(
    target: EntityTarget,
    labels: string[],
    next: (current: string[]) => string[],
    rules: { allowEmpty: boolean; evenIfEmpty?: boolean },
  ): Promise<void> {
    if (labels.length === 0 && !rules.allowEmpty)
      throw PurviewError.atlas(400, E.INVALID_PARAMETERS, 'invalid parameters: labels is null/empty');
    const registry = await this.types.registry();
    await this.transactions.run(async (manager) => {
      const record = await findTarget(manager, registry, target);
      if (labels.length === 0 && !rules.evenIfEmpty) return;
      validateLabels(labels);
      const current = parseJson<string[]>(record.labels, []);
      const updated = next(current);
      if (updated.length === current.length && updated.every((l, i) => l === current[i])) return;
      await this.repository.write(record.guid, updated, manager);
    });
  }
}

import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type {
  ClassificationAction,
  ClassificationRule,
  ClassificationRuleBody,
  ClassificationRulePattern,
  OperationResponse,
} from '@purview-emulator/contracts';
import { Clock } from '../../common/clock';
import { PurviewError } from '../../common/errors';
import { abbreviate } from '../../common/validation';
import { TransactionRunner } from '../../database/transaction-runner';
import { TypeDefsService } from '../../datamap/types/typedefs.service';
import { RulesetsRepository } from './rulesets.repository';
import type { ClassificationRuleEntity } from './rulesets.entity';

/** Custom classification rules (`/scan/classificationrules`): every PUT adds a version; scans apply the newest. */
@Injectable()
export class ClassificationRulesService {
  constructor(
    private readonly repository: RulesetsRepository,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    private readonly typeDefs: TypeDefsService,
  ) {}

  async list(skip: number, take: number): Promise<{ value: ClassificationRule[]; count: number }> {
    const [rows, count] = await this.repository.pageLatestRules(skip, take);
    return { value: rows.map(toRule), count };
  }

  async get(name: string): Promise<ClassificationRule> {
    return toRule(await this.require(name));
  }

  async versions(name: string, skip: number, take: number): Promise<{ value: ClassificationRule[]; count: number }> {
    await this.require(name);
    const [rows, count] = await this.repository.pageRuleVersions(name, skip, take);
    return { value: rows.map(toRule), count };
  }

  async createOrReplace(
    name: string,
    body: ClassificationRuleBody,
  ): Promise<{ created: boolean; rule: ClassificationRule }> {
    if (body.kind !== 'Custom')
      throw PurviewError.badRequest(
        "System classification rules are Purview's own; only rules of kind Custom can be written.",
        'InvalidClassificationRuleKind',
        'kind',
      );
    const p = body.properties;
    const dataPatterns = p.dataPatterns?.length ? p.dataPatterns : null;
    const columnPatterns = p.columnPatterns?.length ? p.columnPatterns : null;
    if (!dataPatterns && !columnPatterns)
      throw PurviewError.badRequest(
        'A classification rule needs at least one data pattern or column pattern (properties.dataPatterns, properties.columnPatterns).',
        'InvalidClassificationRule',
        'properties.dataPatterns',
      );
    checkPatterns(dataPatterns, 'properties.dataPatterns');
    checkPatterns(columnPatterns, 'properties.columnPatterns');
    await this.requireClassification(p.classificationName);
    return this.transactions.run(async (manager) => {
      const latest = await this.repository.latestRule(name, manager);
      const now = this.clock.iso();
      const entity: ClassificationRuleEntity = {
        name: latest?.name ?? name,
        version: (latest?.version ?? 0) + 1,
        description: p.description ?? null,
        classificationName: p.classificationName,
        ruleStatus: p.ruleStatus ?? 'Enabled',
        minimumPercentageMatch: p.minimumPercentageMatch ?? null,
        dataPatterns: dataPatterns && dataPatterns.map((x) => ({ kind: 'Regex', pattern: x.pattern })),
        columnPatterns: columnPatterns && columnPatterns.map((x) => ({ kind: 'Regex', pattern: x.pattern })),
        classificationAction: 'Keep',
        createdAt: latest?.createdAt ?? now,
        updatedAt: now,
      };
      await this.repository.saveRule(entity, manager);
      return { created: !latest, rule: toRule(entity) };
    });
  }

  /** Deletes every version; 409 while a custom scan rule set includes the rule. */
  async delete(name: string): Promise<void> {
    await this.transactions.run(async (manager) => {
      const rule = await this.require(name, manager);
      const users = (await this.repository.allRulesets(manager))
        .filter((r) =>
          (r.includedCustomClassificationRuleNames ?? []).some((n) => n.toLowerCase() === rule.name.toLowerCase()),
        )
        .map((r) => r.name);
      if (users.length)
        throw PurviewError.conflict(
          `Classification rule '${rule.name}' is included in scan rule set${users.length > 1 ? 's' : ''} ${users.join(', ')}; remove it there first.`,
          'ClassificationRuleInUse',
        );
      await this.repository.deleteRule(rule.name, manager);
    });
  }

  /**
   * `:tag?action=Keep|Delete` on one version: Delete makes scans that apply it remove its classification instead of
   * adding it (the engine's `classificationAction`). A long-running operation in the spec; done at once here.
   */
  async tag(name: string, version: number, action: string | undefined): Promise<OperationResponse> {
    if (action !== 'Keep' && action !== 'Delete')
      throw PurviewError.badRequest(
        `The action query parameter must be Keep or Delete, not '${abbreviate(String(action ?? ''))}'.`,
        'InvalidAction',
        'action',
      );
    const now = this.clock.iso();
    await this.transactions.run(async (manager) => {
      await this.require(name, manager);
      const rule = await this.repository.ruleVersion(name, version, manager);
      if (!rule) throw PurviewError.notFound(`Version of classification rule '${name}'`, String(version), 'NotFound');
      rule.classificationAction = action satisfies ClassificationAction;
      rule.updatedAt = now;
      await this.repository.saveRule(rule, manager);
    });
    return { scanResultId: randomUUID(), startTime: now, endTime: now, status: 'Succeeded', error: null };
  }

  /** The classification a rule applies must be a classificationDef of the data map (system or created before). */
  private async requireClassification(name: string): Promise<void> {
    try {
      await this.typeDefs.getByName(name, 'CLASSIFICATION');
    } catch {
      throw PurviewError.badRequest(
        `properties.classificationName '${abbreviate(name)}' is not a classification of the data map; create it first (POST /datamap/api/atlas/v2/types/typedefs with classificationDefs: [{"name": "${abbreviate(name)}"}]).`,
        'ClassificationNotFound',
        'properties.classificationName',
      );
    }
  }

  private async require(
    name: string,
    manager?: Parameters<RulesetsRepository['latestRule']>[1],
  ): Promise<ClassificationRuleEntity> {
    const rule = await this.repository.latestRule(name, manager);
    if (!rule) throw PurviewError.notFound('Classification rule', name, 'ClassificationRuleNotFound');
    return rule;
  }
}

/** Each pattern must be a regular expression the engine can run (JavaScript syntax, which .NET's mostly shares). */
function checkPatterns(patterns: ClassificationRulePattern[] | null, target: string): void {
  patterns?.forEach((p, i) => {
    try {
      new RegExp(p.pattern);
    } catch (error) {
      throw PurviewError.badRequest(
        `${target}.${i}.pattern '${abbreviate(p.pattern)}' is not a valid regular expression: ${(error as Error).message}`,
        'InvalidRegexPattern',
        `${target}.${i}.pattern`,
      );
    }
  });
}

function toRule(entity: ClassificationRuleEntity): ClassificationRule {
  return {
    id: `classificationrules/${entity.name}`,
    name: entity.name,
    kind: 'Custom',
    properties: {
      description: entity.description,
      version: entity.version,
      classificationName: entity.classificationName,
      ruleStatus: entity.ruleStatus,
      createdAt: entity.createdAt,
      lastModifiedAt: entity.updatedAt,
      classificationAction: entity.classificationAction,
      minimumPercentageMatch: entity.minimumPercentageMatch,
      dataPatterns: entity.dataPatterns,
      columnPatterns: entity.columnPatterns,
    },
  };
}

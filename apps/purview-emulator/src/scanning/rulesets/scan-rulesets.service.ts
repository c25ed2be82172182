import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  type CustomFileExtension,
  FileExtensionSchema,
  type ScanJobClassificationRule,
  type ScanJobRuleset,
  type ScanRuleset,
  type ScanRulesetBody,
  type ScanRulesetType,
  TEMPORARY_RESOURCE_FILTERS,
} from '@purview-emulator/contracts';
import { Clock } from '../../common/clock';
import { PurviewError } from '../../common/errors';
import { abbreviate } from '../../common/validation';
import { TransactionRunner } from '../../database/transaction-runner';
import { SYSTEM_MINIMUM_PERCENTAGE_MATCH } from '@purview-emulator/scan-engine';
import type { ScanRunRules } from '../scan-run.entity';
import { RulesetsRepository } from './rulesets.repository';
import type { ClassificationRuleEntity, ScanRulesetEntity } from './rulesets.entity';
import {
  dataSourceTypeOf,
  ENGINE_FILE_EXTENSIONS,
  isFileScanningKind,
  SYSTEM_RULESET_VERSION,
  SYSTEM_SCAN_RULESETS,
  systemScanRuleset,
} from './system-scan-rulesets';

/** Custom scan rule sets (`/scan/scanrulesets`), Purview's system ones, and the rule set a run scans with. */
@Injectable()
export class ScanRulesetsService {
  constructor(
    private readonly repository: RulesetsRepository,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
  ) {}

  listSystem(skip: number, take: number): { value: ScanRuleset[]; count: number } {
    return { value: SYSTEM_SCAN_RULESETS.slice(skip, skip + take), count: SYSTEM_SCAN_RULESETS.length };
  }

  /** The system rule set of a data source type; `version` must be one it has. 404 otherwise. */
  getSystem(dataSourceType: string | undefined, version?: number): ScanRuleset {
    if (!dataSourceType)
      throw PurviewError.badRequest('The dataSourceType query parameter is required.', 'InvalidDataSourceType');
    const kind = dataSourceTypeOf(dataSourceType);
    if (!kind) throw PurviewError.notFound('System scan rule set of data source type', dataSourceType, 'NotFound');
    if (version !== undefined && version !== SYSTEM_RULESET_VERSION)
      throw PurviewError.notFound(`Version of system scan rule set ${kind}`, String(version), 'NotFound');
    return systemScanRuleset(kind);
  }

  list(skip: number, take: number): Promise<{ value: ScanRuleset[]; count: number }> {
    return this.repository.pageRulesets(skip, take).then(([rows, count]) => ({ value: rows.map(toRuleset), count }));
  }

  async get(name: string): Promise<ScanRuleset> {
    return toRuleset(await this.require(name));
  }

  /** Full replace: an omitted field comes back null; every PUT increments `version`. */
  async createOrReplace(name: string, body: ScanRulesetBody): Promise<{ created: boolean; ruleset: ScanRuleset }> {
    if (body.scanRulesetType === 'System')
      throw PurviewError.badRequest(
        `System scan rule sets are Purview's own and cannot be written; create '${name}' with scanRulesetType Custom.`,
        'InvalidScanRulesetType',
        'scanRulesetType',
      );
    const kind = dataSourceTypeOf(body.kind);
    if (!kind)
      throw PurviewError.badRequest(
        `'${abbreviate(body.kind)}' is not a data source type of the 2023-09-01 Scanning API.`,
        'InvalidKind',
        'kind',
      );
    const properties = body.properties ?? {};
    const files = isFileScanningKind(kind);
    if (properties.scanningRule && !files)
      throw PurviewError.badRequest(
        `Scan rule sets of kind ${kind} have no scanningRule: file types belong to file-based sources only.`,
        'InvalidScanningRule',
        'properties.scanningRule',
      );
    const customFileExtensions = properties.scanningRule?.customFileExtensions ?? null;
    customFileExtensions?.forEach(checkCustomFileExtension);
    const included = properties.includedCustomClassificationRuleNames ?? null;
    return this.transactions.run(async (manager) => {
      for (const ruleName of included ?? []) {
        if (!(await this.repository.latestRule(ruleName, manager)))
          throw PurviewError.badRequest(
            `includedCustomClassificationRuleNames names classification rule '${abbreviate(ruleName)}', which does not exist.`,
            'ClassificationRuleNotFound',
            'properties.includedCustomClassificationRuleNames',
          );
      }
      const existing = await this.repository.findRuleset(name, manager);
      const now = this.clock.iso();
      const entity: ScanRulesetEntity = {
        name: existing?.name ?? name,
        kind,
        version: (existing?.version ?? 0) + 1,
        description: properties.description ?? null,
        excludedSystemClassifications: properties.excludedSystemClassifications
          ? [...new Set(properties.excludedSystemClassifications)]
          : null,
        includedCustomClassificationRuleNames: included ? [...new Set(included)] : null,
        scanningRule:
          files && properties.scanningRule
            ? {
                fileExtensions: properties.scanningRule.fileExtensions
                  ? [...new Set(properties.scanningRule.fileExtensions)]
                  : null,
                customFileExtensions,
              }
            : null,
        temporaryResourceFilters:
          properties.temporaryResourceFilters ?? (files ? TEMPORARY_RESOURCE_FILTERS.map((f) => ({ ...f })) : null),
        createdAt: existing?.createdAt ?? now,
        updatedAt: now,
      };
      await this.repository.saveRuleset(entity, manager);
      return { created: !existing, ruleset: toRuleset(entity) };
    });
  }

  /** 409 while a scan names it. */
  async delete(name: string): Promise<void> {
    await this.transactions.run(async (manager) => {
      const ruleset = await this.require(name, manager);
      const users = await this.repository.scansUsingRuleset(ruleset.name, manager);
      if (users.length)
        throw PurviewError.conflict(
          `Scan rule set '${ruleset.name}' is used by scan${users.length > 1 ? 's' : ''} ${users.join(', ')}. Point ${users.length > 1 ? 'them' : 'it'} at another rule set (or delete ${users.length > 1 ? 'them' : 'it'}) first.`,
          'ScanRulesetInUse',
        );
      await this.repository.deleteRuleset(ruleset.name, manager);
    });
  }

  /**
   * Checks the rule set a scan names and returns its name as stored: a custom one must exist and be of the data
   * source's kind; a system one is the data source type's own (named after it).
   */
  async requireForScan(
    type: ScanRulesetType,
    name: string,
    dataSourceKind: string,
    manager?: EntityManager,
  ): Promise<string> {
    if (type === 'System') {
      if (dataSourceTypeOf(name) !== dataSourceKind)
        throw PurviewError.badRequest(
          `'${abbreviate(name)}' is not the system scan rule set of ${dataSourceKind} data sources; use '${dataSourceKind}' (GET /scan/systemScanRulesets/datasources/${dataSourceKind}).`,
          'ScanRulesetNotFound',
          'properties.scanRulesetName',
        );
      return dataSourceKind;
    }
    const ruleset = await this.repository.findRuleset(name, manager);
    if (!ruleset)
      throw PurviewError.badRequest(
        `Custom scan rule set '${abbreviate(name)}' does not exist; create it first (PUT /scan/scanrulesets/${abbreviate(name)}).`,
        'ScanRulesetNotFound',
        'properties.scanRulesetName',
      );
    if (ruleset.kind !== dataSourceKind)
      throw PurviewError.badRequest(
        `Scan rule set '${ruleset.name}' is of kind ${ruleset.kind}; a scan of a ${dataSourceKind} data source needs a ${dataSourceKind} rule set.`,
        'InvalidScanRuleset',
        'properties.scanRulesetName',
      );
    return ruleset.name;
  }

  /** What a run of a scan scans with, now: file types, excluded classifications and the custom rules' newest versions. */
  async resolve(
    scan: { scanRulesetName: string; scanRulesetType: ScanRulesetType },
    dataSourceKind: string,
    manager: EntityManager,
  ): Promise<ScanRunRules['ruleset']> {
    const files = isFileScanningKind(dataSourceKind);
    const custom =
      scan.scanRulesetType === 'Custom' ? await this.repository.findRuleset(scan.scanRulesetName, manager) : null;
    if (!custom)
      return {
        name:
          scan.scanRulesetType === 'Custom'
            ? scan.scanRulesetName
            : (dataSourceTypeOf(dataSourceKind) ?? dataSourceKind),
        type: 'System',
        version: SYSTEM_RULESET_VERSION,
        fileExtensions: files ? [...ENGINE_FILE_EXTENSIONS] : null,
        customFileExtensions: [],
        excludedSystemClassifications: [],
        customRules: [],
      };
    const customRules: ScanJobClassificationRule[] = [];
    for (const ruleName of custom.includedCustomClassificationRuleNames ?? []) {
      const rule = await this.repository.latestRule(ruleName, manager);
      if (rule) customRules.push(toJobRule(rule));
    }
    return {
      name: custom.name,
      type: 'Custom',
      version: custom.version,
      fileExtensions: custom.scanningRule?.fileExtensions ?? null,
      customFileExtensions: (custom.scanningRule?.customFileExtensions ?? [])
        .filter((e) => e.enabled !== false && e.fileExtension)
        .map((e) => ({
          fileExtension: e.fileExtension!,
          builtInType: e.customFileType?.builtInType ?? null,
          customDelimiter: e.customFileType?.customDelimiter ?? null,
        })),
      excludedSystemClassifications: custom.excludedSystemClassifications ?? [],
      customRules,
    } satisfies ScanJobRuleset;
  }

  private async require(name: string, manager?: EntityManager): Promise<ScanRulesetEntity> {
    const ruleset = await this.repository.findRuleset(name, manager);
    if (!ruleset) throw PurviewError.notFound('Scan rule set', name, 'ScanRulesetNotFound');
    return ruleset;
  }
}

function checkCustomFileExtension(ext: CustomFileExtension, i: number): void {
  const target = `properties.scanningRule.customFileExtensions.${i}`;
  if (!ext.fileExtension)
    throw PurviewError.badRequest(`${target}.fileExtension is required.`, 'InvalidCustomFileExtension', target);
  const type = ext.customFileType;
  if (!type?.builtInType && !type?.customDelimiter)
    throw PurviewError.badRequest(
      `${target}.customFileType needs a builtInType (one of ${FileExtensionSchema.options.slice(0, 12).join(', ')}, …) or a customDelimiter.`,
      'InvalidCustomFileExtension',
      target,
    );
}

export function toJobRule(rule: ClassificationRuleEntity): ScanJobClassificationRule {
  return {
    name: rule.name,
    classificationName: rule.classificationName,
    dataPatterns: (rule.dataPatterns ?? []).map((p) => p.pattern),
    columnPatterns: (rule.columnPatterns ?? []).map((p) => p.pattern),
    minimumPercentageMatch: rule.minimumPercentageMatch ?? SYSTEM_MINIMUM_PERCENTAGE_MATCH,
    ruleStatus: rule.ruleStatus,
    classificationAction: rule.classificationAction,
  };
}

function toRuleset(entity: ScanRulesetEntity): ScanRuleset {
  return {
    id: `scanrulesets/${entity.name}`,
    name: entity.name,
    kind: entity.kind,
    scanRulesetType: 'Custom',
    status: 'Enabled',
    version: entity.version,
    properties: {
      createdAt: entity.createdAt,
      description: entity.description,
      excludedSystemClassifications: entity.excludedSystemClassifications,
      includedCustomClassificationRuleNames: entity.includedCustomClassificationRuleNames,
      lastModifiedAt: entity.updatedAt,
      ...(isFileScanningKind(entity.kind)
        ? {
            scanningRule: entity.scanningRule
              ? {
                  fileExtensions: entity.scanningRule.fileExtensions ?? null,
                  customFileExtensions: entity.scanningRule.customFileExtensions ?? null,
                }
              : null,
          }
        : {}),
      temporaryResourceFilters: entity.temporaryResourceFilters,
    },
  };
}

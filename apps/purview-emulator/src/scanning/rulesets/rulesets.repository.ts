import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { ClassificationRuleEntity, ScanFilterEntity, ScanRulesetEntity } from './rulesets.entity';

/** All SQL for scan rule sets, classification rules (every version) and scan filters. */
@Injectable()
export class RulesetsRepository {
  constructor(
    @InjectRepository(ScanRulesetEntity) private readonly rulesets: Repository<ScanRulesetEntity>,
    @InjectRepository(ClassificationRuleEntity) private readonly rules: Repository<ClassificationRuleEntity>,
    @InjectRepository(ScanFilterEntity) private readonly filters: Repository<ScanFilterEntity>,
  ) {}

  /** Case-insensitive. */
  findRuleset(name: string, manager?: EntityManager): Promise<ScanRulesetEntity | null> {
    return this.repo(ScanRulesetEntity, this.rulesets, manager).findOneBy({ name });
  }

  pageRulesets(skip: number, take: number): Promise<[ScanRulesetEntity[], number]> {
    return this.rulesets.findAndCount({ order: { name: 'ASC' }, skip, take });
  }

  allRulesets(manager: EntityManager): Promise<ScanRulesetEntity[]> {
    return manager.getRepository(ScanRulesetEntity).find({ order: { name: 'ASC' } });
  }

  async saveRuleset(entity: ScanRulesetEntity, manager: EntityManager): Promise<void> {
    await manager.getRepository(ScanRulesetEntity).save(entity);
  }

  async deleteRuleset(name: string, manager: EntityManager): Promise<void> {
    await manager.getRepository(ScanRulesetEntity).delete({ name });
  }

  /** `{dataSource}/{scan}` of every scan that names the custom rule set. */
  async scansUsingRuleset(name: string, manager: EntityManager): Promise<string[]> {
    const rows = await manager.query<{ dataSource: string; scan: string }[]>(
      `SELECT ds."name" AS "dataSource", s."name" AS "scan" FROM "scans" s JOIN "data_sources" ds ON ds."id" = s."data_source_id"
       WHERE s."scan_ruleset_type" = 'Custom' AND s."scan_ruleset_name" = ? COLLATE NOCASE ORDER BY ds."name", s."name"`,
      [name],
    );
    return rows.map((r) => `${r.dataSource}/${r.scan}`);
  }

  /** The newest version of a rule (case-insensitive name). */
  latestRule(name: string, manager?: EntityManager): Promise<ClassificationRuleEntity | null> {
    return this.repo(ClassificationRuleEntity, this.rules, manager).findOne({
      where: { name },
      order: { version: 'DESC' },
    });
  }

  ruleVersion(name: string, version: number, manager?: EntityManager): Promise<ClassificationRuleEntity | null> {
    return this.repo(ClassificationRuleEntity, this.rules, manager).findOneBy({ name, version });
  }

  pageRuleVersions(name: string, skip: number, take: number): Promise<[ClassificationRuleEntity[], number]> {
    return this.rules.findAndCount({ where: { name }, order: { version: 'DESC' }, skip, take });
  }

  /** The newest version of every rule, by name. */
  async pageLatestRules(skip: number, take: number): Promise<[ClassificationRuleEntity[], number]> {
    const latest = `r."version" = (SELECT MAX(v."version") FROM "classification_rules" v WHERE v."name" = r."name")`;
    const [rows, count] = await Promise.all([
      this.rules.createQueryBuilder('r').where(latest).orderBy('r.name', 'ASC').offset(skip).limit(take).getMany(),
      this.rules.createQueryBuilder('r').where(latest).getCount(),
    ]);
    return [rows, count];
  }

  async saveRule(entity: ClassificationRuleEntity, manager: EntityManager): Promise<void> {
    await manager.getRepository(ClassificationRuleEntity).save(entity);
  }

  async deleteRule(name: string, manager: EntityManager): Promise<void> {
    await manager.getRepository(ClassificationRuleEntity).delete({ name });
  }

  findFilter(scanId: string, manager?: EntityManager): Promise<ScanFilterEntity | null> {
    return this.repo(ScanFilterEntity, this.filters, manager).findOneBy({ scanId });
  }

  async saveFilter(entity: ScanFilterEntity, manager: EntityManager): Promise<void> {
    await manager.getRepository(ScanFilterEntity).save(entity);
  }

  private repo<T extends object>(
    type: new () => T,
    own: Repository<T>,
    manager: EntityManager | undefined,
  ): Repository<T> {
    return manager ? manager.getRepository(type) : own;
  }
}

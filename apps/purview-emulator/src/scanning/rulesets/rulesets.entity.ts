import { Column, Entity, PrimaryColumn } from 'typeorm';
import type {
  ClassificationAction,
  ClassificationRulePattern,
  ScanningRule,
  TemporaryResourceFilter,
} from '@purview-emulator/contracts';

/** A custom scan rule set (table `scan_rulesets`); `version` counts its PUTs. */
@Entity('scan_rulesets')
export class ScanRulesetEntity {
  @PrimaryColumn({ type: 'varchar', collation: 'NOCASE' }) name!: string;
  @Column({ type: 'varchar' }) kind!: string;
  @Column({ type: 'integer' }) version!: number;
  @Column({ type: 'text', nullable: true }) description!: string | null;
  @Column({ name: 'excluded_system_classifications', type: 'simple-json', nullable: true })
  excludedSystemClassifications!: string[] | null;
  @Column({ name: 'included_custom_classification_rule_names', type: 'simple-json', nullable: true })
  includedCustomClassificationRuleNames!: string[] | null;
  @Column({ name: 'scanning_rule', type: 'simple-json', nullable: true }) scanningRule!: ScanningRule | null;
  @Column({ name: 'temporary_resource_filters', type: 'simple-json', nullable: true })
  temporaryResourceFilters!: TemporaryResourceFilter[] | null;
  @Column({ name: 'created_at', type: 'varchar' }) createdAt!: string;
  @Column({ name: 'updated_at', type: 'varchar' }) updatedAt!: string;
}

/** One version of a custom classification rule (table `classification_rules`): every PUT adds one. */
@Entity('classification_rules')
export class ClassificationRuleEntity {
  @PrimaryColumn({ type: 'varchar', collation: 'NOCASE' }) name!: string;
  @PrimaryColumn({ type: 'integer' }) version!: number;
  @Column({ type: 'text', nullable: true }) description!: string | null;
  @Column({ name: 'classification_name', type: 'varchar' }) classificationName!: string;
  @Column({ name: 'rule_status', type: 'varchar' }) ruleStatus!: 'Enabled' | 'Disabled';
  @Column({ name: 'minimum_percentage_match', type: 'real', nullable: true }) minimumPercentageMatch!: number | null;
  @Column({ name: 'data_patterns', type: 'simple-json', nullable: true })
  dataPatterns!: ClassificationRulePattern[] | null;
  @Column({ name: 'column_patterns', type: 'simple-json', nullable: true })
  columnPatterns!: ClassificationRulePattern[] | null;
  @Column({ name: 'classification_action', type: 'varchar' }) classificationAction!: ClassificationAction;
  @Column({ name: 'created_at', type: 'varchar' }) createdAt!: string;
  @Column({ name: 'updated_at', type: 'varchar' }) updatedAt!: string;
}

/** A scan's `filters/custom` (table `scan_filters`), deleted with its scan. */
@Entity('scan_filters')
export class ScanFilterEntity {
  @PrimaryColumn({ name: 'scan_id', type: 'varchar' }) scanId!: string;
  @Column({ name: 'include_uri_prefixes', type: 'simple-json', nullable: true }) includeUriPrefixes!: string[] | null;
  @Column({ name: 'exclude_uri_prefixes', type: 'simple-json', nullable: true }) excludeUriPrefixes!: string[] | null;
  @Column({ name: 'created_at', type: 'varchar' }) createdAt!: string;
  @Column({ name: 'updated_at', type: 'varchar' }) updatedAt!: string;
}

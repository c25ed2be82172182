import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { ScanRulesetType } from '@purview-emulator/contracts';

/**
 * A scan definition of a data source (table `scans`). `properties` holds the kind-specific properties the client
 * sent (credential, workers, …) minus the fields kept in their own columns. `integrationRuntimeName` is
 * `connectedVia.referenceName` as the IR spells its own name, or null for the (not emulated) Azure auto-resolve IR.
 */
@Entity('scans')
@Index('ux_scans_data_source_name', ['dataSourceId', 'name'], { unique: true })
export class ScanEntity {
  @PrimaryColumn({ type: 'varchar' }) id!: string;
  @Column({ name: 'data_source_id', type: 'varchar' }) dataSourceId!: string;
  @Column({ type: 'varchar', collation: 'NOCASE' }) name!: string;
  @Column({ type: 'varchar' }) kind!: string;
  @Column({ type: 'simple-json' }) properties!: Record<string, unknown>;
  @Column({ name: 'scan_ruleset_name', type: 'varchar' }) scanRulesetName!: string;
  @Column({ name: 'scan_ruleset_type', type: 'varchar' }) scanRulesetType!: ScanRulesetType;
  @Column({ name: 'integration_runtime_name', type: 'varchar', nullable: true }) integrationRuntimeName!: string | null;
  /** The IR's kind when the scan was saved, echoed as `connectedVia.integrationRuntimeType`. */
  @Column({ name: 'integration_runtime_type', type: 'varchar', nullable: true }) integrationRuntimeType!: string | null;
  @Column({ name: 'collection_name', type: 'varchar' }) collectionName!: string;
  @Column({ name: 'collection_modified_at', type: 'varchar' }) collectionModifiedAt!: string;
  @Column({ name: 'created_at', type: 'varchar' }) createdAt!: string;
  @Column({ name: 'updated_at', type: 'varchar' }) updatedAt!: string;
}

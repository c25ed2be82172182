import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { RelationshipStatus } from '@purview-emulator/contracts';

/**
 * One Atlas relationship instance (table `datamap_relationships`, migration DataMapRelationships1764400000003).
 * Ends are entity keys (`typeName|qualifiedName`, see relationship-model.ts): entities reference each other that
 * way, and a scan may write a relationship before the entity at its other end. Deleted relationships are kept
 * with status DELETED, as Atlas keeps them.
 */
@Entity('datamap_relationships')
@Index('ix_datamap_relationships_end1', ['end1Key', 'typeName'])
@Index('ix_datamap_relationships_end2', ['end2Key', 'typeName'])
export class RelationshipRecord {
  @PrimaryColumn({ type: 'varchar' }) guid!: string;
  @Column({ name: 'type_name', type: 'varchar' }) typeName!: string;
  @Column({ name: 'end1_key', type: 'varchar' }) end1Key!: string;
  @Column({ name: 'end2_key', type: 'varchar' }) end2Key!: string;
  /** JSON object. */
  @Column({ type: 'text' }) attributes!: string;
  @Column({ type: 'varchar' }) label!: string;
  @Column({ type: 'varchar' }) status!: RelationshipStatus;
  @Column({ name: 'create_time', type: 'integer' }) createTime!: number;
  @Column({ name: 'update_time', type: 'integer' }) updateTime!: number;
  @Column({ name: 'created_by', type: 'varchar' }) createdBy!: string;
  @Column({ name: 'updated_by', type: 'varchar' }) updatedBy!: string;
  @Column({ type: 'integer' }) version!: number;
}

import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { EntityStatus } from '@purview-emulator/contracts';

/**
 * One Atlas entity of the data map (table `datamap_entities`, created by migration DataMapSchema1764200000004).
 * JSON columns hold: `attributes` (the entity's attributes, qualifiedName and name included), `relationship_attributes`
 * (references by typeName + qualifiedName, resolved to guids on read), `classifications` ({typeName, attributes}[]),
 * `labels` (string[]) and `source_details` (Purview's scan provenance). `name` and `collection_id` compare NOCASE.
 */
@Entity('datamap_entities')
@Index('ux_datamap_entities_type_qualified_name', ['typeName', 'qualifiedName'], { unique: true })
@Index('ix_datamap_entities_qualified_name', ['qualifiedName'])
@Index('ix_datamap_entities_name_guid', ['name', 'guid'])
@Index('ix_datamap_entities_update_time', ['updateTime'])
@Index('ix_datamap_entities_create_time', ['createTime'])
@Index('ix_datamap_entities_collection_id', ['collectionId'])
@Index('ix_datamap_entities_type_name_status', ['typeName', 'status'])
@Index('ix_datamap_entities_guid_status_type_name', ['guid', 'status', 'typeName'])
export class AtlasEntityRecord {
  @PrimaryColumn({ type: 'varchar' }) guid!: string;
  @Column({ name: 'type_name', type: 'varchar' }) typeName!: string;
  @Column({ name: 'qualified_name', type: 'varchar' }) qualifiedName!: string;
  @Column({ type: 'varchar', collation: 'NOCASE' }) name!: string;
  /** Copy of `attributes.description` when it is a string, for keyword search. */
  @Column({ type: 'text', nullable: true }) description!: string | null;
  @Column({ type: 'text' }) attributes!: string;
  @Column({ name: 'relationship_attributes', type: 'text' }) relationshipAttributes!: string;
  @Column({ type: 'text' }) classifications!: string;
  @Column({ type: 'text' }) labels!: string;
  @Column({ type: 'varchar' }) status!: EntityStatus;
  @Column({ name: 'create_time', type: 'integer' }) createTime!: number;
  @Column({ name: 'update_time', type: 'integer' }) updateTime!: number;
  @Column({ name: 'created_by', type: 'varchar' }) createdBy!: string;
  @Column({ name: 'updated_by', type: 'varchar' }) updatedBy!: string;
  @Column({ type: 'integer' }) version!: number;
  @Column({ name: 'last_modified_ts', type: 'varchar' }) lastModifiedTS!: string;
  @Column({ name: 'collection_id', type: 'varchar', collation: 'NOCASE' }) collectionId!: string;
  @Column({ name: 'source_details', type: 'text', nullable: true }) sourceDetails!: string | null;
}

/** Classification typeNames per entity (table `datamap_entity_classifications`), for search filters and facets. */
@Entity('datamap_entity_classifications')
@Index('ix_datamap_entity_classifications_type_name', ['typeName', 'guid'])
export class EntityClassificationRecord {
  @PrimaryColumn({ type: 'varchar' }) guid!: string;
  @PrimaryColumn({ name: 'type_name', type: 'varchar' }) typeName!: string;
}

import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A collection of the account (table `datamap_collections`, migration DataMapRelationships1764400000003). The root
 * collection, named after the account, is not stored: it always exists. Names compare NOCASE, as entities'
 * `collectionId` does.
 */
@Entity('datamap_collections')
@Index('ix_datamap_collections_parent', ['parentName'])
export class CollectionRecord {
  @PrimaryColumn({ type: 'varchar', collation: 'NOCASE' }) name!: string;
  @Column({ name: 'friendly_name', type: 'varchar' }) friendlyName!: string;
  @Column({ type: 'text', nullable: true }) description!: string | null;
  @Column({ name: 'parent_name', type: 'varchar', collation: 'NOCASE' }) parentName!: string;
  @Column({ name: 'created_at', type: 'varchar' }) createdAt!: string;
  @Column({ name: 'created_by', type: 'varchar' }) createdBy!: string;
  @Column({ name: 'last_modified_at', type: 'varchar' }) lastModifiedAt!: string;
  @Column({ name: 'last_modified_by', type: 'varchar' }) lastModifiedBy!: string;
}

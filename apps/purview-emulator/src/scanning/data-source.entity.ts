import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A registered data source (table `data_sources`, migration ScanningSchema1764200000003).
 * `properties` holds what the client sent in `properties` minus the read-only and collection fields, which have
 * their own columns. Names compare case-insensitively (column collation NOCASE), as Purview's do.
 */
@Entity('data_sources')
@Index('ux_data_sources_name', ['name'], { unique: true })
export class DataSourceEntity {
  @PrimaryColumn({ type: 'varchar' }) id!: string;
  @Column({ type: 'varchar', collation: 'NOCASE' }) name!: string;
  @Column({ type: 'varchar' }) kind!: string;
  /** Kind-specific properties as sent (e.g. `endpoint`), JSON. */
  @Column({ type: 'simple-json' }) properties!: Record<string, unknown>;
  @Column({ name: 'collection_name', type: 'varchar' }) collectionName!: string;
  @Column({ name: 'collection_modified_at', type: 'varchar' }) collectionModifiedAt!: string;
  @Column({ name: 'created_at', type: 'varchar' }) createdAt!: string;
  @Column({ name: 'updated_at', type: 'varchar' }) updatedAt!: string;
}

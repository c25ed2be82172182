import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One business attribute value of one entity (table `datamap_entity_business_attributes`, migration
 * DataMapBusinessAttributes1764400000004). A row per value rather than a column of the entity row: removing one
 * attribute is one DELETE, "which entities carry business metadata X" is one indexed query, and the entity table
 * stays as the entity module shapes it.
 */
@Entity('datamap_entity_business_attributes')
@Index('ix_datamap_entity_business_attributes_bm', ['bmName', 'attrName'])
export class BusinessAttributeRecord {
  @PrimaryColumn({ type: 'varchar' }) guid!: string;
  @PrimaryColumn({ name: 'bm_name', type: 'varchar' }) bmName!: string;
  @PrimaryColumn({ name: 'attr_name', type: 'varchar' }) attrName!: string;
  /** The normalized value, as JSON. */
  @Column({ type: 'text' }) value!: string;
}

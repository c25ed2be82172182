import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One type definition of the data map (table `datamap_typedefs`, created by migration DataMapTypeDefs1764400000001).
 * `definition` is the stored AtlasTypeDef JSON (normalized, without the derived subTypes and relationship
 * attributes); `built_in` marks the types the emulator ships, which clients cannot change or delete.
 */
@Entity('datamap_typedefs')
@Index('ux_datamap_typedefs_name', ['name'], { unique: true })
export class TypeDefRecord {
  @PrimaryColumn({ type: 'varchar' }) guid!: string;
  @Column({ type: 'varchar' }) name!: string;
  @Column({ type: 'varchar' }) category!: string;
  @Column({ type: 'text' }) definition!: string;
  @Column({ name: 'built_in', type: 'boolean' }) builtIn!: boolean;
}

import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One version of a Key Vault secret (table `key_vault_secrets`). `value` is sealed with the data directory's key
 * (DatabaseSecrets, field `key_vault_secrets.value`, row `id`). Times are Unix seconds, as Key Vault's; `seq` orders
 * the versions of a secret (the latest is the highest).
 */
@Entity('key_vault_secrets')
@Index('ux_key_vault_secrets_version', ['vault', 'name', 'version'], { unique: true })
export class KeyVaultSecretEntity {
  @PrimaryColumn({ type: 'varchar' }) id!: string;
  @Column({ type: 'varchar', collation: 'NOCASE' }) vault!: string;
  @Column({ type: 'varchar', collation: 'NOCASE' }) name!: string;
  @Column({ type: 'varchar' }) version!: string;
  @Column({ type: 'varchar' }) value!: string;
  @Column({ name: 'content_type', type: 'varchar', nullable: true }) contentType!: string | null;
  @Column({ type: 'simple-json', nullable: true }) tags!: Record<string, string> | null;
  @Column({ type: 'boolean', default: true }) enabled!: boolean;
  @Column({ name: 'not_before', type: 'integer', nullable: true }) notBefore!: number | null;
  @Column({ type: 'integer', nullable: true }) expires!: number | null;
  @Column({ type: 'integer' }) created!: number;
  @Column({ type: 'integer' }) updated!: number;
  @Column({ type: 'integer' }) seq!: number;
}

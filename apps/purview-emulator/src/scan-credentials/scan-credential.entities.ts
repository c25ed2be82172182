import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { CredentialKind } from '@purview-emulator/contracts';

/** A Key Vault connection (`azureKeyVaults/{name}`); `vault` is the emulator vault its `baseUrl` maps to. */
@Entity('scan_key_vault_connections')
export class KeyVaultConnectionEntity {
  @PrimaryColumn({ type: 'varchar', collation: 'NOCASE' }) name!: string;
  @Column({ name: 'base_url', type: 'varchar' }) baseUrl!: string;
  @Column({ type: 'varchar' }) vault!: string;
  @Column({ type: 'varchar', nullable: true }) description!: string | null;
  @Column({ name: 'created_at', type: 'varchar' }) createdAt!: string;
  @Column({ name: 'updated_at', type: 'varchar' }) updatedAt!: string;
}

/** A credential (`credentials/{name}`): its kind and typeProperties, whose secrets are Key Vault references only. */
@Entity('scan_credentials')
export class CredentialEntity {
  @PrimaryColumn({ type: 'varchar', collation: 'NOCASE' }) name!: string;
  @Column({ type: 'varchar' }) kind!: CredentialKind;
  @Column({ type: 'varchar', nullable: true }) description!: string | null;
  @Column({ name: 'type_properties', type: 'simple-json', nullable: true })
  typeProperties!: Record<string, unknown> | null;
  @Column({ name: 'created_at', type: 'varchar' }) createdAt!: string;
  @Column({ name: 'updated_at', type: 'varchar' }) updatedAt!: string;
}

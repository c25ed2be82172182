import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The token signing key, generated once and kept so tokens stay valid across restarts. */
@Entity('signing_keys')
export class SigningKeyEntity {
  @PrimaryColumn({ type: 'varchar' }) kid!: string;
  @Column({ type: 'varchar' }) algorithm!: string;
  @Column({ name: 'private_jwk', type: 'text' }) privateJwk!: string;
  @Column({ name: 'public_jwk', type: 'text' }) publicJwk!: string;
  @Column({ name: 'created_at', type: 'varchar' }) createdAt!: string;
}

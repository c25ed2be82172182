import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { KeyVaultSecretEntity } from './key-vault-secret.entity';

/** All SQL for Key Vault secrets (every version of every secret of every vault). */
@Injectable()
export class KeyVaultSecretsRepository {
  constructor(@InjectRepository(KeyVaultSecretEntity) private readonly secrets: Repository<KeyVaultSecretEntity>) {}

  /** The latest version (names compare case-insensitively, as Key Vault's). */
  latest(vault: string, name: string, manager?: EntityManager): Promise<KeyVaultSecretEntity | null> {
    return this.repo(manager).findOne({ where: { vault, name }, order: { seq: 'DESC' } });
  }

  version(vault: string, name: string, version: string): Promise<KeyVaultSecretEntity | null> {
    return this.secrets.findOneBy({ vault, name, version });
  }

  /** The latest version of each secret of the vault, by name, a page at a time. */
  async latestOfEach(vault: string, skip: number, take: number): Promise<[KeyVaultSecretEntity[], number]> {
    const latest = `"s"."seq" = (SELECT MAX(s2."seq") FROM "key_vault_secrets" s2 WHERE s2."vault" = "s"."vault" AND s2."name" = "s"."name")`;
    const query = this.secrets.createQueryBuilder('s').where('s.vault = :vault', { vault }).andWhere(latest);
    return query.orderBy('s.name', 'ASC').skip(skip).take(take).getManyAndCount();
  }

  versions(vault: string, name: string, skip: number, take: number): Promise<[KeyVaultSecretEntity[], number]> {
    return this.secrets.findAndCount({ where: { vault, name }, order: { seq: 'ASC' }, skip, take });
  }

  async insert(entity: KeyVaultSecretEntity, manager: EntityManager): Promise<void> {
    await this.repo(manager).insert(entity);
  }

  async save(entity: KeyVaultSecretEntity): Promise<void> {
    await this.secrets.save(entity);
  }

  async deleteAll(vault: string, name: string, manager: EntityManager): Promise<void> {
    await this.repo(manager).delete({ vault, name });
  }

  private repo(manager?: EntityManager): Repository<KeyVaultSecretEntity> {
    return manager ? manager.getRepository(KeyVaultSecretEntity) : this.secrets;
  }
}

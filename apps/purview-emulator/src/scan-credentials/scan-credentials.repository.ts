import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { CredentialEntity, KeyVaultConnectionEntity } from './scan-credential.entities';

/** All SQL for Key Vault connections and credentials (names compare case-insensitively). */
@Injectable()
export class ScanCredentialsRepository {
  constructor(
    @InjectRepository(KeyVaultConnectionEntity) private readonly vaults: Repository<KeyVaultConnectionEntity>,
    @InjectRepository(CredentialEntity) private readonly credentials: Repository<CredentialEntity>,
  ) {}

  findVault(name: string, manager?: EntityManager): Promise<KeyVaultConnectionEntity | null> {
    return this.vaultRepo(manager).findOneBy({ name });
  }

  pageVaults(skip: number, take: number): Promise<[KeyVaultConnectionEntity[], number]> {
    return this.vaults.findAndCount({ order: { name: 'ASC' }, skip, take });
  }

  async saveVault(entity: KeyVaultConnectionEntity, manager: EntityManager): Promise<void> {
    await this.vaultRepo(manager).save(entity);
  }

  async deleteVault(name: string, manager: EntityManager): Promise<void> {
    await this.vaultRepo(manager).delete({ name });
  }

  findCredential(name: string, manager?: EntityManager): Promise<CredentialEntity | null> {
    return this.credentialRepo(manager).findOneBy({ name });
  }

  allCredentials(manager?: EntityManager): Promise<CredentialEntity[]> {
    return this.credentialRepo(manager).find({ order: { name: 'ASC' } });
  }

  pageCredentials(skip: number, take: number): Promise<[CredentialEntity[], number]> {
    return this.credentials.findAndCount({ order: { name: 'ASC' }, skip, take });
  }

  async saveCredential(entity: CredentialEntity, manager: EntityManager): Promise<void> {
    await this.credentialRepo(manager).save(entity);
  }

  async deleteCredential(name: string, manager: EntityManager): Promise<void> {
    await this.credentialRepo(manager).delete({ name });
  }

  private vaultRepo(manager?: EntityManager): Repository<KeyVaultConnectionEntity> {
    return manager ? manager.getRepository(KeyVaultConnectionEntity) : this.vaults;
  }

  private credentialRepo(manager?: EntityManager): Repository<CredentialEntity> {
    return manager ? manager.getRepository(CredentialEntity) : this.credentials;
  }
}

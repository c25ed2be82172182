import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { KeyVaultModule } from '../key-vault/key-vault.module';
import { IdentityModule } from '../identity/identity.module';
import { CredentialEntity, KeyVaultConnectionEntity } from './scan-credential.entities';
import { ScanCredentialsRepository } from './scan-credentials.repository';
import { AzureKeyVaultsService } from './azure-key-vaults.service';
import { CredentialsService } from './credentials.service';
import { CredentialSecretsService } from './credential-secrets.service';
import { DatabaseLoginsService } from './database-logins.service';
import { AzureKeyVaultsController, CredentialsController } from './scan-credentials.controller';

/**
 * Scanning's Key Vault connections and credentials (`/scan/azureKeyVaults`, `/scan/credentials`), and the run-time
 * resolution of a credential to its Key Vault secret (CredentialSecretsService) for scan runs. Scanning imports this
 * module and registers which scans use a credential (CredentialsService.addUsageCheck); this one never imports it.
 */
@Module({
  imports: [TypeOrmModule.forFeature([KeyVaultConnectionEntity, CredentialEntity]), KeyVaultModule, IdentityModule],
  controllers: [AzureKeyVaultsController, CredentialsController],
  providers: [
    ScanCredentialsRepository,
    AzureKeyVaultsService,
    CredentialsService,
    CredentialSecretsService,
    DatabaseLoginsService,
  ],
  exports: [CredentialsService, CredentialSecretsService, DatabaseLoginsService],
})
export class ScanCredentialsModule {}

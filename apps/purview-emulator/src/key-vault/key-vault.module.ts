import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdentityModule } from '../identity/identity.module';
import { KeyVaultSecretEntity } from './key-vault-secret.entity';
import { KeyVaultSecretsRepository } from './key-vault-secrets.repository';
import { KeyVaultService } from './key-vault.service';
import { KeyVaultController } from './key-vault.controller';
import { KeyVaultAuthGuard } from './key-vault-auth.guard';

/**
 * Azure Key Vault's secrets data plane (`/secrets/...` at the root of the emulator's origin), for SecretClient and for
 * scan credentials, which resolve their secrets through the exported KeyVaultService.
 */
@Module({
  imports: [TypeOrmModule.forFeature([KeyVaultSecretEntity]), IdentityModule],
  controllers: [KeyVaultController],
  providers: [KeyVaultSecretsRepository, KeyVaultService, KeyVaultAuthGuard],
  exports: [KeyVaultService],
})
export class KeyVaultModule {}

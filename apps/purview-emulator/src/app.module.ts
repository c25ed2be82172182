import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { EmulatorConfig } from './config/emulator-config';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { PurviewErrorFilter } from './common/error.filter';
import { ApiVersionGuard } from './common/api-version.guard';
import { IdentityModule } from './identity/identity.module';
import { BearerAuthGuard } from './identity/bearer-auth.guard';
import { RolesGuard } from './identity/roles.guard';
import { StorageModule } from './storage/storage.module';
import { IntegrationRuntimesModule } from './integration-runtimes/integration-runtimes.module';
import { ScanningModule } from './scanning/scanning.module';
import { ScanTriggersModule } from './scan-triggers/scan-triggers.module';
import { DataMapModule } from './datamap/datamap.module';
import { EntitiesModule } from './datamap/entities/entities.module';
import { ClassificationsModule } from './datamap/classifications/classifications.module';
import { RelationshipsModule } from './datamap/relationships/relationships.module';
import { LineageModule } from './datamap/lineage/lineage.module';
import { CollectionsModule } from './datamap/collections/collections.module';
import { LabelsModule } from './datamap/labels/labels.module';
import { BusinessMetadataModule } from './datamap/business-metadata/business-metadata.module';
import { GlossaryModule } from './datamap/glossary/glossary.module';
import { IngestionModule } from './ingestion/ingestion.module';
import { RuntimeGatewayModule } from './runtime-gateway/runtime-gateway.module';
import { EmulatorControlModule } from './emulator-control/emulator-control.module';
import { RelayModule } from './relay/relay.module';
import { InteractiveAuthoringModule } from './interactive-authoring/interactive-authoring.module';
import { AccountModule } from './account/account.module';
import { MetricsModule } from './metrics/metrics.module';
import { FaultsModule } from './faults/faults.module';
import { HttpFaultsGuard } from './faults/http-faults.guard';
import { SeedModule } from './seed/seed.module';
import { KeyVaultModule } from './key-vault/key-vault.module';
import { ScanCredentialsModule } from './scan-credentials/scan-credentials.module';
import { ManagedNetworksModule } from './managed-networks/managed-networks.module';
import { PortalModule } from './portal/portal.module';

@Module({})
export class AppModule {
  static forRoot(config: EmulatorConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule,
        IdentityModule,
        StorageModule,
        IntegrationRuntimesModule,
        KeyVaultModule,
        ScanCredentialsModule,
        ManagedNetworksModule,
        ScanningModule,
        ScanTriggersModule,
        DataMapModule,
        EntitiesModule,
        ClassificationsModule,
        RelationshipsModule,
        LineageModule,
        CollectionsModule,
        LabelsModule,
        BusinessMetadataModule,
        GlossaryModule,
        IngestionModule,
        RuntimeGatewayModule,
        EmulatorControlModule,
        RelayModule,
        InteractiveAuthoringModule,
        AccountModule,
        MetricsModule,
        FaultsModule,
        SeedModule,
        PortalModule,
      ],
      providers: [
        { provide: APP_FILTER, useClass: PurviewErrorFilter },
        // Order matters: authenticate first, so an unauthenticated caller learns nothing from version errors.
        { provide: APP_GUARD, useClass: BearerAuthGuard },
        // Then authorize: a caller without the role learns nothing from validation either.
        { provide: APP_GUARD, useClass: RolesGuard },
        { provide: APP_GUARD, useClass: ApiVersionGuard },
        // Last: injected http faults answer callers who got this far (see faults/http-faults.guard.ts).
        { provide: APP_GUARD, useClass: HttpFaultsGuard },
      ],
    };
  }
}

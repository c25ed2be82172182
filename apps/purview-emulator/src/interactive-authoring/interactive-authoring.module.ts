import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IntegrationRuntimesModule } from '../integration-runtimes/integration-runtimes.module';
import { RelayModule } from '../relay/relay.module';
import { ScanningModule } from '../scanning/scanning.module';
import { StorageModule } from '../storage/storage.module';
import { DataSourceAuthoringController } from './data-source-authoring.controller';
import { DataSourceAuthoringService } from './data-source-authoring.service';
import { DatabaseAuthoringSources } from './database-authoring-sources';
import { InteractiveAuthoringEntity } from './interactive-authoring.entity';
import { InteractiveAuthoringRepository } from './interactive-authoring.repository';
import { InteractiveAuthoringService } from './interactive-authoring.service';
import { InteractiveQueryController } from './interactive-query.controller';
import { INTERACTIVE_TRANSPORT } from './interactive-transport';
import { RelayInteractiveTransport } from './relay-interactive-transport';

/**
 * Interactive authoring: the IR switch (`:enableInteractiveQuery`, auto-termination on the emulator clock) and the
 * emulator-extension routes that test, browse and preview a data source through a node of its IR. Reads data sources
 * and scans through the scanning module's services; reaches nodes through INTERACTIVE_TRANSPORT.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([InteractiveAuthoringEntity]),
    IntegrationRuntimesModule,
    ScanningModule,
    StorageModule,
    RelayModule,
  ],
  controllers: [InteractiveQueryController, DataSourceAuthoringController],
  providers: [
    InteractiveAuthoringRepository,
    InteractiveAuthoringService,
    DataSourceAuthoringService,
    DatabaseAuthoringSources,
    { provide: INTERACTIVE_TRANSPORT, useClass: RelayInteractiveTransport },
  ],
  exports: [InteractiveAuthoringService],
})
export class InteractiveAuthoringModule {}

import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { FaultsModule } from '../faults/faults.module';
import { NodeSessionsService } from '../runtime-gateway/node-sessions.service';
import { IntegrationRuntimeEntity } from './integration-runtime.entity';
import { IntegrationRuntimeNodeEntity } from './integration-runtime-node.entity';
import { IntegrationRuntimeDirectory } from './integration-runtime-directory';
import { IntegrationRuntimesRepository } from './integration-runtimes.repository';
import { IntegrationRuntimesService } from './integration-runtimes.service';
import { IntegrationRuntimesController } from './integration-runtimes.controller';

/**
 * Integration runtimes and their nodes; owns both tables. Exports the directory (what other modules need: "the
 * runtime named X", schedulable nodes, hooks) and the node side of the runtime protocol, NodeSessionsService, which
 * lives beside the gateway that serves it but works on these tables. The repository stays private.
 */
@Module({
  imports: [TypeOrmModule.forFeature([IntegrationRuntimeEntity, IntegrationRuntimeNodeEntity]), FaultsModule],
  controllers: [IntegrationRuntimesController],
  providers: [
    IntegrationRuntimesRepository,
    IntegrationRuntimeDirectory,
    IntegrationRuntimesService,
    NodeSessionsService,
  ],
  exports: [IntegrationRuntimeDirectory, NodeSessionsService],
})
export class IntegrationRuntimesModule {}

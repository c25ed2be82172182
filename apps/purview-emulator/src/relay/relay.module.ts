import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { FaultsModule } from '../faults/faults.module';
import { IntegrationRuntimesModule } from '../integration-runtimes/integration-runtimes.module';
import { NodeAuthGuard } from '../runtime-gateway/node-auth.guard';
import { HybridConnectionEntity } from './hybrid-connection.entity';
import { HybridConnectionsRepository } from './hybrid-connections.repository';
import { RelayController, RuntimeRelayController } from './relay.controller';
import { RelayHub } from './relay-hub.service';

/** Azure Relay Hybrid Connections for integration runtimes; attach it to a server with `attachRelay`. */
@Module({
  imports: [TypeOrmModule.forFeature([HybridConnectionEntity]), IntegrationRuntimesModule, FaultsModule],
  controllers: [RelayController, RuntimeRelayController],
  providers: [HybridConnectionsRepository, RelayHub, NodeAuthGuard],
  exports: [RelayHub],
})
export class RelayModule {}

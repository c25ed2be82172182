import { Module } from '@nestjs/common';
import { IntegrationRuntimesModule } from '../integration-runtimes/integration-runtimes.module';
import { ScanningModule } from '../scanning/scanning.module';
import { RuntimeGatewayController } from './runtime-gateway.controller';
import { NodeAuthGuard } from './node-auth.guard';

@Module({
  imports: [IntegrationRuntimesModule, ScanningModule],
  controllers: [RuntimeGatewayController],
  providers: [NodeAuthGuard],
})
export class RuntimeGatewayModule {}

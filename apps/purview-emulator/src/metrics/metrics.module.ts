import { Module } from '@nestjs/common';
import { IntegrationRuntimesModule } from '../integration-runtimes/integration-runtimes.module';
import { ScanningModule } from '../scanning/scanning.module';
import { IngestionModule } from '../ingestion/ingestion.module';
import { EmulatorMetrics } from './emulator-metrics';
import { MetricsController } from './metrics.controller';

/** `/_emulator/metrics`: reads the other contexts through their exported services; none of them depends on it. */
@Module({
  imports: [IntegrationRuntimesModule, ScanningModule, IngestionModule],
  controllers: [MetricsController],
  providers: [EmulatorMetrics],
})
export class MetricsModule {}

import { Module } from '@nestjs/common';
import { IntegrationRuntimesModule } from '../integration-runtimes/integration-runtimes.module';
import { IngestionModule } from '../ingestion/ingestion.module';
import { EmulatorControlController } from './emulator-control.controller';
import { EmulatorControlService } from './emulator-control.service';
import { EmulatorClockService } from './emulator-clock.service';

@Module({
  imports: [IntegrationRuntimesModule, IngestionModule],
  controllers: [EmulatorControlController],
  providers: [EmulatorControlService, EmulatorClockService],
})
export class EmulatorControlModule {}

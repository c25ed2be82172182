import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IntegrationRuntimesModule } from '../integration-runtimes/integration-runtimes.module';
import { IngestionModule } from '../ingestion/ingestion.module';
import { EmulatorControlController } from './emulator-control.controller';
import { EmulatorControlService } from './emulator-control.service';
import { EmulatorClockService } from './emulator-clock.service';
import { EmulatorResetService } from './emulator-reset.service';
import { EmulatorSettingEntity } from './emulator-setting.entity';
import { EmulatorSettingsRepository } from './emulator-settings.repository';

@Module({
  imports: [TypeOrmModule.forFeature([EmulatorSettingEntity]), IntegrationRuntimesModule, IngestionModule],
  controllers: [EmulatorControlController],
  providers: [EmulatorSettingsRepository, EmulatorControlService, EmulatorClockService, EmulatorResetService],
})
export class EmulatorControlModule {}

import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ScanningModule } from '../scanning/scanning.module';
import { ScanTriggerEntity } from './scan-trigger.entity';
import { ScanTriggersRepository } from './scan-triggers.repository';
import { ScanTriggersService } from './scan-triggers.service';
import { TriggerSchedulerService } from './trigger-scheduler.service';
import { ScanTriggersController } from './scan-triggers.controller';

/**
 * Scan triggers (schedules) and the scheduler that fires them on the emulator clock. Uses the scanning module's
 * ScansService (which scan a trigger belongs to) and ScanRunsService (a fired trigger starts a Scheduled run); the
 * scanning module knows nothing of triggers (a scan's trigger goes with it through ON DELETE CASCADE).
 */
@Module({
  imports: [TypeOrmModule.forFeature([ScanTriggerEntity]), ScanningModule],
  controllers: [ScanTriggersController],
  providers: [ScanTriggersRepository, ScanTriggersService, TriggerSchedulerService],
  exports: [ScanTriggersService],
})
export class ScanTriggersModule {}

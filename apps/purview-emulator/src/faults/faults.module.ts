import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { FaultEntity } from './fault.entity';
import { FaultsController } from './faults.controller';
import { FaultsService } from './faults.service';

/**
 * Fault injection. Depends on nothing but the database: the places faults hit (scan runs, node sessions, ingestion)
 * import this module and ask FaultsService at that place.
 */
@Module({
  imports: [TypeOrmModule.forFeature([FaultEntity])],
  controllers: [FaultsController],
  providers: [FaultsService],
  exports: [FaultsService],
})
export class FaultsModule {}

import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { FaultEntity } from './fault.entity';
import { FaultsController } from './faults.controller';
import { FaultsService } from './faults.service';
import { HttpFaultsInterceptor } from './http-faults.interceptor';

/**
 * Fault injection. Depends on nothing but the database: the places faults hit (scan runs, node sessions, ingestion)
 * import this module and ask FaultsService at that place.
 */
@Module({
  imports: [TypeOrmModule.forFeature([FaultEntity])],
  controllers: [FaultsController],
  providers: [FaultsService, { provide: APP_INTERCEPTOR, useClass: HttpFaultsInterceptor }],
  exports: [FaultsService],
})
export class FaultsModule {}

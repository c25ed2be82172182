import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IntegrationRuntimeEntity } from './integration-runtime.entity';
import { IntegrationRuntimeNodeEntity } from './integration-runtime-node.entity';
import { IntegrationRuntimesRepository } from './integration-runtimes.repository';
import { IntegrationRuntimesService } from './integration-runtimes.service';
import { IntegrationRuntimesController } from './integration-runtimes.controller';

@Module({
  imports: [TypeOrmModule.forFeature([IntegrationRuntimeEntity, IntegrationRuntimeNodeEntity])],
  controllers: [IntegrationRuntimesController],
  providers: [IntegrationRuntimesRepository, IntegrationRuntimesService],
  exports: [IntegrationRuntimesService],
})
export class IntegrationRuntimesModule {}

import { Module } from '@nestjs/common';
import { TypeDefsModule } from '../types/typedefs.module';
import { LabelsController } from './labels.controller';
import { LabelsRepository } from './labels.repository';
import { LabelsService } from './labels.service';

/** Labels on data map entities (`…/entity/guid/{guid}/labels`, `…/uniqueAttribute/type/{typeName}/labels`). */
@Module({
  imports: [TypeDefsModule],
  controllers: [LabelsController],
  providers: [LabelsRepository, LabelsService],
})
export class LabelsModule {}

import { Module } from '@nestjs/common';
import { DataMapModule } from '../datamap.module';
import { TypeDefsModule } from '../types/typedefs.module';
import { ClassificationsController } from './classifications.controller';
import { ClassificationsService } from './classifications.service';

/** Classifications on entities, kept in the data map's shared entity store and validated by its type system. */
@Module({
  imports: [DataMapModule, TypeDefsModule],
  controllers: [ClassificationsController],
  providers: [ClassificationsService],
})
export class ClassificationsModule {}

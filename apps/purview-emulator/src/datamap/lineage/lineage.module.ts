import { Module } from '@nestjs/common';
import { DataMapModule } from '../datamap.module';
import { RelationshipsModule } from '../relationships/relationships.module';
import { TypeDefsModule } from '../types/typedefs.module';
import { LineageController } from './lineage.controller';
import { LineageRepository } from './lineage.repository';
import { LineageService } from './lineage.service';

/** Lineage over the relationships that Process entities' inputs and outputs keep (relationships module). */
@Module({
  imports: [DataMapModule, TypeDefsModule, RelationshipsModule],
  controllers: [LineageController],
  providers: [LineageRepository, LineageService],
})
export class LineageModule {}

import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AtlasEntityRecord, EntityClassificationRecord } from './atlas-entity.record';
import { DataMapRepository } from './datamap.repository';
import { DataMapService } from './datamap.service';
import { SearchService } from './search.service';
import { AtlasEntityController, LegacyCollectionEntityController } from './atlas-entity.controller';
import { SearchController } from './search.controller';
import { TypeDefsModule } from './types/typedefs.module';

/** The data map: Atlas v2 entities (`/datamap/api/atlas/v2`, `/catalog/api/atlas/v2`), validated by its type system, and discovery search. */
@Module({
  imports: [TypeOrmModule.forFeature([AtlasEntityRecord, EntityClassificationRecord]), TypeDefsModule],
  controllers: [AtlasEntityController, LegacyCollectionEntityController, SearchController],
  providers: [DataMapRepository, DataMapService, SearchService],
  exports: [DataMapService, SearchService],
})
export class DataMapModule {}

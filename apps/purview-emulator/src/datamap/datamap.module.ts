import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AtlasEntityRecord, EntityClassificationRecord } from './atlas-entity.record';
import { DataMapRepository } from './datamap.repository';
import { DataMapService } from './datamap.service';
import { EntityRenderer } from './entity-renderer';
import { EntityWriter } from './entity-writer';
import { SearchService } from './search.service';
import { SearchController } from './search.controller';
import { TypeDefsModule } from './types/typedefs.module';

/**
 * The data map's entity store (Atlas entities in SQLite, validated by its type system, shared by the entity,
 * classification and scan-ingestion paths) and discovery search. The Atlas routes live in their own modules.
 */
@Module({
  imports: [TypeOrmModule.forFeature([AtlasEntityRecord, EntityClassificationRecord]), TypeDefsModule],
  controllers: [SearchController],
  providers: [DataMapRepository, EntityWriter, EntityRenderer, DataMapService, SearchService],
  exports: [DataMapService, DataMapRepository, SearchService],
})
export class DataMapModule {}

import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AtlasEntityRecord, EntityClassificationRecord } from './atlas-entity.record';
import { DataMapRepository } from './datamap.repository';
import { DataMapService } from './datamap.service';
import { EntityRenderer } from './entity-renderer';
import { EntityWriter } from './entity-writer';
import { SearchService } from './search.service';
import { SearchTerms } from './search/term-index';
import { SearchController } from './search.controller';
import { SearchIndexController } from './search-index.controller';
import { DiscoveryService } from './discovery.service';
import { BrowseService } from './browse.service';
import { SearchIndex } from './search/search-index';
import { TypeDefsModule } from './types/typedefs.module';

/**
 * The data map's entity store (Atlas entities in SQLite, validated by its type system, shared by the entity,
 * classification and scan-ingestion paths) and discovery search. The Atlas routes live in their own modules.
 */
@Module({
  imports: [TypeOrmModule.forFeature([AtlasEntityRecord, EntityClassificationRecord]), TypeDefsModule],
  controllers: [SearchController, SearchIndexController],
  providers: [
    DataMapRepository,
    EntityWriter,
    EntityRenderer,
    DataMapService,
    SearchService,
    SearchTerms,
    SearchIndex,
    DiscoveryService,
    BrowseService,
  ],
  exports: [DataMapService, DataMapRepository, SearchService, SearchTerms],
})
export class DataMapModule {}

import { Module } from '@nestjs/common';
import { DataMapModule } from '../datamap.module';
import { TypeDefsModule } from '../types/typedefs.module';
import { AtlasEntityController, LegacyCollectionEntityController } from './entities.controller';
import { EntitiesService } from './entities.service';

/** Atlas v2 entity routes over the data map's shared entity store (DataMapService / DataMapRepository). */
@Module({
  imports: [DataMapModule, TypeDefsModule],
  controllers: [AtlasEntityController, LegacyCollectionEntityController],
  providers: [EntitiesService],
})
export class EntitiesModule {}

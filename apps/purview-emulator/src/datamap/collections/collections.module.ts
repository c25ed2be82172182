import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataMapModule } from '../datamap.module';
import { CollectionRecord } from './collection.record';
import { AccountCollectionsController, MoveEntitiesController } from './collections.controller';
import { CollectionsRepository } from './collections.repository';
import { CollectionsService } from './collections.service';

/** The account's collections, and moving data map entities between them. */
@Module({
  imports: [TypeOrmModule.forFeature([CollectionRecord]), DataMapModule],
  controllers: [AccountCollectionsController, MoveEntitiesController],
  providers: [CollectionsRepository, CollectionsService],
})
export class CollectionsModule {}

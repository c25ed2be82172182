import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataMapModule } from '../datamap.module';
import { TypeDefsModule } from '../types/typedefs.module';
import { EntityRelationships } from './entity-relationships';
import { RelationshipRecord } from './relationship.record';
import { RelationshipsController } from './relationships.controller';
import { RelationshipsRepository } from './relationships.repository';
import { RelationshipsService } from './relationships.service';

/** Relationship instances between data map entities (`atlas/v2/relationship`), kept by entity writes as well. */
@Module({
  imports: [TypeOrmModule.forFeature([RelationshipRecord]), DataMapModule, TypeDefsModule],
  controllers: [RelationshipsController],
  providers: [RelationshipsRepository, EntityRelationships, RelationshipsService],
  exports: [EntityRelationships],
})
export class RelationshipsModule {}

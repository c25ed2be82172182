import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataMapModule } from '../datamap.module';
import { TypeDefsModule } from '../types/typedefs.module';
import { CategoriesService } from './categories.service';
import { GlossariesService } from './glossaries.service';
import { GlossaryController } from './glossary.controller';
import { GlossaryNodes } from './glossary-nodes';
import { GlossaryReader } from './glossary-reader';
import { GlossaryLinkRecord, GlossaryNodeRecord, TermAssignmentRecord } from './glossary.records';
import { GlossaryRepository } from './glossary.repository';
import { TermAssignmentsService } from './term-assignments.service';
import { TermsController } from './terms.controller';
import { TermsService } from './terms.service';

/**
 * The business glossary (`atlas/v2/glossary…`): glossaries, categories, terms and term assignment to data map
 * entities. Exports TermAssignmentsService for what else needs an entity's terms (search).
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([GlossaryNodeRecord, GlossaryLinkRecord, TermAssignmentRecord]),
    DataMapModule,
    TypeDefsModule,
  ],
  controllers: [GlossaryController, TermsController],
  providers: [
    GlossaryRepository,
    GlossaryNodes,
    GlossaryReader,
    GlossariesService,
    CategoriesService,
    TermsService,
    TermAssignmentsService,
  ],
  exports: [TermAssignmentsService],
})
export class GlossaryModule {}

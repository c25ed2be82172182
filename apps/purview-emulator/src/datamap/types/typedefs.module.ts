import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { TypeDefRecord } from './typedef.record';
import { TypeDefsRepository } from './typedefs.repository';
import { TypeDefsService } from './typedefs.service';
import { TermTemplateDefsController, TypeDefsController } from './typedefs.controller';

/** The data map's type system: Atlas type definitions (`/atlas/v2/types/…`), and entity validation against them. */
@Module({
  imports: [TypeOrmModule.forFeature([TypeDefRecord])],
  controllers: [TypeDefsController, TermTemplateDefsController],
  providers: [TypeDefsRepository, TypeDefsService],
  exports: [TypeDefsService],
})
export class TypeDefsModule {}

import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataMapModule } from '../datamap.module';
import { TypeDefsModule } from '../types/typedefs.module';
import { BusinessAttributeRecord } from './business-attribute.record';
import { BusinessMetadataController } from './business-metadata.controller';
import { BusinessMetadataRepository } from './business-metadata.repository';
import { BusinessMetadataService } from './business-metadata.service';

/** Business metadata on data map entities, and its CSV import; entity reads show it as `businessAttributes`. */
@Module({
  imports: [TypeOrmModule.forFeature([BusinessAttributeRecord]), TypeDefsModule, DataMapModule],
  controllers: [BusinessMetadataController],
  providers: [BusinessMetadataRepository, BusinessMetadataService],
})
export class BusinessMetadataModule {}

import { Module } from '@nestjs/common';
import { DataMapModule } from '../datamap/datamap.module';
import { StorageModule } from '../storage/storage.module';
import { IngestionStorage } from './ingestion-storage';
import { IngestionProcessor } from './ingestion.processor';
import { IngestionService } from './ingestion.service';
import { EMULATOR_CONFIG, EmulatorConfig } from '../config/emulator-config';
import { ScanningModule } from '../scanning/scanning.module';
import { ScanRunsService } from '../scanning/scan-runs.service';
import { INGESTION_OPTIONS, INGESTION_RESULT_SINK } from './ingestion-result-sink';

/**
 * Consumes scan results that runtimes upload to the ingestion container and queue, into the data map, and
 * reports each batch to the scanning module (one-way: scanning never imports ingestion).
 */
@Module({
  imports: [DataMapModule, StorageModule, ScanningModule],
  providers: [
    IngestionStorage,
    IngestionProcessor,
    IngestionService,
    { provide: INGESTION_RESULT_SINK, useExisting: ScanRunsService },
    { provide: INGESTION_OPTIONS, inject: [EMULATOR_CONFIG], useFactory: (config: EmulatorConfig) => ({ keepBlobs: config.storage.keepIngestionBlobs }) }],
  exports: [IngestionService],
})
export class IngestionModule {}

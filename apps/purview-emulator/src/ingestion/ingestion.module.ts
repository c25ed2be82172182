import { Module } from '@nestjs/common';
import { DataMapModule } from '../datamap/datamap.module';
import { StorageModule } from '../storage/storage.module';
import { IngestionStorage } from './ingestion-storage';
import { IngestionProcessor } from './ingestion.processor';
import { IngestionService } from './ingestion.service';
import { EMULATOR_CONFIG, EmulatorConfig } from '../config/emulator-config';
import { INGESTION_OPTIONS } from './ingestion-result-sink';

/**
 * Consumes scan results that runtimes upload to the ingestion container and queue, into the data map.
 *
 * INTEGRATION (pending): `IngestionProcessor` needs `INGESTION_RESULT_SINK`, implemented by the scanning module's
 * `ScanRunsService` (src/scanning/scan-runs.service.ts, not written yet when this module was). Once it exists:
 *   imports: [DataMapModule, StorageModule, ScanningModule],
 *   providers: [..., { provide: INGESTION_RESULT_SINK, useExisting: ScanRunsService }],
 * (ScanningModule must export ScanRunsService and must not import IngestionModule.)
 */
@Module({
  imports: [DataMapModule, StorageModule],
  providers: [IngestionStorage, IngestionProcessor, IngestionService, { provide: INGESTION_OPTIONS, inject: [EMULATOR_CONFIG], useFactory: (config: EmulatorConfig) => ({ keepBlobs: config.storage.keepIngestionBlobs }) }],
  exports: [IngestionService],
})
export class IngestionModule {}

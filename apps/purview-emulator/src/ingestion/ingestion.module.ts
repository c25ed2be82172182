import { Module } from '@nestjs/common';
import { FaultsModule } from '../faults/faults.module';
import { DataMapModule } from '../datamap/datamap.module';
import { StorageModule } from '../storage/storage.module';
import { IngestionStorage } from './ingestion-storage';
import { IngestionProcessor } from './ingestion.processor';
import { IngestionService } from './ingestion.service';
import { EMULATOR_CONFIG, EmulatorConfig } from '../config/emulator-config';
import { ScanningModule } from '../scanning/scanning.module';
import { ScanRunsService } from '../scanning/scan-runs.service';
import { INGESTION_OPTIONS, INGESTION_RESULT_SINK, IngestionOptions } from './ingestion-result-sink';
import { IngestionLeftoverSweeper } from './ingestion-leftovers';

/**
 * Consumes scan results that runtimes upload to the ingestion container and queue, into the data map, and
 * reports each batch to the scanning module (one-way: scanning never imports ingestion); deletes the batch blobs
 * that ended runs left behind.
 */
@Module({
  imports: [DataMapModule, StorageModule, ScanningModule, FaultsModule],
  providers: [
    IngestionStorage,
    IngestionProcessor,
    IngestionService,
    { provide: INGESTION_RESULT_SINK, useExisting: ScanRunsService },
    IngestionLeftoverSweeper,
    {
      provide: INGESTION_OPTIONS,
      inject: [EMULATOR_CONFIG],
      // Leftovers of a run wait one lease period: a node holding a part hears that the run ended by then.
      useFactory: (config: EmulatorConfig): IngestionOptions => ({
        keepBlobs: config.storage.keepIngestionBlobs,
        leftoverGraceSeconds: config.jobLeaseSeconds,
        leftoverSweepMs: Math.max(1000, Math.round((config.jobLeaseSeconds * 1000) / 3)),
      }),
    },
  ],
  exports: [IngestionService],
})
export class IngestionModule {}

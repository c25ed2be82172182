import { Module } from '@nestjs/common';
import { FaultsModule } from '../faults/faults.module';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IntegrationRuntimesModule } from '../integration-runtimes/integration-runtimes.module';
import { StorageModule } from '../storage/storage.module';
import { ScanCredentialsModule } from '../scan-credentials/scan-credentials.module';
import { TypeDefsModule } from '../datamap/types/typedefs.module';
import { DataMapModule } from '../datamap/datamap.module';
import { ScanAssetSightings } from './scan-asset-sightings';
import { ScanBlobEtags } from './scan-blob-etags';
import { DataSourceEntity } from './data-source.entity';
import { ScanEntity } from './scan.entity';
import { DatabaseScanJobs } from './database-scan-jobs';
import { ScanAssetSightingEntity, ScanRunBatchEntity, ScanRunEntity } from './scan-run.entity';
import { ScanRunJobEntity } from './scan-run-job.entity';
import { DataSourcesRepository } from './data-sources.repository';
import { ScansRepository } from './scans.repository';
import { ScanRunsRepository } from './scan-runs.repository';
import { DataSourcesService } from './data-sources.service';
import { ScansService } from './scans.service';
import { ScanRunsService } from './scan-runs.service';
import { ScanRunLiveStatus } from './scan-run-live-status.service';
import { ScanJobsService } from './scan-jobs.service';
import { ScanJobSignals } from './scan-job-signals';
import { ScanCredentialUse } from './scan-credential-use';
import { DataSourcesController } from './data-sources.controller';
import { ScansController } from './scans.controller';
import { ScanRunsController } from './scan-runs.controller';
import { ClassificationRuleEntity, ScanFilterEntity, ScanRulesetEntity } from './rulesets/rulesets.entity';
import { RulesetsRepository } from './rulesets/rulesets.repository';
import { ScanRulesetsService } from './rulesets/scan-rulesets.service';
import { ClassificationRulesService } from './rulesets/classification-rules.service';
import { ScanFiltersService } from './rulesets/scan-filters.service';
import { ScanRulesetsController, SystemScanRulesetsController } from './rulesets/scan-rulesets.controller';
import { ClassificationRulesController } from './rulesets/classification-rules.controller';
import { ScanFiltersController } from './rulesets/scan-filters.controller';
import { EmulatorClassificationsController } from './rulesets/emulator-classifications.controller';

/**
 * Scanning data plane: data sources, scans and scan runs (`/scan/datasources/...`), plus the job side of runs for
 * the runtime gateway (ScanJobsService), the ingestion side for the ingestion module (ScanRunsService, bound to
 * its INGESTION_RESULT_SINK), scan rule sets, classification rules and scan filters (rulesets/), and data sources and scans, as contract types, for interactive authoring. Never
 * imports IngestionModule, RuntimeGatewayModule or InteractiveAuthoringModule: they depend on this one.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([
      DataSourceEntity,
      ScanEntity,
      ScanRunEntity,
      ScanRunJobEntity,
      ScanRunBatchEntity,
      ScanAssetSightingEntity,
      ScanRulesetEntity,
      ClassificationRuleEntity,
      ScanFilterEntity,
    ]),
    StorageModule,
    IntegrationRuntimesModule,
    FaultsModule,
    ScanCredentialsModule,
    TypeDefsModule,
    DataMapModule,
  ],
  controllers: [
    DataSourcesController,
    ScansController,
    ScanRunsController,
    ScanRulesetsController,
    SystemScanRulesetsController,
    ClassificationRulesController,
    ScanFiltersController,
    EmulatorClassificationsController,
  ],
  providers: [
    DataSourcesRepository,
    ScansRepository,
    ScanRunsRepository,
    DataSourcesService,
    ScansService,
    ScanRunsService,
    ScanRunLiveStatus,
    ScanJobsService,
    ScanJobSignals,
    ScanCredentialUse,
    RulesetsRepository,
    ScanRulesetsService,
    ClassificationRulesService,
    ScanFiltersService,
    DatabaseScanJobs,
    ScanAssetSightings,
    ScanBlobEtags,
  ],
  exports: [ScanJobsService, ScanRunsService, DataSourcesService, ScansService, DatabaseScanJobs],
})
export class ScanningModule {}

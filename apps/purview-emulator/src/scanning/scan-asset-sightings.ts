import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { NON_COUNTED_TYPENAMES } from '@purview-emulator/contracts';
import { UriFilter } from '@purview-emulator/scan-engine';
import { DataMapService } from '../datamap/datamap.service';
import { ScanAssetSightingEntity, ScanRunEntity } from './scan-run.entity';
import { ScanRunsRepository } from './scan-runs.repository';

/** An asset as ingestion names it. */
export interface AssetKey {
  typeName: string;
  qualifiedName: string;
}

/** Rows per INSERT (4 parameters each, well under SQLite's limit). */
const INSERT_CHUNK = 200;

/**
 * Deleted-asset detection, as Purview describes it ("it compares the last scan output against the current scan
 * output", concept-detect-deleted-assets): every asset a run ingests is recorded as seen by its scan, with the run's
 * seq. When a Full run succeeds, the assets its scan saw before but this run did not are soft-deleted from the data
 * map (status DELETED) and counted in the run's `statistics.assets.deleted`. Only within the run's scope: an asset
 * now outside the scan's filter was not looked at again, and Purview only checks what was scanned twice. Never on
 * an Incremental run (it reads only what changed), a failed or a canceled one (it may have missed files); never an
 * entity created by hand.
 */
@Injectable()
export class ScanAssetSightings implements OnModuleInit {
  private readonly logger = new Logger('ScanRuns');

  constructor(
    private readonly runs: ScanRunsRepository,
    private readonly dataMap: DataMapService,
  ) {}

  onModuleInit(): void {
    this.runs.useSucceededRunSettler((run, manager) => this.settle(run, manager));
  }

  /** The run ingested these assets: its scan has seen them (inside the batch's transaction). */
  async record(run: ScanRunEntity, assets: readonly AssetKey[], manager: EntityManager): Promise<void> {
    const unique = new Map(assets.map((a) => [`${a.typeName}\u0000${a.qualifiedName}`, a]));
    const rows = [...unique.values()];
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
      const chunk = rows.slice(i, i + INSERT_CHUNK);
      await manager.query(
        `INSERT INTO scan_asset_sightings (scan_id, type_name, qualified_name, last_run_seq) VALUES ${chunk
          .map(() => '(?, ?, ?, ?)')
          .join(', ')}
         ON CONFLICT (scan_id, type_name, qualified_name)
         DO UPDATE SET last_run_seq = excluded.last_run_seq WHERE excluded.last_run_seq > last_run_seq`,
        chunk.flatMap((a) => [run.scanId, a.typeName, a.qualifiedName, run.seq]),
      );
    }
  }

  /**
   * A run that just succeeded: a Full one soft-deletes what its scan saw before and it did not find; sets
   * `assetsDeleted` (0 for an Incremental run) so that this happens once.
   */
  async settle(run: ScanRunEntity, manager: EntityManager): Promise<void> {
    if (run.status !== 'Succeeded' || run.assetsDeleted !== null) return;
    if (run.scanLevel !== 'Full') {
      run.assetsDeleted = 0;
      return;
    }
    const repo = manager.getRepository(ScanAssetSightingEntity);
    const missing = await repo
      .createQueryBuilder('s')
      .where('s.scanId = :scanId AND s.lastRunSeq < :seq', { scanId: run.scanId, seq: run.seq })
      .getMany();
    const scope = new UriFilter(run.scanRules?.filter);
    const inScope = missing.filter((s) => scope.includes(s.qualifiedName));
    const deletedTypes = inScope.length ? await this.dataMap.softDeleteScannedAssets(inScope, manager) : [];
    // Looked at and gone (or never the scan's to delete): forgotten, so a later run does not count them again.
    for (let i = 0; i < inScope.length; i += INSERT_CHUNK) {
      const chunk = inScope.slice(i, i + INSERT_CHUNK);
      await manager.query(
        `DELETE FROM scan_asset_sightings WHERE scan_id = ? AND (${chunk
          .map(() => '(type_name = ? AND qualified_name = ?)')
          .join(' OR ')})`,
        [run.scanId, ...chunk.flatMap((s) => [s.typeName, s.qualifiedName])],
      );
    }
    run.assetsDeleted = deletedTypes.filter((t) => !NON_COUNTED_TYPENAMES.has(t)).length;
    if (deletedTypes.length)
      this.logger.log(
        `Run ${run.id} of scan ${run.dataSourceName}/${run.scanName} (Full) no longer found ${deletedTypes.length} asset(s) its scan found before: marked DELETED (${run.assetsDeleted} counted).`,
      );
  }
}

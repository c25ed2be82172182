import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../database/migrations';
import type { DataMapService } from '../datamap/datamap.service';
import { AssetKey, ScanAssetSightings } from './scan-asset-sightings';
import { ScanAssetSightingEntity, type ScanRunEntity } from './scan-run.entity';
import type { ScanRunsRepository } from './scan-runs.repository';

const QN = 'https://acct.blob.core.windows.net/data';
const blob = (name: string): AssetKey => ({ typeName: 'azure_blob_path', qualifiedName: `${QN}/${name}` });
const column = (name: string, col: string): AssetKey => ({
  typeName: 'column',
  qualifiedName: `${QN}/${name}#__tabular_schema//${col}`,
});

function run(seq: number, extra: Partial<ScanRunEntity> = {}): ScanRunEntity {
  return {
    id: `run-${seq}`,
    seq,
    scanId: 'scan-1',
    dataSourceName: 'ds',
    scanName: 'scan',
    scanLevel: 'Full',
    status: 'Succeeded',
    assetsDeleted: null,
    scanRules: null,
    ...extra,
  } as ScanRunEntity;
}

describe('ScanAssetSightings (deleted-asset detection)', () => {
  let db: DataSource;
  let deletedKeys: AssetKey[][];
  let sightings: ScanAssetSightings;

  beforeEach(async () => {
    // No foreign keys: the sightings are tested without data sources and scans around them.
    db = new DataSource({
      type: 'better-sqlite3',
      database: ':memory:',
      migrations: MIGRATIONS,
      entities: [ScanAssetSightingEntity],
    });
    await db.initialize();
    await db.runMigrations();
    await db.query('PRAGMA foreign_keys = OFF');
    deletedKeys = [];
    // The data map soft-deletes what it is given, except an entity made by hand (`handmade` in its name).
    const dataMap = {
      softDeleteScannedAssets: (keys: AssetKey[]) => {
        deletedKeys.push(
          keys
            .map((k) => ({ typeName: k.typeName, qualifiedName: k.qualifiedName }))
            .sort((a, b) => a.qualifiedName.localeCompare(b.qualifiedName)),
        );
        return Promise.resolve(keys.filter((k) => !k.qualifiedName.includes('handmade')).map((k) => k.typeName));
      },
    } as unknown as DataMapService;
    sightings = new ScanAssetSightings(
      { useSucceededRunSettler: () => undefined } as unknown as ScanRunsRepository,
      dataMap,
    );
  });

  afterEach(async () => {
    await db.destroy();
  });

  const remaining = async () =>
    (
      await db.query<{ qualified_name: string; last_run_seq: number }[]>(
        'SELECT qualified_name, last_run_seq FROM scan_asset_sightings ORDER BY qualified_name',
      )
    ).map((r) => `${r.qualified_name.slice(QN.length + 1)}@${r.last_run_seq}`);

  it('a Full run deletes what its scan saw before and it did not find, within its filter, and counts files only', async () => {
    await sightings.record(
      run(1),
      [blob('keep.csv'), blob('gone.csv'), column('gone.csv', 'email'), blob('archive/old.csv'), blob('handmade.csv')],
      db.manager,
    );
    const second = run(2, {
      scanRules: {
        ruleset: {} as never,
        filter: { includeUriPrefixes: [], excludeUriPrefixes: [`${QN}/archive/`] },
      },
    });
    await sightings.record(second, [blob('keep.csv'), blob('keep.csv')], db.manager);
    await sightings.settle(second, db.manager);

    expect(deletedKeys).toEqual([[blob('gone.csv'), column('gone.csv', 'email'), blob('handmade.csv')]]);
    // gone.csv (its column is not counted, as in discovered); handmade.csv was not the scan's to delete.
    expect(second.assetsDeleted).toBe(1);
    // What was looked at is forgotten; what the filter left out is kept for when it is in scope again.
    expect(await remaining()).toEqual(['archive/old.csv@1', 'keep.csv@2']);

    // Settled once: saving the run again does not detect again.
    await sightings.settle(second, db.manager);
    expect(deletedKeys).toHaveLength(1);
  });

  it('never on an Incremental run, nor on a run that did not succeed', async () => {
    await sightings.record(run(1), [blob('a.csv'), blob('b.csv')], db.manager);
    const incremental = run(2, { scanLevel: 'Incremental' });
    await sightings.record(incremental, [blob('a.csv')], db.manager);
    await sightings.settle(incremental, db.manager);
    expect(incremental.assetsDeleted).toBe(0);
    for (const status of ['Failed', 'Canceled', 'InProgress'] as const) {
      const unfinished = run(3, { status });
      await sightings.settle(unfinished, db.manager);
      expect(unfinished.assetsDeleted).toBeNull();
    }
    expect(deletedKeys).toEqual([]);
    // An older sighting never overwrites a newer one (a late redelivered batch of an earlier run).
    await sightings.record(run(1), [blob('a.csv')], db.manager);
    expect(await remaining()).toEqual(['a.csv@2', 'b.csv@1']);
  });
});

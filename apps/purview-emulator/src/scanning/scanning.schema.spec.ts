import { Test, TestingModule } from '@nestjs/testing';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DataSource } from 'typeorm';
import { ConfigModule } from '../config/config.module';
import { loadConfig } from '../config/emulator-config';
import { DatabaseModule } from '../database/database.module';
import { StorageModule } from '../storage/storage.module';
import { IntegrationRuntimeDirectory } from '../integration-runtimes/integration-runtime-directory';
import { ScanningModule } from './scanning.module';
import { DataSourceEntity } from './data-source.entity';
import { ScanEntity } from './scan.entity';
import { ScanRunBatchEntity, ScanRunEntity } from './scan-run.entity';
import { ScanRunJobEntity } from './scan-run-job.entity';
import { ClassificationRuleEntity, ScanFilterEntity, ScanRulesetEntity } from './rulesets/rulesets.entity';

/** `synchronize` is off, so the hand-written migrations must match the entities column for column. */
describe('scanning schema (migrations 1764200000003, 1764300000002, 1764300000005, 1764500000031 and 1764500000051 vs entities)', () => {
  let dir: string;
  let moduleRef: TestingModule;
  let db: DataSource;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scanning-schema-'));
    moduleRef = await Test.createTestingModule({
      imports: [
        ConfigModule.forRoot(loadConfig({ PURVIEW_DATA_DIR: dir })),
        DatabaseModule,
        StorageModule,
        ScanningModule,
      ],
    })
      .overrideProvider(IntegrationRuntimeDirectory)
      .useValue({
        findRuntime: async () => undefined,
        schedulingNodes: async () => [],
        addDeletionCheck: () => undefined,
      })
      .compile();
    await moduleRef.init();
    db = moduleRef.get(DataSource);
  });

  afterAll(async () => {
    await moduleRef.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    DataSourceEntity,
    ScanEntity,
    ScanRunEntity,
    ScanRunJobEntity,
    ScanRunBatchEntity,
    ScanRulesetEntity,
    ClassificationRuleEntity,
    ScanFilterEntity,
  ])('%p has the columns and indexes its entity declares', async (entity) => {
    const meta = db.getMetadata(entity);
    const actual = (
      await db.query<{ name: string; type: string; notnull: number; pk: number }[]>(
        `PRAGMA table_info("${meta.tableName}")`,
      )
    )
      .map((c) => ({
        name: c.name,
        type: c.type.toLowerCase(),
        nullable: c.notnull === 0 && c.pk === 0,
        primary: c.pk > 0,
      }))
      .sort((a, b) => a.name.localeCompare(b.name));
    const expected = meta.columns
      .map((c) => ({
        name: c.databaseName,
        type: db.driver.normalizeType(c).toLowerCase(),
        nullable: c.isNullable,
        primary: c.isPrimary,
      }))
      .sort((a, b) => a.name.localeCompare(b.name));
    expect(actual).toEqual(expected);

    const indexes = (await db.query<{ name: string; unique: number }[]>(`PRAGMA index_list("${meta.tableName}")`))
      .filter((i) => !i.name.startsWith('sqlite_autoindex_'))
      .map((i) => ({ name: i.name, unique: i.unique === 1 }))
      .sort((a, b) => a.name.localeCompare(b.name));
    expect(indexes).toEqual(
      meta.indices.map((i) => ({ name: i.name, unique: i.isUnique })).sort((a, b) => a.name.localeCompare(b.name)),
    );
  });

  it('leaves nothing for TypeORM to change in these tables except the foreign keys, which live in SQL only', async () => {
    const tables = [
      'data_sources',
      'scans',
      'scan_runs',
      'scan_run_jobs',
      'scan_run_batches',
      'scan_rulesets',
      'classification_rules',
      'scan_filters',
    ];
    const diff = (await db.driver.createSchemaBuilder().log()).upQueries.map((q) => q.query);
    // A table TypeORM would rebuild shows up as CREATE TABLE "temporary_x": its column list must be the migration's.
    for (const table of tables) {
      const rebuilds = diff.filter((q) => q.startsWith(`CREATE TABLE "temporary_${table}"`));
      if (rebuilds.length === 0) continue;
      const created = (
        await db.query<{ sql: string }[]>(`SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?`, [table])
      )[0].sql;
      const columns = (sql: string) =>
        sql
          .replace(/\s+/g, ' ')
          .replace(/ ,/g, ',') // ALTER TABLE … ADD COLUMN leaves ' , '
          .replace(/ REFERENCES "[a-z_]+" \("[a-z_]+"\)( ON DELETE CASCADE)?/g, '')
          .replace(/ COLLATE NOCASE/g, '')
          .replace(/DEFAULT \(('[^']*')\)/g, 'DEFAULT $1') // TypeORM parenthesizes defaults; ADD COLUMN may not
          .replace(/^.*?\(/, '')
          .replace(/\)$/, '')
          .trim();
      for (const rebuilt of rebuilds) expect(columns(rebuilt)).toBe(columns(created));
    }
  });

  it('enforces the foreign keys (a scan needs its data source)', async () => {
    await expect(
      db.query(
        `INSERT INTO "scans" ("id","data_source_id","name","kind","properties","scan_ruleset_name","scan_ruleset_type","collection_name","collection_modified_at","created_at","updated_at") VALUES ('s','missing','n','k','{}','r','System','c','t','t','t')`,
      ),
    ).rejects.toThrow(/FOREIGN KEY/);
    await expect(
      db.query(`INSERT INTO "scan_filters" ("scan_id","created_at","updated_at") VALUES ('missing','t','t')`),
    ).rejects.toThrow(/FOREIGN KEY/);
  });
});

import { Test, TestingModule } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { tempDir, TempDir } from '@purview-emulator/testing';
import { ConfigModule } from '../config/config.module';
import { loadConfig } from '../config/emulator-config';
import { DatabaseModule } from '../database/database.module';
import { StorageModule } from '../storage/storage.module';
import { IntegrationRuntimeDirectory } from '../integration-runtimes/integration-runtime-directory';
import { ScanTriggersModule } from './scan-triggers.module';
import { ScanTriggerEntity } from './scan-trigger.entity';

/** `synchronize` is off, so migration 1764500000051 must match the trigger entity column for column. */
describe('scan triggers schema (migration 1764500000051 vs entity)', () => {
  let dir: TempDir;
  let moduleRef: TestingModule;
  let db: DataSource;

  beforeAll(async () => {
    dir = tempDir('scan-triggers-schema-');
    moduleRef = await Test.createTestingModule({
      imports: [
        ConfigModule.forRoot(loadConfig({ PURVIEW_DATA_DIR: dir.path })),
        DatabaseModule,
        StorageModule,
        ScanTriggersModule,
      ],
    })
      .overrideProvider(IntegrationRuntimeDirectory)
      .useValue({ findRuntime: async () => undefined, schedulingNodes: async () => [], addDeletionCheck: () => {} })
      .compile();
    await moduleRef.init();
    db = moduleRef.get(DataSource);
  });

  afterAll(async () => {
    await moduleRef.close();
    dir.remove();
  });

  it('has the columns and indexes the entity declares, and TypeORM would change nothing but the foreign key', async () => {
    const meta = db.getMetadata(ScanTriggerEntity);
    const actual = (
      await db.query<{ name: string; type: string; notnull: number; pk: number }[]>(
        `PRAGMA table_info("scan_triggers")`,
      )
    )
      .map((c) => ({ name: c.name, type: c.type.toLowerCase(), nullable: c.notnull === 0 && c.pk === 0 }))
      .sort((a, b) => a.name.localeCompare(b.name));
    const expected = meta.columns
      .map((c) => ({ name: c.databaseName, type: db.driver.normalizeType(c).toLowerCase(), nullable: c.isNullable }))
      .sort((a, b) => a.name.localeCompare(b.name));
    expect(actual).toEqual(expected);
    const indexes = (await db.query<{ name: string }[]>(`PRAGMA index_list("scan_triggers")`))
      .map((i) => i.name)
      .filter((name) => !name.startsWith('sqlite_autoindex_'));
    expect(indexes).toEqual(meta.indices.map((i) => i.name));

    // A table TypeORM would rebuild shows up as CREATE TABLE "temporary_x": its columns must be the migration's.
    const diff = (await db.driver.createSchemaBuilder().log()).upQueries.map((q) => q.query);
    const created = (
      await db.query<{ sql: string }[]>(`SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'scan_triggers'`)
    )[0].sql;
    const columns = (sql: string) =>
      sql
        .replace(/\s+/g, ' ')
        .replace(/ REFERENCES "[a-z_]+" \("[a-z_]+"\)( ON DELETE CASCADE)?/g, '')
        .replace(/^.*?\(/, '')
        .replace(/\)$/, '')
        .trim();
    for (const rebuilt of diff.filter((q) => q.startsWith('CREATE TABLE "temporary_scan_triggers"'))) {
      expect(columns(rebuilt)).toBe(columns(created));
    }
  });
});

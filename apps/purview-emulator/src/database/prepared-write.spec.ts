import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { AtlasEntityRecord, EntityClassificationRecord } from '../datamap/atlas-entity.record';
import { MIGRATIONS } from './migrations';
import { PreparedWrite } from './prepared-write';

function entity(guid: string, overrides: Partial<AtlasEntityRecord> = {}): AtlasEntityRecord {
  return Object.assign(new AtlasEntityRecord(), {
    guid,
    typeName: 'DataSet',
    qualifiedName: `prepared://${guid}`,
    name: guid,
    description: null,
    attributes: '{}',
    relationshipAttributes: '{}',
    classifications: '[]',
    labels: '[]',
    status: 'ACTIVE',
    createTime: 1_700_000_000_000,
    updateTime: 1_700_000_000_000,
    createdBy: 'test',
    updatedBy: 'test',
    version: 0,
    lastModifiedTS: '1',
    collectionId: 'acct',
    sourceDetails: null,
    ...overrides,
  });
}

/** The prepared writes store exactly what TypeORM's own insert and update store, in TypeORM's transaction. */
describe('PreparedWrite', () => {
  let ds: DataSource;
  let writes: PreparedWrite<AtlasEntityRecord>;

  beforeAll(async () => {
    ds = new DataSource({
      type: 'better-sqlite3',
      database: ':memory:',
      entities: [AtlasEntityRecord, EntityClassificationRecord],
      migrations: MIGRATIONS,
    });
    await ds.initialize();
    await ds.runMigrations();
    writes = new PreparedWrite(ds, AtlasEntityRecord);
  });
  afterAll(() => ds.destroy());

  const read = (guid: string) => ds.getRepository(AtlasEntityRecord).findOneBy({ guid });

  it('inserts the row TypeORM would insert, nulls included', async () => {
    await ds.getRepository(AtlasEntityRecord).insert(entity('by-typeorm', { description: 'd' }));
    writes.insert(entity('by-prepared', { description: 'd' }));
    const [typeorm, prepared] = [await read('by-typeorm'), await read('by-prepared')];
    expect({ ...prepared, guid: 'x', name: 'x', qualifiedName: 'x' }).toEqual({
      ...typeorm,
      guid: 'x',
      name: 'x',
      qualifiedName: 'x',
    });
    writes.insert(entity('with-nulls'));
    expect(await read('with-nulls')).toMatchObject({ description: null, sourceDetails: null, version: 0 });
  });

  it('refuses a duplicate key on insert, and ignores it on insertOrIgnore', async () => {
    writes.insert(entity('dup'));
    expect(() => writes.insert(entity('dup'))).toThrow(/UNIQUE constraint failed/);
    expect(() => writes.insertOrIgnore(entity('dup', { name: 'changed' }))).not.toThrow();
    expect((await read('dup'))?.name).toBe('dup');
  });

  it('updates every column by the primary key', async () => {
    writes.insert(entity('upd'));
    writes.update(entity('upd', { name: 'renamed', version: 3, status: 'DELETED', sourceDetails: '{"a":"b"}' }));
    expect(await read('upd')).toMatchObject({
      name: 'renamed',
      version: 3,
      status: 'DELETED',
      sourceDetails: '{"a":"b"}',
    });
  });

  it('writes inside the running TypeORM transaction: a rollback takes the rows back', async () => {
    await expect(
      ds.transaction(async () => {
        writes.insert(entity('rolled-back'));
        expect(await read('rolled-back')).not.toBeNull(); // visible inside the transaction
        throw new Error('abandon');
      }),
    ).rejects.toThrow('abandon');
    expect(await read('rolled-back')).toBeNull();
  });

  it('writes an entity of key columns only (no UPDATE to prepare)', async () => {
    const classifications = new PreparedWrite(ds, EntityClassificationRecord);
    writes.insert(entity('classified'));
    classifications.insertOrIgnore({ guid: 'classified', typeName: 'MICROSOFT.PERSONAL.EMAIL' });
    classifications.insertOrIgnore({ guid: 'classified', typeName: 'MICROSOFT.PERSONAL.EMAIL' });
    expect(await ds.getRepository(EntityClassificationRecord).findBy({ guid: 'classified' })).toEqual([
      { guid: 'classified', typeName: 'MICROSOFT.PERSONAL.EMAIL' },
    ]);
  });
});

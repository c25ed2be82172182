import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../database/migrations';
import { ScanBlobEtags } from './scan-blob-etags';

const QN = 'https://acct.blob.core.windows.net/data';

describe('ScanBlobEtags (incremental scans by ETag)', () => {
  let db: DataSource;
  const etags = new ScanBlobEtags();

  beforeEach(async () => {
    db = new DataSource({ type: 'better-sqlite3', database: ':memory:', migrations: MIGRATIONS });
    await db.initialize();
    await db.runMigrations();
    // No foreign keys: the ETags are tested without data sources and scans around them.
    await db.query('PRAGMA foreign_keys = OFF');
  });
  afterEach(() => db.destroy());

  it('records per scan, the latest ETag wins, and looks up only the blobs asked for', async () => {
    await etags.record(
      'scan-1',
      [
        { qualifiedName: `${QN}/a.csv`, etag: '"0x1"' },
        { qualifiedName: `${QN}/b.csv`, etag: '"0x2"' },
      ],
      db.manager,
    );
    await etags.record('scan-1', [{ qualifiedName: `${QN}/b.csv`, etag: '"0x2b"' }], db.manager);
    await etags.record('scan-2', [{ qualifiedName: `${QN}/a.csv`, etag: '"0xother"' }], db.manager);
    expect(await etags.lookup('scan-1', [`${QN}/a.csv`, `${QN}/b.csv`, `${QN}/never.csv`], db.manager)).toEqual({
      [`${QN}/a.csv`]: '"0x1"',
      [`${QN}/b.csv`]: '"0x2b"',
    });
    expect(await etags.lookup('scan-2', [`${QN}/b.csv`], db.manager)).toEqual({});
  });

  it('takes more blobs than one statement holds', async () => {
    const blobs = Array.from({ length: 1000 }, (_, i) => ({ qualifiedName: `${QN}/f${i}.csv`, etag: `"0x${i}"` }));
    await etags.record('scan-1', blobs, db.manager);
    const found = await etags.lookup(
      'scan-1',
      blobs.map((b) => b.qualifiedName),
      db.manager,
    );
    expect(Object.keys(found)).toHaveLength(1000);
    expect(found[`${QN}/f999.csv`]).toBe('"0x999"');
  });
});

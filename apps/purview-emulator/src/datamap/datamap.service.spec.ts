import { Test, TestingModule } from '@nestjs/testing';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ScannedAsset } from '@purview-emulator/contracts';
import { ConfigModule } from '../config/config.module';
import { loadConfig } from '../config/emulator-config';
import { Clock } from '../common/clock';
import { PurviewError } from '../common/errors';
import { DatabaseModule } from '../database/database.module';
import { DataMapModule } from './datamap.module';
import { DataMapService, UPSERT_CHUNK } from './datamap.service';
import { SearchService } from './search.service';
import { parseEntityWithExtInfo } from './atlas-input';

const BASE = 'https://acct.blob.core.windows.net';

function scanned(): ScannedAsset[] {
  return [
    { typeName: 'azure_blob_container', attributes: { qualifiedName: `${BASE}/data`, name: 'data' } },
    {
      typeName: 'azure_blob_path',
      attributes: { qualifiedName: `${BASE}/data/sales.csv`, name: 'sales.csv', size: 10, isFile: true },
      relationshipAttributes: {
        parent: { typeName: 'azure_blob_container', uniqueAttributes: { qualifiedName: `${BASE}/data` } },
        tabular_schema: {
          typeName: 'tabular_schema',
          uniqueAttributes: { qualifiedName: `${BASE}/data/sales.csv#__tabular_schema` },
        },
      },
      classifications: [{ typeName: 'MICROSOFT.PERSONAL.EMAIL' }],
    },
    {
      typeName: 'tabular_schema',
      attributes: { qualifiedName: `${BASE}/data/sales.csv#__tabular_schema`, name: 'sales.csv' },
    },
  ];
}

describe('DataMapService', () => {
  let dir: string;
  let moduleRef: TestingModule;
  let dataMap: DataMapService;
  let search: SearchService;
  let clock: Clock;

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'datamap-'));
    moduleRef = await Test.createTestingModule({
      imports: [
        ConfigModule.forRoot(loadConfig({ PURVIEW_DATA_DIR: dir, PURVIEW_ACCOUNT_NAME: 'contoso' })),
        DatabaseModule,
        DataMapModule,
      ],
    }).compile();
    await moduleRef.init();
    dataMap = moduleRef.get(DataMapService);
    search = moduleRef.get(SearchService);
    clock = moduleRef.get(Clock);
  });

  afterEach(async () => {
    await moduleRef.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('creates scanned assets in the root collection and resolves relationships on read', async () => {
    expect(
      await dataMap.upsertAssets(scanned(), { updatedBy: 'scanner', scanResourceId: 'datasources/ds/scans/s' }),
    ).toEqual({ created: 3, updated: 0, unchanged: 0, relationships: 2 });
    const file = await dataMap.getByUniqueAttribute('azure_blob_path', `${BASE}/data/sales.csv`);
    const container = await dataMap.getByUniqueAttribute('azure_blob_container', `${BASE}/data`);
    expect(file.entity).toMatchObject({
      typeName: 'azure_blob_path',
      status: 'ACTIVE',
      version: 0,
      lastModifiedTS: '1',
      createdBy: 'scanner',
      collectionId: 'contoso',
      attributes: { name: 'sales.csv', size: 10, isFile: true },
      classifications: [{ typeName: 'MICROSOFT.PERSONAL.EMAIL', entityGuid: file.entity.guid }],
      sourceDetails: { ScanResourceId: 'datasources/ds/scans/s' },
    });
    expect(file.entity.relationshipAttributes.parent).toMatchObject({
      guid: container.entity.guid,
      typeName: 'azure_blob_container',
      uniqueAttributes: { qualifiedName: `${BASE}/data` },
      displayText: 'data',
    });
    expect(Object.keys(file.referredEntities).sort()).toEqual(
      [container.entity.guid, (file.entity.relationshipAttributes.tabular_schema as { guid: string }).guid].sort(),
    );
    expect((await dataMap.getByGuid(file.entity.guid, { minExtInfo: true })).referredEntities).toEqual({});
    expect(
      (await dataMap.getByGuid(file.entity.guid, { ignoreRelationships: true })).entity.relationshipAttributes,
    ).toEqual({});
  });

  it('is idempotent: the same assets again change nothing, a change bumps version, lastModifiedTS and updateTime', async () => {
    await dataMap.upsertAssets(scanned(), { updatedBy: 'scanner' });
    const before = (await dataMap.getByUniqueAttribute('azure_blob_path', `${BASE}/data/sales.csv`)).entity;
    clock.setOffset(60_000);
    expect(await dataMap.upsertAssets(scanned(), { updatedBy: 'scanner' })).toEqual({
      created: 0,
      updated: 0,
      unchanged: 3,
      relationships: 2,
    });
    expect((await dataMap.getByGuid(before.guid)).entity).toEqual(before);

    const changed = scanned();
    changed[1].attributes.size = 11;
    expect(await dataMap.upsertAssets(changed, { updatedBy: 'scanner' })).toEqual({
      created: 0,
      updated: 1,
      unchanged: 2,
      relationships: 2,
    });
    const after = (await dataMap.getByGuid(before.guid)).entity;
    expect(after).toMatchObject({
      guid: before.guid,
      version: 1,
      lastModifiedTS: '2',
      createTime: before.createTime,
      attributes: { size: 11 },
    });
    expect(after.updateTime).toBeGreaterThanOrEqual(before.updateTime + 60_000);
  });

  it('replaces what scans classified on a rescan, keeps classifications applied by hand', async () => {
    const fileQn = `${BASE}/data/sales.csv`;
    const names = async () =>
      (await dataMap.getByUniqueAttribute('azure_blob_path', fileQn)).entity.classifications.map((c) => c.typeName);
    const found = async (classification: string) =>
      (await search.query({ filter: { classification } })).value.map((v) => v.id);
    await dataMap.upsertAssets(scanned(), { updatedBy: 'scanner' });
    // A write that does not say what it found (basic metadata only) leaves the classifications alone.
    const withoutClassification = scanned();
    delete withoutClassification[1].classifications;
    expect((await dataMap.upsertAssets(withoutClassification, { updatedBy: 'scanner' })).unchanged).toBe(3);
    expect(await names()).toEqual(['MICROSOFT.PERSONAL.EMAIL']);
    // Applied by hand through the Atlas API.
    await dataMap.createOrUpdate(
      [
        {
          typeName: 'azure_blob_path',
          path: 'entity',
          attributes: { qualifiedName: fileQn, name: 'sales.csv' },
          classifications: [{ typeName: 'MICROSOFT.PERSONAL.IPADDRESS' }],
        },
      ],
      { updatedBy: 'alice' },
    );
    expect(await names()).toEqual(['MICROSOFT.PERSONAL.EMAIL', 'MICROSOFT.PERSONAL.IPADDRESS']);
    // The rescan finds a card number and no longer an e-mail address.
    const other = scanned();
    other[1].classifications = [{ typeName: 'MICROSOFT.FINANCIAL.CREDIT_CARD_NUMBER' }];
    expect((await dataMap.upsertAssets(other, { updatedBy: 'scanner' })).updated).toBe(1);
    expect(await names()).toEqual(['MICROSOFT.PERSONAL.IPADDRESS', 'MICROSOFT.FINANCIAL.CREDIT_CARD_NUMBER']);
    const guid = (await dataMap.getByUniqueAttribute('azure_blob_path', fileQn)).entity.guid;
    expect(await found('MICROSOFT.FINANCIAL.CREDIT_CARD_NUMBER')).toEqual([guid]);
    expect(await found('MICROSOFT.PERSONAL.EMAIL')).toEqual([]);
    // A rescan that finds nothing: the hand-applied one stays (and the rendered classification has no origin).
    other[1].classifications = [];
    await dataMap.upsertAssets(other, { updatedBy: 'scanner' });
    const entity = (await dataMap.getByUniqueAttribute('azure_blob_path', fileQn)).entity;
    expect(entity.classifications).toEqual([
      { typeName: 'MICROSOFT.PERSONAL.IPADDRESS', attributes: {}, entityGuid: guid, entityStatus: 'ACTIVE' },
    ]);
    expect(await found('MICROSOFT.FINANCIAL.CREDIT_CARD_NUMBER')).toEqual([]);
    expect(await found('MICROSOFT.PERSONAL.IPADDRESS')).toEqual([guid]);
  });

  it('writes large scans in chunks', async () => {
    const many: ScannedAsset[] = Array.from({ length: UPSERT_CHUNK * 2 + 7 }, (_, i) => ({
      typeName: 'azure_blob_path',
      attributes: { qualifiedName: `${BASE}/big/f${i}`, name: `f${i}` },
    }));
    expect(await dataMap.upsertAssets(many, { updatedBy: 'scanner' })).toEqual({
      created: many.length,
      updated: 0,
      unchanged: 0,
      relationships: 0,
    });
    expect((await search.query({ keywords: null, limit: 1 }))['@search.count']).toBe(many.length);
  });

  it('rejects invalid assets', async () => {
    await expect(
      dataMap.upsertAssets([{ typeName: 'x', attributes: { qualifiedName: '', name: 'n' } }], { updatedBy: 'scanner' }),
    ).rejects.toThrow(PurviewError);
  });

  it('creates and updates Atlas entities, assigning temporary guids, and soft-deletes them', async () => {
    const created = await dataMap.createOrUpdate(
      parseEntityWithExtInfo({
        entity: {
          typeName: 'azure_blob_path',
          guid: '-1',
          attributes: { qualifiedName: `${BASE}/x/a.txt`, name: 'a.txt' },
          relationshipAttributes: { parent: { guid: '-2' } },
          labels: ['l1'],
        },
        referredEntities: {
          '-2': { typeName: 'azure_blob_container', attributes: { qualifiedName: `${BASE}/x`, name: 'x' } },
        },
      }),
      { updatedBy: 'client' },
    );
    expect(Object.keys(created.guidAssignments ?? {}).sort()).toEqual(['-1', '-2']);
    expect(created.mutatedEntities?.CREATE).toHaveLength(2);
    const guid = created.guidAssignments!['-1'];
    const read = await dataMap.getByGuid(guid);
    expect(read.entity.relationshipAttributes.parent).toMatchObject({ guid: created.guidAssignments!['-2'] });
    expect(read.entity.labels).toEqual(['l1']);

    const again = await dataMap.createOrUpdate(
      parseEntityWithExtInfo({
        entity: {
          typeName: 'azure_blob_path',
          attributes: { qualifiedName: `${BASE}/x/a.txt`, name: 'a.txt', description: 'hello' },
        },
      }),
      { updatedBy: 'client' },
    );
    expect(again.mutatedEntities?.UPDATE?.map((h) => h.guid)).toEqual([guid]);
    expect((await dataMap.getHeader(guid)).lastModifiedTS).toBe('2');

    const deleted = await dataMap.deleteByGuids([guid], 'client');
    expect(deleted.mutatedEntities?.DELETE?.[0]).toMatchObject({ guid, status: 'DELETED' });
    expect(await dataMap.deleteByGuids([guid], 'client')).toEqual({});
    expect((await search.query({ keywords: 'a.txt' }))['@search.count']).toBe(0);
    // A later scan of the same asset brings it back.
    await dataMap.upsertAssets(
      [{ typeName: 'azure_blob_path', attributes: { qualifiedName: `${BASE}/x/a.txt`, name: 'a.txt' } }],
      { updatedBy: 'scanner' },
    );
    expect((await dataMap.getHeader(guid)).status).toBe('ACTIVE');
  });

  it('answers 404 with Atlas codes for unknown guids and unique attributes', async () => {
    await expect(dataMap.getByGuid('nope')).rejects.toMatchObject({ status: 404, atlasCode: 'ATLAS-404-00-005' });
    await expect(dataMap.getByUniqueAttribute('azure_blob_path', 'nope')).rejects.toMatchObject({
      status: 404,
      atlasCode: 'ATLAS-404-00-009',
    });
    await expect(dataMap.getBulk(['nope'])).rejects.toMatchObject({ status: 404 });
  });
});

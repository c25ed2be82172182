import * as fs from 'node:fs';
import * as path from 'node:path';
import { DataSource } from 'typeorm';
import { tempDir } from '@purview-emulator/testing';
import { createTestApp, TestApp } from '../testing/test-app';
import { MIGRATIONS } from './migrations';

/**
 * A database written by the previous release (main at b6ad0f3, before this release's migrations), with its key
 * file: a throwaway test key. It was filled through that release's API with an integration runtime and a registered
 * node, a data source, a scan and a queued run, custom types (entity, classification, business metadata), a
 * collection, and entities with a classification, a label and lineage. Opened by this release,
 * every migration since runs and every one of those resources is still there, secrets included.
 */
const FIXTURE = path.join(__dirname, 'testing', 'upgrade-b6ad0f3');
const V = 'api-version=2023-09-01';

describe('upgrading a database of the previous release', () => {
  const dir = tempDir('upgrade-');
  let test: TestApp;

  beforeAll(async () => {
    for (const file of fs.readdirSync(FIXTURE)) fs.copyFileSync(path.join(FIXTURE, file), path.join(dir.path, file));
    test = await createTestApp({ env: { PURVIEW_DATA_DIR: dir.path } });
  });

  afterAll(async () => {
    await test?.close();
    dir.remove();
  });

  it('runs every migration since, never synchronize', async () => {
    const applied = await test.app.get(DataSource).query<{ name: string }[]>('SELECT name FROM migrations');
    expect(applied.map((m) => m.name).sort()).toEqual(MIGRATIONS.map((m) => m.name).sort());
  });

  it('keeps the scanning side: runtime (its auth key still opens), node, data source, scan, run', async () => {
    const ir = await test.api.get(`/scan/integrationruntimes/upgrade-ir?${V}`).expect(200);
    expect(ir.body.properties.description).toBe('made by b6ad0f3');
    const keys = await test.api.post(`/scan/integrationruntimes/upgrade-ir:listAuthKeys?${V}`).expect(200);
    expect(keys.body.authKey1).toMatch(/^IR@/);
    const status = await test.api.get(`/scan/integrationruntimes/upgrade-ir/status?${V}`).expect(200);
    expect(status.body.properties.typeProperties.nodes.map((n: { nodeName: string }) => n.nodeName)).toEqual([
      'node-1',
    ]);
    await test.api.get(`/scan/datasources/upgrade-ds/scans/upgrade-scan?${V}`).expect(200);
    const runs = await test.api.get(`/scan/datasources/upgrade-ds/scans/upgrade-scan/runs?${V}`).expect(200);
    expect(runs.body.value).toEqual([
      expect.objectContaining({ id: '5b0c2d0e-1f7a-4c1e-9a0b-0d6a3d0c0001', status: 'Queued', runType: 'Manual' }),
    ]);
  });

  it('keeps the data map: types, entities with classification, label, lineage; search finds them', async () => {
    await test.api.get(`/datamap/api/atlas/v2/types/typedef/name/upgrade_table?${V}`).expect(200);
    const orders = await test.api
      .get(
        `/datamap/api/atlas/v2/entity/uniqueAttribute/type/upgrade_table?${V}&attr:qualifiedName=upgrade%3A%2F%2Forders`,
      )
      .expect(200);
    const entity = orders.body.entity;
    expect(entity.attributes.rowCount).toBe(42);
    expect(entity.classifications.map((c: { typeName: string }) => c.typeName)).toEqual(['UPGRADE.SECRET']);
    expect(entity.labels).toEqual(['gold']);
    const lineage = await test.api
      .get(`/datamap/api/atlas/v2/lineage/${entity.guid as string}?${V}&direction=OUTPUT&depth=3`)
      .expect(200);
    expect(Object.keys(lineage.body.guidEntityMap)).toHaveLength(3);
    await test.api.get('/account/collections/finance?api-version=2019-11-01-preview').expect(200);
    // The search index did not exist in that release: it is built from the entities at the upgrade.
    const found = await test.api.post(`/datamap/api/search/query?${V}`).send({ keywords: 'orders' }).expect(200);
    expect(found.body.value.map((v: { qualifiedName: string }) => v.qualifiedName)).toContain('upgrade://orders');
  });
});

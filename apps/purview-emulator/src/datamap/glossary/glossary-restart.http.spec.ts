import 'reflect-metadata';
import type { AtlasGlossaryTerm, EntityMutationResult } from '@purview-emulator/contracts';
import { tempDir } from '@purview-emulator/testing';
import { DataMapHttp, startDataMapHttp } from '../testing/datamap-http';
import { TermAssignmentsService } from './term-assignments.service';

const V = 'api-version=2023-09-01';
const G = '/datamap/api/atlas/v2/glossary';

// Two app starts on one data directory.
jest.setTimeout(60_000);

/** What the glossary accepted is in the database: a restart on the same data directory answers the same. */
describe('the glossary across a restart', () => {
  const dir = tempDir('glossary-restart-');
  let dm: DataMapHttp | undefined;

  afterAll(async () => {
    await dm?.close();
    dir.remove();
  });

  it('keeps glossaries, categories, the term hierarchy, relations and assignments; termsOfEntities reads them', async () => {
    dm = await startDataMapHttp({ dataDir: dir.path });
    const glossary = (await dm.http.post(`${G}?${V}`).set(dm.curator).send({ name: 'Kept' }).expect(200)).body;
    const anchor = { glossaryGuid: glossary.guid };
    const category = (await dm.http.post(`${G}/category?${V}`).set(dm.curator).send({ name: 'Cat', anchor })).body;
    const parent = (await dm.http.post(`${G}/term?${V}`).set(dm.curator).send({ name: 'Parent', anchor })).body;
    const child = (
      await dm.http
        .post(`${G}/term?${V}`)
        .set(dm.curator)
        .send({
          name: 'Child',
          anchor,
          status: 'Alert',
          parentTerm: { termGuid: parent.guid },
          seeAlso: [{ termGuid: parent.guid }],
          categories: [{ categoryGuid: category.guid }],
        })
        .expect(200)
    ).body as AtlasGlossaryTerm;
    const entityGuid = (
      (
        await dm.http
          .post(`/datamap/api/atlas/v2/entity?${V}`)
          .set(dm.curator)
          .send({ entity: { typeName: 'DataSet', guid: '-1', attributes: { qualifiedName: 'kept://a', name: 'a' } } })
          .expect(200)
      ).body as EntityMutationResult
    ).guidAssignments!['-1'];
    await dm.http
      .post(`${G}/terms/${child.guid}/assignedEntities?${V}`)
      .set(dm.curator)
      .send([{ guid: entityGuid }])
      .expect(204);
    const before = {
      detailed: (await dm.http.get(`${G}/${glossary.guid}/detailed?${V}`).set(dm.reader).expect(200)).body,
      child: (await dm.http.get(`${G}/term/${child.guid}?includeTermHierarchy=true&${V}`).set(dm.reader)).body,
      entity: (await dm.http.get(`/datamap/api/atlas/v2/entity/guid/${entityGuid}?${V}`).set(dm.reader)).body,
    };
    expect(before.child).toMatchObject({ status: 'Alert', hierarchyInfo: [{ guid: parent.guid }] });
    expect(before.entity.entity.meanings).toHaveLength(1);
    await dm.close();
    dm = undefined;

    dm = await startDataMapHttp({ dataDir: dir.path });
    expect((await dm.http.get(`${G}/${glossary.guid}/detailed?${V}`).set(dm.reader).expect(200)).body).toEqual(
      before.detailed,
    );
    expect(
      (await dm.http.get(`${G}/term/${child.guid}?includeTermHierarchy=true&${V}`).set(dm.reader).expect(200)).body,
    ).toEqual(before.child);
    expect(
      (await dm.http.get(`/datamap/api/atlas/v2/entity/guid/${entityGuid}?${V}`).set(dm.reader).expect(200)).body.entity
        .meanings,
    ).toEqual(before.entity.entity.meanings);
    const terms = await dm.app.get(TermAssignmentsService).termsOfEntities([entityGuid, 'unassigned']);
    expect([...terms.keys()]).toEqual([entityGuid]);
    expect(terms.get(entityGuid)).toEqual([
      {
        termGuid: child.guid,
        relationGuid: expect.any(String),
        displayText: 'Child',
        qualifiedName: 'Parent_Child@Kept',
        glossaryGuid: glossary.guid,
        glossaryName: 'Kept',
        status: 'Alert',
      },
    ]);
  });
});

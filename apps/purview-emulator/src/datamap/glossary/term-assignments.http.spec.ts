import 'reflect-metadata';
import type { AtlasGlossary, EntityMutationResult } from '@purview-emulator/contracts';
import { DataMapHttp, atlasError } from '../testing/datamap-http';
import { GLOSSARY_PREFIXES, glossaryUrl, startGlossaryHttp, termRequests } from './testing/glossary-http';

describe.each(GLOSSARY_PREFIXES)('term assignment over HTTP (%s prefix)', (_, G, V) => {
  let dm: DataMapHttp;
  let glossary: AtlasGlossary;
  const url = glossaryUrl(G, V);
  const { term, get } = termRequests(G, V, () => ({ dm, glossary }));

  beforeAll(async () => {
    ({ dm, glossary } = await startGlossaryHttp(G, V));
  });

  afterAll(async () => {
    await dm?.close();
  });

  /** The entity the terms are assigned to. */
  let entityGuid: string;
  const entityUrl = (path: string) => `${G.replace('/glossary', '/entity')}${path}?${V}`;

  beforeAll(async () => {
    const created = (
      await dm.http
        .post(entityUrl(''))
        .set(dm.curator)
        .send({
          entity: {
            typeName: 'DataSet',
            guid: '-1',
            attributes: {
              qualifiedName: 'https://contoso.blob.core.windows.net/sales/orders.csv',
              name: 'orders.csv',
            },
          },
        })
        .expect(200)
    ).body as EntityMutationResult;
    entityGuid = created.guidAssignments!['-1'];
  });

  it('assigns a term to an entity (204), lists it, and the entity shows it as meanings', async () => {
    const t = await term({ name: 'Assigned' });
    await dm.http
      .post(url(`/terms/${t.guid}/assignedEntities`))
      .set(dm.curator)
      .send([{ guid: entityGuid, relationshipAttributes: { attributes: { description: 'why', confidence: 100 } } }])
      .expect(204);
    // Assigning again changes nothing.
    await dm.http
      .post(url(`/terms/${t.guid}/assignedEntities`))
      .set(dm.curator)
      .send([{ guid: entityGuid }])
      .expect(204);
    const assigned = (
      await dm.http
        .get(url(`/terms/${t.guid}/assignedEntities`))
        .set(dm.reader)
        .expect(200)
    ).body;
    expect(assigned).toEqual([
      {
        guid: entityGuid,
        typeName: 'DataSet',
        uniqueAttributes: { qualifiedName: expect.stringContaining('orders.csv') },
        displayText: 'orders.csv',
        entityStatus: 'ACTIVE',
        relationshipType: 'AtlasGlossarySemanticAssignment',
        relationshipGuid: expect.any(String),
        relationshipStatus: 'ACTIVE',
        relationshipAttributes: {
          typeName: 'AtlasGlossarySemanticAssignment',
          attributes: { createdBy: expect.any(String), description: 'why', confidence: 100 },
        },
      },
    ]);
    expect((await get(t.guid)).assignedEntities).toEqual(assigned);
    // Glossary_GetTermWithoutAssets: excludeRelationshipTypes leaves the assignments out.
    expect(await get(t.guid, 'excludeRelationshipTypes=AtlasGlossarySemanticAssignment')).not.toHaveProperty(
      'assignedEntities',
    );
    const entity = (
      await dm.http
        .get(entityUrl(`/guid/${entityGuid}`))
        .set(dm.reader)
        .expect(200)
    ).body.entity;
    expect(entity.meanings).toEqual([
      {
        termGuid: t.guid,
        relationGuid: assigned[0].relationshipGuid,
        displayText: 'Assigned',
        createdBy: expect.any(String),
        description: 'why',
        confidence: 100,
      },
    ]);
    const header = (
      await dm.http
        .get(entityUrl(`/guid/${entityGuid}/header`))
        .set(dm.reader)
        .expect(200)
    ).body;
    expect(header).toMatchObject({ meaningNames: ['Assigned'], meanings: entity.meanings });
    expect(entity.relationshipAttributes.meanings).toEqual([
      expect.objectContaining({
        guid: t.guid,
        typeName: 'AtlasGlossaryTerm',
        uniqueAttributes: { qualifiedName: 'Assigned@Glossary' },
        relationshipGuid: assigned[0].relationshipGuid,
      }),
    ]);
    // A term with assigned entities cannot be deleted.
    const refused = await dm.http
      .delete(url(`/term/${t.guid}`))
      .set(dm.curator)
      .expect(400);
    expect(refused.body).toEqual(
      atlasError('ATLAS-400-00-084', `Term (guid=${t.guid}) can't be deleted as it has been assigned to 1 entities.`),
    );
    // Removing needs the right relationship guid when one is given.
    const wrong = await dm.http
      .delete(url(`/terms/${t.guid}/assignedEntities`))
      .set(dm.curator)
      .send([{ guid: entityGuid, relationshipGuid: 'wrong' }])
      .expect(400);
    expect(wrong.body).toEqual(atlasError('ATLAS-400-00-080'));
    await dm.http
      .delete(url(`/terms/${t.guid}/assignedEntities`))
      .set(dm.curator)
      .send([{ guid: entityGuid, relationshipGuid: assigned[0].relationshipGuid }])
      .expect(204);
    expect(
      (
        await dm.http
          .get(url(`/terms/${t.guid}/assignedEntities`))
          .set(dm.reader)
          .expect(200)
      ).body,
    ).toEqual([]);
    const after = (
      await dm.http
        .get(entityUrl(`/guid/${entityGuid}`))
        .set(dm.reader)
        .expect(200)
    ).body.entity;
    expect(after).not.toHaveProperty('meanings');
    const bare = (
      await dm.http
        .get(entityUrl(`/guid/${entityGuid}/header`))
        .set(dm.reader)
        .expect(200)
    ).body;
    expect(bare).toMatchObject({ meaningNames: [], meanings: [] });
    expect(after.relationshipAttributes.meanings).toEqual([]);
    await dm.http
      .delete(url(`/term/${t.guid}`))
      .set(dm.curator)
      .expect(204);
  });

  it('refuses assignments to unknown entities, empty bodies, and readers', async () => {
    const t = await term({ name: 'Picky' });
    const unknown = await dm.http
      .post(url(`/terms/${t.guid}/assignedEntities`))
      .set(dm.curator)
      .send([{ guid: 'no-such-entity' }])
      .expect(404);
    expect(unknown.body).toEqual(atlasError('ATLAS-404-00-005'));
    await dm.http
      .post(url(`/terms/${t.guid}/assignedEntities`))
      .set(dm.curator)
      .send([])
      .expect(400);
    await dm.http
      .post(url(`/terms/${t.guid}/assignedEntities`))
      .set(dm.curator)
      .send([{}])
      .expect(400);
    await dm.http
      .post(url(`/terms/nope/assignedEntities`))
      .set(dm.curator)
      .send([{ guid: entityGuid }])
      .expect(404);
    await dm.http
      .delete(url(`/terms/${t.guid}/assignedEntities`))
      .set(dm.curator)
      .send([{ guid: entityGuid }])
      .expect(400);
    await dm.http
      .post(url(`/terms/${t.guid}/assignedEntities`))
      .set(dm.reader)
      .send([{ guid: entityGuid }])
      .expect(403);
  });

  it('drops assignments when the entity is deleted, and when the glossary is', async () => {
    const g2 = (await dm.http.post(url('')).set(dm.curator).send({ name: 'Temporary' }).expect(200)).body;
    const t = await term({ name: 'Gone', anchor: { glossaryGuid: g2.guid } });
    const t2 = await term({ name: 'Stays' });
    const e2 = (
      await dm.http
        .post(entityUrl(''))
        .set(dm.curator)
        .send({
          entity: {
            typeName: 'DataSet',
            guid: '-1',
            attributes: { qualifiedName: 'https://contoso.blob.core.windows.net/sales/tmp.csv', name: 'tmp' },
          },
        })
        .expect(200)
    ).body.guidAssignments['-1'] as string;
    for (const id of [t.guid, t2.guid])
      await dm.http
        .post(url(`/terms/${id}/assignedEntities`))
        .set(dm.curator)
        .send([{ guid: entityGuid }, { guid: e2 }])
        .expect(204);
    await dm.http
      .delete(url(`/${g2.guid}`))
      .set(dm.curator)
      .expect(204);
    const meanings = (
      await dm.http
        .get(entityUrl(`/guid/${entityGuid}`))
        .set(dm.reader)
        .expect(200)
    ).body.entity.meanings;
    expect(meanings.map((m: { displayText: string }) => m.displayText)).toEqual(['Stays']);
    await dm.http
      .delete(entityUrl(`/guid/${e2}`))
      .set(dm.curator)
      .expect(200);
    const left = (
      await dm.http
        .get(url(`/terms/${t2.guid}/assignedEntities`))
        .set(dm.reader)
        .expect(200)
    ).body;
    expect(left.map((a: { guid: string }) => a.guid)).toEqual([entityGuid]);
  });
});

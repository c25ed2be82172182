import 'reflect-metadata';
import type { AtlasGlossary, AtlasGlossaryTerm } from '@purview-emulator/contracts';
import { DataMapHttp, atlasError } from '../testing/datamap-http';
import { GLOSSARY_PREFIXES, glossaryUrl, startGlossaryHttp, termRequests } from './testing/glossary-http';

describe.each(GLOSSARY_PREFIXES)('glossary terms over HTTP (%s prefix)', (_, G, V) => {
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

  it('creates a term with Purview fields, reads it alone and in the glossary lists', async () => {
    const t = await term({
      name: 'ExampleTerm1',
      shortDescription: 'Example Short Description',
      abbreviation: 'T1',
      nickName: 'ET1',
      status: 'Approved',
      examples: ['one'],
      resources: [{ displayName: 'Example Display Name', url: 'Example Url' }],
      contacts: { Expert: [{ id: '30435ff9-9b96-44af-a5a9-e05c8b1ae2df', info: 'Example Expert Info' }] },
    });
    expect(t).toEqual({
      guid: expect.any(String),
      qualifiedName: 'ExampleTerm1@Glossary',
      name: 'ExampleTerm1',
      shortDescription: 'Example Short Description',
      abbreviation: 'T1',
      nickName: 'ET1',
      examples: ['one'],
      lastModifiedTS: '1',
      createdBy: expect.any(String),
      updatedBy: expect.any(String),
      createTime: expect.any(Number),
      updateTime: expect.any(Number),
      status: 'Approved',
      anchor: { glossaryGuid: glossary.guid, relationGuid: expect.any(String), displayText: 'Glossary' },
      resources: [{ displayName: 'Example Display Name', url: 'Example Url' }],
      contacts: { Expert: [{ id: '30435ff9-9b96-44af-a5a9-e05c8b1ae2df', info: 'Example Expert Info' }] },
    });
    expect(await get(t.guid)).toEqual(t);
    expect((await term({ name: 'Drafty' })).status).toBe('Draft');
    const listed = (
      await dm.http
        .get(url(`/${glossary.guid}/terms`))
        .set(dm.reader)
        .expect(200)
    ).body;
    expect(listed.map((x: AtlasGlossaryTerm) => x.name)).toEqual(['Drafty', 'ExampleTerm1']);
    const headers = (await dm.http.get(url(`/${glossary.guid}/terms/headers`, 'sort=DESC&limit=1')).set(dm.reader))
      .body;
    expect(headers).toEqual([
      {
        termGuid: t.guid,
        relationGuid: t.anchor.relationGuid,
        displayText: 'ExampleTerm1',
        description: 'Example Short Description',
      },
    ]);
  });

  it('refuses bad terms as Atlas does: duplicate names, missing name or anchor, bad status, unknown guids', async () => {
    await term({ name: 'Once' });
    const dup = await dm.http
      .post(url('/term'))
      .set(dm.curator)
      .send({ name: 'Once', anchor: { glossaryGuid: glossary.guid } })
      .expect(409);
    expect(dup.body).toEqual(
      atlasError('ATLAS-409-00-009', 'Glossary term with qualifiedName Once@Glossary already exists'),
    );
    const cases: [Record<string, unknown>, number, string | undefined][] = [
      [{ anchor: { glossaryGuid: glossary.guid } }, 400, 'ATLAS-400-00-07A'],
      [{ name: 'NoAnchor' }, 400, 'ATLAS-400-00-072'],
      [{ name: 'a@b', anchor: { glossaryGuid: glossary.guid } }, 400, 'ATLAS-400-00-083'],
      [{ name: 'x', anchor: { glossaryGuid: 'nope' } }, 404, 'ATLAS-404-00-005'],
      [{ name: 'x', anchor: { glossaryGuid: glossary.guid }, status: 'Sideways' }, 400, undefined],
      [
        { name: 'x', anchor: { glossaryGuid: glossary.guid }, seeAlso: [{ termGuid: 'nope' }] },
        404,
        'ATLAS-404-00-005',
      ],
      [
        { name: 'x', anchor: { glossaryGuid: glossary.guid }, parentTerm: { termGuid: 'nope' } },
        404,
        'ATLAS-404-00-005',
      ],
      [
        { name: 'x', anchor: { glossaryGuid: glossary.guid }, categories: [{ categoryGuid: 'nope' }] },
        404,
        'ATLAS-404-00-005',
      ],
    ];
    for (const [body, status, code] of cases) {
      const res = await dm.http.post(url('/term')).set(dm.curator).send(body);
      expect([res.status, code ? res.body.errorCode : status]).toEqual([status, code ?? status]);
    }
    // None of the refused bodies left a term behind.
    await term({ name: 'x' });
    for (const path of ['/term/nope', '/terms/nope/related', '/terms/nope/assignedEntities'])
      await dm.http.get(url(path)).set(dm.reader).expect(404);
    await dm.http.put(url('/term/nope')).set(dm.curator).send({ name: 'y' }).expect(404);
    await dm.http.put(url('/term/nope/partial')).set(dm.curator).send({ name: 'y' }).expect(404);
    await dm.http.delete(url('/term/nope')).set(dm.curator).expect(404);
  });

  it('builds a term hierarchy (parentTerm): names unique per parent, hierarchyInfo on includeTermHierarchy', async () => {
    const parent = await term({ name: 'Parent' });
    const other = await term({ name: 'OtherParent' });
    const [child, cousin] = (
      await dm.http
        .post(url('/terms', 'includeTermHierarchy=true'))
        .set(dm.curator)
        .send([
          { name: 'Child', anchor: { glossaryGuid: glossary.guid }, parentTerm: { termGuid: parent.guid } },
          { name: 'Child', anchor: { glossaryGuid: glossary.guid }, parentTerm: { termGuid: other.guid } },
        ])
        .expect(200)
    ).body as AtlasGlossaryTerm[];
    expect(child).toMatchObject({
      qualifiedName: 'Parent_Child@Glossary',
      parentTerm: { termGuid: parent.guid, displayText: 'Parent' },
      hierarchyInfo: [
        {
          guid: parent.guid,
          typeName: 'AtlasGlossaryTerm',
          name: 'Parent',
          displayText: 'Parent',
          uniqueAttributes: { qualifiedName: 'Parent@Glossary' },
        },
      ],
    });
    expect(cousin.qualifiedName).toBe('OtherParent_Child@Glossary');
    // pyapacheatlas sends the formal name (`Parent_Child`) as the name and the plain one as nickName.
    const formal = await term({
      name: 'OtherParent_Sibling',
      qualifiedName: 'OtherParent_Sibling@Glossary',
      nickName: 'Sibling',
      parentTerm: { termGuid: other.guid },
    });
    expect(formal).toMatchObject({
      name: 'OtherParent_Sibling',
      nickName: 'Sibling',
      qualifiedName: 'OtherParent_Sibling@Glossary',
    });
    const grandchild = await term({ name: 'Grand', parentTerm: { termGuid: child.guid } }, 'includeTermHierarchy=true');
    expect(grandchild.qualifiedName).toBe('Parent_Child_Grand@Glossary');
    expect(grandchild.hierarchyInfo?.map((h) => h.name)).toEqual(['Parent', 'Child']);
    expect(await get(grandchild.guid)).not.toHaveProperty('hierarchyInfo');
    const dup = await dm.http
      .post(url('/term'))
      .set(dm.curator)
      .send({ name: 'Child', anchor: { glossaryGuid: glossary.guid }, parentTerm: { termGuid: parent.guid } })
      .expect(409);
    expect(dup.body).toEqual(atlasError('ATLAS-409-00-009'));
    // A cycle is refused; renaming a parent renames its descendants.
    await dm.http
      .put(url(`/term/${parent.guid}`))
      .set(dm.curator)
      .send({ name: 'Parent', anchor: { glossaryGuid: glossary.guid }, parentTerm: { termGuid: grandchild.guid } })
      .expect(400);
    await dm.http
      .put(url(`/term/${parent.guid}/partial`))
      .set(dm.curator)
      .send({ name: 'Root' })
      .expect(200);
    expect((await get(grandchild.guid)).qualifiedName).toBe('Root_Child_Grand@Glossary');
    // A PUT without parentTerm keeps the parent; parentTerm null removes it.
    await dm.http
      .put(url(`/term/${formal.guid}`))
      .set(dm.curator)
      .send({ name: 'OtherParent_Sibling', anchor: { glossaryGuid: glossary.guid }, usage: 'kept' })
      .expect(200);
    expect(await get(formal.guid)).toMatchObject({ usage: 'kept', parentTerm: { termGuid: other.guid } });
    const unparented = await dm.http
      .put(url(`/term/${formal.guid}`))
      .set(dm.curator)
      .send({ name: 'OtherParent_Sibling', anchor: { glossaryGuid: glossary.guid }, parentTerm: null })
      .expect(200);
    expect(unparented.body).not.toHaveProperty('parentTerm');
    // Deleting a parent lifts its children to the top.
    await dm.http
      .delete(url(`/term/${other.guid}`))
      .set(dm.curator)
      .expect(204);
    const lifted = await get(cousin.guid, 'includeTermHierarchy=true');
    expect(lifted).toMatchObject({ qualifiedName: 'Child@Glossary', hierarchyInfo: [] });
    expect(lifted).not.toHaveProperty('parentTerm');
  });

  it('relates terms both ways (synonyms, seeAlso, preferredTerms/preferredToTerms) and lists them by relation', async () => {
    const a = await term({ name: 'Revenue' });
    const b = await term({ name: 'Income' });
    const c = await term({ name: 'Turnover' });
    await dm.http
      .put(url(`/term/${a.guid}`))
      .set(dm.curator)
      .send({
        name: 'Revenue',
        anchor: { glossaryGuid: glossary.guid },
        synonyms: [{ termGuid: b.guid }],
        seeAlso: [{ termGuid: c.guid, description: 'see' }],
        preferredTerms: [{ termGuid: c.guid }],
      })
      .expect(200);
    const header = (t: AtlasGlossaryTerm, extra: Record<string, unknown> = {}) => ({
      termGuid: t.guid,
      relationGuid: expect.any(String),
      displayText: t.name,
      ...extra,
    });
    expect(await get(b.guid)).toMatchObject({ synonyms: [header(a)] });
    expect(
      await get(b.guid, 'excludeRelationshipTypes=AtlasGlossarySynonym,AtlasGlossaryRelatedTerm'),
    ).not.toHaveProperty('synonyms');
    const turnover = await get(c.guid);
    expect(turnover.seeAlso).toEqual([header(a, { description: 'see' })]);
    expect(turnover.preferredToTerms).toEqual([header(a)]);
    expect(
      (
        await dm.http
          .get(url(`/terms/${a.guid}/related`))
          .set(dm.reader)
          .expect(200)
      ).body,
    ).toEqual({
      seeAlso: [header(c, { description: 'see' })],
      synonyms: [header(b)],
      preferredTerms: [header(c)],
    });
    // B's PUT without synonyms ends the relation on both ends (an Atlas PUT replaces relations).
    await dm.http
      .put(url(`/term/${b.guid}`))
      .set(dm.curator)
      .send({ name: 'Income', anchor: { glossaryGuid: glossary.guid } })
      .expect(200);
    expect(await get(a.guid)).not.toHaveProperty('synonyms');
    const self = await dm.http
      .put(url(`/term/${a.guid}`))
      .set(dm.curator)
      .send({ name: 'Revenue', anchor: { glossaryGuid: glossary.guid }, antonyms: [{ termGuid: a.guid }] })
      .expect(400);
    expect(self.body).toEqual(atlasError('ATLAS-400-00-07E'));
  });

  it('updates terms (PUT, partial), categorizes them, and refuses what Atlas refuses', async () => {
    const cat = (
      await dm.http
        .post(url('/category'))
        .set(dm.curator)
        .send({ name: 'Money', anchor: { glossaryGuid: glossary.guid } })
        .expect(200)
    ).body;
    const t = await term({ name: 'Cash' });
    const put = await dm.http
      .put(url(`/term/${t.guid}`))
      .set(dm.curator)
      .send({
        name: 'Cash',
        anchor: { glossaryGuid: glossary.guid },
        usage: 'Pay',
        categories: [{ categoryGuid: cat.guid }],
      })
      .expect(200);
    expect(put.body).toMatchObject({
      usage: 'Pay',
      lastModifiedTS: '2',
      categories: [{ categoryGuid: cat.guid, relationGuid: expect.any(String), displayText: 'Money' }],
    });
    expect(
      (
        await dm.http
          .get(url(`/category/${cat.guid}/terms`))
          .set(dm.reader)
          .expect(200)
      ).body,
    ).toEqual([{ termGuid: t.guid, relationGuid: expect.any(String), displayText: 'Cash' }]);
    const partial = await dm.http
      .put(url(`/term/${t.guid}/partial`))
      .set(dm.curator)
      .send({ status: 'Expired', abbreviation: 'C' })
      .expect(200);
    expect(partial.body).toMatchObject({
      status: 'Expired',
      abbreviation: 'C',
      usage: 'Pay',
      categories: [expect.anything()],
    });
    const badStatus = await dm.http
      .put(url(`/term/${t.guid}/partial`))
      .set(dm.curator)
      .send({ status: 'Old' })
      .expect(400);
    expect(badStatus.body).toEqual(atlasError('ATLAS-400-00-075'));
    const badAttr = await dm.http
      .put(url(`/term/${t.guid}/partial`))
      .set(dm.curator)
      .send({ anchor: 'x' })
      .expect(400);
    expect(badAttr.body).toEqual(atlasError('ATLAS-400-00-074', 'Invalid attribute anchor for partial update of term'));
    const other = (await dm.http.post(url('')).set(dm.curator).send({ name: 'Other' }).expect(200)).body;
    await dm.http
      .put(url(`/term/${t.guid}`))
      .set(dm.curator)
      .send({ name: 'Cash', anchor: { glossaryGuid: other.guid } })
      .expect(400);
  });
});

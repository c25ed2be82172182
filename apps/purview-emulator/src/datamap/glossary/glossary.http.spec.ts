import 'reflect-metadata';
import type { AtlasGlossary, AtlasGlossaryCategory, AtlasGlossaryExtInfo } from '@purview-emulator/contracts';
import { DataMapHttp, atlasError, startDataMapHttp } from '../testing/datamap-http';
import { GLOSSARY_PREFIXES, glossaryUrl } from './testing/glossary-http';

// Both prefixes, each with how its clients send api-version (the legacy catalog's clients send none).
describe.each(GLOSSARY_PREFIXES)('glossaries and categories over HTTP (%s prefix)', (_, G, V) => {
  let dm: DataMapHttp;
  const url = glossaryUrl(G, V);
  const create = async (name: string, extra: Record<string, unknown> = {}): Promise<AtlasGlossary> =>
    (
      await dm.http
        .post(url(''))
        .set(dm.curator)
        .send({ name, ...extra })
        .expect(200)
    ).body as AtlasGlossary;
  const category = async (body: Record<string, unknown>): Promise<AtlasGlossaryCategory> =>
    (await dm.http.post(url('/category')).set(dm.curator).send(body).expect(200)).body as AtlasGlossaryCategory;

  beforeAll(async () => {
    dm = await startDataMapHttp();
  });

  afterAll(async () => {
    await dm?.close();
  });

  it('creates a glossary with 200 (as the real service answers), reads, lists, sorts and pages it', async () => {
    const g = await create('Finance', { shortDescription: 'Money', language: 'en', usage: 'Example Glossary' });
    expect(g).toEqual({
      guid: expect.any(String),
      qualifiedName: 'Finance',
      name: 'Finance',
      shortDescription: 'Money',
      language: 'en',
      usage: 'Example Glossary',
      lastModifiedTS: '1',
      createdBy: expect.any(String),
      updatedBy: expect.any(String),
      createTime: expect.any(Number),
      updateTime: expect.any(Number),
    });
    expect(
      (
        await dm.http
          .get(url(`/${g.guid}`))
          .set(dm.reader)
          .expect(200)
      ).body,
    ).toEqual(g);
    await create('Accounting');
    await create('Zoology');
    const names = async (query: string) =>
      ((await dm.http.get(url('', query)).set(dm.reader).expect(200)).body as AtlasGlossary[]).map((x) => x.name);
    expect(await names('')).toEqual(['Accounting', 'Finance', 'Zoology']);
    expect(await names('sort=DESC')).toEqual(['Zoology', 'Finance', 'Accounting']);
    expect(await names('limit=1&offset=1')).toEqual(['Finance']);
    expect(await names('limit=-1&offset=2')).toEqual(['Zoology']);
    await dm.http.get(url('', 'limit=x')).set(dm.reader).expect(400);
    await dm.http.get(url('', 'offset=-1')).set(dm.reader).expect(400);
    await dm.http.get(url('', 'sort=sideways')).set(dm.reader).expect(400);
  });

  it('keeps glossary names unique and well formed (Atlas 409 / 400)', async () => {
    await create('Unique');
    const dup = await dm.http.post(url('')).set(dm.curator).send({ name: 'Unique' }).expect(409);
    expect(dup.body).toEqual(atlasError('ATLAS-409-00-007', 'Glossary with qualifiedName Unique already exists'));
    const missing = await dm.http.post(url('')).set(dm.curator).send({ shortDescription: 'x' }).expect(400);
    expect(missing.body).toEqual(atlasError('ATLAS-400-00-079'));
    const at = await dm.http.post(url('')).set(dm.curator).send({ name: 'a@b' }).expect(400);
    expect(at.body).toEqual(atlasError('ATLAS-400-00-083'));
    await dm.http.post(url('')).set(dm.curator).send({ name: 42 }).expect(400);
  });

  it('updates (PUT) and partially updates a glossary; unknown attributes and guids are refused', async () => {
    const g = await create('Sales');
    const put = await dm.http
      .put(url(`/${g.guid}`))
      .set(dm.curator)
      .send({ name: 'Sales', longDescription: 'All of sales' })
      .expect(200);
    expect(put.body).toMatchObject({ guid: g.guid, longDescription: 'All of sales', lastModifiedTS: '2' });
    expect(put.body).not.toHaveProperty('shortDescription');
    const partial = await dm.http
      .put(url(`/${g.guid}/partial`))
      .set(dm.curator)
      .send({ shortDescription: 'Short', usage: 'Use it' })
      .expect(200);
    expect(partial.body).toMatchObject({ shortDescription: 'Short', usage: 'Use it', longDescription: 'All of sales' });
    const bad = await dm.http
      .put(url(`/${g.guid}/partial`))
      .set(dm.curator)
      .send({ color: 'red' })
      .expect(400);
    expect(bad.body).toEqual(atlasError('ATLAS-400-00-074', 'Invalid attribute color for partial update of glossary'));
    // A rename keeps the qualifiedName (its terms' end with it) and may not take another glossary's name.
    const other = await create('Other');
    const taken = await dm.http
      .put(url(`/${g.guid}`))
      .set(dm.curator)
      .send({ name: 'Other' })
      .expect(409);
    expect(taken.body).toEqual(atlasError('ATLAS-409-00-007', 'Glossary with qualifiedName Other already exists'));
    await dm.http
      .put(url(`/${g.guid}/partial`))
      .set(dm.curator)
      .send({ name: 'Other' })
      .expect(409);
    expect(
      (
        await dm.http
          .get(url(`/${other.guid}`))
          .set(dm.reader)
          .expect(200)
      ).body.name,
    ).toBe('Other');
    const renamed = await dm.http
      .put(url(`/${g.guid}`))
      .set(dm.curator)
      .send({ name: 'Revenue', qualifiedName: 'ignored' })
      .expect(200);
    expect(renamed.body).toMatchObject({ name: 'Revenue', qualifiedName: 'Sales' });
    for (const req of [
      dm.http.get(url('/nope')).set(dm.reader),
      dm.http.put(url('/nope')).set(dm.curator).send({ name: 'x' }),
      dm.http.put(url('/nope/partial')).set(dm.curator).send({ usage: 'x' }),
      dm.http.delete(url('/nope')).set(dm.curator),
      dm.http.get(url('/nope/detailed')).set(dm.reader),
      dm.http.get(url('/nope/terms')).set(dm.reader),
      dm.http.get(url('/nope/terms/headers')).set(dm.reader),
      dm.http.get(url('/nope/categories')).set(dm.reader),
      dm.http.get(url('/nope/categories/headers')).set(dm.reader),
    ]) {
      const res = await req;
      expect(res.status).toBe(404);
      expect(res.body).toEqual(atlasError('ATLAS-404-00-005', 'Given instance guid nope is invalid/not found'));
    }
  });

  it('creates categories (one, many), nested with unique names per level, and reads them from every side', async () => {
    const g = await create('Catalog');
    const anchor = { glossaryGuid: g.guid };
    const parent = await category({ name: 'Parent', anchor, shortDescription: 'Top' });
    expect(parent).toMatchObject({
      qualifiedName: 'Parent@Catalog',
      anchor: { glossaryGuid: g.guid, relationGuid: expect.any(String), displayText: 'Catalog' },
    });
    const [child, sibling] = (
      await dm.http
        .post(url('/categories'))
        .set(dm.curator)
        .send([
          { name: 'Child', anchor, parentCategory: { categoryGuid: parent.guid } },
          { name: 'Child', anchor },
        ])
        .expect(200)
    ).body as AtlasGlossaryCategory[];
    expect(child).toMatchObject({
      qualifiedName: 'Child.Parent@Catalog',
      parentCategory: { categoryGuid: parent.guid, displayText: 'Parent' },
    });
    expect(sibling.qualifiedName).toBe('Child@Catalog');
    const dup = await dm.http.post(url('/category')).set(dm.curator).send({ name: 'Child', anchor }).expect(409);
    expect(dup.body).toEqual(
      atlasError('ATLAS-409-00-00A', 'Glossary category with qualifiedName Child@Catalog already exists'),
    );
    const got = (
      await dm.http
        .get(url(`/category/${parent.guid}`))
        .set(dm.reader)
        .expect(200)
    ).body;
    expect(got.childrenCategories).toEqual([
      { categoryGuid: child.guid, relationGuid: expect.any(String), displayText: 'Child' },
    ]);
    const related = (
      await dm.http
        .get(url(`/category/${child.guid}/related`))
        .set(dm.reader)
        .expect(200)
    ).body;
    expect(related).toEqual({
      parent: [expect.objectContaining({ categoryGuid: parent.guid, displayText: 'Parent' })],
    });
    expect(
      (
        await dm.http
          .get(url(`/category/${parent.guid}/related`))
          .set(dm.reader)
          .expect(200)
      ).body,
    ).toEqual({
      children: [expect.objectContaining({ categoryGuid: child.guid, parentCategoryGuid: parent.guid })],
    });
    const list = (
      await dm.http
        .get(url(`/${g.guid}/categories`, 'limit=2'))
        .set(dm.reader)
        .expect(200)
    ).body as AtlasGlossaryCategory[];
    expect(list.map((c) => c.qualifiedName)).toEqual(['Child.Parent@Catalog', 'Child@Catalog']);
    const headers = (
      await dm.http
        .get(url(`/${g.guid}/categories/headers`))
        .set(dm.reader)
        .expect(200)
    ).body;
    expect(headers).toHaveLength(3);
    expect(headers[2]).toEqual({
      categoryGuid: parent.guid,
      relationGuid: expect.any(String),
      displayText: 'Parent',
      description: 'Top',
    });
    const glossary = (
      await dm.http
        .get(url(`/${g.guid}`))
        .set(dm.reader)
        .expect(200)
    ).body as AtlasGlossary;
    expect(glossary.categories?.map((c) => c.displayText)).toEqual(['Child', 'Child', 'Parent']);
    const bare = (await dm.http.get(url('', 'ignoreTermsAndCategories=true')).set(dm.reader).expect(200))
      .body as AtlasGlossary[];
    expect(bare.find((x) => x.guid === g.guid)).not.toHaveProperty('categories');
  });

  it('updates, renames (children follow), partially updates and deletes categories; refuses bad input', async () => {
    const g = await create('Ops');
    const other = await create('OtherOps');
    const anchor = { glossaryGuid: g.guid };
    const top = await category({ name: 'Top', anchor });
    const leaf = await category({ name: 'Leaf', anchor, parentCategory: { categoryGuid: top.guid } });
    const renamed = await dm.http
      .put(url(`/category/${top.guid}`))
      .set(dm.curator)
      .send({ name: 'Head', anchor, longDescription: 'Long' })
      .expect(200);
    expect(renamed.body).toMatchObject({ qualifiedName: 'Head@Ops', longDescription: 'Long', lastModifiedTS: '2' });
    expect(
      (
        await dm.http
          .get(url(`/category/${leaf.guid}`))
          .set(dm.reader)
          .expect(200)
      ).body.qualifiedName,
    ).toBe('Leaf.Head@Ops');
    const partial = await dm.http
      .put(url(`/category/${leaf.guid}/partial`))
      .set(dm.curator)
      .send({ shortDescription: 'Small' })
      .expect(200);
    expect(partial.body).toMatchObject({ shortDescription: 'Small', parentCategory: { categoryGuid: top.guid } });
    await dm.http
      .put(url(`/category/${leaf.guid}/partial`))
      .set(dm.curator)
      .send({ anchor: 'x' })
      .expect(400);
    const moved = await dm.http
      .put(url(`/category/${leaf.guid}`))
      .set(dm.curator)
      .send({ name: 'Leaf', anchor: { glossaryGuid: other.guid } })
      .expect(400);
    expect(moved.body).toEqual(atlasError('ATLAS-400-00-0010'));
    const noAnchor = await dm.http.post(url('/category')).set(dm.curator).send({ name: 'Lost' }).expect(400);
    expect(noAnchor.body).toEqual(atlasError('ATLAS-400-00-072', 'Mandatory anchor attribute is missing'));
    const dotted = await dm.http.post(url('/category')).set(dm.curator).send({ name: 'a.b', anchor }).expect(400);
    expect(dotted.body).toEqual(atlasError('ATLAS-400-00-083'));
    const cross = await dm.http
      .post(url('/category'))
      .set(dm.curator)
      .send({ name: 'Cross', anchor: { glossaryGuid: other.guid }, parentCategory: { categoryGuid: top.guid } })
      .expect(400);
    expect(cross.body).toEqual(atlasError('ATLAS-400-00-07F'));
    await dm.http
      .post(url('/category'))
      .set(dm.curator)
      .send({ name: 'x', anchor: { glossaryGuid: 'nope' } })
      .expect(404);
    await dm.http
      .delete(url(`/category/${top.guid}`))
      .set(dm.curator)
      .expect(204);
    await dm.http
      .get(url(`/category/${top.guid}`))
      .set(dm.reader)
      .expect(404);
    const orphan = (
      await dm.http
        .get(url(`/category/${leaf.guid}`))
        .set(dm.reader)
        .expect(200)
    ).body;
    expect(orphan.qualifiedName).toBe('Leaf@Ops');
    expect(orphan).not.toHaveProperty('parentCategory');
    for (const path of ['', '/related', '/terms'])
      await dm.http
        .get(url(`/category/nope${path}`))
        .set(dm.reader)
        .expect(404);
    await dm.http.delete(url('/category/nope')).set(dm.curator).expect(404);
    await dm.http.put(url('/category/nope')).set(dm.curator).send({ name: 'x' }).expect(404);
    await dm.http.put(url('/category/nope/partial')).set(dm.curator).send({ name: 'x' }).expect(404);
  });

  it('answers the detailed glossary (AtlasGlossaryExtInfo) and deletes a glossary with all it holds', async () => {
    const g = await create('Doomed');
    const anchor = { glossaryGuid: g.guid };
    const cat = await category({ name: 'Cat', anchor });
    const term = (
      await dm.http
        .post(url('/term'))
        .set(dm.curator)
        .send({ name: 'Term', anchor, categories: [{ categoryGuid: cat.guid }] })
        .expect(200)
    ).body as { guid: string };
    const detailed = (
      await dm.http
        .get(url(`/${g.guid}/detailed`))
        .set(dm.reader)
        .expect(200)
    ).body as AtlasGlossaryExtInfo;
    expect(Object.keys(detailed.categoryInfo)).toEqual([cat.guid]);
    expect(detailed.termInfo[term.guid]).toMatchObject({ name: 'Term', qualifiedName: 'Term@Doomed' });
    expect(detailed.categoryInfo[cat.guid].terms).toEqual([
      { termGuid: term.guid, relationGuid: expect.any(String), displayText: 'Term' },
    ]);
    expect(detailed.terms).toEqual([{ termGuid: term.guid, relationGuid: expect.any(String), displayText: 'Term' }]);
    await dm.http
      .delete(url(`/${g.guid}`))
      .set(dm.curator)
      .expect(204);
    await dm.http
      .get(url(`/${g.guid}`))
      .set(dm.reader)
      .expect(404);
    await dm.http
      .get(url(`/category/${cat.guid}`))
      .set(dm.reader)
      .expect(404);
    await dm.http
      .get(url(`/term/${term.guid}`))
      .set(dm.reader)
      .expect(404);
    // The names are free again.
    const again = await create('Doomed');
    await category({ name: 'Cat', anchor: { glossaryGuid: again.guid } });
  });

  it('needs a token with the right role: readers read, only curators write', async () => {
    await dm.http.get(url('')).expect(401);
    await dm.http.get(url('')).set(dm.reader).expect(200);
    await dm.http.post(url('')).set(dm.reader).send({ name: 'NotMine' }).expect(403);
    await dm.http.get(url('')).set(dm.admin).expect(403);
  });
});

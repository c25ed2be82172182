import 'reflect-metadata';
import fc from 'fast-check';
import { bodyText, shape, text } from '../../common/testing/fuzz-bodies';
import { DataMapHttp, startDataMapHttp } from '../testing/datamap-http';

/**
 * Bad input must never be a 500: generated bodies, mostly near-valid with hostile parts (common/testing/fuzz-bodies),
 * to every glossary route that takes input. The seed is fixed (FUZZ_SEED overrides it); a failure names it.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20251206);
const RUNS = Number(process.env.FUZZ_RUNS ?? 120);
const G = '/datamap/api/atlas/v2/glossary';
const V = '?api-version=2023-09-01';

jest.setTimeout(120_000);

describe(`glossary input fuzzing (seed ${SEED}, ${RUNS} bodies per route)`, () => {
  let dm: DataMapHttp;
  const ids: Record<string, string> = {};

  const fuzz = (method: 'post' | 'put' | 'delete', url: () => string, body: fc.Arbitrary<string>) =>
    fc.assert(
      fc.asyncProperty(body, async (text) => {
        const res = await dm.http[method](url()).set(dm.curator).set('content-type', 'application/json').send(text);
        if (res.status >= 500)
          throw new Error(
            `${method.toUpperCase()} ${url()} answered ${res.status} ${res.text.slice(0, 500)}\nbody: ${text.slice(0, 2000)}\nFUZZ_SEED=${SEED}`,
          );
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );

  const guidOf = (key: string) =>
    fc.oneof({ weight: 5, arbitrary: fc.constant(key).map((k) => ids[k]) }, { weight: 1, arbitrary: text });
  const related = (key: string) =>
    fc.array(shape({ termGuid: guidOf(key), description: text, status: fc.constantFrom('ACTIVE', 'DRAFT', 'x') }), {
      maxLength: 3,
    });
  const anchor = shape({ glossaryGuid: guidOf('glossary') });

  beforeAll(async () => {
    dm = await startDataMapHttp();
    ids.glossary = (await dm.http.post(`${G}${V}`).set(dm.curator).send({ name: 'Fuzz' }).expect(200)).body.guid;
    const a = { glossaryGuid: ids.glossary };
    ids.term = (
      await dm.http.post(`${G}/term${V}`).set(dm.curator).send({ name: 'T', anchor: a }).expect(200)
    ).body.guid;
    ids.category = (
      await dm.http.post(`${G}/category${V}`).set(dm.curator).send({ name: 'C', anchor: a }).expect(200)
    ).body.guid;
    ids.entity = (
      await dm.http
        .post(`/datamap/api/atlas/v2/entity${V}`)
        .set(dm.curator)
        .send({ entity: { typeName: 'DataSet', guid: '-1', attributes: { qualifiedName: 'fuzz://e', name: 'e' } } })
        .expect(200)
    ).body.guidAssignments['-1'];
  });

  afterAll(async () => {
    await dm?.close();
  });

  it('POST and PUT glossaries, and partial updates of all three kinds', async () => {
    const glossary = shape({ name: text, qualifiedName: text, shortDescription: text, language: text, usage: text });
    await fuzz('post', () => `${G}${V}`, bodyText(glossary));
    await fuzz('put', () => `${G}/${ids.glossary}${V}`, bodyText(glossary));
    const partial = fc.dictionary(
      fc.constantFrom('name', 'shortDescription', 'status', 'usage', 'x', '__proto__'),
      text,
    );
    await fuzz('put', () => `${G}/${ids.glossary}/partial${V}`, bodyText(partial));
    await fuzz('put', () => `${G}/term/${ids.term}/partial${V}`, bodyText(partial));
    await fuzz('put', () => `${G}/category/${ids.category}/partial${V}`, bodyText(partial));
  });

  it('POST and PUT terms and categories', async () => {
    const term = shape({
      name: text,
      anchor,
      status: fc.constantFrom('Draft', 'Approved', 'bad'),
      parentTerm: shape({ termGuid: guidOf('term') }),
      synonyms: related('term'),
      seeAlso: related('term'),
      categories: fc.array(shape({ categoryGuid: guidOf('category') }), { maxLength: 2 }),
      resources: fc.array(shape({ displayName: text, url: text }), { maxLength: 2 }),
      contacts: fc.dictionary(text, fc.array(shape({ id: text, info: text }), { maxLength: 2 }), { maxKeys: 2 }),
      examples: fc.array(text, { maxLength: 3 }),
    });
    await fuzz('post', () => `${G}/term${V}`, bodyText(term));
    await fuzz('post', () => `${G}/terms${V}`, bodyText(fc.array(term, { maxLength: 3 })));
    await fuzz('put', () => `${G}/term/${ids.term}${V}`, bodyText(term));
    const category = shape({
      name: text,
      anchor,
      parentCategory: shape({ categoryGuid: guidOf('category') }),
      childrenCategories: fc.array(shape({ categoryGuid: guidOf('category') }), { maxLength: 2 }),
      terms: related('term'),
    });
    await fuzz('post', () => `${G}/category${V}`, bodyText(category));
    await fuzz('post', () => `${G}/categories${V}`, bodyText(fc.array(category, { maxLength: 3 })));
    await fuzz('put', () => `${G}/category/${ids.category}${V}`, bodyText(category));
  });

  it('POST and DELETE term assignments', async () => {
    const assignments = fc.array(
      shape({
        guid: guidOf('entity'),
        relationshipGuid: text,
        relationshipAttributes: shape({ attributes: shape({ confidence: fc.integer(), description: text }) }),
      }),
      { maxLength: 3 },
    );
    await fuzz('post', () => `${G}/terms/${ids.term}/assignedEntities${V}`, bodyText(assignments));
    await fuzz('delete', () => `${G}/terms/${ids.term}/assignedEntities${V}`, bodyText(assignments));
  });
});

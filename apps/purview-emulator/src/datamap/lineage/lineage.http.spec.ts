import { AtlasLineageInfoSchema } from '@purview-emulator/contracts';
import type { AtlasLineageInfo, EntityMutationResult } from '@purview-emulator/contracts';
import { DataMapHttp, startDataMapHttp, ACCOUNT } from '../testing/datamap-http';

const ATLAS = '/datamap/api/atlas/v2';
const LEGACY = '/catalog/api/atlas/v2';
const V = 'api-version=2023-09-01';
const ds = (n: string) => ({ typeName: 'DataSet', attributes: { qualifiedName: `lineage://${n}`, name: n } });

/**
 * d0 → p1 → d1 → p2 → d2 → p3 → d3, and d0 → p4 → d4: p1 written with inputs/outputs as attributes (temporary
 * guids), p2 as relationship attributes by unique attribute, p3 as a custom Process subtype with a columnMapping.
 */
describe('lineage over HTTP', () => {
  let t: DataMapHttp;
  const g: Record<string, string> = {};
  const lineage = (guid: string, query: string, headers?: Record<string, string>) =>
    t.http.get(`${ATLAS}/lineage/${guid}?${query}`).set(headers ?? t.reader);
  const parse = (body: unknown): AtlasLineageInfo => AtlasLineageInfoSchema.parse(body);
  const names = (info: AtlasLineageInfo): string[] =>
    Object.values(info.guidEntityMap)
      .map((h) => h.displayText)
      .sort();
  const edge = (from: string, to: string) =>
    expect.objectContaining({ fromEntityId: g[from], toEntityId: g[to], relationshipId: expect.any(String) });

  beforeAll(async () => {
    t = await startDataMapHttp({ account: ACCOUNT });
    await t.http
      .post(`${ATLAS}/types/typedefs`)
      .set(t.curator)
      .send({
        entityDefs: [
          { name: 'contoso_etl', superTypes: ['Process'] },
          { name: 'contoso_thing', superTypes: ['Asset'] },
        ],
      })
      .expect(200);
    const bulk = await t.http
      .post(`${ATLAS}/entity/bulk`)
      .set(t.curator)
      .send({
        entities: [
          ...['d0', 'd1', 'd2', 'd3', 'd4'].map((n, i) => ({ ...ds(n), guid: `-${i + 1}` })),
          {
            typeName: 'Process',
            guid: '-11',
            attributes: {
              qualifiedName: 'lineage://p1',
              name: 'p1',
              inputs: [{ guid: '-1' }],
              outputs: [{ guid: '-2' }],
            },
          },
          {
            typeName: 'Process',
            guid: '-12',
            attributes: { qualifiedName: 'lineage://p2', name: 'p2' },
            relationshipAttributes: {
              inputs: [{ typeName: 'DataSet', uniqueAttributes: { qualifiedName: 'lineage://d1' } }],
              outputs: [{ typeName: 'DataSet', uniqueAttributes: { qualifiedName: 'lineage://d2' } }],
            },
          },
          {
            typeName: 'contoso_etl',
            guid: '-13',
            attributes: {
              qualifiedName: 'lineage://p3',
              name: 'p3',
              inputs: [{ guid: '-3' }],
              outputs: [{ guid: '-4' }],
              columnMapping: '[{"Source":"a","Sink":"b"}]',
            },
          },
          {
            typeName: 'Process',
            guid: '-14',
            attributes: {
              qualifiedName: 'lineage://p4',
              name: 'p4',
              inputs: [{ guid: '-1' }],
              outputs: [{ guid: '-5' }],
            },
          },
          { typeName: 'contoso_thing', guid: '-20', attributes: { qualifiedName: 'lineage://thing', name: 'thing' } },
        ],
      })
      .expect(200);
    const assigned = (bulk.body as EntityMutationResult).guidAssignments!;
    ['d0', 'd1', 'd2', 'd3', 'd4'].forEach((n, i) => (g[n] = assigned[`-${i + 1}`]));
    [
      ['p1', '-11'],
      ['p2', '-12'],
      ['p3', '-13'],
      ['p4', '-14'],
      ['thing', '-20'],
    ].forEach(([n, temp]) => (g[n] = assigned[temp]));
  });

  afterAll(async () => {
    await t?.close();
  });

  it('walks both directions to the depth asked, in the spec shape', async () => {
    const info = parse((await lineage(g.d1, 'direction=BOTH&depth=3&width=10').expect(200)).body);
    expect(info).toMatchObject({
      baseEntityGuid: g.d1,
      lineageDirection: 'BOTH',
      lineageDepth: 3,
      lineageWidth: 10,
      childrenCount: 2,
      parentRelations: [],
      widthCounts: {},
    });
    expect(names(info)).toEqual(['d0', 'd1', 'd2', 'd3', 'p1', 'p2', 'p3']);
    expect(info.relations).toEqual(
      expect.arrayContaining([
        edge('d0', 'p1'),
        edge('p1', 'd1'),
        edge('d1', 'p2'),
        edge('p2', 'd2'),
        edge('d2', 'p3'),
        edge('p3', 'd3'),
      ]),
    );
    expect(info.relations).toHaveLength(6);
    expect(info.guidEntityMap[g.p3]).toMatchObject({
      typeName: 'contoso_etl',
      attributes: { columnMapping: '[{"Source":"a","Sink":"b"}]' },
    });
    // Each relationId is the relationship the process's inputs/outputs keep.
    const [first] = info.relations.filter((r) => r.fromEntityId === g.d0);
    const relationship = await t.http
      .get(`${ATLAS}/relationship/guid/${first.relationshipId}`)
      .set(t.reader)
      .expect(200);
    expect(relationship.body.relationship).toMatchObject({
      typeName: 'dataset_process_inputs',
      end1: { guid: g.p1 },
      end2: { guid: g.d0 },
    });
  });

  it('limits depth and direction', async () => {
    const upstream = parse((await lineage(g.d2, 'direction=INPUT&depth=1').expect(200)).body);
    expect(names(upstream)).toEqual(['d1', 'd2', 'p2']);
    const downstream = parse((await lineage(g.d0, 'direction=output&depth=1').expect(200)).body);
    expect(names(downstream)).toEqual(['d0', 'd1', 'd4', 'p1', 'p4']);
    expect(downstream).toMatchObject({ lineageDirection: 'OUTPUT', childrenCount: 2 });
    expect(names(parse((await lineage(g.d0, 'direction=BOTH&depth=0').expect(200)).body))).toEqual(['d0']);
    // A process base: its own datasets are the first level; depth defaults to 3.
    expect(names(parse((await lineage(g.p2, 'direction=OUTPUT').expect(200)).body))).toEqual(['d2', 'd3', 'p2', 'p3']);
  });

  it('expands at most width neighbours, counting the others in widthCounts', async () => {
    const info = parse((await lineage(g.d0, 'direction=OUTPUT&depth=1&width=1').expect(200)).body);
    expect(info.widthCounts).toEqual({ OUTPUT: { [g.d0]: 2 } });
    expect(info.childrenCount).toBe(2);
    expect(Object.keys(info.guidEntityMap)).toHaveLength(3);
  });

  it('answers by unique attribute and under the legacy prefix', async () => {
    const byName = await t.http
      .get(`${ATLAS}/lineage/uniqueAttribute/type/DataSet`)
      .query({ 'attr:qualifiedName': 'lineage://d2', direction: 'INPUT', depth: '1' })
      .set(t.reader)
      .expect(200);
    expect(parse(byName.body).baseEntityGuid).toBe(g.d2);
    const legacy = await t.http
      .get(
        `${LEGACY}/lineage/${g.d2}?direction=BOTH&depth=3&width=6&forceNewApi=true&includeParent=true&getDerivedLineage=false`,
      )
      .set(t.reader)
      .expect(200);
    expect(names(parse(legacy.body))).toEqual(['d0', 'd1', 'd2', 'd3', 'p1', 'p2', 'p3']);
  });

  it('pages an entity’s direct lineage with lineage/{guid}/next', async () => {
    const first = parse(
      (
        await t.http
          .get(`/datamap/api/lineage/${g.d0}/next?direction=OUTPUT&offset=0&limit=1&${V}`)
          .set(t.reader)
          .expect(200)
      ).body,
    );
    const second = parse(
      (
        await t.http
          .get(`/catalog/api/lineage/${g.d0}/next/?direction=OUTPUT&offset=1&limit=1`)
          .set(t.reader)
          .expect(200)
      ).body,
    );
    expect(first.childrenCount).toBe(2);
    expect([...first.relations, ...second.relations].map((r) => r.toEntityId).sort()).toEqual([g.p1, g.p4].sort());
    expect(
      (await t.http.get(`/datamap/api/lineage/${g.d0}/next?direction=OUTPUT`).set(t.reader).expect(400)).body
        .errorMessage,
    ).toMatch(/api-version .*required/);
  });

  it('follows process updates and deletes', async () => {
    await t.http
      .post(`${ATLAS}/entity`)
      .set(t.curator)
      .send({ entity: { typeName: 'Process', attributes: { qualifiedName: 'lineage://p4', name: 'p4', outputs: [] } } })
      .expect(200);
    expect(names(parse((await lineage(g.d0, 'direction=OUTPUT&depth=1').expect(200)).body))).toEqual([
      'd0',
      'd1',
      'p1',
      'p4',
    ]);
    await t.http.delete(`${ATLAS}/entity/guid/${g.p4}`).set(t.curator).expect(200);
    expect(names(parse((await lineage(g.d0, 'direction=OUTPUT&depth=1').expect(200)).body))).toEqual([
      'd0',
      'd1',
      'p1',
    ]);
  });

  it('refuses bad parameters and entities lineage does not cover, with Atlas codes', async () => {
    const cases: [string, number, string][] = [
      [`${ATLAS}/lineage/${g.d1}?depth=3`, 400, 'ATLAS-400-00-026'],
      [`${ATLAS}/lineage/${g.d1}?direction=SIDEWAYS`, 400, 'ATLAS-400-00-026'],
      [`${ATLAS}/lineage/${g.d1}?direction=BOTH&depth=-1`, 400, 'ATLAS-400-00-026'],
      [`${ATLAS}/lineage/${g.d1}?direction=BOTH&width=0`, 400, 'ATLAS-400-00-026'],
      [`${ATLAS}/lineage/${g.d1}?direction=BOTH&depth=many`, 400, 'ATLAS-400-00-026'],
      [`${ATLAS}/lineage/no-such-guid?direction=BOTH`, 404, 'ATLAS-404-00-005'],
      [`${ATLAS}/lineage/${g.thing}?direction=BOTH`, 404, 'ATLAS-404-00-011'],
      [`${ATLAS}/lineage/uniqueAttribute/type/DataSet?direction=BOTH&attr:qualifiedName=nope`, 404, 'ATLAS-404-00-009'],
      [`${ATLAS}/lineage/uniqueAttribute/type/DataSet?direction=BOTH`, 400, 'ATLAS-400-00-001'],
      [`/datamap/api/lineage/${g.d1}/next?${V}&direction=BOTH&limit=0`, 400, 'ATLAS-400-00-026'],
    ];
    for (const [url, status, code] of cases) {
      const response = await t.http.get(url).set(t.reader);
      expect({ url, status: response.status, errorCode: response.body.errorCode }).toEqual({
        url,
        status,
        errorCode: code,
      });
    }
  });

  it('is read by Data Readers and Data Curators only', async () => {
    await lineage(g.d1, 'direction=BOTH', t.curator).expect(200);
    await lineage(g.d1, 'direction=BOTH', t.admin).expect(403);
    await t.http.get(`${ATLAS}/lineage/${g.d1}?direction=BOTH`).expect(401);
  });
});

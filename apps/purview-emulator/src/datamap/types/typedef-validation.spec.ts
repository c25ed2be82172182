import type { AtlasAttributeDef, AtlasTypesDef } from '@purview-emulator/contracts';
import { PurviewError } from '../../common/errors';
import { builtInDefinitions } from './builtin-types';
import { TypeRegistry } from './type-registry';
import { parseTypesDef } from './typedef-input';
import { normalizeDef } from './typedef-model';
import { MAX_NAME_LENGTH, validateDefinitions } from './typedef-validation';

const builtIns = builtInDefinitions();
const base = new TypeRegistry(builtIns);
let counter = 0;

/** What POST /types/typedefs does before writing: parse, normalize, validate against the registry it would make. */
function create(body: AtlasTypesDef, registry = base): TypeRegistry {
  const defs = parseTypesDef(body, { checkNames: true }).map(({ category, def }) =>
    normalizeDef(def, category, { guid: `g-${++counter}`, actor: 'test', now: 1 }),
  );
  const candidate = registry.with(defs);
  validateDefinitions(defs, candidate);
  return candidate;
}

/** What PUT /types/typedefs checks: the update rules against the current definitions. */
function update(body: AtlasTypesDef, registry: TypeRegistry): void {
  const defs = parseTypesDef(body, { checkNames: false }).map(({ category, def }) =>
    normalizeDef(def, category, { guid: registry.get(def.name)!.guid, actor: 'test', now: 2 }),
  );
  validateDefinitions(defs, registry.with(defs), new Map(defs.map((d) => [d.name, registry.get(d.name)!])));
}

function refusal(fn: () => unknown): { status: number; code: string; message: string } {
  try {
    fn();
  } catch (e) {
    if (e instanceof PurviewError) return { status: e.status, code: e.atlasCode ?? e.code, message: e.message };
    throw e;
  }
  throw new Error('expected the definitions to be refused');
}

const attr = (name: string, typeName: string, extra: Partial<AtlasAttributeDef> = {}): AtlasAttributeDef => ({
  name,
  typeName,
  isOptional: true,
  ...extra,
});
const entity = (name: string, superTypes: string[] = ['DataSet'], attributeDefs: AtlasAttributeDef[] = []) => ({
  name,
  superTypes,
  attributeDefs,
});

describe('built-in types', () => {
  it('are a valid model: every reference resolves, no cycles, no redefined attributes', () => {
    expect(() => validateDefinitions(builtIns, base)).not.toThrow();
  });

  it('include Atlas base types, the scan types and the system classifications', () => {
    for (const name of [
      'Referenceable',
      'Asset',
      'DataSet',
      'Process',
      'Infrastructure',
      'AtlasGlossary',
      'AtlasGlossaryTerm',
      'AtlasGlossaryCategory',
      'azure_storage_account',
      'azure_blob_service',
      'azure_blob_container',
      'azure_blob_path',
      'tabular_schema',
      'column',
    ]) {
      expect(base.get(name)?.category).toBe('ENTITY');
    }
    for (const name of [
      'dataset_process_inputs',
      'process_dataset_outputs',
      'AtlasGlossarySemanticAssignment',
      'tabular_schema_columns',
    ])
      expect(base.get(name)?.category).toBe('RELATIONSHIP');
    for (const name of ['MICROSOFT.PERSONAL.EMAIL', 'MICROSOFT.FINANCIAL.CREDIT_CARD_NUMBER'])
      expect(base.get(name)?.category).toBe('CLASSIFICATION');
    expect(base.allSuperTypes('azure_blob_path')).toEqual(['DataSet', 'Asset', 'Referenceable']);
  });

  it('seed extra system classifications from a list', () => {
    const names = builtInDefinitions(['MICROSOFT.PERSONAL.EMAIL', 'MICROSOFT.GOVERNMENT.AUSTRALIA.PASSPORT_NUMBER'])
      .filter((d) => d.category === 'CLASSIFICATION')
      .map((d) => d.name);
    expect(names).toEqual(['MICROSOFT.PERSONAL.EMAIL', 'MICROSOFT.GOVERNMENT.AUSTRALIA.PASSPORT_NUMBER']);
  });

  it('derive relationship attributes from relationship defs', () => {
    expect(
      base.relationshipAttributeDefs('column').map((r) => [r.name, r.typeName, r.relationshipTypeName]),
    ).toContainEqual(['composeSchema', 'tabular_schema', 'tabular_schema_columns']);
    expect(base.relationshipAttributeDefs('Process').map((r) => [r.name, r.typeName])).toEqual(
      expect.arrayContaining([
        ['inputs', 'array<DataSet>'],
        ['outputs', 'array<DataSet>'],
      ]),
    );
  });
});

describe('type names', () => {
  it.each([['1starts_with_digit'], ['has-dash'], ['semi;colon'], ['x'.repeat(MAX_NAME_LENGTH + 1)], ['']])(
    'refuses %s with ATLAS-400-00-019',
    (name) => {
      expect(refusal(() => create({ entityDefs: [entity(name)] }))).toMatchObject({
        status: 400,
        code: 'ATLAS-400-00-019',
        message: expect.stringContaining('invalid name for ENTITY'),
      });
    },
  );

  it('accepts dotted (Purview classification), spaced (term template) and internal names', () => {
    expect(() =>
      create({
        classificationDefs: [{ name: 'CONTOSO.FINANCE.CODE' }],
        termTemplateDefs: [{ name: 'MS KPI' }],
        entityDefs: [entity('__my_internal', ['__internal'])],
      }),
    ).not.toThrow();
    expect(() => create({ entityDefs: [entity('x'.repeat(MAX_NAME_LENGTH))] })).not.toThrow();
  });

  it('refuses the names Atlas reserves with ATLAS-400-00-102', () => {
    expect(refusal(() => create({ enumDefs: [{ name: 'description', elementDefs: [{ value: 'A' }] }] }))).toMatchObject(
      { code: 'ATLAS-400-00-102' },
    );
  });

  it('refuses a name given twice in one request', () => {
    expect(refusal(() => create({ entityDefs: [entity('twice')], structDefs: [{ name: 'twice' }] }))).toMatchObject({
      code: 'ATLAS-400-00-011',
      message: expect.stringContaining('more than once'),
    });
  });

  it('refuses a definition whose category contradicts its array (TYPE_MATCH_FAILED)', () => {
    expect(refusal(() => create({ entityDefs: [{ ...entity('odd'), category: 'CLASSIFICATION' }] }))).toMatchObject({
      code: 'ATLAS-400-00-010',
    });
  });

  it('refuses invalid and repeated attribute names', () => {
    expect(
      refusal(() => create({ entityDefs: [entity('bad_attr', ['DataSet'], [attr('has space', 'string')])] })),
    ).toMatchObject({ code: 'ATLAS-400-00-09A', message: expect.stringContaining('bad_attr.has space') });
    expect(
      refusal(() => create({ entityDefs: [entity('dup_attr', ['DataSet'], [attr('a', 'string'), attr('a', 'int')])] })),
    ).toMatchObject({ code: 'ATLAS-400-00-011' });
    expect(() =>
      create({ termTemplateDefs: [{ name: 'tt', attributeDefs: [attr('plain string', 'string')] }] }),
    ).not.toThrow();
  });

  it('refuses a body that is not an AtlasTypesDef, naming the field', () => {
    expect(refusal(() => parseTypesDef([], { checkNames: true }))).toMatchObject({ code: 'ATLAS-400-00-01A' });
    expect(
      refusal(() => parseTypesDef({ entityDefs: [{ superTypes: ['DataSet'] }] }, { checkNames: true })),
    ).toMatchObject({ code: 'ATLAS-400-00-01A', message: expect.stringContaining('entityDefs.0.name') });
    expect(
      refusal(() =>
        parseTypesDef(
          { entityDefs: [{ name: 'x', attributeDefs: [{ name: 'a', typeName: 'string', cardinality: 'MANY' }] }] },
          { checkNames: true },
        ),
      ),
    ).toMatchObject({ message: expect.stringContaining('cardinality') });
  });
});

describe('super types', () => {
  it('must exist', () => {
    expect(refusal(() => create({ entityDefs: [entity('orphan', ['NoSuchType'])] }))).toMatchObject({
      status: 400,
      code: 'ATLAS-400-00-029',
      message: expect.stringContaining('Given typename NoSuchType was invalid'),
    });
  });

  it('must be of the same category', () => {
    expect(refusal(() => create({ entityDefs: [entity('mixed', ['MICROSOFT.PERSONAL.EMAIL'])] }))).toMatchObject({
      code: 'ATLAS-400-00-003',
      message: 'mixed: incompatible supertype MICROSOFT.PERSONAL.EMAIL',
    });
    expect(refusal(() => create({ classificationDefs: [{ name: 'CLS', superTypes: ['DataSet'] }] }))).toMatchObject({
      code: 'ATLAS-400-00-003',
    });
  });

  it('form no cycle, in one request or through existing types', () => {
    expect(
      refusal(() => create({ entityDefs: [entity('cyc_a', ['cyc_b']), entity('cyc_b', ['cyc_a'])] })),
    ).toMatchObject({ code: 'ATLAS-400-00-002', message: expect.stringContaining('circular reference') });
    expect(refusal(() => create({ entityDefs: [entity('self', ['self'])] }))).toMatchObject({
      code: 'ATLAS-400-00-002',
    });
    const registry = create({ classificationDefs: [{ name: 'C1' }, { name: 'C2', superTypes: ['C1'] }] });
    expect(refusal(() => update({ classificationDefs: [{ name: 'C1', superTypes: ['C2'] }] }, registry))).toMatchObject(
      { code: 'ATLAS-400-00-002' },
    );
  });

  it('may not have their attributes redefined below them', () => {
    expect(
      refusal(() => create({ entityDefs: [entity('renamer', ['DataSet'], [attr('name', 'string')])] })),
    ).toMatchObject({
      code: 'ATLAS-400-00-09D',
      message: 'Invalid attribute name: renamer.name. Attribute already exists in parent type: Asset',
    });
    const twoParents = {
      entityDefs: [
        entity('p1', ['DataSet'], [attr('shared', 'string')]),
        entity('p2', ['DataSet'], [attr('shared', 'string')]),
        entity('child', ['p1', 'p2']),
      ],
    };
    expect(refusal(() => create(twoParents))).toMatchObject({ code: 'ATLAS-400-00-09E' });
    // A diamond through one owner is fine: both parents inherit `name` from Asset.
    expect(() => create({ entityDefs: [entity('d1'), entity('d2'), entity('diamond', ['d1', 'd2'])] })).not.toThrow();
  });
});

describe('attribute types', () => {
  it('resolve primitives, arrays, maps, enums, structs and entity references', () => {
    const body: AtlasTypesDef = {
      enumDefs: [{ name: 'tier', elementDefs: [{ value: 'Hot' }, { value: 'Cool' }] }],
      structDefs: [{ name: 'window', attributeDefs: [attr('from', 'date'), attr('to', 'date')] }],
      entityDefs: [
        entity(
          'rich',
          ['DataSet'],
          [
            attr('count', 'int'),
            attr('tags', 'array<string>', { cardinality: 'SET' }),
            attr('props', 'map<string,array<long>>'),
            attr('tier', 'tier'),
            attr('window', 'window'),
            attr('source', 'azure_blob_path'),
            attr('sources', 'array<DataSet>', { cardinality: 'LIST' }),
            attr('ref', 'object_id'),
          ],
        ),
      ],
    };
    expect(create(body).get('rich')).toMatchObject({ category: 'ENTITY', version: 1, description: 'rich' });
  });

  it.each([['nope'], ['array<nope>'], ['map<string,nope>'], ['array<map<nope,string>>']])(
    'refuse the unknown type %s with ATLAS-400-00-001 naming the attribute',
    (typeName) => {
      expect(
        refusal(() => create({ entityDefs: [entity('holder', ['DataSet'], [attr('field', typeName)])] })),
      ).toMatchObject({ status: 400, code: 'ATLAS-400-00-001', message: `Unknown type ${typeName} for holder.field` });
    },
  );

  it('may not be classifications', () => {
    expect(
      refusal(() =>
        create({ entityDefs: [entity('holder2', ['DataSet'], [attr('c', 'array<MICROSOFT.PERSONAL.EMAIL>')])] }),
      ),
    ).toMatchObject({ code: 'ATLAS-400-00-081' });
  });

  it('must be arrays for SET and LIST cardinality', () => {
    expect(
      refusal(() =>
        create({ entityDefs: [entity('holder3', ['DataSet'], [attr('many', 'string', { cardinality: 'SET' })])] }),
      ),
    ).toMatchObject({ code: 'ATLAS-400-00-012' });
  });

  it('are primitives or enums on business metadata, term templates and relationships', () => {
    expect(
      refusal(() => create({ businessMetadataDefs: [{ name: 'bm', attributeDefs: [attr('owner', 'DataSet')] }] })),
    ).toMatchObject({ code: 'ATLAS-400-00-094' });
    expect(
      refusal(() => create({ termTemplateDefs: [{ name: 'tt2', attributeDefs: [attr('s', 'window_missing')] }] })),
    ).toMatchObject({ code: 'ATLAS-400-00-001' });
    expect(() =>
      create({
        businessMetadataDefs: [
          {
            name: 'bm2',
            attributeDefs: [attr('score', 'int'), attr('labels', 'array<string>', { cardinality: 'SET' })],
          },
        ],
      }),
    ).not.toThrow();
  });
});

describe('enums and classifications', () => {
  it('enums need distinct elements', () => {
    expect(refusal(() => create({ enumDefs: [{ name: 'empty_enum', elementDefs: [] }] }))).toMatchObject({
      code: 'ATLAS-400-00-011',
    });
    expect(
      refusal(() => create({ enumDefs: [{ name: 'dup_enum', elementDefs: [{ value: 'A' }, { value: 'A' }] }] })),
    ).toMatchObject({ code: 'ATLAS-400-00-011', message: expect.stringContaining('A') });
  });

  it('classification entityTypes must be entity types', () => {
    expect(
      refusal(() => create({ classificationDefs: [{ name: 'RESTRICTED', entityTypes: ['tier_missing'] }] })),
    ).toMatchObject({ code: 'ATLAS-400-00-052' });
    expect(() =>
      create({ classificationDefs: [{ name: 'RESTRICTED2', entityTypes: ['azure_blob_path'] }] }),
    ).not.toThrow();
  });
});

describe('relationship defs', () => {
  const rel = (extra: Record<string, unknown>) =>
    ({
      relationshipDefs: [
        {
          name: 'r',
          relationshipCategory: 'ASSOCIATION',
          endDef1: { type: 'DataSet', name: 'a' },
          endDef2: { type: 'Process', name: 'b' },
          ...extra,
        },
      ],
    }) as AtlasTypesDef;

  it('accepts two entity ends', () => {
    expect(
      create(rel({}))
        .relationshipAttributeDefs('DataSet')
        .map((r) => r.name),
    ).toContain('a');
  });

  it.each([
    ['a missing end', { endDef2: undefined }, 'ATLAS-400-00-02C'],
    [
      'an end that is not an entity type',
      { endDef2: { type: 'MICROSOFT.PERSONAL.EMAIL', name: 'b' } },
      'ATLAS-400-00-035',
    ],
    ['an end of an unknown type', { endDef2: { type: 'nope', name: 'b' } }, 'ATLAS-400-00-035'],
    ['a LIST end', { endDef1: { type: 'DataSet', name: 'a', cardinality: 'LIST' } }, 'ATLAS-400-00-034'],
    [
      'two containers',
      {
        relationshipCategory: 'AGGREGATION',
        endDef1: { type: 'DataSet', name: 'a', isContainer: true },
        endDef2: { type: 'Process', name: 'b', isContainer: true },
      },
      'ATLAS-400-00-02D',
    ],
    [
      'an ASSOCIATION with a container',
      { endDef1: { type: 'DataSet', name: 'a', isContainer: true } },
      'ATLAS-400-00-030',
    ],
    ['a COMPOSITION without a container', { relationshipCategory: 'COMPOSITION' }, 'ATLAS-400-00-031'],
    ['an AGGREGATION without a container', { relationshipCategory: 'AGGREGATION' }, 'ATLAS-400-00-032'],
    [
      'a COMPOSITION whose children have many parents',
      {
        relationshipCategory: 'COMPOSITION',
        endDef1: { type: 'DataSet', name: 'a', isContainer: true, cardinality: 'SET' },
        endDef2: { type: 'Process', name: 'b', cardinality: 'SET' },
      },
      'ATLAS-400-00-033',
    ],
    ['a non-primitive attribute', { attributeDefs: [attr('who', 'DataSet')] }, 'ATLAS-400-00-02F'],
  ])('refuses %s', (_, extra, code) => {
    expect(refusal(() => create(rel(extra)))).toMatchObject({ status: 400, code });
  });
});

describe('updates (PUT)', () => {
  const registry = create({ entityDefs: [entity('evolving', ['DataSet'], [attr('a', 'string'), attr('b', 'int')])] });
  const put =
    (attributeDefs: AtlasAttributeDef[], superTypes = ['DataSet']) =>
    () =>
      update({ entityDefs: [{ name: 'evolving', superTypes, attributeDefs }] }, registry);

  it('may add optional attributes', () => {
    expect(put([attr('a', 'string'), attr('b', 'int'), attr('c', 'date')])).not.toThrow();
  });

  it.each([
    ['remove an attribute', [attr('a', 'string')], 'ATLAS-400-00-00D'],
    [
      'add a mandatory attribute',
      [attr('a', 'string'), attr('b', 'int'), attr('c', 'date', { isOptional: false })],
      'ATLAS-400-00-00C',
    ],
    ['change an attribute type', [attr('a', 'string'), attr('b', 'string')], 'ATLAS-400-00-027'],
  ])('may not %s', (_, attributeDefs, code) => {
    expect(refusal(put(attributeDefs))).toMatchObject({ code });
  });

  it('may not remove a super type', () => {
    expect(refusal(put([attr('a', 'string'), attr('b', 'int')], []))).toMatchObject({ code: 'ATLAS-400-00-00E' });
  });
});

import { PurviewError } from '../../common/errors';
import { AtlasEntityInput } from '../atlas-input';
import { refKey } from '../entity-model';
import { KnownEntity, realGuidsOf, referencedKeysOf, resolveGuids } from './temporary-guids';

const entity = (
  path: string,
  typeName: string,
  qualifiedName: string,
  extra: Partial<AtlasEntityInput> = {},
): AtlasEntityInput => ({
  path,
  typeName,
  attributes: { qualifiedName, name: qualifiedName.split('/').pop()! },
  ...extra,
});

function counter(): () => string {
  let n = 0;
  return () => `new-${++n}`;
}

const none = new Map<string, KnownEntity>();

function atlasError(fn: () => unknown): { status: number; code?: string; message: string } {
  try {
    fn();
  } catch (e) {
    const error = e as PurviewError;
    return { status: error.status, code: error.atlasCode, message: error.message };
  }
  throw new Error('expected an error');
}

describe('temporary guid resolution', () => {
  it('assigns new guids to temporary ones and resolves references in any order, in relationships and attributes', () => {
    const inputs = [
      // The process comes first and refers to datasets defined after it.
      entity('entities[0]', 'Process', 'etl://copy', {
        guid: '-3',
        attributes: {
          qualifiedName: 'etl://copy',
          name: 'copy',
          inputs: [{ guid: '-1', typeName: 'DataSet' }],
          outputs: [{ guid: -2 }],
        },
      }),
      entity('entities[1]', 'DataSet', 'ds://in', { guid: '-1' }),
      entity('entities[2]', 'DataSet', 'ds://out', { guid: '-2', relationshipAttributes: { source: { guid: '-1' } } }),
    ];
    const { entities, guidAssignments } = resolveGuids(inputs, none, none, counter());
    expect(guidAssignments).toEqual({ '-3': 'new-1', '-1': 'new-2', '-2': 'new-3' });
    expect(entities.map((e) => [e.guid, e.existing])).toEqual([
      ['new-1', false],
      ['new-2', false],
      ['new-3', false],
    ]);
    expect(entities[0].attributes.inputs).toEqual([
      { guid: 'new-2', typeName: 'DataSet', uniqueAttributes: { qualifiedName: 'ds://in' } },
    ]);
    expect(entities[0].attributes.outputs).toEqual([
      { guid: 'new-3', typeName: 'DataSet', uniqueAttributes: { qualifiedName: 'ds://out' } },
    ]);
    expect(entities[2].relationships).toEqual({ source: { typeName: 'DataSet', qualifiedName: 'ds://in' } });
    // The request body is not changed.
    expect(inputs[0].attributes.inputs).toEqual([{ guid: '-1', typeName: 'DataSet' }]);
  });

  it('keeps the guid of the entity a write updates: named by real guid, or matched by typeName + qualifiedName', () => {
    const known: KnownEntity = { guid: 'g-existing', typeName: 'DataSet', qualifiedName: 'ds://in' };
    const renamed: KnownEntity = { guid: 'g-renamed', typeName: 'DataSet', qualifiedName: 'ds://old-name' };
    const byGuid = new Map([[renamed.guid, renamed]]);
    const byKey = new Map([[refKey(known.typeName, known.qualifiedName), known]]);
    const { entities, guidAssignments } = resolveGuids(
      [
        entity('entity', 'DataSet', 'ds://in', { guid: '-7' }),
        entity('referredEntities.g-renamed', 'DataSet', 'ds://new-name', { guid: 'g-renamed' }),
      ],
      byGuid,
      byKey,
      counter(),
    );
    expect(entities.map((e) => [e.guid, e.existing])).toEqual([
      ['g-existing', true],
      ['g-renamed', true],
    ]);
    expect(guidAssignments).toEqual({ '-7': 'g-existing' });
  });

  it('gives entities of the same key in one body the same guid', () => {
    const { entities } = resolveGuids(
      [entity('entities[0]', 'DataSet', 'ds://a', { guid: '-1' }), entity('entities[1]', 'DataSet', 'ds://a')],
      none,
      none,
      counter(),
    );
    expect(entities.map((e) => e.guid)).toEqual(['new-1', 'new-1']);
  });

  it('refuses a temporary guid the body does not define (400) and an unknown real guid (404 ATLAS-404-00-005)', () => {
    const dangling = atlasError(() =>
      resolveGuids(
        [
          entity('entities[0]', 'Process', 'p', {
            attributes: { qualifiedName: 'p', name: 'p', inputs: [{ guid: '-9' }] },
          }),
        ],
        none,
        none,
        counter(),
      ),
    );
    expect(dangling).toMatchObject({
      status: 400,
      code: 'ATLAS-400-00-01A',
      message: expect.stringContaining('entities[0].attributes.inputs[0]'),
    });
    const unknown = atlasError(() =>
      resolveGuids(
        [entity('entity', 'DataSet', 'x', { relationshipAttributes: { parent: { guid: 'nope' } } })],
        none,
        none,
        counter(),
      ),
    );
    expect(unknown).toMatchObject({
      status: 404,
      code: 'ATLAS-404-00-005',
      message: expect.stringContaining('entity.relationshipAttributes.parent'),
    });
  });

  it('reads object ids in attributes as Atlas does: guid, typeName and uniqueAttributes, however they were sent', () => {
    const existing: KnownEntity = { guid: 'g-in', typeName: 'DataSet', qualifiedName: 'ds://in' };
    const byGuid = new Map([[existing.guid, existing]]);
    const byKey = new Map([[refKey('DataSet', 'ds://in'), existing]]);
    const inputs = [
      entity('entities[0]', 'Process', 'etl://copy', {
        attributes: {
          qualifiedName: 'etl://copy',
          name: 'copy',
          inputs: [{ guid: 'g-in' }, { typeName: 'DataSet', uniqueAttributes: { qualifiedName: 'ds://in' } }],
          outputs: [{ typeName: 'DataSet', uniqueAttributes: { qualifiedName: 'ds://out' } }],
          sink: { typeName: 'DataSet', uniqueAttributes: { qualifiedName: 'ds://not-yet' } },
          options: { guid: 'not-an-entity' },
        },
      }),
      entity('entities[1]', 'DataSet', 'ds://out'),
    ];
    const { entities } = resolveGuids(inputs, byGuid, byKey, counter());
    const inId = { guid: 'g-in', typeName: 'DataSet', uniqueAttributes: { qualifiedName: 'ds://in' } };
    expect(entities[0].attributes.inputs).toEqual([inId, inId]);
    expect(entities[0].attributes.outputs).toEqual([
      { guid: 'new-2', typeName: 'DataSet', uniqueAttributes: { qualifiedName: 'ds://out' } },
    ]);
    // Names no entity: kept as sent (a relationship end would be refused elsewhere; a plain value is not checked).
    expect(entities[0].attributes.sink).toEqual(inputs[0].attributes.sink);
    expect(entities[0].attributes.options).toEqual({ guid: 'not-an-entity' });
  });

  it('lists the real guids and the unique attributes to look up first', () => {
    const inputs = [
      entity('e', 'T', 'q', {
        guid: 'g1',
        attributes: {
          qualifiedName: 'q',
          name: 'q',
          inputs: [{ guid: 'g3' }, { guid: '-2' }, { typeName: 'U', uniqueAttributes: { qualifiedName: 'u' } }],
          owner: { guid: 'g4' },
        },
        relationshipAttributes: { a: [{ guid: '-1' }, { guid: 'g2' }], b: null },
      }),
    ];
    expect(realGuidsOf(inputs)).toEqual(['g1', 'g2', 'g3', 'g4']);
    expect(referencedKeysOf(inputs)).toEqual([{ typeName: 'U', qualifiedName: 'u' }]);
  });
});

import { PurviewError } from '../../common/errors';
import { builtInDefinitions } from './builtin-types';
import { validateClassification, validatePartialUpdate } from './entity-validation';
import { TypeRegistry } from './type-registry';
import { normalizeDef } from './typedef-model';

const meta = { actor: 't', now: 1 };
const registry = new TypeRegistry([
  ...builtInDefinitions(),
  normalizeDef({ name: 'level', elementDefs: [{ value: 'Low' }, { value: 'High' }] }, 'ENUM', { guid: 'e1', ...meta }),
  normalizeDef({ name: 'retention', attributeDefs: [{ name: 'days', typeName: 'int', isOptional: true }] }, 'STRUCT', {
    guid: 's1',
    ...meta,
  }),
  normalizeDef(
    {
      name: 'CONTOSO.PII',
      attributeDefs: [
        { name: 'level', typeName: 'level', isOptional: false },
        { name: 'score', typeName: 'int', isOptional: true },
      ],
    },
    'CLASSIFICATION',
    { guid: 'c1', ...meta },
  ),
  // Restricted to DataSets; its sub type inherits the restriction.
  normalizeDef({ name: 'CONTOSO.TABLE_ONLY', entityTypes: ['DataSet'] }, 'CLASSIFICATION', { guid: 'c2', ...meta }),
  normalizeDef({ name: 'CONTOSO.TABLE_ONLY_CHILD', superTypes: ['CONTOSO.TABLE_ONLY'] }, 'CLASSIFICATION', {
    guid: 'c3',
    ...meta,
  }),
  normalizeDef(
    {
      name: 'contoso_table',
      superTypes: ['DataSet'],
      attributeDefs: [
        { name: 'rowCount', typeName: 'long', isOptional: true },
        { name: 'tier', typeName: 'level', isOptional: true },
        { name: 'tags', typeName: 'array<string>', isOptional: true },
        { name: 'keep', typeName: 'retention', isOptional: true },
        { name: 'db', typeName: 'DataSet', isOptional: true },
      ],
    },
    'ENTITY',
    { guid: 't1', ...meta },
  ),
]);

function refusal(fn: () => void): { status: number; code?: string; message: string } {
  try {
    fn();
  } catch (e) {
    if (e instanceof PurviewError) return { status: e.status, code: e.atlasCode, message: e.message };
    throw e;
  }
  throw new Error('expected a refusal');
}

describe('classification validation', () => {
  it('accepts a classification whose attributes fit its def', () => {
    expect(() =>
      validateClassification(registry, 'contoso_table', {
        typeName: 'CONTOSO.PII',
        attributes: { level: 'High', score: '3' },
      }),
    ).not.toThrow();
    expect(() =>
      validateClassification(registry, 'azure_blob_path', { typeName: 'MICROSOFT.PERSONAL.EMAIL' }),
    ).not.toThrow();
  });

  it('refuses a name that is not a classification type with 404 ATLAS-404-00-008', () => {
    for (const typeName of ['NOPE', 'DataSet']) {
      expect(refusal(() => validateClassification(registry, 'contoso_table', { typeName }))).toEqual({
        status: 404,
        code: 'ATLAS-404-00-008',
        message: `Given classification ${typeName} was invalid`,
      });
    }
  });

  it('names each missing or ill-typed attribute (404 ATLAS-404-00-007)', () => {
    const missing = refusal(() =>
      validateClassification(registry, 'contoso_table', { typeName: 'CONTOSO.PII', attributes: { score: 'many' } }),
    );
    expect(missing.status).toBe(404);
    expect(missing.code).toBe('ATLAS-404-00-007');
    expect(missing.message).toContain('CONTOSO.PII.level: mandatory attribute value missing in type CONTOSO.PII');
    expect(missing.message).toContain('CONTOSO.PII.score=many: invalid value for type int');
    const badEnum = refusal(() =>
      validateClassification(registry, 'contoso_table', { typeName: 'CONTOSO.PII', attributes: { level: 'Medium' } }),
    );
    expect(badEnum.message).toContain('CONTOSO.PII.level=Medium: invalid value for type level');
  });

  it('honours entityTypes, inherited by sub types (400 ATLAS-400-00-055)', () => {
    expect(() =>
      validateClassification(registry, 'contoso_table', { typeName: 'CONTOSO.TABLE_ONLY_CHILD' }),
    ).not.toThrow();
    const refused = refusal(() =>
      validateClassification(registry, 'Process', { typeName: 'CONTOSO.TABLE_ONLY_CHILD' }),
    );
    expect(refused).toMatchObject({
      status: 400,
      code: 'ATLAS-400-00-055',
      message: expect.stringContaining('(DataSet)'),
    });
  });
});

describe('partial update of one attribute', () => {
  it('accepts primitive, enum and entity-reference attributes with values of their type', () => {
    expect(() => validatePartialUpdate(registry, 'contoso_table', 'rowCount', 42)).not.toThrow();
    expect(() => validatePartialUpdate(registry, 'contoso_table', 'description', 'inherited from Asset')).not.toThrow();
    expect(() => validatePartialUpdate(registry, 'contoso_table', 'tier', 'Low')).not.toThrow();
    expect(() => validatePartialUpdate(registry, 'contoso_table', 'db', { guid: 'g-db' })).not.toThrow();
  });

  it('refuses unknown attributes, collections and structs, nulls and wrong values with Atlas codes', () => {
    expect(refusal(() => validatePartialUpdate(registry, 'contoso_table', 'colour', 'red'))).toEqual({
      status: 400,
      code: 'ATLAS-400-00-023',
      message: 'Attribute colour not found for type contoso_table',
    });
    for (const name of ['tags', 'keep']) {
      expect(refusal(() => validatePartialUpdate(registry, 'contoso_table', name, []))).toEqual({
        status: 400,
        code: 'ATLAS-400-00-027',
        message: `contoso_table.${name} : attribute update not supported`,
      });
    }
    expect(refusal(() => validatePartialUpdate(registry, 'contoso_table', 'rowCount', null))).toMatchObject({
      status: 400,
      code: 'ATLAS-400-00-075',
    });
    expect(refusal(() => validatePartialUpdate(registry, 'contoso_table', 'rowCount', 'ten'))).toMatchObject({
      status: 404,
      code: 'ATLAS-404-00-007',
      message:
        'Invalid instance creation/updation parameters passed : [contoso_table.rowCount=ten: invalid value for type long]',
    });
  });
});

import { BusinessValues, javaMapString, validateBusinessValues } from './business-attributes';
import { failure, registry } from './testing/bm-fixtures';

describe('business attribute validation (Atlas validateBusinessAttributes)', () => {
  const validate = (typeName: string, values: BusinessValues, existing: BusinessValues = {}, overwrite = false) =>
    validateBusinessValues(registry, typeName, values, existing, overwrite);

  it('normalizes values to their attribute types', () => {
    expect(
      validate('contoso_table', {
        ops: { team: 7, limit: '12', ratio: '0.5', since: '2024-01-02T00:00:00Z', tier: 1, codes: ['1', 2] },
      }),
    ).toEqual({
      ops: { team: '7', limit: 12, ratio: 0.5, since: Date.parse('2024-01-02T00:00:00Z'), tier: 'Cool', codes: [1, 2] },
    });
  });

  it('applies attributes to the listed types and their sub types only', () => {
    expect(validate('contoso_view', { ops: { limit: 1, owner: 'ada' } })).toEqual({ ops: { limit: 1, owner: 'ada' } });
    expect(failure(() => validate('azure_blob_path', { ops: { limit: 1 } }))?.code).toBe('ATLAS-400-00-095');
    expect(failure(() => validate('Process', { ops: { team: 'x' } }))?.message).toBe(
      'Invalid instance creation/updation parameters passed : [ops: invalid business-metadata for entity type Process]',
    );
    // An attribute without applicableEntityTypes applies to nothing.
    expect(failure(() => validate('contoso_table', { ops: { nowhere: 'x' } }))?.code).toBe('ATLAS-400-00-095');
  });

  it('refuses unknown attributes and business metadata names', () => {
    expect(failure(() => validate('contoso_table', { ops: { colour: 'red' } }))).toEqual({
      code: 'ATLAS-400-00-023',
      message: 'Attribute colour not found for type ops',
    });
    expect(failure(() => validate('contoso_table', { DataSet: { a: 1 } }))?.message).toContain(
      'DataSet: invalid business-metadata for entity type contoso_table',
    );
  });

  it('lists every value problem in one ATLAS-404-00-007', () => {
    const problem = failure(() =>
      validate('contoso_table', { ops: { team: 'toolong', limit: 'x', tier: 'Warm', codes: [1, 'two'] } }),
    );
    expect(problem?.code).toBe('ATLAS-404-00-007');
    expect(problem?.message).toContain(
      'contoso_table.ops.team:  Business attribute-value exceeds maximum length limit',
    );
    expect(problem?.message).toContain('contoso_table.ops.limit=x: invalid value for type long');
    expect(problem?.message).toContain('contoso_table.ops.tier=Warm: invalid value for type tier');
    expect(problem?.message).toContain('contoso_table.ops.codes[1]=two: invalid value for type int');
  });

  it('requires a mandatory attribute to keep a value: from the request, or from the entity unless overwriting', () => {
    expect(failure(() => validate('contoso_view', { ops: { team: 'a' } }))?.message).toContain(
      'contoso_view.ops.owner: mandatory business-metadata attribute value missing in type contoso_view',
    );
    expect(validate('contoso_view', { ops: { team: 'a' } }, { ops: { owner: 'ada' } })).toEqual({ ops: { team: 'a' } });
    expect(failure(() => validate('contoso_view', { ops: { team: 'a' } }, { ops: { owner: 'ada' } }, true))?.code).toBe(
      'ATLAS-404-00-007',
    );
    // As in Atlas, null (like DELETE) may still remove a mandatory value the entity has.
    expect(validate('contoso_view', { ops: { owner: null } }, { ops: { owner: 'ada' } })).toEqual({
      ops: { owner: null },
    });
  });

  it('keeps null as "remove this value"', () => {
    expect(validate('contoso_table', { ops: { team: null } })).toEqual({ ops: { team: null } });
  });

  it('renders what an import wrote as Java prints a map', () => {
    expect(javaMapString({ bm: { a: 'x y', b: [1, 2], c: true } })).toBe('{bm={a=x y, b=[1, 2], c=true}}');
  });
});

import { DATAMAP_2023_09_01 } from './datamap-2023-09-01';
import { contractViolations, object, enumOf } from './spec-contract';

const DEFS = {
  Thing: object({ name: 'string', count: 'integer', tags: 'string[]', parts: 'map<Part>', status: 'Status' }),
  Part: object({ weight: 'number', ok: 'boolean', extra: 'any' }),
  Status: enumOf('ACTIVE', 'DELETED'),
};

describe('contractViolations', () => {
  it('passes a body whose every property is declared with its type, and null anywhere', () => {
    const body = {
      name: 'a',
      count: 2,
      tags: ['x'],
      parts: { p: { weight: 1.5, ok: true, extra: [1] } },
      status: null,
    };
    expect(contractViolations(DEFS, 'Thing', body)).toEqual([]);
  });

  it('names each undeclared property, wrong type and unknown enum value by its path', () => {
    const body = { name: 1, count: 1.5, tags: 'x', parts: { p: { weight: '1', surprise: 1 } }, status: 'Active' };
    expect(contractViolations(DEFS, 'Thing', body)).toEqual([
      '$.name: expected a string, got number 1',
      '$.count: expected an integer, got number 1.5',
      '$.tags: expected an array (string[]), got the string "x"',
      '$.parts.p.weight: expected a number, got the string "1"',
      '$.parts.p.surprise: not a property of Part',
      '$.status: "Active" is not a Status (ACTIVE, DELETED)',
    ]);
  });

  it('lets through the undeclared properties a caller lists for a definition, and only there', () => {
    const body = { name: 'a', sourceDetails: {}, parts: { p: { sourceDetails: {} } } };
    expect(contractViolations(DEFS, 'Thing', body, { undeclared: { Thing: ['sourceDetails'] } })).toEqual([
      '$.parts.p.sourceDetails: not a property of Part',
    ]);
  });

  it('refuses to check against a definition it does not have', () => {
    expect(() => contractViolations(DEFS, 'Nothing', {})).toThrow('No definition named Nothing');
  });

  it('has every definition the data map definitions refer to', () => {
    const names = new Set(Object.keys(DATAMAP_2023_09_01));
    const refs = Object.values(DATAMAP_2023_09_01).flatMap((d) =>
      d.kind === 'object' ? Object.values(d.properties) : [],
    );
    const base = (t: string): string =>
      t
        .replace(/\[\]$/, '')
        .replace(/^map<(.+)>$/, '$1')
        .replace(/\[\]$/, '');
    const missing = refs
      .map((t) => base(base(t)))
      .filter((t) => !['string', 'integer', 'number', 'boolean', 'any'].includes(t) && !names.has(t));
    expect(missing).toEqual([]);
  });
});

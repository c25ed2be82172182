import { displayValue } from './display-value';

describe('displayValue', () => {
  it.each([
    ['text', 'text'],
    [42, '42'],
    [true, 'true'],
    [null, 'null'],
    [undefined, 'undefined'],
    [['2023-09-01', '2022-07-01-preview'], '["2023-09-01","2022-07-01-preview"]'],
    [{ kind: 'and' }, '{"kind":"and"}'],
    [10n, '10'],
  ])('shows %p as %s', (value, shown) => {
    expect(displayValue(value)).toBe(shown);
  });

  it('does not throw on a value JSON cannot show', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(displayValue(cyclic)).toBe('[object Object]');
  });
});

import { letters } from './names';

describe('letters', () => {
  it('counts in base 26 with letters only', () => {
    expect([0, 1, 25, 26, 27, 675, 676].map(letters)).toEqual(['a', 'b', 'z', 'ba', 'bb', 'zz', 'baa']);
  });

  it('gives a distinct, digit-free name to each of 10,000 numbers', () => {
    const names = Array.from({ length: 10_000 }, (_, i) => letters(i));
    expect(new Set(names).size).toBe(10_000);
    expect(names.some((name) => /\d/.test(name))).toBe(false);
  });
});

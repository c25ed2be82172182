import { PurviewError } from '../../common/errors';
import { LABEL_MAX_LENGTH, labelSet, parseLabels, validateLabels } from './label-validation';

function codeOf(work: () => void): string | undefined {
  try {
    work();
    return undefined;
  } catch (error) {
    return (error as PurviewError).atlasCode;
  }
}

describe('label validation (Atlas EntityGraphMapper.validateLabels)', () => {
  it.each(['label1', 'PII-free', 'snake_case', 'A1', '数据', '\u2E80x', '\uFAAD'])('accepts %s', (label) => {
    expect(codeOf(() => validateLabels([label]))).toBeUndefined();
  });

  it.each(['has space', 'dot.ted', 'semi;colon', 'slash/', 'émoji', 'tab\t', '🙂', '\u2FD6'])(
    'refuses %j with ATLAS-400-00-090',
    (label) => {
      expect(codeOf(() => validateLabels(['ok', label]))).toBe('ATLAS-400-00-090');
    },
  );

  it('allows 50 characters and refuses 51 with ATLAS-400-00-08F, the length checked first', () => {
    expect(LABEL_MAX_LENGTH).toBe(50);
    expect(codeOf(() => validateLabels(['a'.repeat(50)]))).toBeUndefined();
    expect(codeOf(() => validateLabels(['a'.repeat(51)]))).toBe('ATLAS-400-00-08F');
    expect(codeOf(() => validateLabels([' '.repeat(51)]))).toBe('ATLAS-400-00-08F');
  });

  it('keeps a set in first-seen order and drops empty labels', () => {
    expect(labelSet(['b', 'a', 'b', '', 'c', 'a'])).toEqual(['b', 'a', 'c']);
  });

  it('reads a body: an array of strings, absent or null as none; anything else ATLAS-400-00-01A', () => {
    expect(parseLabels(['x', 'x', 'y'])).toEqual(['x', 'y']);
    expect(parseLabels(undefined)).toEqual([]);
    expect(parseLabels(null)).toEqual([]);
    for (const body of ['x', { labels: [] }, [1], [null], 42])
      expect(codeOf(() => parseLabels(body))).toBe('ATLAS-400-00-01A');
  });
});

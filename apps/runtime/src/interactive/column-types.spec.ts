import { inferColumnType, inferColumnTypes } from './column-types';

describe('inferColumnType', () => {
  it.each([
    [['1', '42', '-7', ''], 'Int64'],
    [['1', '2.5', '1e3'], 'Double'],
    [['007', '123'], 'String'],
    [['true', 'FALSE'], 'Boolean'],
    [['2024-01-31', '2024-02-01T10:00:00Z', '2024-02-01 10:00'], 'DateTime'],
    [['2024-13-45'], 'String'],
    [['alice@example.com', '1'], 'String'],
    [['', '  '], 'String'],
    [['4111111111111111'], 'Int64'],
  ])('%j is %s', (values, type) => {
    expect(inferColumnType(values)).toBe(type);
  });

  it('types each column from its own values, short rows counting as empty', () => {
    expect(
      inferColumnTypes(
        ['id', 'name', 'score'],
        [
          ['1', 'a', '1.5'],
          ['2', 'b'],
        ],
      ),
    ).toEqual([
      { name: 'id', type: 'Int64' },
      { name: 'name', type: 'String' },
      { name: 'score', type: 'Double' },
    ]);
  });
});

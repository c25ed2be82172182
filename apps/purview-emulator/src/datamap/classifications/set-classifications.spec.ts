import type { StoredClassification } from '../entity-model';
import { planSetClassifications, updatedClassification } from './set-classifications';

describe('setClassifications plan', () => {
  const current: StoredClassification[] = [
    { typeName: 'A', attributes: { x: 1 }, propagate: false },
    { typeName: 'B' },
  ];

  it('deletes what the header leaves out, updates what both have, adds the rest, in Atlas`s order', () => {
    const { steps } = planSetClassifications('g1', current, [
      { typeName: 'A', attributes: { y: 2 } },
      { typeName: 'C' },
      { typeName: 'C' },
    ]);
    expect(steps.map((s) => [s.op, s.names])).toEqual([
      ['Delete', ['B']],
      ['Update', ['A']],
      ['Add', ['C']],
    ]);
    const result = steps.reduce((list, step) => step.apply(list), current);
    expect(result).toEqual([{ typeName: 'A', attributes: { x: 1, y: 2 }, propagate: false }, { typeName: 'C' }]);
  });

  it('leaves out incoming classifications of another entity (propagated ones) and does nothing when both are empty', () => {
    const { steps } = planSetClassifications(
      'g1',
      [],
      [
        { typeName: 'P', entityGuid: 'other' },
        { typeName: 'Q', entityGuid: 'g1' },
      ],
    );
    expect(steps.map((s) => [s.op, s.names])).toEqual([['Add', ['Q']]]);
    expect(planSetClassifications('g1', [], []).steps).toEqual([]);
  });

  it('updates flags and validity periods only when given', () => {
    expect(
      updatedClassification(
        { typeName: 'A', propagate: true, validityPeriods: [{ timeZone: 'UTC' }] },
        { typeName: 'A', propagate: null },
      ),
    ).toEqual({
      typeName: 'A',
      propagate: true,
      validityPeriods: [{ timeZone: 'UTC' }],
    });
    expect(
      updatedClassification(
        { typeName: 'A', propagate: true },
        { typeName: 'A', propagate: false, removePropagationsOnEntityDelete: true },
      ),
    ).toEqual({
      typeName: 'A',
      propagate: false,
      removePropagationsOnEntityDelete: true,
    });
  });
});

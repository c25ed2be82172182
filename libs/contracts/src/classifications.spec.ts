import { SYSTEM_CLASSIFICATIONS, SystemClassificationSchema, systemClassification } from './classifications';

describe('SYSTEM_CLASSIFICATIONS', () => {
  it('are valid, unique, and findable by name', () => {
    for (const c of SYSTEM_CLASSIFICATIONS) expect(SystemClassificationSchema.parse(c)).toEqual(c);
    expect(new Set(SYSTEM_CLASSIFICATIONS.map((c) => c.name)).size).toBe(SYSTEM_CLASSIFICATIONS.length);
    expect(systemClassification('MICROSOFT.GOVERNMENT.CHILE.CDI_NUMBER')).toEqual({
      name: 'MICROSOFT.GOVERNMENT.CHILE.CDI_NUMBER',
      description: 'Chile Identity Card Number',
      category: 'Government',
    });
    expect(systemClassification('MICROSOFT.FINANCIAL.SWIFT_CODE')).toBeUndefined();
  });

  it('reject names outside the MICROSOFT namespace and unknown categories', () => {
    expect(
      SystemClassificationSchema.safeParse({ name: 'contoso.hr.id', description: 'x', category: 'Personal' }).success,
    ).toBe(false);
    expect(
      SystemClassificationSchema.safeParse({ name: 'MICROSOFT.X', description: 'x', category: 'Health' }).success,
    ).toBe(false);
  });
});

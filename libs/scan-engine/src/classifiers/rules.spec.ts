import {
  CREDIT_CARD_CLASSIFICATION,
  creditCardNumberRule,
  hasKnownIin,
  isCreditCardNumber,
  isEmailAddress,
  luhnValid,
  regexRule,
  SYSTEM_MINIMUM_PERCENTAGE_MATCH,
} from './rules';

describe('isEmailAddress', () => {
  it.each(['ann@contoso.com', 'first.last+tag@mail.example.co.uk', "o'brien@x-y.io", 'A_B-c@sub.domain.org'])(
    'accepts %s',
    (value) => {
      expect(isEmailAddress(value)).toBe(true);
    },
  );

  it.each([
    'ann',
    'ann@',
    '@contoso.com',
    'ann@contoso',
    'ann@@contoso.com',
    'ann.@contoso.com',
    '.ann@contoso.com',
    'a..b@contoso.com',
    'ann@-contoso.com',
    'ann smith@contoso.com',
    'ann@contoso.c',
    'https://contoso.com',
    'ann@contoso.com.',
  ])('rejects %s', (value) => {
    expect(isEmailAddress(value)).toBe(false);
  });

  it('rejects a local part longer than 64 characters', () => {
    expect(isEmailAddress(`${'a'.repeat(64)}@x.com`)).toBe(true);
    expect(isEmailAddress(`${'a'.repeat(65)}@x.com`)).toBe(false);
  });
});

describe('luhnValid', () => {
  it.each(['4111111111111111', '5555555555554444', '378282246310005', '79927398713'])('%s passes', (digits) => {
    expect(luhnValid(digits)).toBe(true);
  });
  it.each(['4111111111111112', '5555555555554445', '79927398710', '12a4'])('%s fails', (digits) => {
    expect(luhnValid(digits)).toBe(false);
  });
});

describe('isCreditCardNumber', () => {
  it.each([
    '4111111111111111',
    '4111 1111 1111 1111',
    '4111-1111-1111-1111',
    '378282246310005',
    '4222222222222' /* 13 digits */,
    '6011000990139424',
  ])('accepts %s', (value) => {
    expect(isCreditCardNumber(value)).toBe(true);
  });

  it.each([
    ['a bad checksum', '4111111111111112'],
    ['12 digits', '411111111116'],
    ['20 digits', '41111111111111111113'],
    ['letters', '4111-1111-1111-111a'],
    ['doubled separators', '4111  1111 1111 1111'],
    ['all zeros (Luhn-valid)', '0000000000000000'],
  ])('rejects %s', (_why, value) => {
    expect(isCreditCardNumber(value)).toBe(false);
  });

  it('checks issuer prefixes only when asked', () => {
    const unknownIin = '1234567812345670'; // Luhn-valid, no brand starts with 1
    expect(luhnValid(unknownIin)).toBe(true);
    expect(isCreditCardNumber(unknownIin)).toBe(true);
    expect(isCreditCardNumber(unknownIin, { requireKnownIin: true })).toBe(false);
    expect(isCreditCardNumber('4111111111111111', { requireKnownIin: true })).toBe(true);
    expect(creditCardNumberRule({ requireKnownIin: true }).matchValue!(unknownIin)).toBe(false);
  });

  it.each([
    ['Visa', '4111111111111111', true],
    ['Mastercard 2-series', '2223003122003222', true],
    ['Amex with 16 digits', '3782822463100051', false],
    ['JCB', '3530111333300000', true],
    ['Diners', '30569309025904', true],
  ])('knows the %s range', (_brand, digits, known) => {
    expect(hasKnownIin(digits)).toBe(known);
  });
});

describe('regexRule', () => {
  it('builds a custom rule from API-shaped patterns', () => {
    const rule = regexRule({
      name: 'EmployeeId',
      classificationName: 'contoso.hr.employee_id',
      dataPatterns: [{ kind: 'Regex', pattern: '^E\\d{5}$' }],
      minimumPercentageMatch: 80,
    });
    expect(rule).toMatchObject({
      kind: 'Custom',
      classificationName: 'contoso.hr.employee_id',
      minimumPercentageMatch: 80,
    });
    expect(rule.matchValue!('E12345')).toBe(true);
    expect(rule.matchValue!('x E12345')).toBe(false);
    expect(rule.matchColumn).toBeUndefined();
  });

  it('uses search semantics, like .NET Regex.IsMatch', () => {
    expect(regexRule({ name: 'r', classificationName: 'c', dataPatterns: ['\\d{3}'] }).matchValue!('ab123cd')).toBe(
      true,
    );
  });

  it('fixes the threshold at 60% with more than one data pattern', () => {
    const rule = regexRule({
      name: 'r',
      classificationName: 'c',
      dataPatterns: ['^a', '^b'],
      minimumPercentageMatch: 90,
    });
    expect(rule.minimumPercentageMatch).toBe(SYSTEM_MINIMUM_PERCENTAGE_MATCH);
    expect(rule.matchValue!('bob')).toBe(true);
  });

  it('matches column names with column patterns', () => {
    const rule = regexRule({ name: 'r', classificationName: 'c', columnPatterns: ['^(CustomerID|CustID)$'] });
    expect(rule.matchColumn!('CustID')).toBe(true);
    expect(rule.matchColumn!('OrderID')).toBe(false);
    expect(rule.matchValue).toBeUndefined();
  });

  it('drops global/sticky flags so that repeated tests agree', () => {
    const rule = regexRule({ name: 'r', classificationName: 'c', dataPatterns: [/x/g] });
    expect([rule.matchValue!('x'), rule.matchValue!('x'), rule.matchValue!('x')]).toEqual([true, true, true]);
  });

  it('rejects rules without patterns, bad thresholds and bad regexes', () => {
    expect(() => regexRule({ name: 'r', classificationName: 'c' })).toThrow(/pattern/);
    expect(() =>
      regexRule({ name: 'r', classificationName: 'c', dataPatterns: ['a'], minimumPercentageMatch: 0 }),
    ).toThrow(/between 1 and 100/);
    expect(() => regexRule({ name: 'r', classificationName: 'c', dataPatterns: ['('] })).toThrow();
  });

  it('system rules are named after their classification', () => {
    expect(creditCardNumberRule()).toMatchObject({
      name: CREDIT_CARD_CLASSIFICATION,
      kind: 'System',
      minimumPercentageMatch: 60,
    });
  });
});

import { SYSTEM_CLASSIFICATIONS } from '@purview-emulator/contracts';
import { classifyColumn } from './classify';
import { SYSTEM_RULES, systemRuleFor } from './system-rules';

/**
 * One row per system rule: a column whose name carries the rule's keywords, values that must match there, values
 * that must not (most are a valid value with one digit changed, so the checksum fails), and what changes without the
 * keyword. Valid check digits are public test values (IBAN, ABA, ABN, TFN, HKID, PESEL, …) or computed by hand.
 */
interface Row {
  name: string;
  column: string;
  valid: string[];
  invalid: string[];
  /** Values that match only in the hinted column (weak shapes), or undefined when the hint changes nothing. */
  hintOnly?: string[];
  /** The rule ignores any column whose name lacks its keywords. */
  hintRequired?: boolean;
}

const ROWS: Row[] = [
  {
    name: 'MICROSOFT.PERSONAL.EMAIL',
    column: 'email',
    valid: ['ann@contoso.com', 'first.last+tag@mail.example.co.uk'],
    invalid: ['ann@contoso', 'ann@@contoso.com'],
  },
  {
    name: 'MICROSOFT.PERSONAL.IPADDRESS',
    column: 'ip_address',
    valid: ['10.0.0.1', '192.168.100.254', '2001:db8::1', '::1'],
    invalid: ['256.1.1.1', '10.0.0', '2001:db8:::1', '1.2.3.4.5'],
  },
  {
    name: 'MICROSOFT.PERSONAL.US.PHONE_NUMBER',
    column: 'phone',
    valid: ['(425) 555-0100', '425-555-0100', '+1 206 555 0123', '425.555.0100 x1234'],
    invalid: ['125-555-0100', '425-155-0100', '425-555-010', '42-555-0100'],
    hintOnly: ['4255550100'],
  },
  {
    name: 'MICROSOFT.PERSONAL.DATE_OF_BIRTH',
    column: 'date_of_birth',
    valid: ['1985-07-14', '07/14/1985', '14.07.1985', '19850714'],
    invalid: ['1985-02-30', '1899-01-01', '1985-13-01', 'yesterday'],
    hintRequired: true,
  },
  {
    name: 'MICROSOFT.PERSONAL.GEOLOCATION',
    column: 'latitude',
    valid: ['47.6062, -122.3321', '(-33.8688;151.2093)'],
    invalid: ['91.5, 10.5', '47, -122', 'north'],
    hintOnly: ['47.6062', '-122.3321'],
  },
  {
    name: 'MICROSOFT.PERSONAL.AGE',
    column: 'age',
    valid: ['34', '7', '34 years', '80 yrs old'],
    invalid: ['131', '34.5', 'abc'],
    hintRequired: true,
  },
  {
    name: 'MICROSOFT.PERSONAL.GENDER',
    column: 'gender',
    valid: ['Female', 'male', 'non-binary', 'Prefer not to say'],
    invalid: ['blue', 'ma le'],
    hintOnly: ['F', 'm'],
  },
  {
    name: 'MICROSOFT.FINANCIAL.CREDIT_CARD_NUMBER',
    column: 'card_number',
    valid: ['4111111111111111', '4111 1111 1111 1111', '378282246310005', '5555-5555-5555-4444'],
    invalid: ['4111111111111112', '378282246310006', '5555-5555-5555-4445'],
  },
  {
    name: 'MICROSOFT.FINANCIAL.US.ABA_ROUTING_NUMBER',
    column: 'routing_number',
    valid: ['011000015', '021000021', '0110-0001-5'],
    invalid: ['011000016', '021000022', '501000017' /* checksum fits, 50 is no Fed district */],
  },
  {
    name: 'MICROSOFT.FINANCIAL.INTERNATIONAL.BANK_ACCOUNT_NUMBER',
    column: 'iban',
    valid: [
      'GB82WEST12345698765432',
      'GB82 WEST 1234 5698 7654 32',
      'DE89370400440532013000',
      'FR1420041010050500013M02606',
    ],
    invalid: ['GB82WEST12345698765433', 'DE89370400440532013001', 'XX82WEST12345698765432'],
  },
  {
    name: 'MICROSOFT.FINANCIAL.AUSTRALIA.BANK_ACCOUNT_NUMBER',
    column: 'account_number',
    valid: ['123-456 12345678', '1234567', '123456'],
    invalid: ['12345', '12345678901', '12-3456'],
    hintRequired: true,
  },
  {
    name: 'MICROSOFT.FINANCIAL.CANADA.BANK_ACCOUNT_NUMBER',
    column: 'bank_account',
    valid: ['1234567', '123456789012', '12345-678 1234567'],
    invalid: ['12345678', '123456'],
    hintRequired: true,
  },
  {
    name: 'MICROSOFT.FINANCIAL.JAPAN.BANK_ACCOUNT_NUMBER',
    column: '口座番号',
    valid: ['1234567', '12345678', '1234-567 1234567'],
    invalid: ['123456', '123456789'],
    hintRequired: true,
  },
  {
    name: 'MICROSOFT.SECURITY.COMMON_PASSWORDS',
    column: 'password',
    valid: ['password', '123456', 'Qwerty', 'letmein'],
    invalid: ['correct horse battery staple', 'Xk9#pL2!vQ'],
  },
  {
    name: 'MICROSOFT.GOVERNMENT.US.SOCIAL_SECURITY_NUMBER',
    column: 'ssn',
    valid: ['123-45-6789', '078-05-1120', '123 45 6789'],
    invalid: ['000-12-3456', '666-12-3456', '912-34-5678', '123-00-4567', '123-45-0000', '123-45 6789'],
    hintOnly: ['123456789'],
  },
  {
    name: 'MICROSOFT.GOVERNMENT.US.STATE',
    column: 'state',
    valid: ['California', 'new york', 'West Virginia'],
    invalid: ['Californi', 'Bavaria', 'XX'],
    hintOnly: ['CA', 'ny'],
  },
  {
    name: 'MICROSOFT.GOVERNMENT.US.ZIP_CODE',
    column: 'zip',
    valid: ['98052-6399'],
    invalid: ['9805', '98052-639', '980526399'],
    hintOnly: ['98052'],
  },
  {
    name: 'MICROSOFT.GOVERNMENT.CITY_NAME',
    column: 'city',
    valid: ['Paris', 'São Paulo', 'new york'],
    invalid: ['Atlantis', 'Paris, France'],
  },
  {
    name: 'MICROSOFT.GOVERNMENT.ARGENTINA.DNI_NUMBER',
    column: 'dni',
    valid: ['12.345.678'],
    invalid: ['12.345.67', '12-345-678'],
    hintOnly: ['12345678'],
  },
  {
    name: 'MICROSOFT.GOVERNMENT.AUSTRALIA.BUSINESS.NUMBER',
    column: 'abn',
    valid: ['51 824 753 556', '53004085616', '51-824-753-556'],
    invalid: ['51 824 753 557', '53004085617'],
  },
  {
    name: 'MICROSOFT.GOVERNMENT.AUSTRALIA.COMPANY.NUMBER',
    column: 'acn',
    valid: ['004 085 616', '000 000 019'],
    invalid: ['004 085 617', '000 000 018'],
    hintOnly: ['004085616'],
  },
  {
    name: 'MICROSOFT.GOVERNMENT.AUSTRALIA.DRIVERS_LICENSE_NUMBER',
    column: 'drivers_license',
    valid: ['AB12CD345', '12345678', 'N1234567'],
    invalid: ['ABCDEFGHI', '123', 'AB-12'],
    hintRequired: true,
  },
  {
    name: 'MICROSOFT.GOVERNMENT.AUSTRALIA.MEDICAL_ACCOUNT_NUMBER',
    column: 'medicare',
    valid: ['2123 45670 1', '2123456701', '21234567011'],
    invalid: ['2123 45671 1', '7123456701'],
  },
  {
    name: 'MICROSOFT.GOVERNMENT.AUSTRALIA.PASSPORT_NUMBER',
    column: 'passport_no',
    valid: ['N1234567', 'PA1234567', 'x7654321'],
    invalid: ['B1234567', 'N123456', 'PB12345678'],
    hintRequired: true,
  },
  {
    name: 'MICROSOFT.GOVERNMENT.AUSTRALIA.TAX_FILE_NUMBER',
    column: 'tfn',
    valid: ['123 456 782'],
    invalid: ['123 456 783', '123 456 78X'],
    hintOnly: ['123456782', '37118629'],
  },
  {
    name: 'MICROSOFT.GOVERNMENT.AUSTRIA.DRIVERS.LICENSE.NUMBER',
    column: 'driver_license',
    valid: ['12345678'],
    invalid: ['1234567', '123456789'],
    hintRequired: true,
  },
  {
    name: 'MICROSOFT.GOVERNMENT.AUSTRIA.PASSPORT.NUMBER',
    column: 'passport',
    valid: ['P1234567', 'p 1234567'],
    invalid: ['PP123456', 'P123456'],
    hintRequired: true,
  },
  {
    name: 'MICROSOFT.GOVERNMENT.AUSTRIA.TAX.IDENTIFICATION.NUMBER',
    column: 'tax_id',
    valid: ['12-345/6782', '12-3456782'],
    invalid: ['12-345/6783', '12-345/678'],
    hintOnly: ['123456782'],
  },
  {
    name: 'MICROSOFT.GOVERNMENT.BELGIUM.DRIVERS.LICENSE.NUMBER',
    column: 'driving_licence',
    valid: ['1234567890'],
    invalid: ['123456789', '12345678901'],
    hintRequired: true,
  },
  {
    name: 'MICROSOFT.GOVERNMENT.BRAZIL.NATIONAL_ID_CARD',
    column: 'rg',
    valid: ['24.678.131-2', '12.345.678-2', '24678131-2'],
    invalid: ['24.678.131-3', '12.345.678-X'],
  },
  {
    name: 'MICROSOFT.GOVERNMENT.BULGARIA.PASSPORT.NUMBER',
    column: 'passport_number',
    valid: ['123456789'],
    invalid: ['12345678', 'A23456789'],
    hintRequired: true,
  },
  {
    name: 'MICROSOFT.GOVERNMENT.CANADA.DRIVERS_LICENSE_NUMBER',
    column: 'drivers_licence',
    valid: ['A1234-12345-12345', 'A123456789012', '123456789'],
    invalid: ['A12', 'AB-1234'],
    hintRequired: true,
  },
  {
    name: 'MICROSOFT.GOVERNMENT.CHILE.CDI_NUMBER',
    column: 'rut',
    valid: ['12.345.678-5', '12345678-5', '7.654.321-6'],
    invalid: ['12.345.678-4', '7.654.321-K'],
  },
  {
    name: 'MICROSOFT.GOVERNMENT.CYPRUS.TAX.IDENTIFICATION.NUMBER',
    column: 'tax_number',
    valid: ['01234567X', '91234567a'],
    invalid: ['11234567X', '0123456X'],
    hintRequired: true,
  },
  {
    name: 'MICROSOFT.GOVERNMENT.EU.DRIVERS_LICENSE_NUMBER',
    column: 'driving_license',
    valid: ['123456ABCD', 'UA1234567B', 'MORGA753116SM9IJ', '123456789012'],
    invalid: ['ABC', 'MORGA793116SM9IJ'],
    hintRequired: true,
  },
  {
    name: 'MICROSOFT.GOVERNMENT.EU.NATIONAL_IDENTIFICATION_NUMBER',
    column: 'national_id',
    valid: ['12345678Z', 'RSSMRA85T10A562S', '131052-308T', 'AB123456C', '811228-9874', '85.07.30-033.28'],
    invalid: ['12345678A', 'RSSMRA85T10A562T', '131052-308U', 'BG123456C', '811228-9875', '85.07.30-033.29'],
    hintOnly: ['44051401359', '111222333'],
  },
  {
    name: 'MICROSOFT.GOVERNMENT.EU.TAX_IDENTIFICATION_NUMBER',
    column: 'tax_id',
    valid: ['12345678Z', 'X1234567L', '12-345/6782'],
    invalid: ['12345678A', '12-345/6783'],
    hintOnly: ['65929970489', '86095742719', '1234563218', '01234567X'],
  },
  {
    name: 'MICROSOFT.GOVERNMENT.FRANCE.DRIVERS_LICENSE_NUMBER',
    column: 'permis_de_conduire',
    valid: ['123456789012'],
    invalid: ['12345678901', '331234567890'],
    hintRequired: true,
  },
  {
    name: 'MICROSOFT.GOVERNMENT.HONGKONG.ID_CARD_NUMBER',
    column: 'hkid',
    valid: ['A123456(3)', 'A1234563', 'a123456 (3)'],
    invalid: ['A123456(4)', 'A12345(3)'],
  },
  {
    name: 'MICROSOFT.GOVERNMENT.TURKEY.TURKISH_NATIONAL_IDENTIFICATION_NUMBER',
    column: 'tckn',
    valid: ['10000000146', '100 000 001 46'],
    invalid: ['10000000147', '10000000156', '01000000146'],
  },
];

const hinted = { columnHinted: true };
const unhinted = { columnHinted: false };

describe('system rules', () => {
  it('implement at least 40 of Purview’s system classifications, each listed (with its exact name) in contracts', () => {
    const listed = new Set(SYSTEM_CLASSIFICATIONS.map((c) => c.name));
    const names = SYSTEM_RULES.map((r) => r.classificationName);
    expect(names.length).toBeGreaterThanOrEqual(40);
    expect(new Set(names).size).toBe(names.length);
    expect(names.filter((n) => !listed.has(n))).toEqual([]);
  });

  it('are all covered by this table', () => {
    expect(ROWS.map((r) => r.name).sort()).toEqual(SYSTEM_RULES.map((r) => r.classificationName).sort());
  });

  describe.each(ROWS)('$name', (row) => {
    const rule = systemRuleFor(row.name)!;

    it('reads the keywords in its column name', () => {
      expect(rule.columnHint?.(row.column) ?? true).toBe(true);
      if (rule.matchColumn) expect(rule.matchColumn(row.column)).toBe(true);
    });

    it.each(row.valid)('matches %s', (value) => {
      expect(rule.matchValue!(value, hinted)).toBe(true);
      if (!row.hintRequired) expect(rule.matchValue!(value, unhinted)).toBe(true);
    });

    it.each(row.invalid)('does not match %s', (value) => {
      expect(rule.matchValue!(value, hinted)).toBe(false);
      expect(rule.matchValue!(value, unhinted)).toBe(false);
    });

    if (row.hintOnly) {
      it.each(row.hintOnly)('matches %s only in a column named for it', (value) => {
        expect(rule.matchValue!(value, hinted)).toBe(true);
        expect(rule.matchValue!(value, unhinted)).toBe(false);
      });
    }

    if (row.hintRequired) {
      it('ignores a column whose name lacks its keywords', () => {
        expect(rule.matchColumn?.('notes')).toBe(false);
      });
    }
  });
});

describe('column hints', () => {
  it.each([
    ['MICROSOFT.PERSONAL.AGE', 'page', false],
    ['MICROSOFT.PERSONAL.AGE', 'message', false],
    ['MICROSOFT.PERSONAL.AGE', 'customerAge', true],
    ['MICROSOFT.PERSONAL.DATE_OF_BIRTH', 'BirthDate', true],
    ['MICROSOFT.PERSONAL.DATE_OF_BIRTH', 'DOB', true],
    ['MICROSOFT.PERSONAL.DATE_OF_BIRTH', 'signup_date', false],
    ['MICROSOFT.GOVERNMENT.US.SOCIAL_SECURITY_NUMBER', 'Social Security No', true],
    ['MICROSOFT.GOVERNMENT.US.SOCIAL_SECURITY_NUMBER', 'classname', false],
  ])('%s reads %s as %s', (name, column, expected) => {
    const rule = systemRuleFor(name)!;
    expect((rule.matchColumn ?? rule.columnHint)!(column)).toBe(expected);
  });

  it('decide whether weak shapes count, column by column', () => {
    const ssns = [
      '123456789',
      '234567890',
      '345678901',
      '456789012',
      '567890123',
      '678901234',
      '789012345',
      '801234567',
    ];
    expect(classifyColumn('ssn', ssns).classifications).toEqual(['MICROSOFT.GOVERNMENT.US.SOCIAL_SECURITY_NUMBER']);
    expect(classifyColumn('reference', ssns).classifications).toEqual([]);
  });
});

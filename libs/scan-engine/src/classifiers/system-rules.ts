import { isIP } from 'node:net';
import { abaRoutingValid, ibanValid } from './checksums';
import { COMMON_PASSWORDS, GENDER_LETTERS, GENDER_WORDS } from './dictionaries';
import { GOVERNMENT_RULES } from './government-rules';
import { type ClassificationRule, creditCardNumberRule, emailRule } from './rules';
import { BANK_ACCOUNT_KEYWORDS, systemRule } from './system-rule';

/*
 * Personal, financial and security system rules. Each follows the definition on Microsoft Learn's "supported
 * classifications" page (format, pattern, checksum, keywords); the README's table lists them with their sources.
 */

// 2-9 for the first digit of the area code and of the exchange (NANP); +1, parentheses, separators and a 4-digit
// extension optional, as the definition lists them.
const US_PHONE =
  /^(?:\+?1[ .-]?)?(?:\(([2-9]\d{2})\)|([2-9]\d{2}))[ .-]?([2-9]\d{2})[ .-]?(\d{4})(?: ?(?:x|ext\.?|#) ?\d{1,4})?$/i;
const US_PHONE_FORMATTED = /[()\s.+-]/;

const DATE_FORMATS: readonly RegExp[] = [
  /^(?<y>\d{4})-(?<m>\d{1,2})-(?<d>\d{1,2})(?:[T ][\d:.]+Z?)?$/, // ISO
  /^(?<m>\d{1,2})\/(?<d>\d{1,2})\/(?<y>\d{4})$/, // U.S.
  /^(?<d>\d{1,2})[./-](?<m>\d{1,2})[./-](?<y>\d{4})$/, // European
  /^(?<y>\d{4})\/(?<m>\d{1,2})\/(?<d>\d{1,2})$/,
  /^(?<y>\d{4})(?<m>\d{2})(?<d>\d{2})$/,
];

/** A calendar date in one of the common layouts, with a plausible year of birth. */
export function isDate(value: string): boolean {
  for (const format of DATE_FORMATS) {
    const groups = format.exec(value)?.groups;
    if (!groups) continue;
    const [y, m, d] = [Number(groups.y), Number(groups.m), Number(groups.d)];
    if (y < 1900 || y > new Date().getUTCFullYear()) return false;
    const date = new Date(Date.UTC(y, m - 1, d));
    return date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
  }
  return false;
}

const DECIMAL = /^[+-]?\d{1,3}(?:\.\d+)?$/;
const COORDINATE_PAIR = /^\(?\s*([+-]?\d{1,2}(?:\.\d+)?)\s*[,;]\s*([+-]?\d{1,3}(?:\.\d+)?)\s*\)?$/;

/** A "latitude, longitude" pair in range; a lone decimal degree only in a column named for one. */
export function isGeolocation(value: string, hinted: boolean): boolean {
  const pair = COORDINATE_PAIR.exec(value);
  if (pair)
    return (
      Math.abs(Number(pair[1])) <= 90 &&
      Math.abs(Number(pair[2])) <= 180 &&
      (pair[1].includes('.') || pair[2].includes('.'))
    );
  return hinted && DECIMAL.test(value) && value.includes('.') && Math.abs(Number(value)) <= 180;
}

const IBAN_COUNTRIES = new Set(
  'AD AE AL AT AZ BA BE BG BH CH CR CY CZ DE DK DO EE ES FI FO FR GB GE GI GL GR HR HU IE IL IS IT KW KZ LB LI LT LU LV MC MD ME MK MR MT MU NL NO PL PT RO RS SA SE SI SK SM TN TR VG'.split(
    ' ',
  ),
);
const IBAN_SHAPE = /^[A-Z]{2}\d{2}(?: ?[A-Z0-9]{1,4}){3,8}$/i;

export function isIban(value: string): boolean {
  if (!IBAN_SHAPE.test(value)) return false;
  const iban = value.replace(/ /g, '').toUpperCase();
  return IBAN_COUNTRIES.has(iban.slice(0, 2)) && ibanValid(iban);
}

const ABA_SHAPE = /^(?:0[0-9]|1[0-2]|2[1-9]|3[0-2]|6[1-9]|7[0-2]|80)\d{2}-?\d{4}-?\d$/;

export const PERSONAL_RULES: readonly ClassificationRule[] = [
  emailRule,
  systemRule({
    classificationName: 'MICROSOFT.PERSONAL.IPADDRESS',
    length: [2, 45],
    test: (value) => value.length <= 45 && /^[\d.]+$|:/.test(value) && isIP(value) !== 0,
    keywords: ['ip', 'ipaddress', 'ipv4', 'ipv6', 'internetprotocol', 'host'],
  }),
  systemRule({
    classificationName: 'MICROSOFT.PERSONAL.US.PHONE_NUMBER',
    length: [10, 28],
    // Ten bare digits are any identifier; formatted ones (or a phone column) are a phone number.
    test: (value, hinted) => US_PHONE.test(value) && (hinted || US_PHONE_FORMATTED.test(value)),
    keywords: ['phone', 'telephone', 'cell', 'cellphone', 'mobile', 'mob', 'tel', 'landline', 'contact', 'ph', 'fax'],
    structuredOnly: true,
  }),
  systemRule({
    classificationName: 'MICROSOFT.PERSONAL.DATE_OF_BIRTH',
    length: [8, 30],
    // Any valid date is the format; without the birth keyword every date column would be a date of birth.
    test: (value) => isDate(value),
    keywords: ['dob', 'birth', 'birthday', 'birthdate', 'natal', 'geburtsdatum', 'nacimiento', 'naissance'],
    hintRequired: true,
    structuredOnly: true,
  }),
  systemRule({
    classificationName: 'MICROSOFT.PERSONAL.GEOLOCATION',
    length: [3, 45],
    test: isGeolocation,
    keywords: [
      'lat',
      'latitude',
      'long',
      'lng',
      'lon',
      'longitude',
      'coord',
      'coordinates',
      'geo',
      'geolocation',
      'loc',
      'location',
      'position',
    ],
    structuredOnly: true,
  }),
  systemRule({
    classificationName: 'MICROSOFT.PERSONAL.AGE',
    length: [1, 16],
    // Purview's is a model reading English qualifiers ("{n} years", "age {n}"); a whole number of years in an age column here.
    test: (value) =>
      /^(?:age )?(\d{1,3})(?: ?(?:years?|yrs?|y)(?: old)?)?$/i.test(value) && Number(/\d+/.exec(value)![0]) <= 130,
    keywords: ['age', 'ages', 'agegroup', 'alter', 'edad', 'âge'],
    hintRequired: true,
    structuredOnly: true,
  }),
  systemRule({
    classificationName: 'MICROSOFT.PERSONAL.GENDER',
    length: [1, 20],
    test: (value, hinted) =>
      GENDER_WORDS.has(value.toLowerCase()) || (hinted && GENDER_LETTERS.has(value.toLowerCase())),
    keywords: ['gender', 'sex', 'geschlecht', 'genre', 'sexo', 'género'],
    structuredOnly: true,
  }),
];

export const FINANCIAL_RULES: readonly ClassificationRule[] = [
  creditCardNumberRule(),
  systemRule({
    classificationName: 'MICROSOFT.FINANCIAL.US.ABA_ROUTING_NUMBER',
    length: [9, 11],
    test: (value) => ABA_SHAPE.test(value) && abaRoutingValid(value.replace(/-/g, '')),
    keywords: ['aba', 'abarouting', 'routing', 'rtn', 'routingnumber', 'bankrouting', 'transit'],
  }),
  systemRule({
    classificationName: 'MICROSOFT.FINANCIAL.INTERNATIONAL.BANK_ACCOUNT_NUMBER',
    length: [15, 42],
    test: isIban,
    keywords: ['iban', 'account', 'bank'],
  }),
  systemRule({
    classificationName: 'MICROSOFT.FINANCIAL.AUSTRALIA.BANK_ACCOUNT_NUMBER',
    length: [6, 19],
    // 6-10 digits, optionally after a bank state branch number (ddd-ddd); no checksum, so only in an account column.
    test: (value) => /^(?:\d{3}-\d{3}[ -]?)?\d{6,10}$/.test(value),
    keywords: BANK_ACCOUNT_KEYWORDS,
    hintRequired: true,
  }),
  systemRule({
    classificationName: 'MICROSOFT.FINANCIAL.CANADA.BANK_ACCOUNT_NUMBER',
    length: [7, 23],
    // 7 or 12 digits, optionally with a transit number (ddddd-ddd or 0dddddddd).
    test: (value) => /^(?:(?:\d{5}-\d{3}|0\d{8})[ -]?)?(?:\d{7}|\d{12})$/.test(value),
    keywords: BANK_ACCOUNT_KEYWORDS,
    hintRequired: true,
  }),
  systemRule({
    classificationName: 'MICROSOFT.FINANCIAL.JAPAN.BANK_ACCOUNT_NUMBER',
    length: [7, 18],
    // 7 or 8 digits, optionally after a branch code (dddd, optional space or dash, ddd).
    test: (value) => /^(?:\d{4}[ -]?\d{3}[ -]?)?\d{7,8}$/.test(value),
    keywords: [...BANK_ACCOUNT_KEYWORDS, '支店番号', '口座番号'],
    hintRequired: true,
  }),
];

export const SECURITY_RULES: readonly ClassificationRule[] = [
  systemRule({
    classificationName: 'MICROSOFT.SECURITY.COMMON_PASSWORDS',
    length: [1, 32],
    test: (value) => value.length <= 32 && COMMON_PASSWORDS.has(value.toLowerCase()),
    keywords: ['password', 'passwd', 'pwd', 'pass', 'secret'],
  }),
];

/** Every system rule the engine implements, in evaluation order. The default rule set. */
export const SYSTEM_RULES: readonly ClassificationRule[] = [
  ...PERSONAL_RULES,
  ...FINANCIAL_RULES,
  ...GOVERNMENT_RULES,
  ...SECURITY_RULES,
];

/** The system rule for a classification, if the engine has one. */
export function systemRuleFor(classificationName: string): ClassificationRule | undefined {
  return SYSTEM_RULES.find((r) => r.classificationName === classificationName);
}

import { type ClassificationRule, keywordHint, SYSTEM_MINIMUM_PERCENTAGE_MATCH } from './rules';

/** A system rule as data: the classification, its value test, and the column keywords it reads. */
export interface SystemRuleSpec {
  classificationName: string;
  /**
   * Tests one value. `hinted` says the column name carries one of `keywords`: weak shapes (bare digit runs) count
   * only then, as Purview's definitions want a keyword beside them; strong ones (checksums, separators) count alone.
   * Put the cheap pattern first and the checksum after it.
   */
  test: (value: string, hinted: boolean) => boolean;
  /** The lengths a matching value can have: checked before `test`, it turns most values away for nothing. */
  length: readonly [min: number, max: number];
  /** Purview's keywords for the type, tested on the column name (see `keywordHint`). */
  keywords?: readonly string[];
  /** No match at all unless the column name carries a keyword (types whose shape alone means nothing). */
  hintRequired?: boolean;
  structuredOnly?: boolean;
}

export function systemRule(spec: SystemRuleSpec): ClassificationRule {
  const hint = spec.keywords?.length ? keywordHint(spec.keywords) : undefined;
  const [min, max] = spec.length;
  if (spec.hintRequired && !hint)
    throw new Error(`${spec.classificationName}: a rule that requires a column hint needs keywords`);
  return {
    name: spec.classificationName,
    classificationName: spec.classificationName,
    kind: 'System',
    minimumPercentageMatch: SYSTEM_MINIMUM_PERCENTAGE_MATCH,
    matchValue: (value, context) =>
      value.length >= min && value.length <= max && spec.test(value, context?.columnHinted ?? false),
    ...(hint ? { columnHint: hint } : {}),
    ...(spec.hintRequired ? { matchColumn: hint } : {}),
    ...(spec.structuredOnly ? { structuredOnly: true } : {}),
  };
}

/** The value with spaces, dots, dashes and slashes removed, upper-cased. */
export const compact = (value: string) => value.replace(/[\s.\-/]/g, '').toUpperCase();

// Shared keyword lists (Purview's Keywords_eu_driver's_license_number, Keywords_eu_passport_number, tax lists), trimmed
// to what a column name would say.
export const DRIVERS_LICENSE_KEYWORDS = [
  'driver',
  'licence',
  'license',
  'driving',
  'dl',
  'dls',
  'dlno',
  'permis',
  'führerschein',
  'fuhrerschein',
  'rijbewijs',
];
export const PASSPORT_KEYWORDS = ['passport', 'passportno', 'passeport', 'reisepass', 'passnummer', 'pasaporte'];
export const TAX_KEYWORDS = ['tax', 'taxid', 'taxno', 'tin', 'tic', 'steuernummer', 'steuer', 'fiscal', 'nif', 'vergi'];
export const BANK_ACCOUNT_KEYWORDS = ['account', 'acct', 'bank', 'iban', 'bsb', 'transit', 'branch', '口座'];
export const NATIONAL_ID_KEYWORDS = [
  'national',
  'identity',
  'identification',
  'personal',
  'citizen',
  'idnumber',
  'id',
  'nin',
  'nino',
  'pesel',
  'bsn',
  'hetu',
  'personnummer',
  'dni',
  'nie',
  'cpr',
  'insurance',
];

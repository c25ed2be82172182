import { luhnValid } from './checksums';

/**
 * Classification rules as data: a rule names the classification it applies and how a value (and optionally the
 * column name) is matched. The gates (distinct values, percentage) are applied by `classifyColumn`.
 */
/** What a value test knows besides the value. */
export interface ValueContext {
  /** The column name carries one of the rule's keywords (Purview's corroborating evidence in structured data). */
  columnHinted: boolean;
}

export interface ClassificationRule {
  /** The rule's name (system rules are named after their classification). */
  name: string;
  /** The classification typeName applied, e.g. MICROSOFT.PERSONAL.EMAIL. */
  classificationName: string;
  kind: 'System' | 'Custom';
  /** Percentage (1-100) of a column's distinct values that must match. */
  minimumPercentageMatch: number;
  /** Tests one trimmed, non-empty value. A rule without it matches on the column name alone. */
  matchValue?: (value: string, context?: ValueContext) => boolean;
  /** Tests the column name; when present it is ANDed with the value test (and checked first: it is cheaper). */
  matchColumn?: (columnName: string) => boolean;
  /** The rule's keywords, tested on the column name once per column; the answer reaches `matchValue` as a hint. */
  columnHint?: (columnName: string) => boolean;
  /** Purview applies it to structured data only (tables, delimited files), never to documents. */
  structuredOnly?: boolean;
  /** Disabled rules are skipped (the scanning API's `ruleStatus`). */
  ruleStatus?: 'Enabled' | 'Disabled';
  /**
   * `Delete` (a rule version tagged so with the scanning API's `:tag?action=Delete`): the rule no longer applies
   * its classification, and a column it would have classified reports the classification under `removed`.
   */
  classificationAction?: 'Keep' | 'Delete';
}

/**
 * A scan rule set as the engine takes it: the system rules less the excluded classifications
 * (`excludedSystemClassifications`), plus custom rules (`includedCustomClassificationRuleNames`, resolved to rules
 * by the caller).
 */
export interface ClassificationRuleSet {
  /** Default: every system rule the engine has. */
  systemRules?: readonly ClassificationRule[];
  excludedSystemClassifications?: readonly string[];
  customRules?: readonly ClassificationRule[];
}

/** Purview's fixed threshold for system rules (and for custom rules with more than one data pattern). */
export const SYSTEM_MINIMUM_PERCENTAGE_MATCH = 60;
/** A column needs this many distinct non-empty values in the sample before any data pattern runs. */
export const MINIMUM_DISTINCT_VALUES = 8;

export { luhnValid } from './checksums';

export const EMAIL_CLASSIFICATION = 'MICROSOFT.PERSONAL.EMAIL';
export const CREDIT_CARD_CLASSIFICATION = 'MICROSOFT.FINANCIAL.CREDIT_CARD_NUMBER';

// Dot-atom local part and a dotted host name ending in an alphabetic TLD: strict enough to skip "a@b" and URLs.
const EMAIL_PATTERN =
  /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/;

export function isEmailAddress(value: string): boolean {
  if (value.length > 254 || !value.includes('@')) return false;
  const at = value.lastIndexOf('@');
  return at > 0 && at <= 64 && EMAIL_PATTERN.test(value);
}

/** Issuer identification number ranges of the major card brands. */
export function hasKnownIin(digits: string): boolean {
  const n = digits.length;
  const p = (len: number) => Number(digits.slice(0, len));
  if (digits[0] === '4') return n === 13 || n === 16 || n === 19; // Visa
  if ((p(2) >= 51 && p(2) <= 55) || (p(4) >= 2221 && p(4) <= 2720)) return n === 16; // Mastercard
  if (p(2) === 34 || p(2) === 37) return n === 15; // American Express
  if (p(4) === 6011 || p(2) === 65 || (p(3) >= 644 && p(3) <= 649)) return n >= 16 && n <= 19; // Discover
  if (p(4) >= 3528 && p(4) <= 3589) return n >= 16 && n <= 19; // JCB
  if ((p(3) >= 300 && p(3) <= 305) || p(2) === 36 || p(2) === 38 || p(2) === 39) return n >= 14 && n <= 19; // Diners Club
  if (p(2) === 62) return n >= 16 && n <= 19; // UnionPay
  if (p(2) === 50 || (p(2) >= 56 && p(2) <= 69)) return n >= 12 && n <= 19; // Maestro
  return false;
}

const CARD_SHAPE = /^\d(?:[ -]?\d){12,18}$/;

/** 13-19 digits (spaces or dashes between them allowed) with a valid Luhn checksum. */
export function isCreditCardNumber(value: string, options: { requireKnownIin?: boolean } = {}): boolean {
  if (!CARD_SHAPE.test(value)) return false;
  const digits = value.replace(/[ -]/g, '');
  if (/^(\d)\1*$/.test(digits)) return false; // 0000000000000 passes Luhn but is no card
  return luhnValid(digits) && (!options.requireKnownIin || hasKnownIin(digits));
}

export const emailRule: ClassificationRule = {
  name: EMAIL_CLASSIFICATION,
  classificationName: EMAIL_CLASSIFICATION,
  kind: 'System',
  minimumPercentageMatch: SYSTEM_MINIMUM_PERCENTAGE_MATCH,
  matchValue: isEmailAddress,
  columnHint: keywordHint(['email', 'mail', 'contact', 'login', 'user', 'webmail']),
  structuredOnly: true,
};

export function creditCardNumberRule(options: { requireKnownIin?: boolean } = {}): ClassificationRule {
  return {
    name: CREDIT_CARD_CLASSIFICATION,
    classificationName: CREDIT_CARD_CLASSIFICATION,
    kind: 'System',
    minimumPercentageMatch: SYSTEM_MINIMUM_PERCENTAGE_MATCH,
    matchValue: (value) => isCreditCardNumber(value, options),
    columnHint: keywordHint(['card', 'cc', 'ccn', 'pan', 'creditcard', 'cardnumber', 'visa', 'mastercard', 'amex']),
  };
}

/** A pattern as the scanning API writes it, or a string / RegExp. */
export type PatternInput = string | RegExp | { kind?: 'Regex'; pattern: string };

export interface RegexRuleDefinition {
  name: string;
  classificationName: string;
  /** Values match when any pattern matches (search semantics, like .NET Regex.IsMatch: anchor with ^$ yourself). */
  dataPatterns?: PatternInput[];
  /** The column name must match one of these too, when given. */
  columnPatterns?: PatternInput[];
  /** 1-100, default 60; forced to 60 with more than one data pattern, as Purview does. */
  minimumPercentageMatch?: number;
  kind?: 'System' | 'Custom';
  ruleStatus?: 'Enabled' | 'Disabled';
  classificationAction?: 'Keep' | 'Delete';
}

/** A custom regular-expression rule, shaped like the scanning API's classification rules. Throws on bad input. */
export function regexRule(definition: RegexRuleDefinition): ClassificationRule {
  const data = (definition.dataPatterns ?? []).map(toRegExp);
  const columns = (definition.columnPatterns ?? []).map(toRegExp);
  if (data.length === 0 && columns.length === 0)
    throw new Error(`Rule ${definition.name} needs a data pattern or a column pattern`);
  const requested = definition.minimumPercentageMatch ?? SYSTEM_MINIMUM_PERCENTAGE_MATCH;
  if (!(requested >= 1 && requested <= 100))
    throw new Error(`Rule ${definition.name}: minimumPercentageMatch must be between 1 and 100`);
  return {
    name: definition.name,
    classificationName: definition.classificationName,
    kind: definition.kind ?? 'Custom',
    minimumPercentageMatch: data.length > 1 ? SYSTEM_MINIMUM_PERCENTAGE_MATCH : requested,
    ...(definition.ruleStatus ? { ruleStatus: definition.ruleStatus } : {}),
    ...(definition.classificationAction ? { classificationAction: definition.classificationAction } : {}),
    ...(data.length ? { matchValue: (value: string) => data.some((re) => re.test(value)) } : {}),
    ...(columns.length ? { matchColumn: (name: string) => columns.some((re) => re.test(name)) } : {}),
  };
}

function toRegExp(input: PatternInput): RegExp {
  if (input instanceof RegExp) return new RegExp(input.source, input.flags.replace(/[gy]/g, '')); // test() must not keep state
  return new RegExp(typeof input === 'string' ? input : input.pattern);
}

/** Splits a column name into lower-case words: `customerEmail`, `customer_email` and `Customer Email` agree. */
export function columnWords(columnName: string): string[] {
  return columnName
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9\u00c0-\uffff]+/)
    .filter(Boolean);
}

/**
 * A column-name test from keywords, as Purview's keyword lists read: keywords of five or more letters match
 * anywhere in the name with separators removed (`date_of_birth` has `birth`), shorter ones must be a whole word
 * (`dob`, `ssn`, `age` — so `page` or `message` carry no age hint).
 */
export function keywordHint(keywords: readonly string[]): (columnName: string) => boolean {
  const long = keywords.filter((k) => k.length >= 5).map((k) => k.toLowerCase().replace(/[^a-z0-9\u00c0-\uffff]/g, ''));
  const short = new Set(keywords.filter((k) => k.length < 5).map((k) => k.toLowerCase()));
  // Every column of every file asks each rule: the answers are kept per name (bounded, as names come from data).
  const answers = new Map<string, boolean>();
  return (columnName) => {
    let answer = answers.get(columnName);
    if (answer === undefined) {
      const { words, joined } = splitColumnName(columnName);
      answer = words.some((w) => short.has(w)) || long.some((k) => joined.includes(k));
      if (answers.size >= 10_000) answers.clear();
      answers.set(columnName, answer);
    }
    return answer;
  };
}

// Forty rules read the same column name: split it once. Bounded, as column names come from data.
const splitNames = new Map<string, { words: string[]; joined: string }>();
function splitColumnName(columnName: string): { words: string[]; joined: string } {
  let split = splitNames.get(columnName);
  if (!split) {
    if (splitNames.size >= 10_000) splitNames.clear();
    const words = columnWords(columnName);
    split = { words, joined: words.join('') };
    splitNames.set(columnName, split);
  }
  return split;
}

/** The rules a rule set resolves to: system rules not excluded, then its custom rules. */
export function resolveRuleSet(
  ruleSet: ClassificationRuleSet,
  defaultSystemRules: readonly ClassificationRule[],
): ClassificationRule[] {
  const excluded = new Set(ruleSet.excludedSystemClassifications ?? []);
  const system = (ruleSet.systemRules ?? defaultSystemRules).filter((r) => !excluded.has(r.classificationName));
  return [...system, ...(ruleSet.customRules ?? [])];
}

import {
  abnValid,
  acnValid,
  belgiumNationalNumberValid,
  brazilRgValid,
  bsnValid,
  chileRutValid,
  finlandHetuValid,
  germanyTaxIdValid,
  hkidValid,
  italyFiscalCodeValid,
  luhnValid,
  medicareValid,
  peselValid,
  polandNipValid,
  spainDniValid,
  ssnRangesValid,
  tfnValid,
  turkishIdValid,
} from './checksums';
import { CITY_NAMES, US_STATE_CODES, US_STATE_NAMES } from './dictionaries';
import type { ClassificationRule } from './rules';
import {
  compact,
  DRIVERS_LICENSE_KEYWORDS,
  NATIONAL_ID_KEYWORDS,
  PASSPORT_KEYWORDS,
  systemRule,
  TAX_KEYWORDS,
} from './system-rule';

/*
 * Government system rules, after the definitions on Microsoft Learn's "supported classifications" page. Types with a
 * checksum or a distinctive layout match on the value alone; bare runs of digits (passports, driver's licences,
 * unformatted numbers) only in a column whose name carries one of the type's keywords.
 */

const SSN_FORMATTED = /^(\d{3})([- ])(\d{2})\2(\d{4})$/;
const TAX_ID_KEYWORDS = TAX_KEYWORDS;

/** U.S. SSN: ddd-dd-dddd (or with spaces) in valid ranges; nine bare digits only in an SSN column. */
export function isSsn(value: string, hinted: boolean): boolean {
  const m = SSN_FORMATTED.exec(value);
  if (m) return ssnRangesValid(m[1] + m[3] + m[4]);
  return hinted && /^\d{9}$/.test(value) && ssnRangesValid(value);
}

/** Hong Kong identity card: A123456(3), AB987654(A), with or without the parentheses. */
export function isHkid(value: string): boolean {
  const m = /^([A-Z]{1,2})(\d{6}) ?\(?([0-9A])\)?$/i.exec(value);
  return !!m && hkidValid(m[1].toUpperCase(), m[2], m[3]);
}

/** Chile RUT/RUN: 12.345.678-5 (periods optional, dash required). */
export function isChileRut(value: string): boolean {
  const m = /^(\d{1,2})\.?(\d{3})\.?(\d{3})-([\dkK])$/.exec(value);
  return !!m && chileRutValid(m[1] + m[2] + m[3], m[4]);
}

// EU national identification numbers with a check digit or letter (the EU bundle's members); purely numeric ones
// need a column hint, as they are digit runs like any other.
const EU_NATIONAL_ID_STRONG: readonly ((v: string) => boolean)[] = [
  spainDniValid,
  italyFiscalCodeValid,
  finlandHetuValid,
  (v) => /^[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]\d{6}[A-D]$/.test(v) && !/^(BG|GB|NK|KN|TN|NT|ZZ)/.test(v), // U.K. NINO
  (v) => /^\d{6}[-+]\d{4}$/.test(v) && luhnValid(v.replace(/[-+]/, '')), // Sweden personnummer
  (v) => /^\d{2}\.\d{2}\.\d{2}-\d{3}\.\d{2}$/.test(v) && belgiumNationalNumberValid(v.replace(/\D/g, '')), // Belgium, formatted
];
const EU_NATIONAL_ID_NUMERIC: readonly ((v: string) => boolean)[] = [peselValid, bsnValid, belgiumNationalNumberValid];

export function isEuNationalId(value: string, hinted: boolean): boolean {
  if (value.length < 9 || value.length > 16 || !/\d/.test(value)) return false; // every member is 9-16 characters with digits
  const v = value.toUpperCase();
  const bare = v.replace(/[\s-]/g, '');
  if (EU_NATIONAL_ID_STRONG.some((f) => f(v) || f(bare))) return true;
  return hinted && /^\d{9,11}$/.test(bare) && EU_NATIONAL_ID_NUMERIC.some((f) => f(bare));
}

const AUSTRIA_TIN = /^(\d{2})-?(\d{3})\/?(\d{4})$/;
export function isAustriaTin(value: string, hinted: boolean): boolean {
  const m = AUSTRIA_TIN.exec(value);
  if (!m) return false;
  // Nine bare digits pass Luhn one time in ten: the dd-ddd/dddd layout or a tax column is needed.
  return luhnValid(m[1] + m[2] + m[3]) && (hinted || value.includes('/') || value.includes('-'));
}

// EU tax identification numbers (the EU bundle's members) with a check: Austria, Spain NIF/NIE, Germany IdNr,
// Poland NIP, Cyprus (layout only, as Purview has no checksum for it).
export function isEuTaxId(value: string, hinted: boolean): boolean {
  const v = value.toUpperCase();
  if (spainDniValid(v.replace(/[\s-]/g, ''))) return true;
  if (isAustriaTin(v, hinted)) return true;
  if (!hinted) return false;
  const bare = v.replace(/[\s./-]/g, '');
  return germanyTaxIdValid(bare) || polandNipValid(bare) || /^[09]\d{7}[A-Z]$/.test(bare);
}

// One pattern per member country of the EU driver's licence bundle (Microsoft Learn lists each).
const EU_DRIVERS_LICENSE: readonly RegExp[] = [
  /^\d{6}[A-Z]{4}$/, // Ireland
  /^[A-Z][AV]\d{7}[A-Z]$/, // Italy
  /^ET\d{6}$/, // Estonia
  /^E[A-Z] ?\d{6}$/, // Czech Republic
  /^\d{6}-\d{3}[0-9A-Z]$/, // Finland
  /^[A-Z]{3}\d{6}$/, // Latvia
  /^\d{6}-\d{4}$/, // Sweden
  /^[A-Z9]{5}\d[0156]\d[0-3]\d\d[A-Z9]{2}\d[A-Z]{2}$/, // U.K. (DVLA, 16 characters)
  /^\d{6}$|^\d{8}$|^\d{9}$|^\d{10}$|^\d{12}$/, // Luxembourg, Austria/Croatia/Denmark/Lithuania, Bulgaria, Belgium, France/Cyprus
];

export const GOVERNMENT_RULES: readonly ClassificationRule[] = [
  systemRule({
    classificationName: 'MICROSOFT.GOVERNMENT.US.SOCIAL_SECURITY_NUMBER',
    length: [9, 11],
    test: isSsn,
    keywords: ['ssn', 'ssns', 'ssa', 'socialsecurity', 'socsec', 'ssid'],
  }),
  systemRule({
    classificationName: 'MICROSOFT.GOVERNMENT.US.STATE',
    length: [2, 14],
    // The 50 names always; the two-letter codes (DE, IN, CA, …) only in a state column.
    test: (value, hinted) =>
      US_STATE_NAMES.has(value.toLowerCase()) || (hinted && US_STATE_CODES.has(value.toLowerCase())),
    keywords: ['state', 'states', 'province', 'region'],
    structuredOnly: true,
  }),
  systemRule({
    classificationName: 'MICROSOFT.GOVERNMENT.US.ZIP_CODE',
    length: [5, 10],
    // ZIP+4 alone; five bare digits only in a zip/postal column.
    test: (value, hinted) => /^\d{5}-\d{4}$/.test(value) || (hinted && /^\d{5}$/.test(value)),
    keywords: ['zip', 'zipcode', 'postal', 'postalcode', 'postcode'],
    structuredOnly: true,
  }),
  systemRule({
    classificationName: 'MICROSOFT.GOVERNMENT.CITY_NAME',
    length: [3, 40],
    test: (value) => value.length <= 40 && CITY_NAMES.has(value.toLowerCase()),
    keywords: ['city', 'town', 'municipality', 'ciudad', 'ville', 'stadt'],
    structuredOnly: true,
  }),
  systemRule({
    classificationName: 'MICROSOFT.GOVERNMENT.ARGENTINA.DNI_NUMBER',
    length: [8, 10],
    test: (value, hinted) => /^\d{2}\.\d{3}\.\d{3}$/.test(value) || (hinted && /^\d{8}$/.test(value)),
    keywords: ['dni', 'cedula', 'cédula', 'documento', 'rnp', 'nationalidentity'],
  }),
  systemRule({
    classificationName: 'MICROSOFT.GOVERNMENT.AUSTRALIA.BUSINESS.NUMBER',
    length: [11, 14],
    test: (value) => /^\d{2}[ -]?\d{3}[ -]?\d{3}[ -]?\d{3}$/.test(value) && abnValid(value.replace(/[ -]/g, '')),
    keywords: ['abn', 'business', 'businessid', 'businessno'],
  }),
  systemRule({
    classificationName: 'MICROSOFT.GOVERNMENT.AUSTRALIA.COMPANY.NUMBER',
    length: [9, 11],
    // Nine digits in three groups with spaces, as the definition has it (or bare in an ACN column).
    test: (value, hinted) =>
      (/^\d{3} \d{3} \d{3}$/.test(value) || (hinted && /^\d{9}$/.test(value))) && acnValid(value.replace(/ /g, '')),
    keywords: ['acn', 'company', 'companyno', 'companynumber'],
  }),
  systemRule({
    classificationName: 'MICROSOFT.GOVERNMENT.AUSTRALIA.DRIVERS_LICENSE_NUMBER',
    length: [4, 11],
    test: (value) => /\d/.test(value) && /^(?:[A-Z0-9]{2}\d{2}[A-Z0-9]{5}|[A-Z]{0,2}\d{4,9}|[A-Z0-9]{9})$/i.test(value),
    keywords: DRIVERS_LICENSE_KEYWORDS,
    hintRequired: true,
  }),
  systemRule({
    classificationName: 'MICROSOFT.GOVERNMENT.AUSTRALIA.MEDICAL_ACCOUNT_NUMBER',
    length: [10, 13],
    test: (value) => /^[2-6]\d{3} ?\d{5} ?\d{1,2}$/.test(value) && medicareValid(value.replace(/ /g, '')),
    keywords: ['medicare', 'medical', 'health'],
  }),
  systemRule({
    classificationName: 'MICROSOFT.GOVERNMENT.AUSTRALIA.PASSPORT_NUMBER',
    length: [8, 9],
    test: (value) => /^(?:[NEDFACUX]|P[A-FUWXZ])\d{7}$/i.test(value),
    keywords: PASSPORT_KEYWORDS,
    hintRequired: true,
  }),
  systemRule({
    classificationName: 'MICROSOFT.GOVERNMENT.AUSTRALIA.TAX_FILE_NUMBER',
    length: [8, 11],
    test: (value, hinted) =>
      (/^\d{3} \d{3} \d{2,3}$/.test(value) || (hinted && /^\d{8,9}$/.test(value))) && tfnValid(value.replace(/ /g, '')),
    keywords: ['tfn', 'taxfile', 'taxfilenumber', 'tax'],
  }),
  systemRule({
    classificationName: 'MICROSOFT.GOVERNMENT.AUSTRIA.DRIVERS.LICENSE.NUMBER',
    length: [8, 8],
    test: (value) => /^\d{8}$/.test(value),
    keywords: DRIVERS_LICENSE_KEYWORDS,
    hintRequired: true,
  }),
  systemRule({
    classificationName: 'MICROSOFT.GOVERNMENT.AUSTRIA.PASSPORT.NUMBER',
    length: [8, 9],
    test: (value) => /^[A-Z] ?\d{7}$/i.test(value),
    keywords: PASSPORT_KEYWORDS,
    hintRequired: true,
  }),
  systemRule({
    classificationName: 'MICROSOFT.GOVERNMENT.AUSTRIA.TAX.IDENTIFICATION.NUMBER',
    length: [9, 11],
    test: isAustriaTin,
    keywords: TAX_ID_KEYWORDS,
  }),
  systemRule({
    classificationName: 'MICROSOFT.GOVERNMENT.BELGIUM.DRIVERS.LICENSE.NUMBER',
    length: [10, 10],
    test: (value) => /^\d{10}$/.test(value),
    keywords: DRIVERS_LICENSE_KEYWORDS,
    hintRequired: true,
  }),
  systemRule({
    classificationName: 'MICROSOFT.GOVERNMENT.BRAZIL.NATIONAL_ID_CARD',
    length: [10, 12],
    // Registro Geral: dd.ddd.ddd-d with its mod-11 check digit (X for 10).
    test: (value) => {
      const m = /^(\d{2})\.?(\d{3})\.?(\d{3})-([\dxX])$/.exec(value);
      return !!m && brazilRgValid(m[1] + m[2] + m[3], m[4]);
    },
    keywords: ['rg', 'ric', 'registrogeral', 'identidade', 'identity', 'nationalid'],
  }),
  systemRule({
    classificationName: 'MICROSOFT.GOVERNMENT.BULGARIA.PASSPORT.NUMBER',
    length: [9, 9],
    test: (value) => /^\d{9}$/.test(value),
    keywords: PASSPORT_KEYWORDS,
    hintRequired: true,
  }),
  systemRule({
    classificationName: 'MICROSOFT.GOVERNMENT.CANADA.DRIVERS_LICENSE_NUMBER',
    length: [5, 17],
    // The provincial layouts: Ontario A1234-12345-12345, Quebec A123456789012, and 5-9 digits or a letter and digits elsewhere.
    test: (value) => /^(?:[A-Z]\d{4}-?\d{5}-?\d{5}|[A-Z]\d{12}|[A-Z]{1,2}\d{5,9}|\d{5,9}|\d{6}-\d{3})$/i.test(value),
    keywords: DRIVERS_LICENSE_KEYWORDS,
    hintRequired: true,
  }),
  systemRule({
    classificationName: 'MICROSOFT.GOVERNMENT.CHILE.CDI_NUMBER',
    length: [9, 12],
    test: isChileRut,
    keywords: ['rut', 'run', 'cedula', 'cédula', 'identificacion', 'identificación', 'nationalid'],
  }),
  systemRule({
    classificationName: 'MICROSOFT.GOVERNMENT.CYPRUS.TAX.IDENTIFICATION.NUMBER',
    length: [9, 9],
    // "0" or "9", seven digits and a letter; no checksum ("not applicable"), so only in a tax column.
    test: (value) => /^[09]\d{7}[A-Z]$/i.test(value),
    keywords: TAX_ID_KEYWORDS,
    hintRequired: true,
  }),
  systemRule({
    classificationName: 'MICROSOFT.GOVERNMENT.EU.DRIVERS_LICENSE_NUMBER',
    length: [6, 16],
    test: (value) => EU_DRIVERS_LICENSE.some((re) => re.test(value.toUpperCase())),
    keywords: DRIVERS_LICENSE_KEYWORDS,
    hintRequired: true,
  }),
  systemRule({
    classificationName: 'MICROSOFT.GOVERNMENT.EU.NATIONAL_IDENTIFICATION_NUMBER',
    length: [9, 16],
    test: isEuNationalId,
    keywords: NATIONAL_ID_KEYWORDS,
  }),
  systemRule({
    classificationName: 'MICROSOFT.GOVERNMENT.EU.TAX_IDENTIFICATION_NUMBER',
    length: [9, 13],
    test: isEuTaxId,
    keywords: TAX_ID_KEYWORDS,
  }),
  systemRule({
    classificationName: 'MICROSOFT.GOVERNMENT.FRANCE.DRIVERS_LICENSE_NUMBER',
    length: [12, 12],
    // Twelve digits; French phone numbers (0 then 9 digits, or +33) are 10 digits or start with 33, so they stay out.
    test: (value) => /^\d{12}$/.test(value) && !value.startsWith('33'),
    keywords: [...DRIVERS_LICENSE_KEYWORDS, 'permisdeconduire'],
    hintRequired: true,
  }),
  systemRule({
    classificationName: 'MICROSOFT.GOVERNMENT.HONGKONG.ID_CARD_NUMBER',
    length: [8, 12],
    test: isHkid,
    keywords: ['hkid', 'idcard', 'identitycard', 'identity', '身份證'],
  }),
  systemRule({
    classificationName: 'MICROSOFT.GOVERNMENT.TURKEY.TURKISH_NATIONAL_IDENTIFICATION_NUMBER',
    length: [11, 15],
    test: (value) => /^[1-9][\d .-]{10,14}$/.test(value) && turkishIdValid(compact(value)),
    keywords: ['tc', 'tckn', 'kimlik', 'kimlikno', 'nationalid', 'identity'],
  }),
];

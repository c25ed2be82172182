/**
 * Check-digit algorithms of the identifiers the system rules recognise. Each takes the identifier with its
 * separators already removed and returns false for anything of the wrong shape, so callers can chain them after a
 * cheap pattern test.
 */

const DIGITS = /^\d+$/;
const digitsOf = (s: string) => Array.from(s, (c) => c.charCodeAt(0) - 48);
const weighted = (digits: number[], weights: readonly number[]) =>
  weights.reduce((sum, w, i) => sum + w * digits[i], 0);

/** The Luhn (mod 10) checksum over a string of digits. */
export function luhnValid(digits: string): boolean {
  if (!DIGITS.test(digits)) return false;
  let sum = 0;
  for (let i = digits.length - 1, double = false; i >= 0; i--, double = !double) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** ISO 7064 MOD 97-10 as IBANs use it: country and check digits moved to the end, letters as 10-35, remainder 1. */
export function ibanValid(iban: string): boolean {
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(iban)) return false;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const c of rearranged) {
    const v = c <= '9' ? c.charCodeAt(0) - 48 : c.charCodeAt(0) - 55;
    remainder = (v > 9 ? remainder * 100 + v : remainder * 10 + v) % 97;
  }
  return remainder === 1;
}

/** ABA routing number: weights 3, 7, 1 repeated, sum divisible by 10. */
export function abaRoutingValid(digits: string): boolean {
  return (
    digits.length === 9 && DIGITS.test(digits) && weighted(digitsOf(digits), [3, 7, 1, 3, 7, 1, 3, 7, 1]) % 10 === 0
  );
}

/** Australian Business Number: first digit minus one, weights 10, 1, 3 … 19, sum divisible by 89. */
export function abnValid(digits: string): boolean {
  if (digits.length !== 11 || !DIGITS.test(digits)) return false;
  const d = digitsOf(digits);
  d[0] -= 1;
  return weighted(d, [10, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19]) % 89 === 0;
}

/** Australian Company Number: weights 8 … 1 over eight digits, check = (10 - sum mod 10) mod 10. */
export function acnValid(digits: string): boolean {
  if (digits.length !== 9 || !DIGITS.test(digits)) return false;
  const d = digitsOf(digits);
  return (10 - (weighted(d, [8, 7, 6, 5, 4, 3, 2, 1]) % 10)) % 10 === d[8];
}

/** Australian Tax File Number (8 or 9 digits): weighted sum divisible by 11. */
export function tfnValid(digits: string): boolean {
  if (!DIGITS.test(digits)) return false;
  const weights =
    digits.length === 9 ? [1, 4, 3, 7, 5, 8, 6, 9, 10] : digits.length === 8 ? [10, 7, 8, 4, 6, 3, 5, 1] : undefined;
  return !!weights && weighted(digitsOf(digits), weights) % 11 === 0;
}

/** Australian Medicare number: first digit 2-6, ninth digit = weights 1, 3, 7, 9 over the first eight, mod 10. */
export function medicareValid(digits: string): boolean {
  if (!/^[2-6]\d{9,10}$/.test(digits)) return false;
  const d = digitsOf(digits);
  return weighted(d, [1, 3, 7, 9, 1, 3, 7, 9]) % 10 === d[8];
}

/** Chile RUT/RUN: mod 11 over the body with weights 2-7 from the right; check 0-9 or K. */
export function chileRutValid(body: string, check: string): boolean {
  if (!/^\d{7,8}$/.test(body)) return false;
  let sum = 0;
  for (let i = body.length - 1, w = 2; i >= 0; i--, w = w === 7 ? 2 : w + 1) sum += (body.charCodeAt(i) - 48) * w;
  const r = 11 - (sum % 11);
  return (r === 11 ? '0' : r === 10 ? 'K' : String(r)) === check.toUpperCase();
}

/** Hong Kong identity card: one or two letters, six digits, check digit 0-9 or A (mod 11). */
export function hkidValid(letters: string, digits: string, check: string): boolean {
  if (!/^[A-Z]{1,2}$/.test(letters) || !/^\d{6}$/.test(digits)) return false;
  const letterValue = (c: string) => c.charCodeAt(0) - 55; // A = 10
  const prefix =
    letters.length === 2
      ? 9 * letterValue(letters[0]) + 8 * letterValue(letters[1])
      : 9 * 36 + 8 * letterValue(letters[0]);
  const sum = prefix + weighted(digitsOf(digits), [7, 6, 5, 4, 3, 2]);
  const r = (11 - (sum % 11)) % 11;
  return (r === 10 ? 'A' : String(r)) === check.toUpperCase();
}

/** Turkish identity number (T.C. Kimlik No): two check digits over the first nine and ten digits. */
export function turkishIdValid(digits: string): boolean {
  if (!/^[1-9]\d{10}$/.test(digits)) return false;
  const d = digitsOf(digits);
  const odd = d[0] + d[2] + d[4] + d[6] + d[8];
  const even = d[1] + d[3] + d[5] + d[7];
  if ((((odd * 7 - even) % 10) + 10) % 10 !== d[9]) return false;
  return d.slice(0, 10).reduce((a, b) => a + b, 0) % 10 === d[10];
}

/** Brazil RG (São Paulo's Registro Geral): weights 2-9 over eight digits; check 11 - r, 10 as X, 11 as 0. */
export function brazilRgValid(body: string, check: string): boolean {
  if (!/^\d{8}$/.test(body)) return false;
  const r = 11 - (weighted(digitsOf(body), [2, 3, 4, 5, 6, 7, 8, 9]) % 11);
  return (r === 11 ? '0' : r === 10 ? 'X' : String(r)) === check.toUpperCase();
}

/** Spain DNI/NIF (eight digits) and NIE (X, Y or Z and seven digits): check letter = number mod 23. */
export function spainDniValid(value: string): boolean {
  const m = /^([0-9XYZ])(\d{7})([A-Z])$/.exec(value);
  if (!m) return false;
  const number = Number('XYZ'.includes(m[1]) ? String('XYZ'.indexOf(m[1])) + m[2] : m[1] + m[2]);
  return 'TRWAGMYFPDXBNJZSQVHLCKE'[number % 23] === m[3];
}

const CF_ODD: Record<string, number> = Object.fromEntries(
  [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23].map((v, i) => [
    String.fromCharCode(65 + i),
    v,
  ]),
);
/** Italy codice fiscale: 15 characters, then a check letter from the odd/even position tables, mod 26. */
export function italyFiscalCodeValid(code: string): boolean {
  if (!/^[A-Z]{6}[0-9LMNPQRSTUV]{2}[ABCDEHLMPRST][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]$/.test(code))
    return false;
  let sum = 0;
  for (let i = 0; i < 15; i++) {
    const c = code[i];
    const letter = c >= 'A' ? c : String.fromCharCode(65 + Number(c)); // digits share the values of A-J
    sum += i % 2 === 0 ? CF_ODD[letter] : letter.charCodeAt(0) - 65;
  }
  return String.fromCharCode(65 + (sum % 26)) === code[15];
}

/** Finland HETU: DDMMYY, century sign, three digits, check character = nine digits mod 31. */
export function finlandHetuValid(value: string): boolean {
  const m = /^(\d{6})[-+A-FU-Y](\d{3})([0-9A-Y])$/.exec(value);
  return !!m && '0123456789ABCDEFHJKLMNPRSTUVWXY'[Number(m[1] + m[2]) % 31] === m[3];
}

/** Poland PESEL: weights 1, 3, 7, 9 repeated over ten digits, check = (10 - sum mod 10) mod 10. */
export function peselValid(digits: string): boolean {
  if (!/^\d{11}$/.test(digits)) return false;
  const d = digitsOf(digits);
  return (10 - (weighted(d, [1, 3, 7, 9, 1, 3, 7, 9, 1, 3]) % 10)) % 10 === d[10];
}

/** Belgium national register number: 97 - (first nine digits mod 97), with a leading 2 for births from 2000. */
export function belgiumNationalNumberValid(digits: string): boolean {
  if (!/^\d{11}$/.test(digits)) return false;
  const body = Number(digits.slice(0, 9));
  const check = Number(digits.slice(9));
  return 97 - (body % 97) === check || 97 - (Number(`2${digits.slice(0, 9)}`) % 97) === check;
}

/** Netherlands BSN ("elfproef"): weights 9 … 2 and -1, sum divisible by 11. */
export function bsnValid(digits: string): boolean {
  if (!/^\d{9}$/.test(digits)) return false;
  const sum = weighted(digitsOf(digits), [9, 8, 7, 6, 5, 4, 3, 2, -1]);
  return sum > 0 && sum % 11 === 0;
}

/** ISO 7064 MOD 11,10, as Germany's tax identification number (Steuer-IdNr) uses it. */
export function germanyTaxIdValid(digits: string): boolean {
  if (!/^[1-9]\d{10}$/.test(digits)) return false;
  let product = 10;
  for (let i = 0; i < 10; i++) {
    let sum = (digits.charCodeAt(i) - 48 + product) % 10;
    if (sum === 0) sum = 10;
    product = (sum * 2) % 11;
  }
  const check = 11 - product;
  return (check === 10 ? 0 : check) === digits.charCodeAt(10) - 48;
}

/** Poland NIP (tax number): weights 6, 5, 7, 2, 3, 4, 5, 6, 7, sum mod 11 is the tenth digit. */
export function polandNipValid(digits: string): boolean {
  if (!/^\d{10}$/.test(digits)) return false;
  const d = digitsOf(digits);
  return weighted(d, [6, 5, 7, 2, 3, 4, 5, 6, 7]) % 11 === d[9];
}

/** U.S. SSN number ranges: area not 000, 666 or 9xx; group not 00; serial not 0000. */
export function ssnRangesValid(digits: string): boolean {
  const m = /^(\d{3})(\d{2})(\d{4})$/.exec(digits);
  return !!m && m[1] !== '000' && m[1] !== '666' && m[1][0] !== '9' && m[2] !== '00' && m[3] !== '0000';
}

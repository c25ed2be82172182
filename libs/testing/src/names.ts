/**
 * 0 → a, 25 → z, 26 → ba: a name part with no digit in it. Scans group files whose names differ only in numbers
 * (part-0001.csv, part-0002.csv) into one resource set, as Purview does; tests and benches that need N distinct
 * file assets name them with this.
 */
export function letters(n: number): string {
  let out = '';
  do {
    out = String.fromCharCode(97 + (n % 26)) + out;
    n = Math.floor(n / 26);
  } while (n > 0);
  return out;
}

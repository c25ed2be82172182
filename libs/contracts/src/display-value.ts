/**
 * Any value as an error message or a CLI line shows it: strings as they are, everything else as JSON (so an object
 * or a repeated query parameter reads `{"a":1}` or `["x","y"]`, never `[object Object]`).
 */
export function displayValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return 'undefined';
  if (typeof value === 'bigint' || typeof value === 'symbol' || typeof value === 'function') return value.toString();
  try {
    return JSON.stringify(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

import type { PreviewColumnType } from '@purview-emulator/contracts';

const INT = /^[+-]?\d{1,18}$/;
const DOUBLE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const BOOL = /^(?:true|false)$/i;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** Leading zeros (zip codes, account numbers) are identifiers, not numbers: they stay strings. */
const hasLeadingZero = (v: string) => /^[+-]?0\d/.test(v);

/**
 * The type of one column from its sampled values, the way ADF's "import schema" infers it: the narrowest type
 * every non-empty value fits (Int64 < Double), else Boolean or DateTime, else String. No values: String.
 */
export function inferColumnType(values: readonly string[]): PreviewColumnType {
  const present = values.map((v) => v.trim()).filter((v) => v !== '');
  if (present.length === 0) return 'String';
  if (present.every((v) => INT.test(v) && !hasLeadingZero(v))) return 'Int64';
  if (present.every((v) => DOUBLE.test(v) && !hasLeadingZero(v))) return 'Double';
  if (present.every((v) => BOOL.test(v))) return 'Boolean';
  if (present.every((v) => DATE_TIME.test(v) && !Number.isNaN(Date.parse(v.replace(' ', 'T'))))) return 'DateTime';
  return 'String';
}

/** Column types of a sample: column i takes the i-th value of every row. */
export function inferColumnTypes(
  columns: readonly string[],
  rows: readonly string[][],
): { name: string; type: PreviewColumnType }[] {
  return columns.map((name, i) => ({ name, type: inferColumnType(rows.map((row) => row[i] ?? '')) }));
}

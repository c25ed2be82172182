/** A SQL fragment with its positional (`?`) parameters, built by pure code and executed by the repository. */
export interface Sql {
  sql: string;
  params: unknown[];
}

export const TRUE_SQL: Sql = { sql: '1', params: [] };
export const FALSE_SQL: Sql = { sql: '0', params: [] };

export function sql(text: string, ...params: unknown[]): Sql {
  return { sql: text, params };
}

/** Longest list joined flat; SQLite nests `a OR b OR c …` as deep as the list is long and refuses depths over 1000. */
const FLAT_JOIN_MAX = 8;

/** Joins fragments with AND/OR, each parenthesized; an empty list is the neutral element. Long lists nest as a balanced tree. */
export function joinSql(parts: Sql[], op: 'AND' | 'OR'): Sql {
  if (parts.length === 0) return op === 'AND' ? TRUE_SQL : FALSE_SQL;
  if (parts.length === 1) return parts[0];
  if (parts.length > FLAT_JOIN_MAX) {
    const half = Math.ceil(parts.length / 2);
    return joinSql([joinSql(parts.slice(0, half), op), joinSql(parts.slice(half), op)], op);
  }
  return { sql: parts.map((p) => `(${p.sql})`).join(` ${op} `), params: parts.flatMap((p) => p.params) };
}

export function notSql(part: Sql): Sql {
  return { sql: `NOT (${part.sql})`, params: part.params };
}

/** `column IN (?, ?, …)`; an empty list is false. */
export function inSql(column: string, values: readonly string[]): Sql {
  if (values.length === 0) return FALSE_SQL;
  return { sql: `${column} IN (${values.map(() => '?').join(', ')})`, params: [...values] };
}

/** Escapes `%`, `_` and the escape character itself for `LIKE … ESCAPE '\'`. */
export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** SQLite's LIKE and NOCASE fold ASCII letters only; JS code that must agree with SQL folds the same way. */
export function asciiLower(value: string): string {
  return value.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 32));
}

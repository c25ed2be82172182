// Longer than most files: both filter grammars and their error messages form one recursive-descent parser; split,
// each half would need the other's clause table.
import type { TermIndex } from './term-index';
import { displayValue } from '@purview-emulator/contracts';
import { ASSET_TYPE_BY_TYPENAME, GLOSSARY_TERM_TYPENAME, OBJECT_TYPE_BY_TYPENAME } from '@purview-emulator/contracts';
import { PurviewError } from '../../common/errors';
import { abbreviate } from '../../common/validation';
import { SearchDocument } from './search-document';
import { IndexedColumn, MAX_KEYWORD_TERM_LENGTH, ftsPhrase, indexMatchSql, indexable } from './search-keywords';
import { FALSE_SQL, Sql, TRUE_SQL, asciiLower, escapeLike, inSql, joinSql, notSql, sql } from './sql';

/**
 * Purview search filters, in both grammars:
 * - plain: `{"and":[…]}`, `{"or":[…]}`, `{"not":{…}}`, `{"entityType":"x"}`, `{"classification":"x"}`, `{"objectType":"Files"}`,
 *   `{"assetType":"…"}`, `{"collectionId":"…"}`, `{"id":"…"}`, `{"fileExtension":"csv"}`,
 *   `{"attributeName":"…","operator":"eq","attributeValue":…}`, `{"createTime":{"operator":"lt","timeThreshold":…}}`,
 *   `{"updateTime":"LAST_7D"}`;
 * - kind-tagged (2023-09-01): `AndFilter`, `OrFilter`, `NotFilter`, `TypeFilter`, `ClassificationFilter`, `ObjectTypeFilter`,
 *   `AssetTypeFilter`, `AttributeFilter`, `CollectionFilter`, `IdFilter`, `FileExtensionFilter`, `CreateTimeFilter`,
 *   `UpdateTimeFilter`, `TermFilter`.
 * Both parse to one tree, which evaluates in JS (`evaluateFilter`) and, where that is easy, compiles to SQL over the
 * entity table aliased `e` (`compileFilter`). The two must agree; the unit tests check that they do.
 */
export type FilterNode =
  | { op: 'and'; children: FilterNode[] }
  | { op: 'or'; children: FilterNode[] }
  | { op: 'not'; child: FilterNode }
  | { op: 'type'; typeName: string }
  | { op: 'classification'; classification: string }
  | { op: 'objectType'; objectType: string }
  | { op: 'assetType'; assetType: string }
  | { op: 'collection'; collectionId: string }
  | { op: 'id'; id: string }
  | { op: 'fileExtension'; extension: string }
  | { op: 'attribute'; attributeName: string; operator: AttributeOperator; value: string | number | boolean | null }
  /** createTime, updateTime, or another attribute holding epoch ms (the `timerange` attribute operator). */
  | { op: 'time'; field: string; condition: TimeCondition }
  | { op: 'term'; term: string; glossary?: string }
  /** `glossaryType`: only glossary objects (terms) have one; no data map entity matches. */
  | { op: 'glossaryType'; glossaryType: string };

export const ATTRIBUTE_OPERATORS = ['eq', 'ne', 'contains', 'prefix', 'gt', 'ge', 'lt', 'le'] as const;
export type AttributeOperator = (typeof ATTRIBUTE_OPERATORS)[number];

export const RELATIVE_TIMES = ['LAST_24H', 'LAST_7D', 'LAST_30D', 'LAST_365D', 'MORE_THAN_365D'] as const;
export type RelativeTime = (typeof RELATIVE_TIMES)[number];

export type TimeCondition =
  | { kind: 'relative'; value: RelativeTime }
  | { kind: 'compare'; operator: 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le'; threshold: number }
  | { kind: 'range'; from: number; to: number };

const MAX_DEPTH = 32;
const MAX_NODES = 1000;
/** Longest string in a filter; `contains` and `prefix` values are wildcard terms, capped like keyword terms. */
export const MAX_FILTER_STRING_LENGTH = 4096;
export const MAX_FILTER_PATTERN_LENGTH = MAX_KEYWORD_TERM_LENGTH;
const DAY_MS = 24 * 60 * 60 * 1000;

function invalid(message: string): PurviewError {
  return PurviewError.badRequest(message, 'InvalidFilter');
}

interface ParseState {
  nodes: number;
}

/** Validates and normalizes a request's `filter`; undefined/null means no filter. Unknown keys are a 400 naming them. */
export function parseFilter(raw: unknown): FilterNode | undefined {
  if (raw === undefined || raw === null) return undefined;
  return parseNode(raw, 'filter', 0, { nodes: 0 });
}

function parseNode(raw: unknown, path: string, depth: number, state: ParseState): FilterNode {
  if (depth > MAX_DEPTH) throw invalid(`The filter is nested more than ${MAX_DEPTH} levels deep.`);
  if (++state.nodes > MAX_NODES) throw invalid(`The filter has more than ${MAX_NODES} clauses.`);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw invalid(`${path} must be a JSON object.`);
  const obj = raw as Record<string, unknown>;
  return 'kind' in obj ? parseKindTagged(obj, path, depth, state) : parsePlain(obj, path, depth, state);
}

/** Which keys each plain clause allows; the first key is the one that identifies the clause. */
const PLAIN_CLAUSES: readonly (readonly string[])[] = [
  ['and'],
  ['or'],
  ['not'],
  ['entityType', 'includeSubTypes'],
  ['classification', 'includeSubClassifications'],
  ['objectType'],
  ['assetType'],
  ['collectionId'],
  ['id'],
  ['fileExtension'],
  ['attributeName', 'operator', 'attributeValue'],
  ['createTime'],
  ['updateTime'],
  ['term', 'glossary'],
  ['glossaryType'],
];

function parsePlain(obj: Record<string, unknown>, path: string, depth: number, state: ParseState): FilterNode {
  const keys = Object.keys(obj);
  const clause = PLAIN_CLAUSES.find((c) => keys.includes(c[0]));
  if (!clause) {
    const known = PLAIN_CLAUSES.map((c) => c[0]).join(', ');
    if (keys.length === 0)
      throw invalid(`${path} is an empty object; expected one of: ${known} (or a 'kind'-tagged filter).`);
    throw invalid(
      `Unknown filter key '${abbreviate(keys[0])}' in ${path}. Supported keys: ${known} (or a 'kind'-tagged filter).`,
    );
  }
  const extra = keys.find((k) => !clause.includes(k));
  if (extra)
    throw invalid(
      `Unknown filter key '${abbreviate(extra)}' in ${path}: a '${clause[0]}' clause allows only ${clause.map((k) => `'${k}'`).join(', ')}.`,
    );
  return buildClause(clause[0], obj, path, depth, state);
}

/** Kind-tagged filters: the fields each kind allows, and the plain clause it maps onto. */
const KINDS: Record<string, { clause: string; fields: readonly string[] }> = {
  AndFilter: { clause: 'and', fields: ['and'] },
  OrFilter: { clause: 'or', fields: ['or'] },
  NotFilter: { clause: 'not', fields: ['not'] },
  TypeFilter: { clause: 'typeName', fields: ['typeName', 'includeSubTypes'] },
  ClassificationFilter: { clause: 'classification', fields: ['classification', 'includeSubClassifications'] },
  ObjectTypeFilter: { clause: 'objectType', fields: ['objectType'] },
  AssetTypeFilter: { clause: 'assetType', fields: ['assetType'] },
  AttributeFilter: { clause: 'attributeName', fields: ['attributeName', 'operator', 'attributeValue'] },
  CollectionFilter: { clause: 'collectionId', fields: ['collectionId'] },
  IdFilter: { clause: 'id', fields: ['id'] },
  FileExtensionFilter: { clause: 'fileExtension', fields: ['fileExtension'] },
  CreateTimeFilter: { clause: 'createTime', fields: ['createTime'] },
  UpdateTimeFilter: { clause: 'updateTime', fields: ['updateTime'] },
  TermFilter: { clause: 'term', fields: ['term', 'glossary'] },
};

function parseKindTagged(obj: Record<string, unknown>, path: string, depth: number, state: ParseState): FilterNode {
  const kind = obj.kind;
  const spec = typeof kind === 'string' ? KINDS[kind] : undefined;
  if (!spec)
    throw invalid(
      `Unknown filter kind '${abbreviate(displayValue(kind))}' in ${path}. Supported kinds: ${Object.keys(KINDS).join(', ')}.`,
    );
  const extra = Object.keys(obj).find((k) => k !== 'kind' && !spec.fields.includes(k));
  if (extra)
    throw invalid(
      `Unknown filter key '${abbreviate(extra)}' in ${path}: a ${displayValue(kind)} allows only ${spec.fields.map((f) => `'${f}'`).join(', ')}.`,
    );
  return buildClause(spec.clause, obj, path, depth, state);
}

function requireString(obj: Record<string, unknown>, key: string, path: string): string {
  const value = obj[key];
  if (typeof value !== 'string' || value === '') throw invalid(`${path}.${key} must be a non-empty string.`);
  assertLength(value, `${path}.${key}`, MAX_FILTER_STRING_LENGTH);
  return value;
}

function assertLength(value: string, path: string, max: number): void {
  if (value.length > max) throw invalid(`${path} is ${value.length} characters long; at most ${max} are supported.`);
}

function children(
  obj: Record<string, unknown>,
  key: string,
  path: string,
  depth: number,
  state: ParseState,
): FilterNode[] {
  const list = obj[key];
  if (!Array.isArray(list) || list.length === 0) throw invalid(`${path}.${key} must be a non-empty array of filters.`);
  return list.map((child, i) => parseNode(child, `${path}.${key}[${i}]`, depth + 1, state));
}

function buildClause(
  clause: string,
  obj: Record<string, unknown>,
  path: string,
  depth: number,
  state: ParseState,
): FilterNode {
  switch (clause) {
    case 'and':
      return { op: 'and', children: children(obj, 'and', path, depth, state) };
    case 'or':
      return { op: 'or', children: children(obj, 'or', path, depth, state) };
    case 'not':
      return { op: 'not', child: parseNode(obj.not, `${path}.not`, depth + 1, state) };
    case 'entityType':
      return { op: 'type', typeName: requireString(obj, 'entityType', path) };
    case 'typeName':
      return { op: 'type', typeName: requireString(obj, 'typeName', path) };
    case 'classification':
      return { op: 'classification', classification: requireString(obj, 'classification', path) };
    case 'objectType':
      return { op: 'objectType', objectType: requireString(obj, 'objectType', path) };
    case 'assetType':
      return { op: 'assetType', assetType: requireString(obj, 'assetType', path) };
    case 'collectionId':
      return { op: 'collection', collectionId: requireString(obj, 'collectionId', path) };
    case 'id':
      return { op: 'id', id: requireString(obj, 'id', path) };
    case 'fileExtension':
      return { op: 'fileExtension', extension: requireString(obj, 'fileExtension', path).replace(/^\./, '') };
    case 'attributeName':
      return parseAttribute(obj, path);
    case 'createTime':
    case 'updateTime':
      return { op: 'time', field: clause, condition: parseTimeCondition(obj[clause], `${path}.${clause}`) };
    case 'term': {
      const glossary = obj.glossary === undefined ? undefined : requireString(obj, 'glossary', path);
      return { op: 'term', term: requireString(obj, 'term', path), ...(glossary !== undefined ? { glossary } : {}) };
    }
    case 'glossaryType':
      return { op: 'glossaryType', glossaryType: requireString(obj, 'glossaryType', path) };
    default:
      throw invalid(`Unknown filter key '${clause}' in ${path}.`);
  }
}

function parseAttribute(obj: Record<string, unknown>, path: string): FilterNode {
  const attributeName = requireString(obj, 'attributeName', path);
  const operatorRaw = obj.operator;
  const operator = typeof operatorRaw === 'string' ? operatorRaw.toLowerCase() : operatorRaw;
  if (operator === 'timerange') {
    // A time range on any attribute of epoch ms: {"from","to"} or a relative time such as LAST_7D.
    const condition = parseTimeCondition({ operator, timeThreshold: obj.attributeValue }, `${path}.attributeValue`);
    return { op: 'time', field: attributeName, condition };
  }
  if (!ATTRIBUTE_OPERATORS.includes(operator as AttributeOperator)) {
    throw invalid(
      `${path}.operator '${abbreviate(String(operatorRaw))}' is not supported. Supported operators: ${ATTRIBUTE_OPERATORS.join(', ')}, timerange.`,
    );
  }
  if (!('attributeValue' in obj)) throw invalid(`${path}.attributeValue is required.`);
  const value = obj.attributeValue;
  if (value !== null && !['string', 'number', 'boolean'].includes(typeof value)) {
    throw invalid(`${path}.attributeValue must be a string, number, boolean or null.`);
  }
  if ((operator === 'contains' || operator === 'prefix') && typeof value !== 'string') {
    throw invalid(`${path}.attributeValue must be a string for operator '${String(operator)}'.`);
  }
  if (typeof value === 'string') {
    assertLength(
      value,
      `${path}.attributeValue`,
      operator === 'contains' || operator === 'prefix' ? MAX_FILTER_PATTERN_LENGTH : MAX_FILTER_STRING_LENGTH,
    );
  }
  return {
    op: 'attribute',
    attributeName,
    operator: operator as AttributeOperator,
    value: value as string | number | boolean | null,
  };
}

function epochMs(value: unknown, path: string): number {
  const n =
    typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))
      ? Number(value)
      : typeof value === 'string'
        ? Date.parse(value)
        : value;
  if (typeof n !== 'number' || !Number.isFinite(n))
    throw invalid(`${path} must be epoch milliseconds (or an ISO 8601 date).`);
  return n;
}

function parseTimeCondition(raw: unknown, path: string): TimeCondition {
  if (typeof raw === 'string') {
    if (!RELATIVE_TIMES.includes(raw as RelativeTime))
      throw invalid(
        `${path} '${abbreviate(raw)}' is not supported. Use one of ${RELATIVE_TIMES.join(', ')} or {"operator","timeThreshold"}.`,
      );
    return { kind: 'relative', value: raw as RelativeTime };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw invalid(`${path} must be a relative time (${RELATIVE_TIMES.join(', ')}) or {"operator","timeThreshold"}.`);
  const obj = raw as Record<string, unknown>;
  const extra = Object.keys(obj).find((k) => k !== 'operator' && k !== 'timeThreshold');
  if (extra)
    throw invalid(`Unknown filter key '${abbreviate(extra)}' in ${path}: allowed are 'operator' and 'timeThreshold'.`);
  const operator = typeof obj.operator === 'string' ? obj.operator.toLowerCase() : obj.operator;
  const threshold = obj.timeThreshold;
  if (operator === 'timerange') {
    if (typeof threshold === 'string' && RELATIVE_TIMES.includes(threshold as RelativeTime))
      return { kind: 'relative', value: threshold as RelativeTime };
    if (typeof threshold === 'object' && threshold !== null && !Array.isArray(threshold)) {
      const range = threshold as Record<string, unknown>;
      return {
        kind: 'range',
        from: epochMs(range.from, `${path}.timeThreshold.from`),
        to: epochMs(range.to, `${path}.timeThreshold.to`),
      };
    }
    throw invalid(
      `${path}.timeThreshold must be {"from","to"} or one of ${RELATIVE_TIMES.join(', ')} for operator 'timerange'.`,
    );
  }
  if (!['eq', 'ne', 'gt', 'ge', 'lt', 'le'].includes(operator as string)) {
    throw invalid(
      `${path}.operator '${abbreviate(String(obj.operator))}' is not supported. Supported operators: eq, ne, gt, ge, lt, le, timerange.`,
    );
  }
  return {
    kind: 'compare',
    operator: operator as 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le',
    threshold: epochMs(threshold, `${path}.timeThreshold`),
  };
}

// ---------------------------------------------------------------------------------------------------------------------
// Shared semantics

function typeNamesWhere(map: Record<string, string>, value: string): string[] {
  const v = asciiLower(value);
  return Object.keys(map).filter((t) => asciiLower(map[t]) === v);
}

/** The objectType search reports for a typeName ('Others' when unmapped). */
export function objectTypeOf(typeName: string): string {
  return OBJECT_TYPE_BY_TYPENAME[typeName] ?? 'Others';
}

/** The assetType values search reports for a typeName (none when unmapped). */
export function assetTypesOf(typeName: string): string[] {
  const assetType = ASSET_TYPE_BY_TYPENAME[typeName];
  return assetType ? [assetType] : [];
}

function relativeBounds(value: RelativeTime, now: number): { from?: number; to?: number } {
  switch (value) {
    case 'LAST_24H':
      return { from: now - DAY_MS };
    case 'LAST_7D':
      return { from: now - 7 * DAY_MS };
    case 'LAST_30D':
      return { from: now - 30 * DAY_MS };
    case 'LAST_365D':
      return { from: now - 365 * DAY_MS };
    case 'MORE_THAN_365D':
      return { to: now - 365 * DAY_MS };
  }
}

function compare(op: 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le', a: number | string, b: number | string): boolean {
  switch (op) {
    case 'eq':
      return a === b;
    case 'ne':
      return a !== b;
    case 'gt':
      return a > b;
    case 'ge':
      return a >= b;
    case 'lt':
      return a < b;
    case 'le':
      return a <= b;
  }
}

const SQL_OP = { eq: '=', ne: '<>', gt: '>', ge: '>=', lt: '<', le: '<=' } as const;

/** Attribute names that map to the entity itself rather than to `attributes`. */
function attributeOf(doc: SearchDocument, name: string): unknown {
  switch (name) {
    case 'name':
      return doc.name;
    case 'qualifiedName':
      return doc.qualifiedName;
    case 'entityType':
    case 'typeName':
      return doc.typeName;
    case 'id':
    case 'guid':
      return doc.guid;
    case 'collectionId':
      return doc.collectionId;
    case 'createTime':
      return doc.createTime;
    case 'updateTime':
      return doc.updateTime;
    default:
      return doc.attributes[name];
  }
}

/**
 * One scalar against the filter value. Strings compare ASCII-case-insensitively; when either side is a number, both
 * compare as numbers (a non-numeric string never matches). Booleans and null compare by equality.
 */
function scalarMatches(
  actual: unknown,
  operator: AttributeOperator,
  expected: string | number | boolean | null,
): boolean {
  if (operator === 'contains' || operator === 'prefix') {
    if (typeof actual !== 'string' && typeof actual !== 'number') return false;
    const a = asciiLower(String(actual));
    const e = asciiLower(String(expected));
    return operator === 'contains' ? a.includes(e) : a.startsWith(e);
  }
  if (expected === null || typeof expected === 'boolean' || actual === null || typeof actual === 'boolean') {
    if (operator === 'eq') return actual === expected;
    if (operator === 'ne') return actual !== expected;
    return false;
  }
  if (typeof expected === 'number' || typeof actual === 'number') {
    const a =
      typeof actual === 'number' ? actual : typeof actual === 'string' && actual.trim() !== '' ? Number(actual) : NaN;
    const e = typeof expected === 'number' ? expected : expected.trim() !== '' ? Number(expected) : NaN;
    if (Number.isNaN(a) || Number.isNaN(e)) return operator === 'ne';
    return compare(operator, a, e);
  }
  if (typeof actual !== 'string') return operator === 'ne';
  return compare(operator, asciiLower(actual), asciiLower(expected));
}

function attributeMatches(doc: SearchDocument, node: Extract<FilterNode, { op: 'attribute' }>): boolean {
  const actual = attributeOf(doc, node.attributeName);
  if (actual === undefined) return node.operator === 'ne';
  if (Array.isArray(actual)) {
    // Multi-valued attributes: "ne" means no element equals the value; the other operators mean some element matches.
    return node.operator === 'ne'
      ? actual.every((a) => scalarMatches(a, 'ne', node.value))
      : actual.some((a) => scalarMatches(a, node.operator, node.value));
  }
  return scalarMatches(actual, node.operator, node.value);
}

function timeMatches(value: number, condition: TimeCondition, now: number): boolean {
  switch (condition.kind) {
    case 'compare':
      return compare(condition.operator, value, condition.threshold);
    case 'range':
      return value >= condition.from && value <= condition.to;
    case 'relative': {
      const { from, to } = relativeBounds(condition.value, now);
      return (from === undefined || value >= from) && (to === undefined || value < to);
    }
  }
}

/** Evaluates the filter on one document. `now` (epoch ms) anchors relative times such as LAST_7D. */
export function evaluateFilter(node: FilterNode, doc: SearchDocument, now: number): boolean {
  switch (node.op) {
    case 'and':
      return node.children.every((c) => evaluateFilter(c, doc, now));
    case 'or':
      return node.children.some((c) => evaluateFilter(c, doc, now));
    case 'not':
      return !evaluateFilter(node.child, doc, now);
    case 'type':
      return doc.typeName === node.typeName;
    case 'classification':
      return doc.classifications.includes(node.classification);
    case 'objectType':
      return asciiLower(objectTypeOf(doc.typeName)) === asciiLower(node.objectType);
    case 'assetType':
      return assetTypesOf(doc.typeName).some((a) => asciiLower(a) === asciiLower(node.assetType));
    case 'collection':
      return asciiLower(doc.collectionId) === asciiLower(node.collectionId);
    case 'id':
      return doc.guid === node.id;
    case 'fileExtension':
      return asciiLower(doc.name).endsWith(`.${asciiLower(node.extension)}`);
    case 'attribute':
      return attributeMatches(doc, node);
    case 'time': {
      const value = attributeOf(doc, node.field);
      const ms = typeof value === 'number' ? value : typeof value === 'string' ? Date.parse(value) : NaN;
      return Number.isFinite(ms) && timeMatches(ms, node.condition, now);
    }
    // Term assignments are not in the document: a term filter runs in SQL (planFilter keeps it there when it can).
    case 'term':
      return false;
    case 'glossaryType':
      return doc.typeName === GLOSSARY_TERM_TYPENAME && asciiLower(node.glossaryType) === asciiLower(doc.typeName);
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// SQL

const TIME_COLUMNS: Record<string, string> = { createTime: 'e.create_time', updateTime: 'e.update_time' };
const ATTRIBUTE_COLUMNS: Record<string, string> = { name: 'e.name', qualifiedName: 'e.qualified_name' };
const INDEX_COLUMNS: Record<string, IndexedColumn> = { name: 'name', qualifiedName: 'qualified_name' };

/**
 * A substring condition on name or qualifiedName: the trigram index narrows the rows (when the value has 3 characters
 * or more), and the exact LIKE decides, so the answer is the LIKE's.
 */
function viaIndex(attributeName: string, value: string, like: Sql): Sql {
  const column = INDEX_COLUMNS[attributeName];
  if (!column || !indexable(value)) return like;
  return joinSql([indexMatchSql(`${column} : ${ftsPhrase(value)}`), like], 'AND');
}

/**
 * Compiles the filter to a WHERE fragment over alias `e`, or returns undefined when some part is evaluated in JS only
 * (attribute filters other than string eq/ne/contains/prefix on name or qualifiedName).
 */
export function compileFilter(node: FilterNode, now: number, terms?: TermIndex): Sql | undefined {
  switch (node.op) {
    case 'and':
    case 'or': {
      const parts = node.children.map((c) => compileFilter(c, now, terms));
      if (parts.some((p) => p === undefined)) return undefined;
      return joinSql(parts as Sql[], node.op === 'and' ? 'AND' : 'OR');
    }
    case 'not': {
      const inner = compileFilter(node.child, now, terms);
      return inner && notSql(inner);
    }
    case 'type':
      return sql('e.type_name = ?', node.typeName);
    case 'classification':
      return sql(
        'EXISTS (SELECT 1 FROM datamap_entity_classifications fc WHERE fc.guid = e.guid AND fc.type_name = ?)',
        node.classification,
      );
    case 'objectType': {
      const mapped = inSql('e.type_name', typeNamesWhere(OBJECT_TYPE_BY_TYPENAME, node.objectType));
      if (asciiLower(node.objectType) !== 'others') return mapped;
      const unmapped = notSql(inSql('e.type_name', Object.keys(OBJECT_TYPE_BY_TYPENAME)));
      return joinSql([mapped, unmapped], 'OR');
    }
    case 'assetType':
      return inSql('e.type_name', typeNamesWhere(ASSET_TYPE_BY_TYPENAME, node.assetType));
    case 'collection':
      return sql('e.collection_id = ? COLLATE NOCASE', node.collectionId);
    case 'id':
      return sql('e.guid = ?', node.id);
    case 'fileExtension':
      return sql(`e.name LIKE ? ESCAPE '\\'`, `%.${escapeLike(node.extension)}`);
    case 'attribute': {
      const column = ATTRIBUTE_COLUMNS[node.attributeName];
      if (!column || typeof node.value !== 'string') return undefined;
      switch (node.operator) {
        case 'eq':
          return sql(`${column} = ? COLLATE NOCASE`, node.value);
        case 'ne':
          return sql(`${column} <> ? COLLATE NOCASE`, node.value);
        case 'contains':
          return viaIndex(
            node.attributeName,
            node.value,
            sql(`${column} LIKE ? ESCAPE '\\'`, `%${escapeLike(node.value)}%`),
          );
        case 'prefix':
          return viaIndex(
            node.attributeName,
            node.value,
            sql(`${column} LIKE ? ESCAPE '\\'`, `${escapeLike(node.value)}%`),
          );
        default:
          return undefined;
      }
    }
    case 'time': {
      const column = TIME_COLUMNS[node.field];
      if (!column) return undefined;
      const c = node.condition;
      if (c.kind === 'compare') return sql(`${column} ${SQL_OP[c.operator]} ?`, c.threshold);
      if (c.kind === 'range') return sql(`${column} >= ? AND ${column} <= ?`, c.from, c.to);
      const { from, to } = relativeBounds(c.value, now);
      return joinSql(
        [
          ...(from !== undefined ? [sql(`${column} >= ?`, from)] : []),
          ...(to !== undefined ? [sql(`${column} < ?`, to)] : []),
        ],
        'AND',
      );
    }
    case 'term':
      return terms ? terms.assignedSql(node.term, node.glossary) : FALSE_SQL;
    case 'glossaryType':
      return FALSE_SQL;
  }
}

/**
 * Splits a filter for execution: the parts SQL can do (top-level conjuncts that compile) and the rest, evaluated in JS
 * over the rows SQL returns. `residual` is undefined when SQL does everything.
 */
export function planFilter(
  node: FilterNode | undefined,
  now: number,
  terms?: TermIndex,
): { where: Sql; residual?: FilterNode } {
  if (!node) return { where: TRUE_SQL };
  const conjuncts = node.op === 'and' ? node.children : [node];
  const compiled: Sql[] = [];
  const residual: FilterNode[] = [];
  for (const conjunct of conjuncts) {
    const part = compileFilter(conjunct, now, terms);
    if (part) compiled.push(part);
    else residual.push(conjunct);
  }
  return {
    where: joinSql(compiled, 'AND'),
    residual:
      residual.length === 0 ? undefined : residual.length === 1 ? residual[0] : { op: 'and', children: residual },
  };
}

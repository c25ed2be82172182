import { CLASSIFICATION_COUNTS, TYPE_COUNTS } from '../../database/migrations/1764600000052-search-counts';
import type { FilterNode } from './search-filter';
import type { Sql } from './sql';

/**
 * Whether the counts of a query can come from the count tables (migration SearchCounts1764600000052): no keywords,
 * and a filter that looks at the entity's type alone (entityType, objectType, assetType under and/or/not), so its SQL
 * over `e` reads only `e.type_name` (and search's own `e.status`), the columns the count tables have.
 */
export function countableFromTypes(tokens: readonly string[], filter: FilterNode | undefined): boolean {
  return tokens.length === 0 && (filter === undefined || byTypeOnly(filter));
}

function byTypeOnly(node: FilterNode): boolean {
  switch (node.op) {
    case 'and':
    case 'or':
      return node.children.every(byTypeOnly);
    case 'not':
      return byTypeOnly(node.child);
    case 'type':
    case 'objectType':
    case 'assetType':
      return true;
    default:
      return false;
  }
}

/** Entities by typeName matching `where` (over `e`: type_name and status only), from the counts. */
export function typeCountsSql(where: Sql): Sql {
  return {
    sql: `SELECT e.type_name AS value, SUM(e.n) AS n FROM ${TYPE_COUNTS} e WHERE ${where.sql} GROUP BY e.type_name HAVING SUM(e.n) > 0`,
    params: where.params,
  };
}

/** Classified entities by classification matching `where` (as above), from the counts. */
export function classificationCountsSql(where: Sql): Sql {
  return {
    sql:
      `SELECT e.classification AS value, SUM(e.n) AS n FROM ${CLASSIFICATION_COUNTS} e WHERE ${where.sql} ` +
      `GROUP BY e.classification HAVING SUM(e.n) > 0`,
    params: where.params,
  };
}

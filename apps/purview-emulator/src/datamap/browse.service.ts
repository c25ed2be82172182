import { Injectable } from '@nestjs/common';
import {
  CATALOG_BROWSE_DEFAULT_LIMIT,
  CatalogBrowseRequestSchema,
  type CatalogBrowseResult,
  type CatalogBrowseResultOwner,
} from '@purview-emulator/contracts';
import { PurviewError } from '../common/errors';
import { parseBody } from '../common/validation';
import { DataMapRepository } from './datamap.repository';
import { attributesOf } from './entity-model';
import { Sql, joinSql, sql } from './search/sql';

/**
 * The legacy catalog's browse (`POST /catalog/api/browse`): the active entities of a type (`entityType`), or the
 * entities directly below a path (`path`: a qualifiedName; its children are the qualifiedNames one `/` segment
 * longer), by name, with `limit`/`offset` paging. An entity is a leaf when nothing sits below its qualifiedName.
 */
@Injectable()
export class BrowseService {
  constructor(private readonly repository: DataMapRepository) {}

  async browse(body: unknown): Promise<CatalogBrowseResult> {
    const request = parseBody(CatalogBrowseRequestSchema, body, 'InvalidBrowseRequest');
    if (!request.entityType && !request.path)
      throw PurviewError.badRequest(
        'Browse needs an entityType (the root level) or a path (the level below it).',
        'InvalidBrowseRequest',
      );
    const parts: Sql[] = [sql(`e.status = 'ACTIVE'`)];
    if (request.entityType) parts.push(sql('e.type_name = ?', request.entityType));
    if (request.path) {
      const base = `${request.path.replace(/\/+$/, '')}/`;
      parts.push(
        sql('e.qualified_name >= ? AND e.qualified_name < ?', base, `${base.slice(0, -1)}0`),
        // One segment below: no further '/' (a trailing one allowed), and not the path itself.
        sql(
          `length(e.qualified_name) > ? AND instr(rtrim(substr(e.qualified_name, ?), '/'), '/') = 0`,
          base.length,
          base.length + 1,
        ),
      );
    }
    const where = joinSql(parts, 'AND');
    const limit = request.limit ?? CATALOG_BROWSE_DEFAULT_LIMIT;
    const [count, rows] = await Promise.all([
      this.repository.countMatches(where),
      this.repository.matches(where, sql('0'), [{ field: 'name', direction: 'ASC' }], {
        limit,
        offset: request.offset ?? 0,
      }),
    ]);
    const parents = await this.repository.withChildren(rows.map((r) => r.record.qualifiedName));
    return {
      '@search.count': count,
      value: rows.map(({ record }) => {
        const owner = attributesOf(record).owner;
        const owners: CatalogBrowseResultOwner[] =
          typeof owner === 'string' && owner ? [{ id: owner, contactType: 'Owner' }] : [];
        return {
          entityType: record.typeName,
          id: record.guid,
          isLeaf: !parents.has(record.qualifiedName),
          name: record.name,
          owner: owners,
          path: record.qualifiedName,
          qualifiedName: record.qualifiedName,
        };
      }),
    };
  }
}

import {
  type AssetReference,
  DATABASE_TYPENAMES,
  type DatabaseEngine,
  type ScannedAsset,
} from '@purview-emulator/contracts';
import type { RelationalTable } from '../connectors/relational';
import { ref } from './assets';

/**
 * Qualified names of database assets, patterned on Purview's `mssql://{server}/{database}/{schema}/{table}#{column}`:
 * `postgresql://{server}/{database}/{schema}/{table}` and `mysql://{server}/{database}/{table}`, columns after `#`.
 * Names are kept as the catalog spells them.
 */
export const databaseQualifiedNames = {
  server: (engine: DatabaseEngine, server: string) => `${engine}://${server}`,
  database: (engine: DatabaseEngine, server: string, database: string) => `${engine}://${server}/${database}`,
  schema: (server: string, database: string, schema: string) => `postgresql://${server}/${database}/${schema}`,
  table: (engine: DatabaseEngine, server: string, database: string, table: { schema: string; name: string }) =>
    engine === 'mysql'
      ? `mysql://${server}/${database}/${table.name}`
      : `postgresql://${server}/${database}/${table.schema}/${table.name}`,
  column: (tableQualifiedName: string, column: string) => `${tableQualifiedName}#${column}`,
};

export interface DatabaseAssetContext {
  engine: DatabaseEngine;
  server: string;
  database: string;
}

export function serverAsset(ctx: DatabaseAssetContext): ScannedAsset {
  return {
    typeName: DATABASE_TYPENAMES[ctx.engine].server,
    attributes: { qualifiedName: databaseQualifiedNames.server(ctx.engine, ctx.server), name: ctx.server },
  };
}

export function databaseAsset(ctx: DatabaseAssetContext): ScannedAsset {
  const types = DATABASE_TYPENAMES[ctx.engine];
  return {
    typeName: types.database,
    attributes: {
      qualifiedName: databaseQualifiedNames.database(ctx.engine, ctx.server, ctx.database),
      name: ctx.database,
    },
    relationshipAttributes: { server: ref(types.server, databaseQualifiedNames.server(ctx.engine, ctx.server)) },
  };
}

/** PostgreSQL's schema level (MySQL has none). */
export function schemaAsset(ctx: DatabaseAssetContext, schema: string): ScannedAsset {
  const types = DATABASE_TYPENAMES.postgresql;
  return {
    typeName: types.schema,
    attributes: { qualifiedName: databaseQualifiedNames.schema(ctx.server, ctx.database, schema), name: schema },
    relationshipAttributes: {
      db: ref(types.database, databaseQualifiedNames.database('postgresql', ctx.server, ctx.database)),
    },
  };
}

/** The table or view, then its columns (classified when `classifications` are given): parents before children. */
export function tableAssets(
  ctx: DatabaseAssetContext,
  table: RelationalTable,
  extra: { classifications?: readonly (readonly string[])[]; definitionHash?: string } = {},
): ScannedAsset[] {
  const types = DATABASE_TYPENAMES[ctx.engine];
  const typeName = table.kind === 'view' ? types.view : types.table;
  const columnType = table.kind === 'view' ? types.viewColumn : types.tableColumn;
  const qualifiedName = databaseQualifiedNames.table(ctx.engine, ctx.server, ctx.database, table);
  const parent: Record<string, AssetReference> =
    ctx.engine === 'mysql'
      ? { db: ref(types.database, databaseQualifiedNames.database(ctx.engine, ctx.server, ctx.database)) }
      : {
          dbSchema: ref(
            DATABASE_TYPENAMES.postgresql.schema,
            databaseQualifiedNames.schema(ctx.server, ctx.database, table.schema),
          ),
        };
  const asset: ScannedAsset = {
    typeName,
    attributes: {
      qualifiedName,
      name: table.name,
      ...(table.rowCount !== undefined ? { rowCount: table.rowCount } : {}),
      ...(extra.definitionHash ? { schemaDefinitionHash: extra.definitionHash } : {}),
    },
    relationshipAttributes: parent,
  };
  const rolledUp = new Set<string>();
  const tableRef = ref(typeName, qualifiedName);
  const columns = table.columns.map((column, i): ScannedAsset => {
    const classes = extra.classifications?.[i] ?? [];
    classes.forEach((c) => rolledUp.add(c));
    return {
      typeName: columnType,
      attributes: {
        qualifiedName: databaseQualifiedNames.column(qualifiedName, column.name),
        name: column.name,
        data_type: column.type,
        isNullable: column.nullable,
        isPrimaryKey: column.isPrimaryKey,
        position: column.position,
      },
      relationshipAttributes: table.kind === 'view' ? { view: tableRef } : { table: tableRef },
      ...(classes.length ? { classifications: classes.map((c) => ({ typeName: c })) } : {}),
    };
  });
  // As for files, the classifications found on columns are rolled up to the table.
  if (rolledUp.size) asset.classifications = [...rolledUp].map((c) => ({ typeName: c }));
  return [asset, ...columns];
}

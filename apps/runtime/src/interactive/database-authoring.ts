import type {
  BrowseItem,
  BrowseResult,
  DatabasePreviewSchemaResult,
  DatabaseScanSource,
  TestConnectionResult,
} from '@purview-emulator/contracts';
import {
  connectorFor,
  DatabaseError,
  databaseQualifiedNames,
  type RelationalConnector,
} from '@purview-emulator/scan-engine';
import { InteractiveError } from './source-errors';

/**
 * Interactive authoring of a database source on the node (test connection, browse, preview a table's schema), with
 * the database connectors scans use. A person is waiting: one connection, short timeouts. Messages name the
 * credential (`credentialSource`), never the password.
 */
const INTERACTIVE_LIMITS = { maxConnections: 1, connectTimeoutMs: 10_000, queryTimeoutMs: 20_000 };

export interface DatabaseAuthoringContext {
  nodeName?: string;
  /** Tests pass their own connector factory. */
  connect?: (source: DatabaseScanSource) => RelationalConnector;
}

async function withConnector<T>(
  source: DatabaseScanSource,
  context: DatabaseAuthoringContext,
  work: (connector: RelationalConnector) => Promise<T>,
): Promise<T> {
  const connector = context.connect?.(source) ?? connectorFor(source, INTERACTIVE_LIMITS);
  try {
    return await work(connector);
  } finally {
    await connector.close();
  }
}

function describe(source: DatabaseScanSource, error: DatabaseError): string {
  if (error.code === 'AuthenticationFailed')
    return `The server refused the login of user '${source.user}' from ${source.credentialSource ?? 'the request'}: ${error.message}`;
  return error.message;
}

export async function testDatabaseConnection(
  source: DatabaseScanSource,
  context: DatabaseAuthoringContext = {},
): Promise<TestConnectionResult> {
  const where = `${source.serverEndpoint}:${source.port}/${source.databaseName}`;
  try {
    const schemas = await withConnector(source, context, (c) => c.listSchemas());
    return {
      succeeded: true,
      message: `Connected to ${where} as '${source.user}' (${schemas.length} schema${schemas.length === 1 ? '' : 's'}).`,
      nodeName: context.nodeName,
    };
  } catch (error) {
    if (!(error instanceof DatabaseError)) throw error;
    return { succeeded: false, code: error.code, message: describe(source, error), nodeName: context.nodeName };
  }
}

/** Splits `db/schema/table` (MySQL `db/table`); '' is the server. */
function segmentsOf(path: string, engine: DatabaseScanSource['engine']): string[] {
  const segments = path.split('/').filter((s) => s !== '');
  if (segments.length > (engine === 'mysql' ? 2 : 3))
    throw new InteractiveError(400, 'InvalidPath', `'${path}' is deeper than a table.`);
  return segments;
}

export async function browseDatabase(
  source: DatabaseScanSource,
  path: string,
  context: DatabaseAuthoringContext = {},
): Promise<BrowseResult> {
  const segments = segmentsOf(path, source.engine);
  const { engine, serverEndpoint: server } = source;
  const items = await withConnector(
    { ...source, databaseName: segments[0] ?? source.databaseName },
    context,
    async (connector): Promise<BrowseItem[]> => {
      if (segments.length === 0)
        return (await connector.listDatabases()).map((db) => ({
          name: db,
          path: db,
          type: 'Database',
          qualifiedName: databaseQualifiedNames.database(engine, server, db),
        }));
      const [db, schema] = segments;
      if (engine === 'postgresql' && segments.length === 1)
        return (await connector.listSchemas()).map((s) => ({
          name: s,
          path: `${db}/${s}`,
          type: 'Schema',
          qualifiedName: databaseQualifiedNames.schema(server, db, s),
        }));
      const tables = await connector.listTables(engine === 'postgresql' ? { schemas: [schema] } : {});
      return tables.map((t) => ({
        name: t.name,
        path: engine === 'mysql' ? `${db}/${t.name}` : `${db}/${t.schema}/${t.name}`,
        type: t.kind === 'view' ? 'View' : 'Table',
        qualifiedName: databaseQualifiedNames.table(engine, server, db, t),
      }));
    },
  ).catch((error: unknown) => {
    if (error instanceof DatabaseError)
      throw new InteractiveError(error.code === 'QueryFailed' ? 400 : 409, error.code, describe(source, error));
    throw error;
  });
  return { path, items, nodeName: context.nodeName };
}

export async function previewDatabaseSchema(
  source: DatabaseScanSource,
  path: string,
  context: DatabaseAuthoringContext = {},
): Promise<DatabasePreviewSchemaResult> {
  const segments = segmentsOf(path, source.engine);
  const depth = source.engine === 'mysql' ? 2 : 3;
  if (segments.length !== depth)
    throw new InteractiveError(
      400,
      'InvalidPath',
      `'${path}' is not a table: give ${source.engine === 'mysql' ? 'database/table' : 'database/schema/table'}.`,
    );
  const [db] = segments;
  const schema = source.engine === 'mysql' ? db : segments[1];
  const name = segments[depth - 1];
  const tables = await withConnector({ ...source, databaseName: db }, context, (c) =>
    c.listTables({ schemas: [schema] }),
  ).catch((error: unknown) => {
    if (error instanceof DatabaseError)
      throw new InteractiveError(error.code === 'QueryFailed' ? 400 : 409, error.code, describe(source, error));
    throw error;
  });
  const table = tables.find((t) => t.name === name);
  if (!table) throw new InteractiveError(404, 'PathNotFound', `There is no table or view '${path}'.`);
  return {
    path,
    qualifiedName: databaseQualifiedNames.table(source.engine, source.serverEndpoint, db, table),
    kind: table.kind === 'view' ? 'View' : 'Table',
    columns: table.columns.map((c) => ({
      name: c.name,
      type: c.type,
      isNullable: c.nullable,
      isPrimaryKey: c.isPrimaryKey,
    })),
    nodeName: context.nodeName,
  };
}

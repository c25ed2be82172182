import type {
  AtlasAttributeDef,
  AtlasEntityDef,
  AtlasRelationshipDef,
  AtlasTypesDef,
} from '@purview-emulator/contracts';
import { DATABASE_TYPENAMES } from '@purview-emulator/contracts';
import { end, opt, relationship } from './builtin-atlas-model';

const purview = { serviceType: 'Azure Purview', typeVersion: '1.0' };

/** What the database connectors write on columns (see libs/scan-engine relational-assets.ts). */
const columnAttributes = (): AtlasAttributeDef[] => [
  opt('data_type', 'string'),
  opt('isNullable', 'boolean'),
  opt('isPrimaryKey', 'boolean'),
  opt('position', 'int'),
];
const tableAttributes = (): AtlasAttributeDef[] => [opt('rowCount', 'long'), opt('schemaDefinitionHash', 'string')];

const entity = (name: string, superTypes: string[], attributeDefs: AtlasAttributeDef[] = []): AtlasEntityDef => ({
  ...purview,
  name,
  superTypes,
  attributeDefs,
});

/**
 * The entity types Purview's database scans produce, for the engines the reference runtime scans (PostgreSQL,
 * MySQL/MariaDB), with the composition links a scan writes: server → databases → schemas → tables and views →
 * columns (MySQL: database → tables). `azure_postgresql_table`, `azure_postgresql_view`, `azure_mysql_table` and
 * `azure_mysql_view` appear in Purview's published type lists; the other names and every relationship name are the
 * emulator's guesses patterned on them (the README says which).
 */
function databaseTypes(): AtlasTypesDef {
  const entityDefs: AtlasEntityDef[] = [];
  const relationshipDefs: AtlasRelationshipDef[] = [];
  for (const [engine, t] of Object.entries(DATABASE_TYPENAMES)) {
    entityDefs.push(
      entity(t.server, ['azure_resource']),
      entity(t.database, ['DataSet']),
      entity(t.table, ['DataSet'], tableAttributes()),
      entity(t.view, ['DataSet'], tableAttributes()),
      entity(t.tableColumn, ['DataSet'], columnAttributes()),
      entity(t.viewColumn, ['DataSet'], columnAttributes()),
    );
    const prefix = `azure_${engine}`;
    relationshipDefs.push(
      relationship(
        `${prefix}_server_databases`,
        'COMPOSITION',
        end(t.server, 'databases', 'SET', true),
        end(t.database, 'server', 'SINGLE'),
      ),
      relationship(
        `${prefix}_table_columns`,
        'COMPOSITION',
        end(t.table, 'columns', 'SET', true),
        end(t.tableColumn, 'table', 'SINGLE'),
      ),
      relationship(
        `${prefix}_view_columns`,
        'COMPOSITION',
        end(t.view, 'columns', 'SET', true),
        end(t.viewColumn, 'view', 'SINGLE'),
      ),
    );
    if (t.schema) {
      entityDefs.push(entity(t.schema, ['DataSet']));
      relationshipDefs.push(
        relationship(
          `${prefix}_db_schemas`,
          'COMPOSITION',
          end(t.database, 'schemas', 'SET', true),
          end(t.schema, 'db', 'SINGLE'),
        ),
        relationship(
          `${prefix}_schema_tables`,
          'COMPOSITION',
          end(t.schema, 'tables', 'SET', true),
          end(t.table, 'dbSchema', 'SINGLE'),
        ),
        relationship(
          `${prefix}_schema_views`,
          'COMPOSITION',
          end(t.schema, 'views', 'SET', true),
          end(t.view, 'dbSchema', 'SINGLE'),
        ),
      );
    } else {
      relationshipDefs.push(
        relationship(
          `${prefix}_db_tables`,
          'COMPOSITION',
          end(t.database, 'tables', 'SET', true),
          end(t.table, 'db', 'SINGLE'),
        ),
        relationship(
          `${prefix}_db_views`,
          'COMPOSITION',
          end(t.database, 'views', 'SET', true),
          end(t.view, 'db', 'SINGLE'),
        ),
      );
    }
  }
  return { entityDefs, relationshipDefs: relationshipDefs.map((r) => ({ ...r, ...purview })) };
}

export const DATABASE_TYPES: AtlasTypesDef = databaseTypes();

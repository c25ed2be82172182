import {
  type AtlasAttributeDef,
  type AtlasClassificationDef,
  type AtlasTypesDef,
  SYSTEM_CLASSIFICATIONS,
  systemClassification,
} from '@purview-emulator/contracts';
import { end, opt, relationship } from './builtin-atlas-model';

/**
 * System classifications seeded as classification defs: every one the scan engine knows (libs/contracts, with the
 * description Purview gives them), plus MICROSOFT.SYSTEM.TEMP_FILE, which Purview applies to temporary files.
 * Pass a longer list to `systemClassificationDefs` to seed more: seeding adds whatever is missing at every start.
 */
export const SYSTEM_CLASSIFICATION_NAMES: readonly string[] = [
  ...SYSTEM_CLASSIFICATIONS.map((c) => c.name),
  'MICROSOFT.SYSTEM.TEMP_FILE',
];

export function systemClassificationDefs(names: readonly string[]): AtlasClassificationDef[] {
  return [...new Set(names)].map((name) => ({
    name,
    description: systemClassification(name)?.description ?? name,
    serviceType: 'Azure Purview',
    typeVersion: '1.0',
    superTypes: [],
    entityTypes: [],
    attributeDefs: [],
  }));
}

const purview = { serviceType: 'Azure Purview', typeVersion: '1.0' };

/** What a scanned file or folder carries (attributes the emulator's scanner writes, plus Purview's observed ones). */
const pathAttributes = (): AtlasAttributeDef[] => [
  opt('path', 'string'),
  opt('isFile', 'boolean'),
  opt('size', 'long'),
  opt('modifiedTime', 'date'),
  opt('contentType', 'string'),
];

const resourceSetAttributes = (): AtlasAttributeDef[] => [
  opt('partitionCount', 'long'),
  opt('schemaCount', 'int'),
  opt('totalSizeBytes', 'long'),
  opt('modifiedTime', 'date'),
];

/**
 * The entity types Purview's Azure Storage scans produce (reference section 5.7 of purview-api.md), as entity
 * defs under Atlas's DataSet, with the relationship defs their links use. `storage_account_services`,
 * `tabular_schema_datasets`, `tabular_schema_columns` and `datalake_gen2_service_filesystems` are Purview's (seen in
 * real responses); the blob service → container → path defs are the emulator's guess at Purview's names.
 */
export const SCAN_TYPES: AtlasTypesDef = {
  entityDefs: [
    { ...purview, name: 'azure_resource', superTypes: ['DataSet'], attributeDefs: [] },
    { ...purview, name: 'azure_storage_account', superTypes: ['azure_resource'], attributeDefs: [] },
    { ...purview, name: 'azure_blob_service', superTypes: ['azure_resource'], attributeDefs: [] },
    { ...purview, name: 'azure_blob_container', superTypes: ['DataSet'], attributeDefs: [] },
    { ...purview, name: 'azure_blob_path', superTypes: ['DataSet'], attributeDefs: pathAttributes() },
    { ...purview, name: 'azure_blob_resource_set', superTypes: ['DataSet'], attributeDefs: resourceSetAttributes() },
    { ...purview, name: 'azure_datalake_gen2_service', superTypes: ['azure_resource'], attributeDefs: [] },
    { ...purview, name: 'azure_datalake_gen2_filesystem', superTypes: ['DataSet'], attributeDefs: [] },
    { ...purview, name: 'azure_datalake_gen2_path', superTypes: ['DataSet'], attributeDefs: pathAttributes() },
    {
      ...purview,
      name: 'azure_datalake_gen2_resource_set',
      superTypes: ['DataSet'],
      attributeDefs: resourceSetAttributes(),
    },
    { ...purview, name: 'tabular_schema', superTypes: ['DataSet'], attributeDefs: [] },
    {
      ...purview,
      name: 'column',
      superTypes: ['DataSet'],
      attributeDefs: [opt('type', 'string'), opt('position', 'int')],
    },
  ],
  relationshipDefs: [
    relationship(
      'storage_account_services',
      'COMPOSITION',
      end('azure_storage_account', 'services', 'SET', true),
      end('azure_resource', 'account', 'SINGLE'),
    ),
    relationship(
      'tabular_schema_datasets',
      'ASSOCIATION',
      end('DataSet', 'tabular_schema', 'SINGLE'),
      end('tabular_schema', 'associatedDataSets', 'SET'),
    ),
    relationship(
      'tabular_schema_columns',
      'COMPOSITION',
      end('tabular_schema', 'columns', 'SET', true),
      end('column', 'composeSchema', 'SINGLE'),
    ),
    relationship(
      'datalake_gen2_service_filesystems',
      'COMPOSITION',
      end('azure_datalake_gen2_service', 'filesystems', 'SET', true),
      end('azure_datalake_gen2_filesystem', 'datalakeService', 'SINGLE'),
    ),
    // Unconfirmed names, patterned on the ADLS Gen2 one: the links the emulator's blob scanner writes.
    relationship(
      'blob_service_containers',
      'COMPOSITION',
      end('azure_blob_service', 'containers', 'SET', true),
      end('azure_blob_container', 'blobService', 'SINGLE'),
    ),
    relationship(
      'blob_container_paths',
      'COMPOSITION',
      end('azure_blob_container', 'paths', 'SET', true),
      end('azure_blob_path', 'container', 'SINGLE'),
    ),
  ].map((r) => ({ ...r, ...purview })),
};

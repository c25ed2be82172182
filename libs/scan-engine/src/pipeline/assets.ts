import type { AssetReference, ScannedAsset } from '@purview-emulator/contracts';

/** Purview's typeNames for Azure Blob Storage scans. */
export const TYPE = {
  storageAccount: 'azure_storage_account',
  blobService: 'azure_blob_service',
  container: 'azure_blob_container',
  blobPath: 'azure_blob_path',
  tabularSchema: 'tabular_schema',
  column: 'column',
} as const;

export const ref = (typeName: string, qualifiedName: string): AssetReference => ({
  typeName,
  uniqueAttributes: { qualifiedName },
});

/** Qualified names as Purview writes them. `base` is the blob endpoint, e.g. https://acct.blob.core.windows.net */
export const qualifiedNames = {
  storageAccount: (account: string) => `https://${account}.core.windows.net`,
  container: (base: string, container: string) => `${trimBase(base)}/${container}`,
  // The blob name is kept as is: Purview stores what the service lists.
  blob: (base: string, container: string, blobName: string) => `${trimBase(base)}/${container}/${blobName}`,
  schema: (assetQualifiedName: string) => `${assetQualifiedName}#__tabular_schema`,
  column: (assetQualifiedName: string, column: string) => `${assetQualifiedName}#__tabular_schema//${column}`,
};

export function trimBase(base: string): string {
  return base.replace(/\/+$/, '');
}

export function storageAccountAsset(account: string): ScannedAsset {
  return {
    typeName: TYPE.storageAccount,
    attributes: { qualifiedName: qualifiedNames.storageAccount(account), name: account },
  };
}

export function blobServiceAsset(account: string, base: string): ScannedAsset {
  return {
    typeName: TYPE.blobService,
    attributes: { qualifiedName: trimBase(base), name: account },
    relationshipAttributes: { account: ref(TYPE.storageAccount, qualifiedNames.storageAccount(account)) },
  };
}

export function containerAsset(base: string, container: string): ScannedAsset {
  return {
    typeName: TYPE.container,
    attributes: { qualifiedName: qualifiedNames.container(base, container), name: container },
    relationshipAttributes: { blobService: ref(TYPE.blobService, trimBase(base)) },
  };
}

export interface BlobAssetInput {
  base: string;
  container: string;
  blobName: string;
  size: number;
  lastModified: Date;
  contentType?: string;
  /** Column names in order, when a schema was read. */
  columns?: readonly string[];
  /** Type names per column (same order as `columns`); `string` when absent (delimited files). */
  columnTypes?: readonly string[];
  /** Classification typeNames per column (same order as `columns`). */
  columnClassifications?: readonly (readonly string[])[];
}

/** The file asset, then (when a schema was read) its tabular_schema and columns: parents before children. */
export function blobAssets(input: BlobAssetInput): ScannedAsset[] {
  const qualifiedName = qualifiedNames.blob(input.base, input.container, input.blobName);
  const fileName = input.blobName.split('/').filter(Boolean).pop() ?? input.blobName;
  const blob: ScannedAsset = {
    typeName: TYPE.blobPath,
    attributes: {
      qualifiedName,
      name: fileName,
      path: `/${input.container}/${input.blobName}`,
      size: input.size,
      modifiedTime: input.lastModified.getTime(),
      ...(input.contentType ? { contentType: input.contentType } : {}),
      isFile: true,
    },
    relationshipAttributes: { container: ref(TYPE.container, qualifiedNames.container(input.base, input.container)) },
  };
  if (!input.columns) return [blob];

  const schemaQn = qualifiedNames.schema(qualifiedName);
  const schemaRef = ref(TYPE.tabularSchema, schemaQn);
  blob.relationshipAttributes!.tabular_schema = schemaRef;
  const schema: ScannedAsset = {
    typeName: TYPE.tabularSchema,
    attributes: { qualifiedName: schemaQn, name: `${fileName}#__tabular_schema` },
  };
  const rolledUp = new Set<string>();
  const columns = input.columns.map((name, position): ScannedAsset => {
    const classes = input.columnClassifications?.[position] ?? [];
    classes.forEach((c) => rolledUp.add(c));
    return {
      typeName: TYPE.column,
      attributes: {
        qualifiedName: qualifiedNames.column(qualifiedName, name),
        name,
        type: input.columnTypes?.[position] ?? 'string',
        position,
      },
      relationshipAttributes: { composeSchema: schemaRef },
      // Always present, even empty, once the contents were classified: the data map then replaces what an earlier
      // scan applied (a classification that no longer applies goes; one applied by hand stays).
      classifications: classes.map((typeName) => ({ typeName })),
    };
  });
  // Purview rolls the classifications found on columns up to the file.
  blob.classifications = [...rolledUp].map((typeName) => ({ typeName }));
  return [blob, schema, ...columns];
}

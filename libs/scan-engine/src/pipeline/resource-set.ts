import type { ScannedAsset } from '@purview-emulator/contracts';
import type { FileFormat } from '../readers';
import { qualifiedNames, ref, TYPE } from './assets';
import { resourceSetDisplayName } from './resource-set-patterns';

/** Purview's typeName for a resource set of Azure Blob Storage. */
export const RESOURCE_SET_TYPE = 'azure_blob_resource_set';
/** Formats whose schema is read from one file of a set (Purview samples 1 in ulong.MaxValue: the first). */
const ONE_FILE_FORMATS: ReadonlySet<FileFormat> = new Set<FileFormat>(['PARQUET', 'AVRO', 'ORC']);
/** Other formats (delimited, JSON, XML, TXT, GZIP): 1 file in this many is sampled. */
export const RESOURCE_SET_SAMPLE_EVERY = 100;
/** Distinct schemas are counted up to this many; Purview shows "5+" beyond. */
export const MAX_SCHEMA_COUNT = 5;

/** A sampled file's schema: column names, types and classifications, in order. */
export interface SampledSchema {
  columns: readonly string[];
  types: readonly string[];
  classifications: readonly (readonly string[])[];
}

/**
 * One resource set while its members are listed: counts and sizes of every member, the union of the sampled
 * members' schemas and classifications. Holds no member names, so its memory does not grow with the set.
 */
export class ResourceSetAggregate {
  partitionCount = 0;
  totalSizeBytes = 0;
  modifiedTime = 0;
  /** Members modified since the incremental scan's point (all members in a full scan). */
  changedMembers = 0;
  sampledFiles = 0;
  failedFiles = 0;
  private candidates = 0;
  private readonly columns = new Map<string, { type: string; classifications: Set<string> }>();
  private readonly schemaKeys = new Set<string>();

  constructor(
    readonly container: string,
    readonly pattern: string,
    readonly literalPrefix: string,
  ) {}

  /** Counts a listed member; true when this one is to be sampled (by Purview's 1-in-100 / one-file rule). */
  add(member: { size: number; lastModified: Date; format?: FileFormat; changed: boolean }): boolean {
    this.partitionCount++;
    this.totalSizeBytes += member.size;
    this.modifiedTime = Math.max(this.modifiedTime, member.lastModified.getTime());
    if (!member.changed) return false;
    this.changedMembers++;
    if (!member.format || member.size === 0) return false;
    const index = this.candidates++;
    return ONE_FILE_FORMATS.has(member.format) ? index === 0 : index % RESOURCE_SET_SAMPLE_EVERY === 0;
  }

  /** Merges a sampled member's schema: columns by name (first type wins), classifications unioned. */
  merge(schema: SampledSchema | undefined): void {
    this.sampledFiles++;
    if (!schema) return;
    if (this.schemaKeys.size <= MAX_SCHEMA_COUNT) this.schemaKeys.add(JSON.stringify([schema.columns, schema.types]));
    schema.columns.forEach((name, i) => {
      const column = this.columns.get(name) ?? {
        type: schema.types[i] ?? 'string',
        classifications: new Set<string>(),
      };
      for (const c of schema.classifications[i] ?? []) column.classifications.add(c);
      this.columns.set(name, column);
    });
  }

  /** The set's asset, then its tabular_schema and columns when a sampled member had a schema. */
  assets(base: string): ScannedAsset[] {
    const qualifiedName = qualifiedNames.blob(base, this.container, this.pattern);
    const set: ScannedAsset = {
      typeName: RESOURCE_SET_TYPE,
      attributes: {
        qualifiedName,
        name: resourceSetDisplayName(this.pattern),
        path: `/${this.container}/${this.pattern}`,
        partitionCount: this.partitionCount,
        schemaCount: Math.min(this.schemaKeys.size, MAX_SCHEMA_COUNT),
        totalSizeBytes: this.totalSizeBytes,
        modifiedTime: this.modifiedTime,
      },
      relationshipAttributes: { container: ref(TYPE.container, qualifiedNames.container(base, this.container)) },
    };
    if (this.columns.size === 0) return [set];
    const schemaQn = qualifiedNames.schema(qualifiedName);
    const schemaRef = ref(TYPE.tabularSchema, schemaQn);
    set.relationshipAttributes!.tabular_schema = schemaRef;
    const rolledUp = new Set<string>();
    const columns = [...this.columns].map(([name, column], position): ScannedAsset => {
      column.classifications.forEach((c) => rolledUp.add(c));
      return {
        typeName: TYPE.column,
        attributes: { qualifiedName: qualifiedNames.column(qualifiedName, name), name, type: column.type, position },
        relationshipAttributes: { composeSchema: schemaRef },
        // Present even empty: the scan's classifications replace the previous scan's (see blobAssets).
        classifications: [...column.classifications].map((typeName) => ({ typeName })),
      };
    });
    set.classifications = [...rolledUp].map((typeName) => ({ typeName }));
    const schema: ScannedAsset = {
      typeName: TYPE.tabularSchema,
      attributes: { qualifiedName: schemaQn, name: `${set.attributes.name}#__tabular_schema` },
    };
    return [set, schema, ...columns];
  }
}

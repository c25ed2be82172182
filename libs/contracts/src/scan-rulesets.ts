/**
 * Scan rule sets, custom classification rules and scan filters (Scanning 2023-09-01: `ScanRuleset`,
 * `ClassificationRule`, `Filter`), and the resolved rule set a scan job carries to the node that runs it.
 */
import { z } from 'zod';

/** `FileExtension` of `scanningRule.fileExtensions`, as the 2023-09-01 spec spells them. */
export const FILE_EXTENSIONS = [
  'AVRO',
  'ORC',
  'PARQUET',
  'JSON',
  'TXT',
  'XML',
  'Documents',
  'CSV',
  'PSV',
  'SSV',
  'TSV',
  'GZ',
  'DOC',
  'DOCM',
  'DOCX',
  'DOT',
  'ODP',
  'ODS',
  'ODT',
  'PDF',
  'POT',
  'PPS',
  'PPSX',
  'PPT',
  'PPTM',
  'PPTX',
  'XLC',
  'XLS',
  'XLSB',
  'XLSM',
  'XLSX',
  'XLT',
] as const;
export const FileExtensionSchema = z.enum(FILE_EXTENSIONS);
export type FileExtension = z.infer<typeof FileExtensionSchema>;

/** Data source kinds whose rule sets have a `scanningRule` (file types), as the spec's `*ScanRuleset` subtypes do. */
export const FILE_SCANNING_KINDS = [
  'AdlsGen1',
  'AdlsGen2',
  'AmazonS3',
  'AzureFileService',
  'AzureStorage',
  'Teradata',
  'Oracle',
] as const;

/** What Purview adds to file-based rule sets: Spark/Hadoop marker files are ingested as temporary resources. */
export const TEMPORARY_RESOURCE_FILTERS = [
  {
    ingestTemporaryResource: true,
    resourceFilterPattern: '(_SUCCESS|_started_\\d*|_committed_\\d*|_committed_vacuum\\d*)$',
  },
];

const names = (what: string) =>
  z
    .array(z.string().min(1, `${what} entries must not be empty`).max(256))
    .max(500)
    .nullable()
    .optional();

export const CustomFileExtensionSchema = z.object({
  customFileType: z
    .object({
      builtInType: FileExtensionSchema.nullable().optional(),
      customDelimiter: z.string().max(8).nullable().optional(),
    })
    .nullable()
    .optional(),
  description: z.string().max(256).nullable().optional(),
  enabled: z.boolean().nullable().optional(),
  fileExtension: z
    .string()
    .regex(/^\.?[A-Za-z0-9_-]{1,20}$/, 'fileExtension is a file name extension such as .model')
    .nullable()
    .optional(),
});
export type CustomFileExtension = z.infer<typeof CustomFileExtensionSchema>;

export const ScanningRuleSchema = z.object({
  fileExtensions: z
    .array(FileExtensionSchema)
    .max(FILE_EXTENSIONS.length * 2)
    .nullable()
    .optional(),
  customFileExtensions: z.array(CustomFileExtensionSchema).max(100).nullable().optional(),
});
export type ScanningRule = z.infer<typeof ScanningRuleSchema>;

export const TemporaryResourceFilterSchema = z.object({
  resourceFilterPattern: z.string().max(1024).nullable().optional(),
  ingestTemporaryResource: z.boolean().nullable().optional(),
});
export type TemporaryResourceFilter = z.infer<typeof TemporaryResourceFilterSchema>;

/** `PUT /scan/scanrulesets/{name}` body. Read-only fields (id, name, version, status, timestamps) are ignored. */
export const ScanRulesetBodySchema = z.object({
  kind: z.string().min(1, 'kind (the data source type) is required'),
  scanRulesetType: z.enum(['Custom', 'System']).optional(),
  properties: z
    .object({
      description: z.string().max(256).nullable().optional(),
      excludedSystemClassifications: names('excludedSystemClassifications'),
      includedCustomClassificationRuleNames: names('includedCustomClassificationRuleNames'),
      scanningRule: ScanningRuleSchema.nullable().optional(),
      temporaryResourceFilters: z.array(TemporaryResourceFilterSchema).max(20).nullable().optional(),
    })
    .passthrough()
    .nullable()
    .optional(),
});
export type ScanRulesetBody = z.infer<typeof ScanRulesetBodySchema>;

/** `ScanRuleset` / `SystemScanRuleset` as returned. */
export interface ScanRuleset {
  id: string;
  name: string;
  kind: string;
  scanRulesetType: 'Custom' | 'System';
  status: 'Enabled' | 'Disabled';
  version: number;
  properties: {
    collection?: null;
    createdAt: string;
    lastModifiedAt: string;
    description: string | null;
    excludedSystemClassifications: string[] | null;
    includedCustomClassificationRuleNames: string[] | null;
    scanningRule?: {
      fileExtensions: FileExtension[] | null;
      customFileExtensions: CustomFileExtension[] | null;
    } | null;
    temporaryResourceFilters: TemporaryResourceFilter[] | null;
  };
}

/** `RegexClassificationRulePattern`. */
export const ClassificationRulePatternSchema = z.object({
  kind: z.literal('Regex', { errorMap: () => ({ message: "kind must be 'Regex'" }) }).default('Regex'),
  pattern: z.string().min(1, 'pattern must not be empty').max(1024),
});
export type ClassificationRulePattern = z.infer<typeof ClassificationRulePatternSchema>;

/** `PUT /scan/classificationrules/{name}` body (`CustomClassificationRule`). */
export const ClassificationRuleBodySchema = z.object({
  kind: z.enum(['Custom', 'System'], { errorMap: () => ({ message: "kind must be 'Custom'" }) }),
  properties: z
    .object({
      description: z.string().max(256).nullable().optional(),
      classificationName: z.string().min(1, 'classificationName is required').max(256),
      ruleStatus: z.enum(['Enabled', 'Disabled']).nullable().optional(),
      minimumPercentageMatch: z.number().min(1).max(100).nullable().optional(),
      dataPatterns: z.array(ClassificationRulePatternSchema).max(20).nullable().optional(),
      columnPatterns: z.array(ClassificationRulePatternSchema).max(20).nullable().optional(),
    })
    .passthrough(),
});
export type ClassificationRuleBody = z.infer<typeof ClassificationRuleBodySchema>;

export type ClassificationAction = 'Keep' | 'Delete';

/** `CustomClassificationRule` as returned (one version of it). */
export interface ClassificationRule {
  id: string;
  name: string;
  kind: 'Custom';
  properties: {
    description: string | null;
    version: number;
    classificationName: string;
    ruleStatus: 'Enabled' | 'Disabled';
    createdAt: string;
    lastModifiedAt: string;
    classificationAction: ClassificationAction;
    minimumPercentageMatch: number | null;
    dataPatterns: ClassificationRulePattern[] | null;
    columnPatterns: ClassificationRulePattern[] | null;
  };
}

/** `PUT …/scans/{scan}/filters/custom` body. */
export const ScanFilterBodySchema = z.object({
  properties: z
    .object({
      includeUriPrefixes: z.array(z.string().min(1).max(2048)).max(500).nullable().optional(),
      excludeUriPrefixes: z.array(z.string().min(1).max(2048)).max(500).nullable().optional(),
    })
    .nullable()
    .optional(),
});
export type ScanFilterBody = z.infer<typeof ScanFilterBodySchema>;

export interface ScanFilter {
  id: string;
  name: 'custom';
  properties: { includeUriPrefixes: string[] | null; excludeUriPrefixes: string[] | null };
}

/** A custom rule as a node applies it: the patterns are regular expressions (search semantics, as .NET IsMatch). */
export const ScanJobClassificationRuleSchema = z.object({
  name: z.string(),
  classificationName: z.string(),
  dataPatterns: z.array(z.string()),
  columnPatterns: z.array(z.string()),
  minimumPercentageMatch: z.number().min(1).max(100),
  ruleStatus: z.enum(['Enabled', 'Disabled']),
  classificationAction: z.enum(['Keep', 'Delete']),
});
export type ScanJobClassificationRule = z.infer<typeof ScanJobClassificationRuleSchema>;

/**
 * The rule set a run scans with, resolved when the run is queued (a later edit does not change a run in flight):
 * the file types read for schema and classification, the system classifications left out and the custom rules.
 */
export const ScanJobRulesetSchema = z.object({
  name: z.string(),
  type: z.enum(['Custom', 'System']),
  version: z.number().int(),
  /** Spec `FileExtension` names; null: every type the engine reads (a kind without file types). */
  fileExtensions: z.array(z.string()).nullable(),
  customFileExtensions: z.array(
    z.object({ fileExtension: z.string(), builtInType: z.string().nullable(), customDelimiter: z.string().nullable() }),
  ),
  excludedSystemClassifications: z.array(z.string()),
  customRules: z.array(ScanJobClassificationRuleSchema),
});
export type ScanJobRuleset = z.infer<typeof ScanJobRulesetSchema>;

/** A scan's filter as a job carries it: blob URLs (`https://{account}.blob.core.windows.net/{container}/…`). */
export const ScanJobFilterSchema = z.object({
  includeUriPrefixes: z.array(z.string()),
  excludeUriPrefixes: z.array(z.string()),
});
export type ScanJobFilter = z.infer<typeof ScanJobFilterSchema>;

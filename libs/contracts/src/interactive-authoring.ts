/**
 * Interactive authoring: what the Purview portal does through a self-hosted integration runtime while a user
 * registers a source (test connection, browse, preview a schema). The switch (`:enableInteractiveQuery`,
 * `:disableInteractiveQuery`, `interactiveQuery` in the status) follows the published scanning API; the portal's
 * own calls are internal, so the routes under `/scan/datasources/{ds}/-/…` and the node protocol here are emulator
 * extensions.
 */
import { z } from 'zod';
import { AzureStorageScanSourceSchema } from './scan-source';

/** ADF Studio's default time to live of interactive authoring. */
export const INTERACTIVE_DEFAULT_AUTO_TERMINATION_MINUTES = 60;
/** Emulator choice: a day at most, so a forgotten switch turns itself off. */
export const INTERACTIVE_MAX_AUTO_TERMINATION_MINUTES = 1440;

/** Body of `:enableInteractiveQuery` (`InteractiveQuery` in the 2023-09-01 spec). */
export const InteractiveQueryRequestSchema = z
  .object({
    autoTerminationMinutes: z
      .number({ invalid_type_error: 'autoTerminationMinutes must be a number of minutes' })
      .int('autoTerminationMinutes must be a whole number of minutes')
      .min(1, 'autoTerminationMinutes must be at least 1')
      .max(
        INTERACTIVE_MAX_AUTO_TERMINATION_MINUTES,
        `autoTerminationMinutes must be at most ${INTERACTIVE_MAX_AUTO_TERMINATION_MINUTES} (a day)`,
      )
      .default(INTERACTIVE_DEFAULT_AUTO_TERMINATION_MINUTES),
  })
  .passthrough();
export type InteractiveQueryRequest = z.infer<typeof InteractiveQueryRequestSchema>;

/**
 * `typeProperties.interactiveQuery` of an IR's status: the spec's `{autoTerminationMinutes, status}`, plus (emulator
 * additions) when it was switched on and when it switches itself off, or why it is off.
 */
export const InteractiveQueryStatusSchema = z.object({
  status: z.enum(['Enabled', 'Disabled']),
  autoTerminationMinutes: z.number().optional(),
  enabledTime: z.string().optional(),
  autoTerminationTime: z.string().optional(),
  disabledReason: z.string().optional(),
});
export type InteractiveQueryStatus = z.infer<typeof InteractiveQueryStatusSchema>;

/**
 * A credential to test instead of the default: for storage, an account key (the emulator signs a SAS with it) or a
 * SAS; for a database, a stored SqlAuth/BasicAuth credential by name (the spec's `CredentialReference`), whose
 * password the emulator reads from Key Vault.
 */
export const InteractiveCredentialSchema = z.union([
  z.object({ accountKey: z.string().min(1, 'accountKey must not be empty') }).strict(),
  z.object({ sasToken: z.string().min(1, 'sasToken must not be empty') }).strict(),
  z
    .object({
      referenceName: z.string().min(1, 'referenceName must not be empty'),
      credentialType: z.enum(['SqlAuth', 'BasicAuth']).optional(),
    })
    .strict(),
]);
export type InteractiveCredential = z.infer<typeof InteractiveCredentialSchema>;

const common = {
  /** Which IR carries the request; by default the one every scan of the data source connects via. */
  integrationRuntimeName: z.string().min(1).optional(),
  credential: InteractiveCredentialSchema.optional(),
};

export const TestConnectionRequestSchema = z.object({ ...common, path: z.string().optional() }).strict();
export type TestConnectionRequest = z.infer<typeof TestConnectionRequestSchema>;

export const BROWSE_DEFAULT_MAX_ITEMS = 1000;
export const BrowseRequestSchema = z
  .object({
    ...common,
    path: z.string().default(''),
    maxItems: z.number().int().min(1).max(5000).default(BROWSE_DEFAULT_MAX_ITEMS),
    continuationToken: z.string().optional(),
  })
  .strict();
export type BrowseRequest = z.infer<typeof BrowseRequestSchema>;

export const PreviewSchemaRequestSchema = z
  .object({ ...common, path: z.string({ required_error: "'path' is required: container/folder/file.csv" }) })
  .strict();
export type PreviewSchemaRequest = z.infer<typeof PreviewSchemaRequestSchema>;

/** Which IR and node carried an interactive request (the node names itself; the emulator adds the IR). */
const carriedBy = { integrationRuntimeName: z.string().optional(), nodeName: z.string().optional() };

export const TestConnectionResultSchema = z.object({
  succeeded: z.boolean(),
  /** Set when it failed: AuthenticationFailed, SourceUnreachable, ContainerNotFound, PathNotFound, … */
  code: z.string().optional(),
  message: z.string(),
  ...carriedBy,
});
export type TestConnectionResult = z.infer<typeof TestConnectionResultSchema>;

export const BrowseItemSchema = z.object({
  name: z.string(),
  /** The path to browse or preview next (folders end in '/'). */
  path: z.string(),
  /** Storage: Container, Folder, File; a database: Database → Schema (PostgreSQL) → Table or View. */
  type: z.enum(['Container', 'Folder', 'File', 'Database', 'Schema', 'Table', 'View']),
  qualifiedName: z.string(),
  size: z.number().int().min(0).optional(),
  lastModified: z.string().optional(),
  contentType: z.string().optional(),
});
export type BrowseItem = z.infer<typeof BrowseItemSchema>;

export const BrowseResultSchema = z.object({
  path: z.string(),
  items: z.array(BrowseItemSchema),
  continuationToken: z.string().optional(),
  ...carriedBy,
});
export type BrowseResult = z.infer<typeof BrowseResultSchema>;

/** ADF's interim type names, as its "import schema" shows them. */
export const PreviewColumnTypeSchema = z.enum(['String', 'Int64', 'Double', 'Boolean', 'DateTime']);
export type PreviewColumnType = z.infer<typeof PreviewColumnTypeSchema>;

export const PreviewSchemaResultSchema = z.object({
  path: z.string(),
  qualifiedName: z.string(),
  format: z.enum(['CSV', 'TSV', 'PSV', 'SSV']),
  columns: z.array(z.object({ name: z.string(), type: PreviewColumnTypeSchema })),
  sampledRows: z.number().int().min(0),
  errorRows: z.number().int().min(0),
  /** `failed`: the schema is not trusted (see `reason`); `empty`: no header row. */
  status: z.enum(['ok', 'empty', 'failed']),
  reason: z.string().optional(),
  ...carriedBy,
});
export type PreviewSchemaResult = z.infer<typeof PreviewSchemaResultSchema>;

/** Node protocol: HTTP-style requests the emulator sends through the relay to a node of the IR. */
export const INTERACTIVE_NODE_PATHS = {
  testConnection: '/interactive/testConnection',
  browse: '/interactive/browse',
  previewSchema: '/interactive/previewSchema',
} as const;

/** Where the node reads: as for a scan job, a real-looking endpoint, the Azurite URL and a short-lived read/list SAS. */
export const InteractiveStorageSourceSchema = AzureStorageScanSourceSchema.omit({ partition: true });
export type InteractiveStorageSource = z.infer<typeof InteractiveStorageSourceSchema>;

export const TestConnectionNodeRequestSchema = z.object({
  source: InteractiveStorageSourceSchema,
  path: z.string().optional(),
});
export type TestConnectionNodeRequest = z.infer<typeof TestConnectionNodeRequestSchema>;
export const BrowseNodeRequestSchema = z.object({
  source: InteractiveStorageSourceSchema,
  path: z.string().default(''),
  maxItems: z.number().int().min(1).max(5000).default(BROWSE_DEFAULT_MAX_ITEMS),
  continuationToken: z.string().optional(),
});
export type BrowseNodeRequest = z.infer<typeof BrowseNodeRequestSchema>;
export const PreviewSchemaNodeRequestSchema = z.object({ source: InteractiveStorageSourceSchema, path: z.string() });
export type PreviewSchemaNodeRequest = z.infer<typeof PreviewSchemaNodeRequestSchema>;

/** A browse path split into its container and the prefix below it (empty container: the account's containers). */
export interface StoragePath {
  container?: string;
  /** '' or ending in '/' for a folder, or a blob name for a file. */
  prefix: string;
}

/**
 * Parses a browse path: '', 'container', 'container/folder/', 'container/folder/file.csv'. Absolute paths, '.' or
 * '..' segments (also percent-encoded), backslashes, control characters and URLs are refused with a reason, because
 * a path is only ever relative to the data source.
 */
export function parseStoragePath(raw: string): { path: StoragePath } | { problem: string } {
  if (raw.startsWith('/') || raw.startsWith('\\'))
    return {
      problem: `'${raw}' is an absolute path; give a path relative to the data source, like 'container/folder/'.`,
    };
  if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(raw))
    return {
      problem: `'${raw}' looks like a URL or a drive; give a path relative to the data source, like 'container/folder/'.`,
    };
  if (raw.includes('\\')) return { problem: `'${raw}' contains a backslash; separate folders with '/'.` };
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(raw)) return { problem: 'The path contains control characters.' };
  if (raw === '') return { path: { prefix: '' } };
  const segments = raw.split('/');
  const trailing = segments[segments.length - 1] === '';
  if (trailing) segments.pop();
  for (const segment of segments) {
    let decoded = segment;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      // not percent-encoded: the segment is checked as it is
    }
    if (decoded === '.' || decoded === '..')
      return { problem: `'${raw}' contains a '${decoded}' segment; path traversal is not allowed.` };
    if (segment === '') return { problem: `'${raw}' contains an empty folder name ('//').` };
  }
  const [container, ...rest] = segments;
  if (!/^(\$root|\$logs|\$web|[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,62})$/.test(container)) {
    return { problem: `'${container}' is not a container name: 3-63 lowercase letters, digits and single hyphens.` };
  }
  return { path: { container, prefix: rest.length ? rest.join('/') + (trailing ? '/' : '') : '' } };
}

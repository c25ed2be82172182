import { Readable } from 'node:stream';
import { BlobServiceClient, type StorageRetryOptions } from '@azure/storage-blob';
import {
  type BrowseItem,
  type BrowseNodeRequest,
  type BrowseResult,
  type InteractiveStorageSource,
  type PreviewSchemaNodeRequest,
  type PreviewSchemaResult,
  type StoragePath,
  type TestConnectionNodeRequest,
  type TestConnectionResult,
  parseStoragePath,
} from '@purview-emulator/contracts';
import {
  DEFAULT_SAMPLE_BYTES,
  DEFAULT_SAMPLE_ROWS,
  delimitedFormatOf,
  readDelimitedSample,
} from '@purview-emulator/scan-engine';
import { inferColumnTypes } from './column-types';
import { InteractiveError, SourceLabel, describeSourceError } from './source-errors';

/** A person is waiting: one try, a bounded wait, so a dead host fails in seconds instead of after retries. */
const INTERACTIVE_RETRY: StorageRetryOptions = { maxTries: 1, tryTimeoutInMs: 15_000 };

export interface AuthoringContext {
  nodeName?: string;
  signal?: AbortSignal;
  /** Storage pipeline options per URL: the node's proxy settings (NetworkContext.storagePipelineOptions). */
  storageOptions?: (url: string) => {
    proxyOptions?: { host: string; port: number; username?: string; password?: string };
  };
}

function labelOf(source: InteractiveStorageSource, context: AuthoringContext): SourceLabel {
  return {
    endpoint: source.endpoint,
    serviceUrl: source.serviceUrl,
    accountName: source.accountName,
    nodeName: context.nodeName,
  };
}

function pathOf(raw: string | undefined): StoragePath {
  const parsed = parseStoragePath(raw ?? '');
  if ('problem' in parsed) throw new InteractiveError(400, 'InvalidPath', parsed.problem);
  return parsed.path;
}

function excluded(source: InteractiveStorageSource, container: string | undefined): boolean {
  return !!container && (source.excludeContainers ?? []).includes(container);
}

/**
 * The SDK's client rather than the scan engine's connector: interactive calls need one page at a time, hierarchy
 * listings and continuation tokens, which a scan never does.
 */
function serviceClient(source: InteractiveStorageSource, context: AuthoringContext): BlobServiceClient {
  const serviceUrl = source.serviceUrl.replace(/\/+$/, '');
  return new BlobServiceClient(`${serviceUrl}?${source.sasToken.replace(/^\?/, '')}`, undefined, {
    retryOptions: INTERACTIVE_RETRY,
    ...context.storageOptions?.(serviceUrl),
  });
}

function notPartOfSource(source: InteractiveStorageSource, container: string): InteractiveError {
  return new InteractiveError(
    404,
    'ContainerNotFound',
    `Container '${container}' is not part of the data source (it holds the emulator's own ingestion data).`,
  );
}

/**
 * Lists one container (and, given a path, one entry under it) with the source's credential: proves the host is
 * reachable, the credential works and, when asked, that the container or folder exists.
 */
export async function testStorageConnection(
  request: TestConnectionNodeRequest,
  context: AuthoringContext = {},
): Promise<TestConnectionResult> {
  const { source } = request;
  const path = pathOf(request.path);
  const label = labelOf(source, context);
  const base = { nodeName: context.nodeName };
  try {
    const client = serviceClient(source, context);
    await client.listContainers({ abortSignal: context.signal }).byPage({ maxPageSize: 1 }).next();
    if (path.container) {
      if (excluded(source, path.container)) throw notPartOfSource(source, path.container);
      const prefix = path.prefix;
      const page = await client
        .getContainerClient(path.container)
        .listBlobsFlat({ prefix: prefix || undefined, abortSignal: context.signal })
        .byPage({ maxPageSize: 1 })
        .next();
      if (prefix && (page.done || (page.value.segment.blobItems ?? []).length === 0)) {
        throw new InteractiveError(
          404,
          'PathNotFound',
          `Nothing exists at '${prefix}' in container '${path.container}' of storage account '${source.accountName}'.`,
        );
      }
    }
  } catch (error) {
    const failure = describeSourceError(error, label, { container: path.container });
    return { ...base, succeeded: false, code: failure.code, message: failure.message };
  }
  const what = path.container
    ? `container '${path.container}'${path.prefix ? ` ('${path.prefix}')` : ''} of storage account '${source.accountName}'`
    : `storage account '${source.accountName}'`;
  return {
    ...base,
    succeeded: true,
    message: `Connection successful: ${what} can be read and listed${context.nodeName ? ` from node '${context.nodeName}'` : ''}.`,
  };
}

/** One level of the tree: the containers of the account, or the folders and files right under a folder. */
export async function browseStorage(request: BrowseNodeRequest, context: AuthoringContext = {}): Promise<BrowseResult> {
  const { source } = request;
  const path = pathOf(request.path);
  const label = labelOf(source, context);
  const client = serviceClient(source, context);
  const qualified = (rest: string) => `${source.qualifiedNameBase.replace(/\/+$/, '')}/${rest}`;
  const pageOptions = {
    maxPageSize: request.maxItems,
    ...(request.continuationToken ? { continuationToken: request.continuationToken } : {}),
  };
  try {
    if (!path.container) {
      const page = await client.listContainers({ abortSignal: context.signal }).byPage(pageOptions).next();
      const containers = page.done ? [] : (page.value.containerItems ?? []);
      const items: BrowseItem[] = containers
        .filter((c) => !excluded(source, c.name))
        .map((c) => ({
          name: c.name,
          path: `${c.name}/`,
          type: 'Container',
          qualifiedName: qualified(c.name),
          lastModified: c.properties.lastModified?.toISOString(),
        }));
      return {
        path: '',
        items,
        ...(page.done || !page.value.continuationToken ? {} : { continuationToken: page.value.continuationToken }),
        nodeName: context.nodeName,
      };
    }
    if (excluded(source, path.container)) throw notPartOfSource(source, path.container);
    const container = client.getContainerClient(path.container);
    // 'data/sales' and 'data/sales/' both mean the folder.
    const prefix = path.prefix && !path.prefix.endsWith('/') ? `${path.prefix}/` : path.prefix;
    const page = await container
      .listBlobsByHierarchy('/', { prefix: prefix || undefined, abortSignal: context.signal })
      .byPage(pageOptions)
      .next();
    const segment = page.done ? { blobPrefixes: [], blobItems: [] } : page.value.segment;
    const items: BrowseItem[] = [
      ...(segment.blobPrefixes ?? []).map((p): BrowseItem => ({
        name: p.name.slice(prefix.length).replace(/\/$/, ''),
        path: `${path.container}/${p.name}`,
        type: 'Folder',
        qualifiedName: qualified(`${path.container}/${p.name}`),
      })),
      ...(segment.blobItems ?? []).map((b): BrowseItem => ({
        name: b.name.slice(prefix.length),
        path: `${path.container}/${b.name}`,
        type: 'File',
        qualifiedName: qualified(`${path.container}/${b.name}`),
        size: b.properties.contentLength ?? 0,
        lastModified: b.properties.lastModified?.toISOString(),
        ...(b.properties.contentType ? { contentType: b.properties.contentType } : {}),
      })),
    ];
    if (items.length === 0 && prefix && !request.continuationToken) {
      // Blob storage has no empty folders: nothing under the prefix means no such folder, or a file of that name.
      const isFile = await container
        .getBlobClient(path.prefix.replace(/\/$/, ''))
        .exists({ abortSignal: context.signal });
      if (isFile)
        throw new InteractiveError(
          400,
          'PathIsAFile',
          `'${path.container}/${path.prefix.replace(/\/$/, '')}' is a file, not a folder; preview its schema with previewSchema.`,
        );
      throw new InteractiveError(
        404,
        'PathNotFound',
        `There is no folder '${prefix}' in container '${path.container}' of storage account '${source.accountName}'.`,
      );
    }
    const continuationToken = page.done ? undefined : page.value.continuationToken;
    return {
      path: `${path.container}/${prefix}`,
      items,
      ...(continuationToken ? { continuationToken } : {}),
      nodeName: context.nodeName,
    };
  } catch (error) {
    throw describeSourceError(error, label, { container: path.container });
  }
}

/** The schema of one delimited file: header names and types inferred from the same sample a scan reads. */
export async function previewStorageSchema(
  request: PreviewSchemaNodeRequest,
  context: AuthoringContext = {},
): Promise<PreviewSchemaResult> {
  const { source } = request;
  const path = pathOf(request.path);
  if (!path.container || !path.prefix || path.prefix.endsWith('/')) {
    throw new InteractiveError(400, 'InvalidPath', `'${request.path}' is not a file; give container/folder/file.csv.`);
  }
  if (excluded(source, path.container)) throw notPartOfSource(source, path.container);
  const format = delimitedFormatOf(path.prefix);
  if (!format) {
    throw new InteractiveError(
      400,
      'UnsupportedFileFormat',
      `'${path.prefix}' is not delimited text: schemas preview for .csv, .tsv, .psv and .ssv files (the formats the scan engine reads).`,
    );
  }
  let stream: NodeJS.ReadableStream;
  try {
    const blob = serviceClient(source, context).getContainerClient(path.container).getBlobClient(path.prefix);
    const response = await blob
      .download(0, DEFAULT_SAMPLE_BYTES, { abortSignal: context.signal })
      .catch((error: { statusCode?: number }) => {
        // A range read of an empty blob is refused (416): an empty file, read as such.
        if (error.statusCode === 416) return { readableStreamBody: Readable.from([]) };
        throw error;
      });
    if (!response.readableStreamBody)
      throw new InteractiveError(400, 'SourceError', `'${path.container}/${path.prefix}' came back without content.`);
    stream = response.readableStreamBody;
  } catch (error) {
    throw describeSourceError(error, labelOf(source, context), { container: path.container, blob: path.prefix });
  }
  const sample = await readDelimitedSample(stream as AsyncIterable<Buffer>, {
    delimiter: format.delimiter,
    sampleRows: DEFAULT_SAMPLE_ROWS,
    sampleBytes: DEFAULT_SAMPLE_BYTES,
    signal: context.signal,
  });
  return {
    path: `${path.container}/${path.prefix}`,
    qualifiedName: `${source.qualifiedNameBase.replace(/\/+$/, '')}/${path.container}/${path.prefix}`,
    format: format.format,
    columns: inferColumnTypes(sample.columns, sample.rows),
    sampledRows: sample.sampledRows,
    errorRows: sample.errorRows,
    status: sample.status,
    ...(sample.reason ? { reason: sample.reason } : {}),
    nodeName: context.nodeName,
  };
}

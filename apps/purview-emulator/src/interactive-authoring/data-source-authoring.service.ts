import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  AccountSASPermissions,
  AccountSASResourceTypes,
  AccountSASServices,
  SASProtocol,
  StorageSharedKeyCredential,
  generateAccountSASQueryParameters,
} from '@azure/storage-blob';
import type { ZodType, ZodTypeDef } from 'zod';
import {
  BrowseRequest,
  BrowseResult,
  BrowseResultSchema,
  DATABASE_ENGINE_OF_KIND,
  type DatabaseScanSource,
  DatabasePreviewSchemaResult,
  DatabasePreviewSchemaResultSchema,
  DataSource,
  INGESTION_CONTAINER,
  isDatabaseKind,
  IntegrationRuntimeReference,
  INTERACTIVE_NODE_PATHS,
  InteractiveCredential,
  InteractiveStorageSource,
  PreviewSchemaRequest,
  PreviewSchemaResult,
  PreviewSchemaResultSchema,
  TestConnectionRequest,
  TestConnectionResult,
  TestConnectionResultSchema,
  parseStoragePath,
} from '@purview-emulator/contracts';
import { EMULATOR_CONFIG, EmulatorConfig } from '../config/emulator-config';
import { Clock } from '../common/clock';
import { PurviewError } from '../common/errors';
import { IntegrationRuntimeDirectory } from '../integration-runtimes/integration-runtime-directory';
import { DataSourcesService, SCANNABLE_DATA_SOURCE_KINDS } from '../scanning/data-sources.service';
import { ScansService } from '../scanning/scans.service';
import { StorageAccountsService } from '../storage/storage-accounts.service';
import { DatabaseAuthoringSources } from './database-authoring-sources';
import { InteractiveAuthoringService } from './interactive-authoring.service';
import {
  INTERACTIVE_TRANSPORT,
  InteractiveHttpResponse,
  InteractiveTransport,
  InteractiveTransportError,
} from './interactive-transport';

/** Long enough for a node's single storage try (15 s) plus the relay; a person is waiting. */
export const INTERACTIVE_REQUEST_TIMEOUT_MS = 30_000;
/** The SAS a node gets for one interactive request. */
const INTERACTIVE_SAS_SECONDS = 5 * 60;

interface Target {
  dataSource: DataSource;
  ir: IntegrationRuntimeReference;
  source: InteractiveStorageSource | DatabaseScanSource;
}

/**
 * Test connection, browse and preview of a data source, carried by a node of its integration runtime:
 * resolves the source and its IR, checks that interactive authoring is on, hands the node the source as for a scan
 * job (Azurite URL, short-lived read/list SAS) and turns the node's answer into the API's.
 */
@Injectable()
export class DataSourceAuthoringService {
  private readonly logger = new Logger('InteractiveAuthoring');

  constructor(
    @Inject(EMULATOR_CONFIG) private readonly config: EmulatorConfig,
    @Inject(INTERACTIVE_TRANSPORT) private readonly transport: InteractiveTransport,
    private readonly dataSources: DataSourcesService,
    private readonly scans: ScansService,
    private readonly runtimes: IntegrationRuntimeDirectory,
    private readonly interactive: InteractiveAuthoringService,
    private readonly storage: StorageAccountsService,
    private readonly clock: Clock,
    private readonly databases: DatabaseAuthoringSources,
  ) {}

  async testConnection(dataSourceName: string, request: TestConnectionRequest): Promise<TestConnectionResult> {
    const target = await this.target(dataSourceName, request, request.path);
    return this.send(
      target,
      INTERACTIVE_NODE_PATHS.testConnection,
      { source: target.source, ...(request.path !== undefined ? { path: request.path } : {}) },
      TestConnectionResultSchema,
    );
  }

  async browse(dataSourceName: string, request: BrowseRequest): Promise<BrowseResult> {
    const target = await this.target(dataSourceName, request, request.path);
    const { path, maxItems, continuationToken } = request;
    return this.send(
      target,
      INTERACTIVE_NODE_PATHS.browse,
      { source: target.source, path, maxItems, ...(continuationToken ? { continuationToken } : {}) },
      BrowseResultSchema,
    );
  }

  async previewSchema(
    dataSourceName: string,
    request: PreviewSchemaRequest,
  ): Promise<PreviewSchemaResult | DatabasePreviewSchemaResult> {
    const target = await this.target(dataSourceName, request, request.path);
    const body = { source: target.source, path: request.path };
    return target.source.kind === 'Database'
      ? this.send(target, INTERACTIVE_NODE_PATHS.previewSchema, body, DatabasePreviewSchemaResultSchema)
      : this.send(target, INTERACTIVE_NODE_PATHS.previewSchema, body, PreviewSchemaResultSchema);
  }

  private async target(
    dataSourceName: string,
    request: { integrationRuntimeName?: string; credential?: InteractiveCredential },
    path: string | undefined,
  ): Promise<Target> {
    const dataSource = await this.dataSources.get(dataSourceName);
    if (isDatabaseKind(dataSource.kind)) {
      // The login is resolved before the IR check so a bad credential is reported whatever the switch says.
      const source = await this.databases.sourceOf(dataSource, request.credential, path);
      const ir = await this.runtimeOf(dataSource, request.integrationRuntimeName);
      await this.interactive.requireEnabled(ir);
      return { dataSource, ir, source };
    }
    if (!SCANNABLE_DATA_SOURCE_KINDS.includes(dataSource.kind)) {
      throw PurviewError.badRequest(
        `Data source '${dataSource.name}' is of kind ${dataSource.kind}. Interactive authoring (test connection, browse, schema preview) covers the kinds the reference runtime reads: ${[...SCANNABLE_DATA_SOURCE_KINDS, ...Object.keys(DATABASE_ENGINE_OF_KIND)].join(', ')}.`,
        'UnsupportedDataSourceKind',
      );
    }
    if (path !== undefined) {
      const parsed = parseStoragePath(path);
      if ('problem' in parsed) throw PurviewError.badRequest(parsed.problem, 'InvalidPath', 'path');
    }
    const ir = await this.runtimeOf(dataSource, request.integrationRuntimeName);
    await this.interactive.requireEnabled(ir);
    const endpoint = typeof dataSource.properties.endpoint === 'string' ? dataSource.properties.endpoint : '';
    if (!endpoint)
      throw PurviewError.badRequest(`Data source '${dataSource.name}' has no properties.endpoint.`, 'InvalidEndpoint');
    const resolved = this.storage.resolveBlobEndpoint(endpoint);
    const sasToken = this.sasFor(resolved.accountName, request.credential);
    return {
      dataSource,
      ir,
      source: {
        kind: 'AzureStorage',
        endpoint,
        accountName: resolved.accountName,
        qualifiedNameBase: resolved.qualifiedNameBase,
        serviceUrl: resolved.serviceUrl,
        sasToken,
        ...(resolved.accountName === this.config.storage.ingestionAccount
          ? { excludeContainers: [INGESTION_CONTAINER] }
          : {}),
      },
    };
  }

  /** The IR named in the request, else the one the data source's scans connect via (when they agree on one). */
  private async runtimeOf(dataSource: DataSource, requested: string | undefined): Promise<IntegrationRuntimeReference> {
    if (requested) return this.runtimes.requireRuntime(requested);
    const names = await this.scans.integrationRuntimesOf(dataSource.name);
    if (names.length === 1) return this.runtimes.requireRuntime(names[0]);
    throw PurviewError.badRequest(
      names.length === 0
        ? `Data source '${dataSource.name}' has no scan that connects via a self-hosted integration runtime, so it is not clear which one to use. Name it in the body: {"integrationRuntimeName": "<name>"}.`
        : `The scans of data source '${dataSource.name}' connect via several integration runtimes (${names.map((n) => `'${n}'`).join(', ')}). Name one in the body: {"integrationRuntimeName": "<name>"}.`,
      'IntegrationRuntimeRequired',
      'integrationRuntimeName',
    );
  }

  /**
   * The emulator's own identity by default. A given account key never leaves the emulator: it signs the SAS the
   * node gets, so a wrong key fails at the storage account exactly as a wrong credential would.
   */
  private sasFor(accountName: string, credential: InteractiveCredential | undefined): string {
    if (!credential) return this.storage.sourceSas(accountName, INTERACTIVE_SAS_SECONDS);
    if ('referenceName' in credential)
      throw PurviewError.badRequest(
        'A storage data source is tested with an account key or a SAS: {"credential":{"accountKey":"…"}} or {"credential":{"sasToken":"…"}}.',
        'InvalidCredential',
        'credential',
      );
    if ('sasToken' in credential) return credential.sasToken.replace(/^\?/, '');
    const now = this.clock.nowMs();
    let signer: StorageSharedKeyCredential;
    try {
      signer = new StorageSharedKeyCredential(accountName, credential.accountKey);
    } catch {
      throw PurviewError.badRequest(
        'credential.accountKey is not a storage account key (base64).',
        'InvalidCredential',
        'credential.accountKey',
      );
    }
    return generateAccountSASQueryParameters(
      {
        startsOn: new Date(now - 5 * 60_000),
        expiresOn: new Date(now + INTERACTIVE_SAS_SECONDS * 1000),
        protocol: SASProtocol.HttpsAndHttp,
        permissions: AccountSASPermissions.parse('rl'),
        services: AccountSASServices.parse('b').toString(),
        resourceTypes: AccountSASResourceTypes.parse('sco').toString(),
      },
      signer,
    ).toString();
  }

  /** Carries a request to a node; its answer must fit the contract's `result` schema. */
  private async send<T extends object>(
    target: Target,
    path: string,
    body: object,
    result: ZodType<T, ZodTypeDef, unknown>,
  ): Promise<T> {
    const irName = target.ir.name;
    let response: InteractiveHttpResponse;
    try {
      response = await this.transport.request(
        irName,
        { method: 'POST', path, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
        { timeoutMs: INTERACTIVE_REQUEST_TIMEOUT_MS },
      );
    } catch (error) {
      throw this.transportFailure(irName, error);
    }
    const payload = parsePayload(response.body) as { error?: { code?: string; message?: string } } | undefined;
    if (response.status >= 200 && response.status < 300 && payload && typeof payload === 'object') {
      const parsed = result.safeParse(payload);
      if (parsed.success) return { ...parsed.data, integrationRuntimeName: irName };
      const problems = parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || 'body'}: ${i.message}`);
      this.logger.warn(
        `Interactive request ${path} on integration runtime '${irName}': the node's answer does not fit the contract (${problems.join('; ')})`,
      );
      throw PurviewError.conflict(
        `A node of integration runtime '${irName}' answered ${path} with a body the emulator does not understand (${problems.join('; ')}). Is the node's runtime current?`,
        'InteractiveRequestFailed',
      );
    }
    const code = payload?.error?.code ?? 'InteractiveRequestFailed';
    const message = payload?.error?.message ?? `The node answered ${response.status} without an explanation.`;
    // The node's 4xx are the caller's to fix (path, credential, format); anything else is the node's failure.
    if (response.status >= 400 && response.status < 500) throw new PurviewError(response.status, code, message);
    this.logger.warn(
      `Interactive request ${path} on integration runtime '${irName}' failed on the node: ${response.status} ${code}`,
    );
    throw PurviewError.conflict(
      `A node of integration runtime '${irName}' failed to handle the request (${response.status} ${code}): ${message}`,
      'InteractiveRequestFailed',
    );
  }

  private transportFailure(irName: string, error: unknown): PurviewError {
    const reason = error instanceof InteractiveTransportError ? error.reason : 'Failed';
    const detail = (error as Error)?.message ?? String(error);
    if (reason === 'NoNodeListening') {
      return PurviewError.conflict(
        `No node of integration runtime '${irName}' can take the request, so interactive authoring has nowhere to run. ${detail} Is a node running (shir start)? GET /scan/integrationruntimes/${irName}/status shows its state.`,
        'NoNodeConnected',
      );
    }
    if (reason === 'Timeout') {
      return new PurviewError(
        408,
        'InteractiveRequestTimedOut',
        `No node of integration runtime '${irName}' answered within ${INTERACTIVE_REQUEST_TIMEOUT_MS / 1000} s. ${detail}`,
      );
    }
    return PurviewError.conflict(
      `The request could not be carried to a node of integration runtime '${irName}': ${detail}`,
      'RelayRequestFailed',
    );
  }
}

function parsePayload(body: unknown): unknown {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string' || body instanceof Uint8Array) {
    const text = typeof body === 'string' ? body : Buffer.from(body).toString('utf8');
    try {
      return JSON.parse(text);
    } catch {
      return undefined;
    }
  }
  return body;
}

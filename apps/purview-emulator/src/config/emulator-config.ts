import { randomBytes } from 'node:crypto';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  DEVSTORE_ACCOUNT,
  DEVSTORE_KEY,
  REFERENCE_RUNTIME_VERSION,
  compareRuntimeVersions,
  describeEnvProblems,
  EnvReader,
} from '@purview-emulator/contracts';
import { SecretKeyError, parseKey } from '@purview-emulator/secret-box';
import type { ClientRegistration } from '../identity/clients';
import { ConfigError } from './config-error';
import { loadClients } from './clients-config';

/** Everything the emulator reads from its environment, validated once at boot (fail fast, say what to fix). */
export interface EmulatorConfig {
  host: string;
  port: number;
  /** Base URL clients and runtimes use to reach the emulator (goes into auth keys and token issuers). */
  publicUrl: string;
  /** The HTTPS listener (Azure SDK token credentials refuse http://); 0 = any free port. */
  httpsPort: number;
  /** What clients use to reach the HTTPS listener: same host as publicUrl unless PURVIEW_EMULATOR_PUBLIC_HTTPS_URL. */
  publicHttpsUrl: string;
  /** The ARM side of the emulator's one account. */
  account: AccountSettings;
  /**
   * PURVIEW_DATA_DIR; under PURVIEW_IN_MEMORY, a private temporary directory holding only the TLS material (clients
   * need the CA as a file), removed when the process exits.
   */
  dataDir: string;
  /** PURVIEW_SEED_FILE: resources to create at start (and after a reset), JSON or YAML; see seed/seed.service.ts. */
  seedFile?: string;
  /** PURVIEW_IN_MEMORY=1: the database lives in memory and is gone when the process ends (fast CI runs). */
  inMemory: boolean;
  /** PURVIEW_ENCRYPTION_KEY: seals the secrets in the database; unset, the key lives in `{dataDir}/encryption.key`. */
  encryptionKey?: Buffer;
  accountName: string;
  heartbeatIntervalSeconds: number;
  nodeOfflineAfterSeconds: number;
  jobLeaseSeconds: number;
  tokenLifetimeSeconds: number;
  /** Clients the token endpoint accepts, with their Purview roles (PURVIEW_EMULATOR_CLIENTS[_FILE] plus the well-known one). */
  clients: ClientRegistration[];
  /** What the emulator publishes as `latestVersion` / `pushedVersion`, and the release dates that drive expiry. */
  runtimeVersions: { latest: string; pushed: string; releaseDates: Record<string, string> };
  storage: {
    blobEndpoint: string;
    queueEndpoint: string;
    /** Storage accounts served by Azurite: devstoreaccount1 plus AZURITE_ACCOUNTS. */
    accounts: { name: string; key: string }[];
    /** The account holding the emulator's ingestion container and queue. */
    ingestionAccount: string;
    ingestionPollMs: number;
    /** Keep batch blobs after ingestion, for debugging (PURVIEW_KEEP_INGESTION_BLOBS=true). */
    keepIngestionBlobs: boolean;
  };
  log: LogSettings;
}

export const EMULATOR_CONFIG = Symbol('EMULATOR_CONFIG');

/** Purview's documentation splits accounts at this date: older ones have a managed storage account, newer ones ingestion storage. */
export const INGESTION_STORAGE_SINCE = '2023-12-15T00:00:00.000Z';

export interface AccountSettings {
  subscriptionId: string;
  resourceGroup: string;
  location: string;
  createdAt: string;
  /** `managed`: managedResources.storageAccount (created before 2023-12-15); `ingestion`: ingestionStorage. */
  storageMode: 'managed' | 'ingestion';
}

export { ConfigError } from './config-error';

/**
 * Parses Azurite's own AZURITE_ACCOUNTS format: "account1:key1[:key2];account2:key1". Like Azurite, an explicit
 * list replaces devstoreaccount1 (list it too to keep it).
 */
export function parseAzuriteAccounts(raw: string | undefined): { name: string; key: string }[] {
  if (!raw) return [{ name: DEVSTORE_ACCOUNT, key: DEVSTORE_KEY }];
  const accounts: { name: string; key: string }[] = [];
  for (const entry of raw.split(';').filter((e) => e.trim() !== '')) {
    const [name, key] = entry.trim().split(':');
    if (!name || !key) throw new ConfigError(`AZURITE_ACCOUNTS entry '${name ?? entry}' needs the form account:key.`);
    if (!/^[a-z0-9]{3,24}$/.test(name))
      throw new ConfigError(`AZURITE_ACCOUNTS account name '${name}' must be 3-24 lowercase letters or digits.`);
    accounts.push({ name, key });
  }
  if (accounts.length === 0) throw new ConfigError('AZURITE_ACCOUNTS is set but names no account.');
  return accounts;
}

const RUNTIME_VERSION_PATTERN = /^\d+\.\d+\.\d+\.\d+$/;

/** PURVIEW_RUNTIME_RELEASES: "5.38.0.0=2025-11-01,5.39.0.0=2026-02-01" (version=release date). */
export function parseRuntimeReleases(raw: string | undefined): Record<string, string> {
  const releases: Record<string, string> = {};
  for (const entry of (raw ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const [version, date] = entry.split('=').map((p) => p?.trim());
    if (!version || !RUNTIME_VERSION_PATTERN.test(version) || !date || Number.isNaN(Date.parse(date))) {
      throw new ConfigError(
        `PURVIEW_RUNTIME_RELEASES entry '${entry}' needs the form version=date, like 5.38.0.0=2025-11-01.`,
      );
    }
    releases[version] = new Date(Date.parse(date)).toISOString();
  }
  return releases;
}

/**
 * Reads every variable strictly and collects every problem, so that one failed start names all there is to fix
 * (ConfigError, one line per problem).
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): EmulatorConfig {
  const read = new EnvReader(env);
  const host = read.host('PURVIEW_EMULATOR_HOST', '127.0.0.1');
  const port = read.port('PURVIEW_EMULATOR_PORT', 5380, { allowZero: true });
  const accountName = read.matching(
    'PURVIEW_ACCOUNT_NAME',
    ACCOUNT_NAME_PATTERN,
    'a Purview account name: 3-63 letters, digits and hyphens, starting and ending with a letter or digit',
    'emulator',
  );
  const storageHost = read.host('AZURITE_HOST', '127.0.0.1');
  const blobPort = read.port('AZURITE_BLOB_PORT', 10000);
  const queuePort = read.port('AZURITE_QUEUE_PORT', 10001);
  const heartbeatIntervalSeconds = read.decimal('PURVIEW_HEARTBEAT_INTERVAL_SECONDS', 0.1, 3600, 5);
  const nodeOfflineAfterSeconds = read.decimal(
    'PURVIEW_NODE_OFFLINE_AFTER_SECONDS',
    0.3,
    86400,
    heartbeatIntervalSeconds * 3,
  );
  const jobLeaseSeconds = read.decimal('PURVIEW_JOB_LEASE_SECONDS', 1, 3600, 30);
  const tokenLifetimeSeconds = read.integer('PURVIEW_TOKEN_LIFETIME_SECONDS', 60, 86400, 3599);
  const ingestionPollMs = read.integer('PURVIEW_INGESTION_POLL_MS', 10, 60000, 250);
  const keepIngestionBlobs = read.boolean('PURVIEW_KEEP_INGESTION_BLOBS', false);
  const accounts = read.collect(
    () => parseAzuriteAccounts(read.text('AZURITE_ACCOUNTS', undefined)),
    parseAzuriteAccounts(undefined),
    ConfigError,
  );
  const ingestionAccount =
    read.text('PURVIEW_INGESTION_ACCOUNT', undefined) ??
    (accounts.some((a) => a.name === DEVSTORE_ACCOUNT) ? DEVSTORE_ACCOUNT : accounts[0].name);
  if (!accounts.some((a) => a.name === ingestionAccount)) {
    read.problem(
      `PURVIEW_INGESTION_ACCOUNT=${ingestionAccount} is not an Azurite account; add it to AZURITE_ACCOUNTS.`,
    );
  }
  const publicUrl = read.url(
    'PURVIEW_EMULATOR_PUBLIC_URL',
    `http://${host === '0.0.0.0' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host}:${port}`,
  );
  const httpsPort = read.port('PURVIEW_EMULATOR_HTTPS_PORT', 5443, { allowZero: true });
  const publicHttpsUrl = read.url(
    'PURVIEW_EMULATOR_PUBLIC_HTTPS_URL',
    `https://${new URL(publicUrl).hostname}:${httpsPort}`,
    ['https'],
  );
  const storage = {
    blobEndpoint: read.url('PURVIEW_STORAGE_BLOB_ENDPOINT', `http://${storageHost}:${blobPort}`),
    queueEndpoint: read.url('PURVIEW_STORAGE_QUEUE_ENDPOINT', `http://${storageHost}:${queuePort}`),
    accounts,
    ingestionAccount,
    ingestionPollMs,
    keepIngestionBlobs,
  };
  const inMemory = read.boolean('PURVIEW_IN_MEMORY', false);
  // As Azurite refuses --inMemoryPersistence with --location: a data directory would silently stay empty.
  if (inMemory && (env.PURVIEW_DATA_DIR ?? '').trim() !== '')
    read.problem(
      'PURVIEW_IN_MEMORY=1 keeps the database in memory, so PURVIEW_DATA_DIR would stay unused: unset one of them.',
    );
  const config: EmulatorConfig = {
    host,
    port,
    publicUrl,
    httpsPort,
    publicHttpsUrl,
    account: accountSettings(read),
    dataDir: inMemory
      ? path.join(os.tmpdir(), `purview-emulator-memory-${process.pid}-${randomBytes(4).toString('hex')}`)
      : path.resolve(read.text('PURVIEW_DATA_DIR', '.data')),
    inMemory,
    seedFile: seedFileOf(read.text('PURVIEW_SEED_FILE', '')),
    encryptionKey: read.collect(() => encryptionKeyOf(env), undefined, ConfigError),
    accountName,
    heartbeatIntervalSeconds,
    nodeOfflineAfterSeconds,
    jobLeaseSeconds,
    tokenLifetimeSeconds,
    clients: read.collect(() => loadClients(env), [], ConfigError),
    runtimeVersions: runtimeVersionsOf(read),
    storage,
    log: logSettings(read, env),
  };
  if (read.problems.length > 0) throw new ConfigError(describeEnvProblems(read.problems));
  return config;
}

export const ENCRYPTION_KEY_ENV = 'PURVIEW_ENCRYPTION_KEY';

function seedFileOf(value: string): string | undefined {
  return value.trim() === '' ? undefined : path.resolve(value);
}

/** PURVIEW_ENCRYPTION_KEY: base64 of 32 bytes (openssl rand -base64 32), or unset. */
function encryptionKeyOf(env: NodeJS.ProcessEnv): Buffer | undefined {
  const raw = env[ENCRYPTION_KEY_ENV];
  if (raw === undefined || raw.trim() === '') return undefined;
  try {
    return parseKey(raw, ENCRYPTION_KEY_ENV);
  } catch (error) {
    if (error instanceof SecretKeyError) throw new ConfigError(error.message);
    throw error;
  }
}

const ACCOUNT_NAME_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9-]{1,61}[a-zA-Z0-9]$/;
const RUNTIME_VERSION_ALLOWED = 'a runtime version: four numbers, like 5.40.9000.1';

function runtimeVersionsOf(read: EnvReader): EmulatorConfig['runtimeVersions'] {
  const latest = read.matching(
    'PURVIEW_RUNTIME_LATEST_VERSION',
    RUNTIME_VERSION_PATTERN,
    RUNTIME_VERSION_ALLOWED,
    REFERENCE_RUNTIME_VERSION,
  );
  const pushed = read.matching(
    'PURVIEW_RUNTIME_PUSHED_VERSION',
    RUNTIME_VERSION_PATTERN,
    RUNTIME_VERSION_ALLOWED,
    latest,
  );
  if (compareRuntimeVersions(pushed, latest) > 0)
    read.problem(
      `PURVIEW_RUNTIME_PUSHED_VERSION=${pushed} is newer than the latest version ${latest}; auto-update pushes a released version.`,
    );
  const releaseDates = read.collect(
    () => parseRuntimeReleases(read.text('PURVIEW_RUNTIME_RELEASES', undefined)),
    {},
    ConfigError,
  );
  return { latest, pushed, releaseDates };
}

export const LOG_FORMATS = ['text', 'json'] as const;
/** Nest's levels, most severe last; a level shows itself and everything more severe. */
export const LOG_LEVELS = ['verbose', 'debug', 'log', 'warn', 'error'] as const;

/** The console log: PURVIEW_LOG_FORMAT (text, json), PURVIEW_LOG_LEVEL (default log) and NO_COLOR (no-color.org). */
export interface LogSettings {
  format: (typeof LOG_FORMATS)[number];
  level: (typeof LOG_LEVELS)[number];
  noColor: boolean;
}

function logSettings(read: EnvReader, env: NodeJS.ProcessEnv): LogSettings {
  return {
    format: read.oneOf('PURVIEW_LOG_FORMAT', LOG_FORMATS, 'text'),
    level: read.oneOf('PURVIEW_LOG_LEVEL', LOG_LEVELS, 'log'),
    // no-color.org: set to anything but '' (the convention is not this emulator's to make strict).
    noColor: (env.NO_COLOR ?? '') !== '',
  };
}

/** The host:port written into auth keys' ServiceEndpoint segment. */
export function serviceEndpointOf(config: EmulatorConfig): string {
  return new URL(config.publicUrl).host;
}

/**
 * The account's storage mode comes from PURVIEW_ACCOUNT_STORAGE_MODE or from PURVIEW_ACCOUNT_CREATED_AT (the
 * documented rule: created before 2023-12-15 means a managed storage account); given both, they must agree.
 */
function accountSettings(read: EnvReader): AccountSettings {
  const mode = read.oneOf('PURVIEW_ACCOUNT_STORAGE_MODE', ['managed', 'ingestion'] as const, undefined);
  const createdAtRaw = read.matching(
    'PURVIEW_ACCOUNT_CREATED_AT',
    ISO_DATE,
    'an ISO 8601 date or date-time, like 2023-06-01 or 2023-06-01T12:00:00Z',
    undefined,
  );
  let createdAt: string | undefined;
  if (createdAtRaw !== undefined) {
    const date = new Date(createdAtRaw);
    if (Number.isNaN(date.getTime()))
      read.problem(
        `PURVIEW_ACCOUNT_CREATED_AT='${createdAtRaw}' is not a date that exists (use ISO 8601, like 2023-06-01).`,
      );
    else createdAt = date.toISOString();
  }
  const modeOfDate = createdAt ? (createdAt < INGESTION_STORAGE_SINCE ? 'managed' : 'ingestion') : undefined;
  if (mode && modeOfDate && mode !== modeOfDate) {
    read.problem(
      `PURVIEW_ACCOUNT_STORAGE_MODE=${mode} contradicts PURVIEW_ACCOUNT_CREATED_AT=${createdAtRaw}: accounts created before 2023-12-15 have managed storage, later ones ingestion storage. Set one of them.`,
    );
  }
  const storageMode = mode ?? modeOfDate ?? 'ingestion';
  return {
    subscriptionId: read.matching(
      'PURVIEW_SUBSCRIPTION_ID',
      /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/,
      'a GUID, like 00000000-0000-0000-0000-000000000000',
      '00000000-0000-0000-0000-000000000000',
    ),
    resourceGroup: read.text('PURVIEW_RESOURCE_GROUP', 'purview-emulator'),
    location: read.text('PURVIEW_LOCATION', 'westus2'),
    createdAt: createdAt ?? (storageMode === 'managed' ? '2023-06-01T00:00:00.000Z' : '2024-01-15T00:00:00.000Z'),
    storageMode,
  };
}

/** ISO 8601 as Date() reads it the same everywhere: a date, optionally a time and a zone. */
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?)?$/;

/** The names the HTTPS certificate must cover: both public hosts and a concrete bind address. */
export function httpsHostsOf(config: Pick<EmulatorConfig, 'host' | 'publicUrl' | 'publicHttpsUrl'>): string[] {
  return [new URL(config.publicUrl).hostname, new URL(config.publicHttpsUrl).hostname, config.host];
}

/** The config once the HTTPS listener knows its port (when PURVIEW_EMULATOR_HTTPS_PORT=0 let the OS choose). */
export function withHttpsPort(
  config: EmulatorConfig,
  port: number,
): Pick<EmulatorConfig, 'httpsPort' | 'publicHttpsUrl'> {
  const url = new URL(config.publicHttpsUrl);
  if (url.port === '0') url.port = String(port);
  return { httpsPort: port, publicHttpsUrl: url.origin };
}

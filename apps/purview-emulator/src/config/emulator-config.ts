import * as path from 'node:path';
import { DEVSTORE_ACCOUNT, DEVSTORE_KEY, REFERENCE_RUNTIME_VERSION, compareRuntimeVersions } from '@purview-emulator/contracts';
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
  dataDir: string;
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

function int(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new ConfigError(`${name}=${raw} is not valid: expected a number from ${min} to ${max}.`);
  }
  return value;
}

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
    if (!/^[a-z0-9]{3,24}$/.test(name)) throw new ConfigError(`AZURITE_ACCOUNTS account name '${name}' must be 3-24 lowercase letters or digits.`);
    accounts.push({ name, key });
  }
  if (accounts.length === 0) throw new ConfigError('AZURITE_ACCOUNTS is set but names no account.');
  return accounts;
}

const RUNTIME_VERSION_PATTERN = /^\d+\.\d+\.\d+\.\d+$/;

function runtimeVersion(env: NodeJS.ProcessEnv, name: string, fallback: string): string {
  const value = env[name] || fallback;
  if (!RUNTIME_VERSION_PATTERN.test(value)) throw new ConfigError(`${name}=${value} is not a runtime version: expected four numbers, like 5.40.9000.1.`);
  return value;
}

/** PURVIEW_RUNTIME_RELEASES: "5.38.0.0=2025-11-01,5.39.0.0=2026-02-01" (version=release date). */
export function parseRuntimeReleases(raw: string | undefined): Record<string, string> {
  const releases: Record<string, string> = {};
  for (const entry of (raw ?? '').split(',').map((e) => e.trim()).filter(Boolean)) {
    const [version, date] = entry.split('=').map((p) => p?.trim());
    if (!version || !RUNTIME_VERSION_PATTERN.test(version) || !date || Number.isNaN(Date.parse(date))) {
      throw new ConfigError(`PURVIEW_RUNTIME_RELEASES entry '${entry}' needs the form version=date, like 5.38.0.0=2025-11-01.`);
    }
    releases[version] = new Date(Date.parse(date)).toISOString();
  }
  return releases;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): EmulatorConfig {
  const host = env.PURVIEW_EMULATOR_HOST || '127.0.0.1';
  const port = int(env, 'PURVIEW_EMULATOR_PORT', 5380, 0, 65535);
  const accountName = env.PURVIEW_ACCOUNT_NAME || 'emulator';
  if (!/^[a-zA-Z0-9][a-zA-Z0-9-]{1,61}[a-zA-Z0-9]$/.test(accountName)) {
    throw new ConfigError(`PURVIEW_ACCOUNT_NAME=${accountName} is not a valid Purview account name (3-63 letters, digits and hyphens).`);
  }
  const storageHost = env.AZURITE_HOST || '127.0.0.1';
  const blobPort = int(env, 'AZURITE_BLOB_PORT', 10000, 1, 65535);
  const queuePort = int(env, 'AZURITE_QUEUE_PORT', 10001, 1, 65535);
  const heartbeatIntervalSeconds = int(env, 'PURVIEW_HEARTBEAT_INTERVAL_SECONDS', 5, 0.1, 3600);
  const accounts = parseAzuriteAccounts(env.AZURITE_ACCOUNTS);
  const ingestionAccount = env.PURVIEW_INGESTION_ACCOUNT || (accounts.some((a) => a.name === DEVSTORE_ACCOUNT) ? DEVSTORE_ACCOUNT : accounts[0].name);
  if (!accounts.some((a) => a.name === ingestionAccount)) {
    throw new ConfigError(`PURVIEW_INGESTION_ACCOUNT=${ingestionAccount} is not an Azurite account; add it to AZURITE_ACCOUNTS.`);
  }
  const publicUrl = (env.PURVIEW_EMULATOR_PUBLIC_URL || `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`).replace(/\/+$/, '');
  const httpsPort = int(env, 'PURVIEW_EMULATOR_HTTPS_PORT', 5443, 0, 65535);
  const publicHttpsUrl = (env.PURVIEW_EMULATOR_PUBLIC_HTTPS_URL || `https://${new URL(publicUrl).hostname}:${httpsPort}`).replace(/\/+$/, '');
  if (!publicHttpsUrl.startsWith('https://')) throw new ConfigError(`PURVIEW_EMULATOR_PUBLIC_HTTPS_URL=${publicHttpsUrl} must start with https://.`);
  return {
    host,
    port,
    publicUrl,
    httpsPort,
    publicHttpsUrl,
    account: accountSettings(env),
    dataDir: path.resolve(env.PURVIEW_DATA_DIR || '.data'),
    encryptionKey: encryptionKeyOf(env),
    accountName,
    heartbeatIntervalSeconds,
    nodeOfflineAfterSeconds: int(env, 'PURVIEW_NODE_OFFLINE_AFTER_SECONDS', heartbeatIntervalSeconds * 3, 0.3, 86400),
    jobLeaseSeconds: int(env, 'PURVIEW_JOB_LEASE_SECONDS', 30, 1, 3600),
    tokenLifetimeSeconds: int(env, 'PURVIEW_TOKEN_LIFETIME_SECONDS', 3599, 60, 86400),
    clients: loadClients(env),
    runtimeVersions: runtimeVersionsOf(env),
    storage: {
      blobEndpoint: (env.PURVIEW_STORAGE_BLOB_ENDPOINT || `http://${storageHost}:${blobPort}`).replace(/\/+$/, ''),
      queueEndpoint: (env.PURVIEW_STORAGE_QUEUE_ENDPOINT || `http://${storageHost}:${queuePort}`).replace(/\/+$/, ''),
      accounts,
      ingestionAccount,
      ingestionPollMs: int(env, 'PURVIEW_INGESTION_POLL_MS', 250, 10, 60000),
      keepIngestionBlobs: (env.PURVIEW_KEEP_INGESTION_BLOBS ?? '').toLowerCase() === 'true',
    },
  };
}

export const ENCRYPTION_KEY_ENV = 'PURVIEW_ENCRYPTION_KEY';

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

function runtimeVersionsOf(env: NodeJS.ProcessEnv): EmulatorConfig['runtimeVersions'] {
  const latest = runtimeVersion(env, 'PURVIEW_RUNTIME_LATEST_VERSION', REFERENCE_RUNTIME_VERSION);
  const pushed = runtimeVersion(env, 'PURVIEW_RUNTIME_PUSHED_VERSION', latest);
  if (compareRuntimeVersions(pushed, latest) > 0) throw new ConfigError(`PURVIEW_RUNTIME_PUSHED_VERSION=${pushed} is newer than the latest version ${latest}; auto-update pushes a released version.`);
  return { latest, pushed, releaseDates: parseRuntimeReleases(env.PURVIEW_RUNTIME_RELEASES) };
}

/** The host:port written into auth keys' ServiceEndpoint segment. */
export function serviceEndpointOf(config: EmulatorConfig): string {
  return new URL(config.publicUrl).host;
}

/**
 * The account's storage mode comes from PURVIEW_ACCOUNT_STORAGE_MODE or from PURVIEW_ACCOUNT_CREATED_AT (the
 * documented rule: created before 2023-12-15 means a managed storage account); given both, they must agree.
 */
function accountSettings(env: NodeJS.ProcessEnv): AccountSettings {
  const rawMode = env.PURVIEW_ACCOUNT_STORAGE_MODE?.toLowerCase();
  if (rawMode && rawMode !== 'managed' && rawMode !== 'ingestion') {
    throw new ConfigError(`PURVIEW_ACCOUNT_STORAGE_MODE=${env.PURVIEW_ACCOUNT_STORAGE_MODE} is not valid: expected managed or ingestion.`);
  }
  let createdAt: string | undefined;
  if (env.PURVIEW_ACCOUNT_CREATED_AT) {
    const date = new Date(env.PURVIEW_ACCOUNT_CREATED_AT);
    if (Number.isNaN(date.getTime())) throw new ConfigError(`PURVIEW_ACCOUNT_CREATED_AT=${env.PURVIEW_ACCOUNT_CREATED_AT} is not a date (use ISO 8601, e.g. 2023-06-01).`);
    createdAt = date.toISOString();
  }
  const modeOfDate = createdAt ? (createdAt < INGESTION_STORAGE_SINCE ? 'managed' : 'ingestion') : undefined;
  if (rawMode && modeOfDate && rawMode !== modeOfDate) {
    throw new ConfigError(`PURVIEW_ACCOUNT_STORAGE_MODE=${rawMode} contradicts PURVIEW_ACCOUNT_CREATED_AT=${env.PURVIEW_ACCOUNT_CREATED_AT}: accounts created before 2023-12-15 have managed storage, later ones ingestion storage. Set one of them.`);
  }
  const storageMode = (rawMode ?? modeOfDate ?? 'ingestion') as AccountSettings['storageMode'];
  const subscriptionId = env.PURVIEW_SUBSCRIPTION_ID || '00000000-0000-0000-0000-000000000000';
  if (!/^[0-9a-fA-F-]{36}$/.test(subscriptionId)) throw new ConfigError(`PURVIEW_SUBSCRIPTION_ID=${subscriptionId} is not a GUID.`);
  return {
    subscriptionId,
    resourceGroup: env.PURVIEW_RESOURCE_GROUP || 'purview-emulator',
    location: env.PURVIEW_LOCATION || 'westus2',
    createdAt: createdAt ?? (storageMode === 'managed' ? '2023-06-01T00:00:00.000Z' : '2024-01-15T00:00:00.000Z'),
    storageMode,
  };
}

/** The names the HTTPS certificate must cover: both public hosts and a concrete bind address. */
export function httpsHostsOf(config: Pick<EmulatorConfig, 'host' | 'publicUrl' | 'publicHttpsUrl'>): string[] {
  return [new URL(config.publicUrl).hostname, new URL(config.publicHttpsUrl).hostname, config.host];
}

/** The config once the HTTPS listener knows its port (when PURVIEW_EMULATOR_HTTPS_PORT=0 let the OS choose). */
export function withHttpsPort(config: EmulatorConfig, port: number): Pick<EmulatorConfig, 'httpsPort' | 'publicHttpsUrl'> {
  const url = new URL(config.publicHttpsUrl);
  if (url.port === '0') url.port = String(port);
  return { httpsPort: port, publicHttpsUrl: url.origin };
}

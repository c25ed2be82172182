import * as path from 'node:path';
import { DEVSTORE_ACCOUNT, DEVSTORE_KEY } from '@purview-emulator/contracts';

/** Everything the emulator reads from its environment, validated once at boot (fail fast, say what to fix). */
export interface EmulatorConfig {
  host: string;
  port: number;
  /** Base URL clients and runtimes use to reach the emulator (goes into auth keys and token issuers). */
  publicUrl: string;
  dataDir: string;
  accountName: string;
  heartbeatIntervalSeconds: number;
  nodeOfflineAfterSeconds: number;
  jobLeaseSeconds: number;
  tokenLifetimeSeconds: number;
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


export class ConfigError extends Error {}

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
  return {
    host,
    port,
    publicUrl,
    dataDir: path.resolve(env.PURVIEW_DATA_DIR || '.data'),
    accountName,
    heartbeatIntervalSeconds,
    nodeOfflineAfterSeconds: int(env, 'PURVIEW_NODE_OFFLINE_AFTER_SECONDS', heartbeatIntervalSeconds * 3, 0.3, 86400),
    jobLeaseSeconds: int(env, 'PURVIEW_JOB_LEASE_SECONDS', 30, 1, 3600),
    tokenLifetimeSeconds: int(env, 'PURVIEW_TOKEN_LIFETIME_SECONDS', 3599, 60, 86400),
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

/** The host:port written into auth keys' ServiceEndpoint segment. */
export function serviceEndpointOf(config: EmulatorConfig): string {
  return new URL(config.publicUrl).host;
}

import { cpuCores } from './machine';
import { RUNTIME_VERSION, VERSION_ENV, VERSION_PATTERN } from './version';

/** Settings of the host service that come from the environment, validated. */
export interface HostServiceSettings {
  /** Jobs this node runs at once at most: SHIR_MAX_CONCURRENT_JOBS, or max(1, min(cores, 8)). */
  maxConcurrentJobs: number;
  /** Longest wait between reconnection attempts: 10 s, or less with SHIR_RECONNECT_MAX_MS. */
  reconnectMaxMs: number;
}

export const DEFAULT_RECONNECT_MAX_MS = 10_000;
export const RECONNECT_INITIAL_MS = 500;

export class SettingsError extends Error {
  override readonly name = 'SettingsError';
}

function positiveInteger(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new SettingsError(`${name} must be a whole number of at least 1 (it is '${raw}').`);
  return value;
}

export function hostServiceSettings(env: NodeJS.ProcessEnv = process.env, cores = cpuCores()): HostServiceSettings {
  const maxConcurrentJobs = Math.min(64, positiveInteger(env, 'SHIR_MAX_CONCURRENT_JOBS') ?? Math.max(1, Math.min(cores, 8)));
  const reconnectMaxMs = Math.min(DEFAULT_RECONNECT_MAX_MS, positiveInteger(env, 'SHIR_RECONNECT_MAX_MS') ?? DEFAULT_RECONNECT_MAX_MS);
  return { maxConcurrentJobs, reconnectMaxMs };
}

/**
 * The version this node reports at registration and in heartbeats: the version the home adopted through
 * auto-update, else SHIR_VERSION (a testing aid: the version "installed", for version skew and expiry), else the
 * runtime's own.
 */
export function nodeVersion(env: NodeJS.ProcessEnv = process.env, stored?: string): string {
  // An update the node adopted (auto-update) wins: SHIR_VERSION stands for the version installed before it.
  if (stored && VERSION_PATTERN.test(stored)) return stored;
  const raw = env[VERSION_ENV]?.trim();
  if (raw) {
    if (!VERSION_PATTERN.test(raw)) throw new SettingsError(`${VERSION_ENV} must be a four-part version like ${RUNTIME_VERSION} (it is '${raw}').`);
    return raw;
  }
  return RUNTIME_VERSION;
}

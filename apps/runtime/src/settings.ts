import { cpuCores } from './machine';
import { DEFAULT_RECONNECT_MAX_MS, readRuntimeEnvironment } from './environment';
import { RUNTIME_VERSION, VERSION_PATTERN } from './version';

/** Settings of the host service that come from the environment, validated. */
export interface HostServiceSettings {
  /** Jobs this node runs at once at most: SHIR_MAX_CONCURRENT_JOBS, or max(1, min(cores, 8)). */
  maxConcurrentJobs: number;
  /** Longest wait between reconnection attempts: 10 s, or less with SHIR_RECONNECT_MAX_MS. */
  reconnectMaxMs: number;
}

export { DEFAULT_RECONNECT_MAX_MS, SettingsError } from './environment';
export const RECONNECT_INITIAL_MS = 500;

/** The host service's settings; SettingsError names every environment variable that is not valid. */
export function hostServiceSettings(env: NodeJS.ProcessEnv = process.env, cores = cpuCores()): HostServiceSettings {
  const settings = readRuntimeEnvironment(env);
  return {
    maxConcurrentJobs: settings.maxConcurrentJobs ?? Math.max(1, Math.min(cores, 8)),
    reconnectMaxMs: settings.reconnectMaxMs ?? DEFAULT_RECONNECT_MAX_MS,
  };
}

/**
 * The version this node reports at registration and in heartbeats: the version the home adopted through
 * auto-update, else SHIR_VERSION (a testing aid: the version "installed", for version skew and expiry), else the
 * runtime's own.
 */
export function nodeVersion(env: NodeJS.ProcessEnv = process.env, stored?: string): string {
  // An update the node adopted (auto-update) wins: SHIR_VERSION stands for the version installed before it.
  if (stored && VERSION_PATTERN.test(stored)) return stored;
  const fromEnv = readRuntimeEnvironment(env).version;
  if (fromEnv) return fromEnv;
  return RUNTIME_VERSION;
}

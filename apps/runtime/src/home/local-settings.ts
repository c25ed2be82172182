import * as fs from 'node:fs';
import { type IntegrationRuntimeAutoUpdate, IntegrationRuntimeAutoUpdateSchema } from '@purview-emulator/contracts';
import { HomeError, ensureHomeDirectory, readFileIfExists, writeFileAtomic } from './files';
import type { HomePaths } from './paths';

/** Log levels of `shir log-level`, most severe first; a logger at `info` writes error, warn and info lines. */
export const LOG_LEVELS = ['error', 'warn', 'info', 'debug'] as const;
export type LocalLogLevel = (typeof LOG_LEVELS)[number];
export const DEFAULT_LOG_LEVEL: LocalLogLevel = 'info';
/** The SHIR's default node-to-node port. */
export const DEFAULT_REMOTE_ACCESS_PORT = 8060;

/**
 * `<home>/settings.json`: what the node keeps besides its registration. They survive `shir key` (the home keeps its
 * settings when it is re-pointed) and travel in backups.
 */
export interface LocalSettings {
  settingsVersion: 1;
  logLevel: LocalLogLevel;
  /** Remote access from intranet, as last set with `shir remote-access`. */
  remoteAccess: { enabled: boolean; port: number };
  /** The integration runtime's auto-update setting, as last set (or seen) from this node; undefined until known. */
  autoUpdate?: IntegrationRuntimeAutoUpdate;
  /** The node's current version after an auto-update; undefined means the runtime's own version. */
  version?: string;
}

export function defaultLocalSettings(): LocalSettings {
  return {
    settingsVersion: 1,
    logLevel: DEFAULT_LOG_LEVEL,
    remoteAccess: { enabled: false, port: DEFAULT_REMOTE_ACCESS_PORT },
  };
}

export function isLogLevel(value: string): value is LocalLogLevel {
  return (LOG_LEVELS as readonly string[]).includes(value);
}

/** The home's settings, with defaults for what was never set. A damaged file is a HomeError (the user must act). */
export function readLocalSettings(paths: HomePaths): LocalSettings {
  const text = readFileIfExists(paths.settings);
  const defaults = defaultLocalSettings();
  if (text === undefined) return defaults;
  let value: Partial<LocalSettings>;
  try {
    value = JSON.parse(text) as Partial<LocalSettings>;
  } catch {
    throw new HomeError(
      `${paths.settings} is not valid JSON. Fix it or delete it (the node's settings go back to their defaults).`,
    );
  }
  return sanitize(value, defaults);
}

/** Changes some settings and writes the file (mode 0600); returns the settings as saved. */
export function updateLocalSettings(
  paths: HomePaths,
  change: Partial<Omit<LocalSettings, 'settingsVersion'>>,
): LocalSettings {
  const next = sanitize({ ...readLocalSettings(paths), ...change }, defaultLocalSettings());
  writeLocalSettings(paths, next);
  return next;
}

export function writeLocalSettings(paths: HomePaths, settings: LocalSettings): void {
  ensureHomeDirectory(paths.home);
  writeFileAtomic(paths.settings, `${JSON.stringify(settings, null, 2)}\n`, 0o600);
}

export function hasLocalSettings(paths: HomePaths): boolean {
  return fs.existsSync(paths.settings);
}

function sanitize(value: Partial<LocalSettings>, defaults: LocalSettings): LocalSettings {
  const port = value.remoteAccess?.port;
  const autoUpdate = IntegrationRuntimeAutoUpdateSchema.safeParse(value.autoUpdate);
  return {
    settingsVersion: 1,
    logLevel: typeof value.logLevel === 'string' && isLogLevel(value.logLevel) ? value.logLevel : defaults.logLevel,
    remoteAccess: {
      enabled: value.remoteAccess?.enabled === true,
      port:
        typeof port === 'number' && Number.isInteger(port) && port >= 1 && port <= 65535
          ? port
          : DEFAULT_REMOTE_ACCESS_PORT,
    },
    ...(autoUpdate.success ? { autoUpdate: autoUpdate.data } : {}),
    ...(typeof value.version === 'string' && /^\d+\.\d+\.\d+\.\d+$/.test(value.version)
      ? { version: value.version }
      : {}),
  };
}

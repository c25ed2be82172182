import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { SecretKeyError, loadKeyFile } from '@purview-emulator/secret-box';
import { ConfigError } from '../config/config-error';
import { ENCRYPTION_KEY_ENV, EmulatorConfig } from '../config/emulator-config';
import { DatabaseSecrets, KeySource } from './database-secrets';

export const DATABASE_FILE = 'purview-emulator.sqlite';
export const ENCRYPTION_KEY_FILE = 'encryption.key';
/** The `emulator_settings` row holding DatabaseSecrets.keyCheck() and where its key came from. */
export const KEY_CHECK_SETTING = 'encryption_key_check';

export interface KeyCheck {
  keySource: KeySource;
  sealed: string;
}

export interface DataDirectory {
  databaseFile: string;
  secrets: DatabaseSecrets;
}

const opened = new WeakMap<EmulatorConfig, DataDirectory>();

/**
 * Makes PURVIEW_DATA_DIR private (0700; the database, its WAL and SHM and the key file 0600, whatever the umask,
 * tightening what an older version left open) and loads the key sealing the database's secrets: PURVIEW_ENCRYPTION_KEY,
 * or `encryption.key` in the directory (created on first start). A key that does not open the database's secrets, or
 * a missing one, is a ConfigError saying what to restore, before anything reads the database. Once per config.
 */
export function openDataDirectory(config: EmulatorConfig): DataDirectory {
  const cached = opened.get(config);
  if (cached) return cached;
  if (config.inMemory) return openInMemory(config);
  const dir = config.dataDir;
  const databaseFile = path.join(dir, DATABASE_FILE);
  const keyFile = path.join(dir, ENCRYPTION_KEY_FILE);
  privately(dir, () => {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    fs.chmodSync(dir, 0o700);
    // SQLite gives the WAL and SHM files the database file's mode, so the database is created 0600 before it opens.
    fs.closeSync(fs.openSync(databaseFile, 'a', 0o600));
    for (const file of [
      databaseFile,
      `${databaseFile}-wal`,
      `${databaseFile}-shm`,
      `${databaseFile}-journal`,
      keyFile,
    ]) {
      if (fs.existsSync(file)) fs.chmodSync(file, 0o600);
    }
  });
  const check = readKeyCheck(databaseFile);
  let secrets: DatabaseSecrets;
  if (config.encryptionKey) {
    secrets = new DatabaseSecrets(config.encryptionKey, 'env');
  } else {
    let key: Buffer | undefined;
    try {
      // A database whose secrets are already sealed never gets a new key: that would only hide the missing one.
      key = loadKeyFile(keyFile, { create: !check });
    } catch (error) {
      if (error instanceof SecretKeyError) throw new ConfigError(error.message);
      throw error;
    }
    if (!key) {
      throw new ConfigError(
        check!.keySource === 'env'
          ? `${databaseFile} holds secrets encrypted with ${ENCRYPTION_KEY_ENV}, which is not set. Set it to the key the database was encrypted with, or start with an empty PURVIEW_DATA_DIR.`
          : `${databaseFile} holds secrets encrypted with the key in ${keyFile}, which is missing. Restore that file (or set ${ENCRYPTION_KEY_ENV} to the key it held), or start with an empty PURVIEW_DATA_DIR.`,
      );
    }
    secrets = new DatabaseSecrets(key, 'file');
  }
  if (check && !secrets.opensKeyCheck(check.sealed))
    throw new ConfigError(wrongKeyMessage(databaseFile, keyFile, secrets.keySource, check.keySource));
  const result = { databaseFile, secrets };
  opened.set(config, result);
  return result;
}

function wrongKeyMessage(databaseFile: string, keyFile: string, current: KeySource, sealedWith: KeySource): string {
  const name = (source: KeySource) => (source === 'env' ? ENCRYPTION_KEY_ENV : `the key in ${keyFile}`);
  const start = `The secrets in ${databaseFile} cannot be decrypted with ${name(current)}`;
  if (current === sealedWith)
    return `${start}: it is not the key they were encrypted with. Restore that key, or start with an empty PURVIEW_DATA_DIR.`;
  return current === 'env'
    ? `${start}: they were encrypted with ${name(sealedWith)}. Unset ${ENCRYPTION_KEY_ENV}, or set it to the key in that file.`
    : `${start}: they were encrypted with ${ENCRYPTION_KEY_ENV}, which is not set. Set it to the key the database was encrypted with.`;
}

function privately(dir: string, work: () => void): void {
  try {
    work();
  } catch (error) {
    throw new ConfigError(
      `PURVIEW_DATA_DIR=${dir} cannot be made private to this user (mode 0700, files 0600): ${(error as Error).message}`,
    );
  }
}

/**
 * PURVIEW_IN_MEMORY: no database file, a key for this process only (or PURVIEW_ENCRYPTION_KEY), and the private
 * temporary directory `dataDir` names for the TLS material, removed when the process exits.
 */
function openInMemory(config: EmulatorConfig): DataDirectory {
  privately(config.dataDir, () => fs.mkdirSync(config.dataDir, { recursive: true, mode: 0o700 }));
  temporaryDirectories.add(config.dataDir);
  if (temporaryDirectories.size === 1)
    process.once('exit', () => {
      for (const dir of temporaryDirectories) fs.rmSync(dir, { recursive: true, force: true });
    });
  const secrets = config.encryptionKey
    ? new DatabaseSecrets(config.encryptionKey, 'env')
    : new DatabaseSecrets(randomBytes(32), 'memory');
  const result = { databaseFile: ':memory:', secrets };
  opened.set(config, result);
  return result;
}

const temporaryDirectories = new Set<string>();

/** The key check an earlier start stored, if the database has one (a new or pre-encryption database has none). */
function readKeyCheck(databaseFile: string): KeyCheck | undefined {
  if (fs.statSync(databaseFile).size === 0) return undefined;
  const db = new Database(databaseFile, { fileMustExist: true });
  let value: string | undefined;
  try {
    const hasSettings = db
      .prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'emulator_settings'`)
      .get();
    value = hasSettings
      ? (
          db.prepare(`SELECT "value" FROM "emulator_settings" WHERE "key" = ?`).get(KEY_CHECK_SETTING) as
            { value: string } | undefined
        )?.value
      : undefined;
  } finally {
    db.close();
  }
  if (value === undefined) return undefined;
  try {
    const parsed = JSON.parse(value) as KeyCheck;
    if ((parsed.keySource === 'env' || parsed.keySource === 'file') && typeof parsed.sealed === 'string') return parsed;
  } catch {
    // Reported below.
  }
  throw new ConfigError(`${databaseFile} is damaged: its ${KEY_CHECK_SETTING} setting is not one this emulator wrote.`);
}

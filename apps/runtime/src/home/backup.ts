import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';
import type { LocalSettings } from './local-settings';
import type { NewNodeConfig } from './node-config';

/**
 * The backup file of `shir backup` / `shir restore` (dmgcmd -GenerateBackupFile / -ImportBackupFile): the node's
 * configuration, its credential and its settings, encrypted with AES-256-GCM under a key derived from the password
 * with scrypt and a random salt. The header (format, version, KDF parameters, who the node is) is authenticated
 * as additional data, so it cannot be changed without the password noticing.
 */
export interface BackupFile {
  format: typeof BACKUP_FORMAT;
  formatVersion: 1;
  createdAt: string;
  /** Who the node is, for people; authenticated, not secret. */
  node: { name: string; integrationRuntime: string; account: string };
  kdf: { name: 'scrypt'; N: number; r: number; p: number; salt: string };
  cipher: 'aes-256-gcm';
  iv: string;
  tag: string;
  ciphertext: string;
}

/** What a backup holds once decrypted. */
export interface BackupContents {
  config: NewNodeConfig;
  nodeCredential: string;
  settings: LocalSettings;
}

export const BACKUP_FORMAT = 'shir-node-backup' as const;
const KDF = { N: 2 ** 15, r: 8, p: 1 };
const MAX_N = 2 ** 20;

/** The backup cannot be used: not a backup, a format this runtime does not know, or the wrong password. */
export class BackupError extends Error {
  override readonly name = 'BackupError';
  constructor(
    readonly code: 'NotABackup' | 'UnsupportedBackupVersion' | 'WrongPassword',
    message: string,
  ) {
    super(message);
  }
}

function deriveKey(password: string, kdf: BackupFile['kdf']): Buffer {
  return scryptSync(password.normalize('NFC'), Buffer.from(kdf.salt, 'base64'), 32, {
    N: kdf.N,
    r: kdf.r,
    p: kdf.p,
    maxmem: 256 * kdf.N * kdf.r + 16 * 1024 * 1024,
  });
}

/** The authenticated part of the file: everything but the IV, tag and ciphertext, in a fixed order. */
function headerOf(
  file: Pick<BackupFile, 'format' | 'formatVersion' | 'createdAt' | 'node' | 'kdf' | 'cipher'>,
): Buffer {
  const { format, formatVersion, createdAt, node, kdf, cipher } = file;
  return Buffer.from(
    JSON.stringify({
      format,
      formatVersion,
      createdAt,
      node: { name: node.name, integrationRuntime: node.integrationRuntime, account: node.account },
      kdf: { name: kdf.name, N: kdf.N, r: kdf.r, p: kdf.p, salt: kdf.salt },
      cipher,
    }),
    'utf8',
  );
}

export function createBackup(
  contents: BackupContents,
  password: string,
  now: () => Date = () => new Date(),
): BackupFile {
  const kdf = { name: 'scrypt' as const, ...KDF, salt: randomBytes(16).toString('base64') };
  const header = {
    format: BACKUP_FORMAT,
    formatVersion: 1 as const,
    createdAt: now().toISOString(),
    node: {
      name: contents.config.node.name,
      integrationRuntime: contents.config.integrationRuntime.name,
      account: contents.config.accountName,
    },
    kdf,
    cipher: 'aes-256-gcm' as const,
  };
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', deriveKey(password, kdf), iv);
  cipher.setAAD(headerOf(header));
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(contents), 'utf8'), cipher.final()]);
  return {
    ...header,
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    ciphertext: ciphertext.toString('base64'),
  };
}

/** Parses a backup file's text (without decrypting it). */
export function parseBackup(text: string): BackupFile {
  let value: Partial<BackupFile>;
  try {
    value = JSON.parse(text) as Partial<BackupFile>;
  } catch {
    throw new BackupError('NotABackup', 'The file is not a shir backup file (it is not JSON).');
  }
  if (value?.format !== BACKUP_FORMAT)
    throw new BackupError('NotABackup', `The file is not a shir backup file (no "format": "${BACKUP_FORMAT}").`);
  if (value.formatVersion !== 1)
    throw new BackupError(
      'UnsupportedBackupVersion',
      `The backup file has format version ${String(value.formatVersion)}; this runtime reads version 1. Restore it with the runtime that wrote it.`,
    );
  const kdf = value.kdf;
  const valid =
    kdf?.name === 'scrypt' &&
    Number.isInteger(kdf.N) &&
    kdf.N > 1 &&
    kdf.N <= MAX_N &&
    Number.isInteger(kdf.r) &&
    kdf.r >= 1 &&
    kdf.r <= 32 &&
    Number.isInteger(kdf.p) &&
    kdf.p >= 1 &&
    kdf.p <= 16 &&
    typeof kdf.salt === 'string' &&
    value.cipher === 'aes-256-gcm' &&
    typeof value.iv === 'string' &&
    typeof value.tag === 'string' &&
    typeof value.ciphertext === 'string' &&
    typeof value.createdAt === 'string' &&
    typeof value.node?.name === 'string';
  if (!valid) throw new BackupError('NotABackup', 'The backup file is damaged: its header is incomplete.');
  return value as BackupFile;
}

/** Decrypts a backup; a wrong password (or any change to the file) is a BackupError 'WrongPassword'. */
export function openBackup(file: BackupFile, password: string): BackupContents {
  let plaintext: string;
  try {
    const decipher = createDecipheriv('aes-256-gcm', deriveKey(password, file.kdf), Buffer.from(file.iv, 'base64'));
    decipher.setAAD(headerOf(file));
    decipher.setAuthTag(Buffer.from(file.tag, 'base64'));
    plaintext = Buffer.concat([decipher.update(Buffer.from(file.ciphertext, 'base64')), decipher.final()]).toString(
      'utf8',
    );
  } catch {
    throw new BackupError(
      'WrongPassword',
      'The backup file cannot be decrypted: the password is wrong, or the file was changed. Give the password used with shir backup.',
    );
  }
  const contents = JSON.parse(plaintext) as BackupContents;
  if (!contents?.config?.node?.id || typeof contents.nodeCredential !== 'string')
    throw new BackupError('NotABackup', 'The backup file decrypts, but does not hold a node.');
  return contents;
}

import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { HomeError, readFileIfExists } from './files';

/** A secret sealed with AES-256-GCM: what a config file stores instead of the secret. */
export interface SealedSecret {
  algorithm: 'aes-256-gcm';
  /** Where the key came from when sealing: the home's credential.key file, or SHIR_ENCRYPTION_KEY. */
  keySource: KeySource;
  iv: string;
  tag: string;
  ciphertext: string;
}

export type KeySource = 'file' | 'env';

export interface EncryptionKey {
  key: Buffer;
  source: KeySource;
}

export const ENCRYPTION_KEY_ENV = 'SHIR_ENCRYPTION_KEY';
const KEY_BYTES = 32;
const IV_BYTES = 12;

function decodeKey(text: string, where: string): Buffer {
  const trimmed = text.trim();
  const key = Buffer.from(trimmed, 'base64');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(trimmed) || key.length !== KEY_BYTES) {
    throw new HomeError(`${where} must be ${KEY_BYTES} bytes in base64 (for example: openssl rand -base64 32).`);
  }
  return key;
}

/**
 * The key sealing the node credential. SHIR_ENCRYPTION_KEY (base64, 32 bytes) when set, so the key can live outside
 * the home; otherwise `credentialKeyFile`, created with mode 0600 when `create` is true and it does not exist yet.
 */
export function loadEncryptionKey(credentialKeyFile: string, options: { create: boolean; env?: NodeJS.ProcessEnv }): EncryptionKey | undefined {
  const fromEnv = (options.env ?? process.env)[ENCRYPTION_KEY_ENV];
  if (fromEnv !== undefined && fromEnv.trim() !== '') return { key: decodeKey(fromEnv, ENCRYPTION_KEY_ENV), source: 'env' };
  const existing = readFileIfExists(credentialKeyFile);
  if (existing !== undefined) return { key: decodeKey(existing, credentialKeyFile), source: 'file' };
  if (!options.create) return undefined;
  const key = randomBytes(KEY_BYTES);
  try {
    fs.writeFileSync(credentialKeyFile, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return loadEncryptionKey(credentialKeyFile, { create: false, env: {} });
    throw new HomeError(`Cannot create ${credentialKeyFile}: ${(error as Error).message}`);
  }
  fs.chmodSync(credentialKeyFile, 0o600);
  return { key, source: 'file' };
}

/** Seals `plaintext`; `context` (the node id, say) is authenticated too, so a sealed secret cannot be moved to another node. */
export function seal(plaintext: string, key: EncryptionKey, context: string): SealedSecret {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key.key, iv);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return { algorithm: 'aes-256-gcm', keySource: key.source, iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), ciphertext: ciphertext.toString('base64') };
}

/** Opens a sealed secret, or throws a HomeError saying which key is missing or wrong. */
export function open(sealed: SealedSecret, key: EncryptionKey, context: string): string {
  if (sealed.algorithm !== 'aes-256-gcm') throw new HomeError(`The node credential is sealed with '${String(sealed.algorithm)}', which this runtime cannot open.`);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key.key, Buffer.from(sealed.iv, 'base64'));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, 'base64')), decipher.final()]).toString('utf8');
  } catch {
    const where = key.source === 'env' ? ENCRYPTION_KEY_ENV : 'credential.key';
    const sealedWith = sealed.keySource === 'env' ? ENCRYPTION_KEY_ENV : "the home's credential.key";
    throw new HomeError(`The node credential cannot be decrypted with the key from ${where}; it was sealed with ${sealedWith}. Restore that key, or register the node again in a new home.`);
  }
}

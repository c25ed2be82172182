import {
  SecretKeyError,
  SecretOpenError,
  loadKeyFile,
  openText,
  parseKey,
  sealText,
} from '@purview-emulator/secret-box';
import { HomeError } from './files';

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

/** The shared library's key errors, as the home's own (the user must act; retrying will not help). */
function asHomeError<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof SecretKeyError) throw new HomeError(error.message);
    throw error;
  }
}

/**
 * The key sealing the node credential. SHIR_ENCRYPTION_KEY (base64, 32 bytes) when set, so the key can live outside
 * the home; otherwise `credentialKeyFile`, created with mode 0600 when `create` is true and it does not exist yet.
 */
export function loadEncryptionKey(
  credentialKeyFile: string,
  options: { create: boolean; env?: NodeJS.ProcessEnv },
): EncryptionKey | undefined {
  const fromEnv = (options.env ?? process.env)[ENCRYPTION_KEY_ENV];
  if (fromEnv !== undefined && fromEnv.trim() !== '')
    return { key: asHomeError(() => parseKey(fromEnv, ENCRYPTION_KEY_ENV)), source: 'env' };
  const key = asHomeError(() => loadKeyFile(credentialKeyFile, { create: options.create }));
  return key && { key, source: 'file' };
}

/** Seals `plaintext`; `context` (the node id, say) is authenticated too, so a sealed secret cannot be moved to another node. */
export function seal(plaintext: string, key: EncryptionKey, context: string): SealedSecret {
  const { iv, tag, ciphertext } = sealText(plaintext, key.key, context);
  return {
    algorithm: 'aes-256-gcm',
    keySource: key.source,
    iv: iv.toString('base64'),
    tag: tag.toString('base64'),
    ciphertext: ciphertext.toString('base64'),
  };
}

/** Opens a sealed secret, or throws a HomeError saying which key is missing or wrong. */
export function open(sealed: SealedSecret, key: EncryptionKey, context: string): string {
  if (sealed.algorithm !== 'aes-256-gcm')
    throw new HomeError(
      `The node credential is sealed with '${String(sealed.algorithm)}', which this runtime cannot open.`,
    );
  try {
    return openText(
      {
        iv: Buffer.from(sealed.iv, 'base64'),
        tag: Buffer.from(sealed.tag, 'base64'),
        ciphertext: Buffer.from(sealed.ciphertext, 'base64'),
      },
      key.key,
      context,
    );
  } catch (error) {
    if (!(error instanceof SecretOpenError)) throw error;
    const where = key.source === 'env' ? ENCRYPTION_KEY_ENV : 'credential.key';
    const sealedWith = sealed.keySource === 'env' ? ENCRYPTION_KEY_ENV : "the home's credential.key";
    throw new HomeError(
      `The node credential cannot be decrypted with the key from ${where}; it was sealed with ${sealedWith}. Restore that key, or register the node again in a new home.`,
    );
  }
}

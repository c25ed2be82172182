import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';

/**
 * Secrets at rest, sealed with AES-256-GCM under a 32-byte key kept apart from what it protects (a 0600 key file or
 * an environment variable). One implementation for the emulator's database and the runtime's home; each app words
 * its own errors and stores the sealed parts in its own format.
 */

export const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A key that is malformed or cannot be read or written; the message names where it came from and what to do. */
export class SecretKeyError extends Error {
  override readonly name = 'SecretKeyError';
}

/** A sealed secret that does not open: wrong key, another context, or damaged bytes. */
export class SecretOpenError extends Error {
  override readonly name = 'SecretOpenError';
}

/** The parts of a sealed secret; `context` is authenticated but not stored, so the opener must supply it again. */
export interface SealedParts {
  iv: Buffer;
  tag: Buffer;
  ciphertext: Buffer;
}

/** A key as base64 of exactly 32 bytes; `where` (a variable or file name) goes into the message when it is not one. */
export function parseKey(text: string, where: string): Buffer {
  const trimmed = text.trim();
  const key = Buffer.from(trimmed, 'base64');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(trimmed) || key.length !== KEY_BYTES) {
    throw new SecretKeyError(`${where} must be ${KEY_BYTES} bytes in base64 (for example: openssl rand -base64 32).`);
  }
  return key;
}

/**
 * The key in `file`. When the file does not exist: undefined, or with `create` a new random key written there with
 * mode 0600 (exclusively, so two processes starting together end up with the same key).
 */
export function loadKeyFile(file: string, options: { create: boolean }): Buffer | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
      throw new SecretKeyError(`Cannot read ${file}: ${(error as Error).message}`);
    if (!options.create) return undefined;
    const key = randomBytes(KEY_BYTES);
    try {
      fs.writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    } catch (writeError) {
      if ((writeError as NodeJS.ErrnoException).code === 'EEXIST') return loadKeyFile(file, { create: false });
      throw new SecretKeyError(`Cannot create ${file}: ${(writeError as Error).message}`);
    }
    // The umask may have loosened the mode given at creation.
    fs.chmodSync(file, 0o600);
    return key;
  }
  return parseKey(text, file);
}

/** Seals `plaintext`; `context` (say, which record and field) is authenticated, so a sealed value cannot be moved elsewhere. */
export function sealText(plaintext: string, key: Buffer, context: string): SealedParts {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return { iv, tag: cipher.getAuthTag(), ciphertext };
}

/** Opens what sealText sealed with the same key and context, or throws SecretOpenError. */
export function openText(sealed: SealedParts, key: Buffer, context: string): string {
  if (sealed.iv.length !== IV_BYTES || sealed.tag.length !== TAG_BYTES)
    throw new SecretOpenError('The sealed secret is damaged.');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, sealed.iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(sealed.tag);
    return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]).toString('utf8');
  } catch {
    throw new SecretOpenError('The sealed secret cannot be opened with this key.');
  }
}

import { openText, sealText } from '@purview-emulator/secret-box';

/**
 * Every column holding a secret, by table, with the column naming the row. Each value is stored sealed
 * (AES-256-GCM) under the data directory's key; the field and the row id are authenticated with it, so a sealed
 * value copied to another column or row does not open. Node credentials are not here: they are kept as hashes.
 */
export const SECRET_COLUMNS = [
  { table: 'signing_keys', id: 'kid', columns: ['private_jwk'] },
  { table: 'integration_runtimes', id: 'id', columns: ['auth_key1', 'auth_key2'] },
  { table: 'relay_hybrid_connections', id: 'integration_runtime_id', columns: ['manage_key', 'listen_key'] },
  { table: 'key_vault_secrets', id: 'id', columns: ['value'] },
] as const;

type SecretTable = (typeof SECRET_COLUMNS)[number];
/** A secret column, as `table.column`. */
export type SecretField = {
  [T in SecretTable as T['table']]: `${T['table']}.${T['columns'][number]}`;
}[SecretTable['table']];

/** Where the key came from: `{dataDir}/encryption.key`, PURVIEW_ENCRYPTION_KEY, or (PURVIEW_IN_MEMORY) made at start. */
export type KeySource = 'file' | 'env' | 'memory';

const PREFIX = 'aes256gcm:';
const CHECK_FIELD = 'emulator_settings.encryption_key_check';
const CHECK_TEXT = 'purview-emulator';

/** A stored secret that does not open: the row was altered, or the key changed while the emulator ran. */
export class SecretUnreadableError extends Error {}

/** Seals secrets for the database and opens them again, with the key of the data directory. */
export class DatabaseSecrets {
  constructor(
    private readonly key: Buffer,
    readonly keySource: KeySource,
  ) {}

  /** True for a value this class sealed; anything else in a secret column is plain text from an older version. */
  static isSealed(value: string): boolean {
    return value.startsWith(PREFIX);
  }

  seal(field: SecretField, rowId: string, plaintext: string): string {
    return this.sealWith(`${field}:${rowId}`, plaintext);
  }

  open(field: SecretField, rowId: string, stored: string): string {
    const opened = this.openWith(`${field}:${rowId}`, stored);
    if (opened === undefined)
      throw new SecretUnreadableError(
        `The stored ${field} of '${rowId}' cannot be decrypted with the data directory's key.`,
      );
    return opened;
  }

  /** A value that only this key opens, kept in the database so a start with another key is refused before any use. */
  keyCheck(): string {
    return this.sealWith(CHECK_FIELD, CHECK_TEXT);
  }

  opensKeyCheck(stored: string): boolean {
    return this.openWith(CHECK_FIELD, stored) === CHECK_TEXT;
  }

  private sealWith(context: string, plaintext: string): string {
    const { iv, tag, ciphertext } = sealText(plaintext, this.key, context);
    return `${PREFIX}${[iv, tag, ciphertext].map((b) => b.toString('base64url')).join(':')}`;
  }

  private openWith(context: string, stored: string): string | undefined {
    const parts = DatabaseSecrets.isSealed(stored) ? stored.slice(PREFIX.length).split(':') : [];
    if (parts.length !== 3) return undefined;
    const [iv, tag, ciphertext] = parts.map((p) => Buffer.from(p, 'base64url'));
    try {
      return openText({ iv, tag, ciphertext }, this.key, context);
    } catch {
      return undefined;
    }
  }
}

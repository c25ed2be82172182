/**
 * Azure Key Vault, secrets data plane (KeyVault 7.x / 2025-07-01 `SecretBundle`, `SecretItem`, `DeletedSecretBundle`),
 * as the emulator serves it at the root of its HTTPS origin (`/secrets/...`). Times are Unix seconds, as Key Vault's.
 */
import { z } from 'zod';

/** What Key Vault tokens are for: clients ask for `https://vault.azure.net/.default`. */
export const KEY_VAULT_RESOURCE = 'https://vault.azure.net';
/** The vault a request reaches when its Host is not `{vault}.vault.azure.net` (localhost, 127.0.0.1, …). */
export const DEFAULT_KEY_VAULT_NAME = 'default';
/** Host suffix of real vault URLs (`https://{vault}.vault.azure.net/`). */
export const KEY_VAULT_DNS_SUFFIX = '.vault.azure.net';
/** api-versions of the secrets data plane the emulator answers (the 2025-07-01 one is what SecretClient 4.11 sends). */
export const KEY_VAULT_API_VERSIONS = ['7.0', '7.1', '7.2', '7.3', '7.4', '7.5', '7.6', '2025-07-01'] as const;
/** Key Vault's rules for names: vaults 3-24 of letters, digits and '-', starting with a letter; secrets 1-127. */
export const KEY_VAULT_NAME_PATTERN = /^[a-zA-Z][a-zA-Z0-9-]{1,22}[a-zA-Z0-9]$/;
export const SECRET_NAME_PATTERN = /^[0-9a-zA-Z-]{1,127}$/;
/** Soft delete is not emulated: a deleted secret is gone at once, which Key Vault calls `Purgeable`. */
export const SECRET_RECOVERY_LEVEL = 'Purgeable';

export interface SecretAttributes {
  enabled: boolean;
  nbf?: number;
  exp?: number;
  created: number;
  updated: number;
  recoveryLevel: string;
}

export interface SecretBundle {
  id: string;
  value: string;
  contentType?: string;
  tags?: Record<string, string>;
  attributes: SecretAttributes;
}

export type SecretItem = Omit<SecretBundle, 'value'>;

/** What DELETE answers: the secret's last version without its value (no `recoveryId`: soft delete is not emulated). */
export interface DeletedSecretBundle extends SecretItem {
  deletedDate: number;
}

export interface SecretListResult {
  value: SecretItem[];
  nextLink: string | null;
}

export const SecretSetParametersSchema = z
  .object({
    value: z.string({ required_error: "'value' is required", invalid_type_error: "'value' must be a string" }),
    contentType: z.string().max(255).optional().nullable(),
    tags: z.record(z.string().max(256)).optional().nullable(),
    attributes: z
      .object({
        enabled: z.boolean().optional().nullable(),
        nbf: z.number().int().optional().nullable(),
        exp: z.number().int().optional().nullable(),
      })
      .passthrough()
      .optional()
      .nullable(),
  })
  .passthrough();
export type SecretSetParameters = z.infer<typeof SecretSetParametersSchema>;

export const SecretUpdateParametersSchema = SecretSetParametersSchema.omit({ value: true });
export type SecretUpdateParameters = z.infer<typeof SecretUpdateParametersSchema>;

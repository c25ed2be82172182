import { z } from 'zod';
import {
  AzureKeyVaultBodySchema,
  CREDENTIAL_KINDS,
  CREDENTIAL_TYPE_PROPERTIES,
  type CredentialKind,
} from '@purview-emulator/contracts';
import { PurviewError } from '../common/errors';
import { SCANNING_BODY_BOUNDS, abbreviate, parseBody } from '../common/validation';

export function parseAzureKeyVaultBody(body: unknown) {
  return parseBody(AzureKeyVaultBodySchema, body, 'InvalidRequestBody', SCANNING_BODY_BOUNDS);
}

const KindSchema = z
  .object({
    kind: z.string({
      required_error: "'kind' is required, e.g. AccountKey",
      invalid_type_error: "'kind' must be a string, e.g. AccountKey",
    }),
  })
  .passthrough();

/** A credential body: `kind` one of the spec's CredentialType values, `typeProperties` (optional, as in the spec's example) fitting it. */
export function parseCredentialBody(body: unknown) {
  const { kind } = parseBody(KindSchema, body, 'InvalidRequestBody', SCANNING_BODY_BOUNDS);
  if (!(CREDENTIAL_KINDS as readonly string[]).includes(kind))
    throw PurviewError.badRequest(
      `'${abbreviate(kind)}' is not a credential kind. Valid kinds (2023-09-01 CredentialType): ${CREDENTIAL_KINDS.join(', ')}.`,
      'InvalidKind',
      'kind',
    );
  const schema = z
    .object({
      kind: z.literal(kind as CredentialKind),
      properties: z
        .object({
          description: z.string().max(2048).optional().nullable(),
          typeProperties: CREDENTIAL_TYPE_PROPERTIES[kind as CredentialKind].optional().nullable(),
        })
        .passthrough()
        .optional()
        .nullable(),
    })
    .passthrough();
  return parseBody(schema, body) as {
    kind: CredentialKind;
    properties?: { description?: string | null; typeProperties?: Record<string, unknown> | null } | null;
  };
}
export type CredentialBody = ReturnType<typeof parseCredentialBody>;

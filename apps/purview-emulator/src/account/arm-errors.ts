import { displayValue } from '@purview-emulator/contracts';
import { HttpStatus } from '@nestjs/common';
import { PurviewError } from '../common/errors';

/** Microsoft.Purview/accounts api-versions the emulator answers (the published ones of the RP). */
export const ARM_API_VERSIONS = [
  '2020-12-01-preview',
  '2021-07-01',
  '2021-12-01',
  '2023-05-01-preview',
  '2024-04-01-preview',
] as const;
export type ArmApiVersion = (typeof ARM_API_VERSIONS)[number];

const ALLOWED_AUDIENCES =
  "'https://management.core.windows.net/','https://management.core.windows.net','https://management.azure.com/','https://management.azure.com'";

/** ARM's 401s, with ARM's codes and wording; rendered as `{error:{code,message}}` by the global filter. */
export function armUnauthorized(
  kind: 'missing' | 'malformed' | 'audience' | 'expired' | 'invalid',
  detail?: string,
): PurviewError {
  switch (kind) {
    case 'missing':
      return new PurviewError(
        HttpStatus.UNAUTHORIZED,
        'AuthenticationFailed',
        "Authentication failed. The 'Authorization' header is missing.",
      );
    case 'malformed':
      return new PurviewError(
        HttpStatus.UNAUTHORIZED,
        'AuthenticationFailed',
        "Authentication failed. The 'Authorization' header is provided in an invalid format.",
      );
    case 'audience':
      return new PurviewError(
        HttpStatus.UNAUTHORIZED,
        'InvalidAuthenticationTokenAudience',
        `The access token has been obtained for wrong audience or resource. It should exactly match with one of the allowed audiences ${ALLOWED_AUDIENCES}. Request a token with scope https://management.azure.com/.default.`,
      );
    case 'expired':
      return new PurviewError(
        HttpStatus.UNAUTHORIZED,
        'ExpiredAuthenticationToken',
        'The access token has expired. Get a new token and retry.',
      );
    default:
      return new PurviewError(
        HttpStatus.UNAUTHORIZED,
        'InvalidAuthenticationToken',
        `The access token is invalid. ${detail ?? ''}`.trim(),
      );
  }
}

/** ARM checks api-version before anything else of the request; it is required on every ARM call. */
export function armApiVersion(value: unknown, location: string): ArmApiVersion {
  if (value === undefined || value === '') {
    throw new PurviewError(
      HttpStatus.BAD_REQUEST,
      'MissingApiVersionParameter',
      'The api-version query parameter (?api-version=) is required for all requests.',
    );
  }
  if (typeof value !== 'string' || !(ARM_API_VERSIONS as readonly string[]).includes(value)) {
    throw new PurviewError(
      HttpStatus.BAD_REQUEST,
      'NoRegisteredProviderFound',
      `No registered resource provider found for location '${location}' and API version '${displayValue(value)}' for type 'accounts'. The supported api-versions are '${ARM_API_VERSIONS.join(', ')}'. The supported locations are '${location}'.`,
    );
  }
  return value as ArmApiVersion;
}

export function armResourceNotFound(resourceGroup: string, accountName: string): PurviewError {
  return new PurviewError(
    HttpStatus.NOT_FOUND,
    'ResourceNotFound',
    `The Resource 'Microsoft.Purview/accounts/${accountName}' under resource group '${resourceGroup}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
  );
}

export function armInvalidSubscription(subscriptionId: string): PurviewError {
  return new PurviewError(
    HttpStatus.BAD_REQUEST,
    'InvalidSubscriptionId',
    `The provided subscription identifier '${subscriptionId}' is malformed or invalid.`,
  );
}

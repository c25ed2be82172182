/**
 * Integration runtime authentication keys, in the format real SHIR keys have:
 *   IR@{guid}@{account}@ServiceEndpoint={host[:port]}@{base64 of 32 random bytes}
 * The ServiceEndpoint segment tells a runtime where to register, so a key alone is enough.
 */
export const AUTH_KEY_NAMES = ['authKey1', 'authKey2'] as const;
export type AuthKeyName = (typeof AUTH_KEY_NAMES)[number];

export interface ParsedAuthKey {
  integrationRuntimeId: string;
  accountName: string;
  serviceEndpoint: string;
  secret: string;
}

export function formatAuthKey(key: ParsedAuthKey): string {
  return `IR@${key.integrationRuntimeId}@${key.accountName}@ServiceEndpoint=${key.serviceEndpoint}@${key.secret}`;
}

/** Parses a key, or throws an Error whose message says what is wrong with it (never echoing the secret). */
export function parseAuthKey(raw: string): ParsedAuthKey {
  const key = raw.trim();
  const parts = key.split('@');
  if (parts.length !== 5 || parts[0] !== 'IR') {
    throw new Error('The authentication key is malformed: expected IR@{id}@{account}@ServiceEndpoint={host}@{secret}.');
  }
  const [, integrationRuntimeId, accountName, endpointPart, secret] = parts;
  if (!/^[0-9a-fA-F-]{36}$/.test(integrationRuntimeId)) {
    throw new Error('The authentication key is malformed: its integration runtime id is not a GUID.');
  }
  if (!accountName) throw new Error('The authentication key is malformed: it names no account.');
  if (!endpointPart.startsWith('ServiceEndpoint=') || endpointPart.length <= 'ServiceEndpoint='.length) {
    throw new Error('The authentication key is malformed: it has no ServiceEndpoint=host segment.');
  }
  if (!/^[A-Za-z0-9+/]{43}=$/.test(secret)) {
    throw new Error('The authentication key is malformed: its secret is not 32 bytes of base64.');
  }
  return { integrationRuntimeId, accountName, serviceEndpoint: endpointPart.slice('ServiceEndpoint='.length), secret };
}

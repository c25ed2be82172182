import { redactSecrets } from '@purview-emulator/contracts';

/**
 * Redaction for everything a runtime prints: the one shared redaction (libs/contracts `redactSecrets`). URLs lose
 * their query string, fragment and user info; SAS signatures, relay and OAuth tokens, auth-key secrets, node
 * credentials and `Authorization: …` values are masked.
 */
export { REDACTED, redactUrl } from '@purview-emulator/contracts';
export const redactText = redactSecrets;

/** The first line of any thrown value's message, redacted. */
export function describeError(error: unknown, secrets: readonly string[] = []): string {
  const message = error instanceof Error ? error.message : String(error);
  const firstLine = message.split('\n')[0].trim();
  return redactText(firstLine || (error instanceof Error ? error.name : 'unknown error'), secrets);
}

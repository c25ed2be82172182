import type { CompleteJobRequest, DatabaseScanSource } from '@purview-emulator/contracts';
import { DatabaseError } from '@purview-emulator/scan-engine';

type JobError = NonNullable<CompleteJobRequest['error']>;

/**
 * How a database scan failed, in the codes interactive authoring uses too: a refused login names the credential
 * (`credentialSource`, never the password), a server that cannot be reached or went away is retryable (the emulator
 * queues the job again, for any node), an unknown database is not.
 */
export function databaseFailureOf(source: DatabaseScanSource, error: unknown, detail: string): JobError {
  const where = `${source.serverEndpoint}:${source.port}/${source.databaseName}`;
  if (error instanceof DatabaseError) {
    switch (error.code) {
      case 'AuthenticationFailed':
        return {
          code: 'AuthenticationFailed',
          message: `The database server ${where} refused the login of user '${source.user}' from ${source.credentialSource ?? 'the scan'}; check the user name and that the Key Vault secret holds its password. ${detail}`,
          retryable: false,
        };
      case 'DatabaseNotFound':
        return {
          code: 'DatabaseNotFound',
          message: `Database '${source.databaseName}' does not exist on ${source.serverEndpoint}:${source.port}; check the scan's databaseName. ${detail}`,
          retryable: false,
        };
      case 'SourceUnreachable':
        return { code: 'SourceUnreachable', message: `The scan of ${where} failed: ${detail}`, retryable: true };
      default:
        return { code: 'ScanFailed', message: `The scan of ${where} failed: ${detail}`, retryable: false };
    }
  }
  return { code: 'ScanFailed', message: `The scan of ${where} failed: ${detail}` };
}

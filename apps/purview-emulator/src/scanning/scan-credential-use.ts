import { Injectable } from '@nestjs/common';
import type { CompleteJobRequest } from '@purview-emulator/contracts';
import { TransactionRunner } from '../database/transaction-runner';
import { CredentialSecretsService, ResolvedStorageAccess } from '../scan-credentials/credential-secrets.service';
import { ScanRunEntity } from './scan-run.entity';
import { ScanRunsRepository } from './scan-runs.repository';
import { ScansRepository } from './scans.repository';

/** What storage answers when it refuses a key or a SAS signed with it. */
const STORAGE_REFUSAL = /\b403\b|AuthenticationFailed|AuthorizationFailure/;

/**
 * How scan runs use a scan's credential: its account key, resolved from Key Vault when a job is leased (for that job
 * only: the node gets a SAS signed with it), and the words of a failure storage answered to that key.
 */
@Injectable()
export class ScanCredentialUse {
  constructor(
    private readonly scans: ScansRepository,
    private readonly runs: ScanRunsRepository,
    private readonly credentialSecrets: CredentialSecretsService,
    private readonly transactions: TransactionRunner,
  ) {}

  /**
   * How a credential scan reads: the account key its SAS is signed with, or none when its credential authenticated a
   * principal; undefined for a scan without a credential (the emulator's identity reads).
   */
  async storageAccessOf(run: ScanRunEntity): Promise<ResolvedStorageAccess | undefined> {
    const credentialName = await this.scans.credentialOf(run.scanId);
    return credentialName ? this.credentialSecrets.storageAccessOf(credentialName) : undefined;
  }

  /**
   * A part that storage refused while reading with a credential's key fails as AuthenticationFailed, naming the
   * credential and its Key Vault secret (never the value): the node itself knows only the SAS it was given.
   */
  async namedInFailure(jobId: string, body: CompleteJobRequest): Promise<CompleteJobRequest> {
    const error = body.error;
    if (body.status !== 'Failed' || !error || !STORAGE_REFUSAL.test(error.message)) return body;
    const run = await this.transactions.run(async (manager) => {
      const job = await this.runs.findJob(jobId, manager);
      return job ? (await this.runs.findByIds([job.runId], manager))[0] : undefined;
    });
    const credentialName = run ? await this.scans.credentialOf(run.scanId) : undefined;
    if (!credentialName) return body;
    const resolved = await this.credentialSecrets.storageAccessOf(credentialName).catch(() => undefined);
    // A principal's credential reads with the emulator's identity: storage refusing that is not about the credential.
    if (resolved && resolved.accountKey === undefined) return body;
    const source = resolved?.source ?? `credential '${credentialName}'`;
    return {
      ...body,
      error: {
        code: 'AuthenticationFailed',
        message: `The storage account refused the account key of ${source}; check that the secret holds the account's key. ${error.message}`,
        retryable: false,
      },
    };
  }
}

import { Injectable } from '@nestjs/common';
import type { ResetReport } from '@purview-emulator/contracts';
import { PurviewError } from '../common/errors';
import { ResetHooks } from '../common/reset-hooks';
import { DatabaseReset, INTEGRATION_RUNTIME_TABLES } from '../database/database-reset';
import { EmulatorClockService } from './emulator-clock.service';

export const RESET_KEEPABLE = ['integrationRuntimes'] as const;

export type { ResetReport } from '@purview-emulator/contracts';

/**
 * `POST /_emulator/reset`: back to an empty account, as a fresh start would be (built-in types, the root
 * collection, real time on the clock), keeping the token signing key, so tokens in hand stay valid.
 */
@Injectable()
export class EmulatorResetService {
  constructor(
    private readonly database: DatabaseReset,
    private readonly hooks: ResetHooks,
    private readonly clock: EmulatorClockService,
  ) {}

  /** Rows by table: what a reset would empty. */
  rowCounts(): Promise<Record<string, number>> {
    return this.database.rowCounts();
  }

  async reset(keep: string | undefined): Promise<ResetReport> {
    const kept = keep ? keep.split(',').map((k) => k.trim()) : [];
    const unknown = kept.filter((k) => !(RESET_KEEPABLE as readonly string[]).includes(k));
    if (unknown.length)
      throw PurviewError.badRequest(
        `keep may only name ${RESET_KEEPABLE.join(', ')}; '${unknown.join("', '")}' cannot be kept.`,
        'InvalidQueryParameter',
        'keep',
      );
    const keepIntegrationRuntimes = kept.includes('integrationRuntimes');
    const deleted = await this.database.emptyTables(keepIntegrationRuntimes ? INTEGRATION_RUNTIME_TABLES : []);
    await this.clock.reload();
    const problems = await this.hooks.run({ keepIntegrationRuntimes });
    return { kept, deleted, problems };
  }
}

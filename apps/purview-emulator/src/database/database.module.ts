import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import * as fs from 'node:fs';
import { TypeOrmModule } from '@nestjs/typeorm';
import * as path from 'node:path';
import { DataSource } from 'typeorm';
import { EMULATOR_CONFIG, EmulatorConfig } from '../config/emulator-config';
import { MIGRATIONS } from './migrations';
import { TransactionRunner } from './transaction-runner';
import { DatabaseReset } from './database-reset';
import { DatabaseSecrets } from './database-secrets';
import { DATABASE_FILE, openDataDirectory } from './data-directory';
import { sealPlaintextSecrets } from './seal-plaintext-secrets';

export function databaseFile(config: EmulatorConfig): string {
  return path.join(config.dataDir, DATABASE_FILE);
}

/**
 * SQLite under PURVIEW_DATA_DIR (private to its user), WAL on, schema by migrations only (never `synchronize`),
 * secrets sealed with the data directory's key (DatabaseSecrets).
 */
@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [EMULATOR_CONFIG],
      useFactory: (config: EmulatorConfig) => ({
        type: 'better-sqlite3' as const,
        database: openDataDirectory(config).databaseFile,
        autoLoadEntities: true,
        synchronize: false,
        migrations: MIGRATIONS,
        migrationsRun: true,
        migrationsTransactionMode: 'each' as const,
        prepareDatabase: (db: { pragma(sql: string): unknown }) => {
          db.pragma('journal_mode = WAL');
          // WAL's recommended setting: a commit is not synced to disk (checkpoints are), so a crash of the process
          // loses nothing, and only a power cut or OS crash can lose the last commits (never corrupts the database).
          // A full sync on every commit was most of a scan batch's commit time.
          db.pragma('synchronous = NORMAL');
          // Checkpoint when the WAL reaches ~40 MB, not SQLite's ~4 MB: a bulk write (a scan batch, 1,000 entities)
          // rewrites the same index pages again and again, and a checkpoint copies each page once however often it
          // was written since the last one (copying them at every commit was a fifth of the cost of such a write).
          db.pragma('wal_autocheckpoint = 10000');
          db.pragma('busy_timeout = 5000');
          db.pragma('foreign_keys = ON');
        },
      }),
    }),
  ],
  providers: [
    TransactionRunner,
    DatabaseReset,
    {
      // Whatever reads a secret injects this, so it runs first: plain text left by an older version is sealed before any use.
      provide: DatabaseSecrets,
      inject: [EMULATOR_CONFIG, DataSource],
      useFactory: async (config: EmulatorConfig, dataSource: DataSource) => {
        const { secrets } = openDataDirectory(config);
        await sealPlaintextSecrets(dataSource, secrets);
        return secrets;
      },
    },
  ],
  exports: [TransactionRunner, DatabaseSecrets, DatabaseReset],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(EMULATOR_CONFIG) private readonly config: EmulatorConfig) {}

  /** In memory, the temporary directory (TLS material only) goes with the data; a signal ends the process before 'exit'. */
  onApplicationShutdown(): void {
    if (this.config.inMemory) fs.rmSync(this.config.dataDir, { recursive: true, force: true });
  }
}

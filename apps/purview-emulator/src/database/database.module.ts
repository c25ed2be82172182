import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EMULATOR_CONFIG, EmulatorConfig } from '../config/emulator-config';
import { MIGRATIONS } from './migrations';
import { TransactionRunner } from './transaction-runner';

export function databaseFile(config: EmulatorConfig): string {
  return path.join(config.dataDir, 'purview-emulator.sqlite');
}

/** SQLite under PURVIEW_DATA_DIR, WAL on, schema by migrations only (never `synchronize`). */
@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [EMULATOR_CONFIG],
      useFactory: (config: EmulatorConfig) => {
        fs.mkdirSync(config.dataDir, { recursive: true });
        return {
          type: 'better-sqlite3' as const,
          database: databaseFile(config),
          autoLoadEntities: true,
          synchronize: false,
          migrations: MIGRATIONS,
          migrationsRun: true,
          migrationsTransactionMode: 'each' as const,
          prepareDatabase: (db: { pragma(sql: string): unknown }) => {
            db.pragma('journal_mode = WAL');
            db.pragma('busy_timeout = 5000');
            db.pragma('foreign_keys = ON');
          },
        };
      },
    }),
  ],
  providers: [TransactionRunner],
  exports: [TransactionRunner],
})
export class DatabaseModule {}

import { describeEnvProblems, EnvReader } from '@purview-emulator/contracts';
import type { CommandIO } from './commands/io';
import type { LogFormat, LogLevelName } from './log';
import { EXIT, VERSION_ENV, VERSION_PATTERN } from './version';

/**
 * Every setting `shir` takes from its environment (secrets and proxy variables aside, read where they are used),
 * parsed strictly in one place: a bad value stops the command with every problem named, instead of being
 * guessed at ('0x10' as 16) or silently ignored.
 */
export interface RuntimeEnvironment {
  /** SHIR_MAX_CONCURRENT_JOBS: 1 to 64. */
  maxConcurrentJobs?: number;
  /** SHIR_RECONNECT_MAX_MS: 1 to 10000. */
  reconnectMaxMs?: number;
  logFormat?: LogFormat;
  logLevel?: LogLevelName;
  eventLogMaxBytes?: number;
  eventLogFiles?: number;
  skipMachineCheck: boolean;
  /** SHIR_VERSION: the version the node reports as installed (a testing aid). */
  version?: string;
}

export const MAX_CONCURRENT_JOBS_LIMIT = 64;
export const DEFAULT_RECONNECT_MAX_MS = 10_000;

/** A setting from the environment the runtime cannot run with; `problems` has one sentence per variable. */
export class SettingsError extends Error {
  override readonly name = 'SettingsError';
  constructor(readonly problems: readonly string[]) {
    super(describeEnvProblems(problems));
  }
}

/** The runtime's environment, or SettingsError naming every variable that is not valid. */
export function readRuntimeEnvironment(env: NodeJS.ProcessEnv = process.env): RuntimeEnvironment {
  const read = new EnvReader(env);
  const settings: RuntimeEnvironment = {
    maxConcurrentJobs: read.integer('SHIR_MAX_CONCURRENT_JOBS', 1, MAX_CONCURRENT_JOBS_LIMIT, undefined),
    reconnectMaxMs: read.integer('SHIR_RECONNECT_MAX_MS', 1, DEFAULT_RECONNECT_MAX_MS, undefined),
    logFormat: read.oneOf('SHIR_LOG_FORMAT', ['json', 'text'] as const, undefined),
    logLevel: read.oneOf('SHIR_LOG_LEVEL', ['error', 'warn', 'info', 'debug'] as const, undefined),
    eventLogMaxBytes: read.integer('SHIR_EVENT_LOG_MAX_BYTES', 1024, 1024 * 1024 * 1024, undefined),
    eventLogFiles: read.integer('SHIR_EVENT_LOG_FILES', 1, 1000, undefined),
    skipMachineCheck: read.boolean('SHIR_SKIP_MACHINE_CHECK', false),
    version: read.matching(VERSION_ENV, VERSION_PATTERN, 'a four-part version like 5.40.9000.1', undefined),
  };
  if (read.problems.length > 0) throw new SettingsError(read.problems);
  return settings;
}

/**
 * Checked before any command runs: with an invalid environment, says what to fix on stderr (and under --json prints
 * `{"error":{code:"InvalidEnvironment",message,problems}}` on stdout) and returns exit code 1; undefined when valid.
 */
export function refuseInvalidEnvironment(io: CommandIO, json: boolean | undefined): number | undefined {
  try {
    readRuntimeEnvironment(io.env);
    return undefined;
  } catch (error) {
    if (!(error instanceof SettingsError)) throw error;
    io.err(
      `${error.message}\nFix ${error.problems.length === 1 ? 'this variable' : 'these variables'} (or unset ${error.problems.length === 1 ? 'it' : 'them'} for the default) and run the command again.`,
    );
    if (json)
      io.out(
        JSON.stringify({ error: { code: 'InvalidEnvironment', message: error.message, problems: error.problems } }),
      );
    return EXIT.usage;
  }
}

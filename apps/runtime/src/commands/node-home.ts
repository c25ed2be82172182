import { EmulatorError, UnreachableError } from '../client/errors';
import { RuntimeClient } from '../client/runtime-client';
import { HomeError } from '../home/files';
import { HostServiceRunningError, runningHostService } from '../home/lock';
import { type NodeConfig, openNodeCredential, readNodeConfig } from '../home/node-config';
import { type HomePaths, homePaths, resolveHome } from '../home/paths';
import { describeError } from '../redact';
import { EXIT } from '../version';
import type { CommandIO } from './io';
import { NOT_REGISTERED } from './status';

/** A command's failure: a code for `--json`, a message that says what to fix, and the exit code. */
export class CommandFailure extends Error {
  override readonly name = 'CommandFailure';
  constructor(
    readonly code: string,
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

/** Prints a failure (stderr; with --json also `{"error":{code,message}}` on stdout) and returns its exit code. */
export function reportFailure(
  error: unknown,
  io: CommandIO,
  json: boolean | undefined,
  extra: Record<string, unknown> = {},
): number {
  const failure =
    error instanceof CommandFailure
      ? error
      : error instanceof HostServiceRunningError
        ? new CommandFailure('HostServiceRunning', error.message, EXIT.usage)
        : error instanceof HomeError
          ? new CommandFailure('InvalidHome', error.message, EXIT.usage)
          : new CommandFailure('InternalError', `Unexpected error: ${describeError(error)}`, EXIT.service);
  io.err(failure.message);
  if (json) io.out(JSON.stringify({ ...extra, error: { code: failure.code, message: failure.message } }));
  return failure.exitCode;
}

export interface RegisteredHome {
  home: string;
  paths: HomePaths;
  config: NodeConfig;
}

/** The node registered in the home, or a CommandFailure (exit 1) saying how to register one. */
export function registeredHome(homeOption: string | undefined, env: NodeJS.ProcessEnv): RegisteredHome {
  const home = resolveHome(homeOption, env);
  const paths = homePaths(home);
  const config = readNodeConfig(paths);
  if (!config) throw new CommandFailure('NotRegistered', `${NOT_REGISTERED} (home: ${home})`, EXIT.usage);
  return { home, paths, config };
}

/** A client authenticated as the home's node (the credential is decrypted for the call only). */
export function nodeClient(
  { paths, config }: RegisteredHome,
  env: NodeJS.ProcessEnv,
  timeoutMs = 15_000,
): RuntimeClient {
  return new RuntimeClient({
    baseUrl: config.emulatorUrl,
    credential: openNodeCredential(paths, config, env),
    timeoutMs,
  });
}

/** Refuses to change a home while its host service runs. */
export function ensureStopped(paths: HomePaths, what: string): void {
  const holder = runningHostService(paths);
  if (holder) {
    throw new CommandFailure(
      'HostServiceRunning',
      `The host service for ${paths.home} is running (pid ${holder.pid}, started ${holder.startedAt}). Stop it with 'shir stop' before you ${what}.`,
      EXIT.usage,
    );
  }
}

/** A failed call to the integration service, as a CommandFailure that says what happened and what to do. */
export function serviceFailure(error: unknown, endpoint: string, action: string): CommandFailure {
  if (error instanceof UnreachableError) {
    return new CommandFailure(
      'ServiceUnreachable',
      `Cannot ${action}: the integration service at ${endpoint} is unreachable (${error.code}). Check that the emulator is running and that this machine can reach ${new URL(endpoint).host}.`,
      EXIT.service,
    );
  }
  if (error instanceof EmulatorError) {
    const detail = `(HTTP ${error.status} ${error.code}: ${error.message})`;
    if (error.status === 401) {
      return new CommandFailure(
        'NodeNotRegistered',
        `Cannot ${action}: the integration service no longer accepts this node's credential; the node was removed from its integration runtime, or the runtime was deleted. Register again with 'shir register --force --key <authKey>'. ${detail}`,
        EXIT.service,
      );
    }
    return new CommandFailure(error.code, `Cannot ${action}: the integration service refused. ${detail}`, EXIT.service);
  }
  if (error instanceof HomeError) return new CommandFailure('InvalidHome', error.message, EXIT.usage);
  return new CommandFailure('InternalError', `Cannot ${action}: ${describeError(error)}`, EXIT.service);
}

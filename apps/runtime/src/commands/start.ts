import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { HomeError } from '../home/files';
import {
  acquireHostServiceLock,
  HostServiceRunningError,
  isLockLive,
  readHostServiceLock,
  releaseHostServiceLock,
  runningHostService,
  type HostServiceLock,
} from '../home/lock';
import { type LocalSettings, readLocalSettings, updateLocalSettings } from '../home/local-settings';
import { type NodeConfig, openNodeCredential, readNodeConfig } from '../home/node-config';
import { type HomePaths, homePaths, resolveHome } from '../home/paths';
import { HostService, type HostServiceOptions } from '../host-service/host-service';
import { readRuntimeEnvironment } from '../environment';
import { createLogger, type Logger, type LoggerOptions, logFormatFrom } from '../log';
import { describeError } from '../redact';
import { RotatingFiles, rotationFromEnv } from '../rotating-files';
import { hostServiceSettings, nodeVersion, SettingsError } from '../settings';
import { EXIT } from '../version';
import { type CommandIO, processIO } from './io';
import { checkMachine } from './machine-check';
import { NOT_REGISTERED } from './status';
import { type Command, Option } from 'commander';
import { type CliContext, ENVIRONMENT_HELP, EXIT_CODES_HELP, homeOption } from './cli-kit';

export interface StartOptions {
  home?: string;
  json?: boolean;
  /** Run the host service in the background (a detached process) and return once it holds the home. */
  detach?: boolean;
  /** How long `--detach` waits for the host service to come up (default 15 s). */
  waitMs?: number;
  /** Set in the process `--detach` starts: its output goes to <home>/logs/host-service.out, rotated by size. */
  detachedOutput?: boolean;
}

/** How long a shutdown may wait for jobs and calls to wind down before the process exits anyway. */
const SHUTDOWN_GRACE_MS = 1500;

export interface PreparedHostService {
  service: HostService;
  logger: Logger;
  paths: HomePaths;
}

/** The command line that runs this CLI again (for `start --detach`): node, its flags, the CLI script. */
export function currentCli(): string[] {
  return [process.execPath, ...process.execArgv, process.argv[1]];
}

/**
 * Everything `shir start` checks before running: a registered node, a readable credential, valid settings, and the
 * home's lock (one host service per home). On success this process holds the lock; the caller releases it.
 */
export function prepareHostService(
  options: StartOptions,
  io: CommandIO,
  overrides: Partial<HostServiceOptions> = {},
): PreparedHostService | number {
  const home = resolveHome(options.home, io.env);
  const paths = homePaths(home);
  let config: NodeConfig | undefined;
  let credential: string;
  let local: LocalSettings;
  try {
    config = readNodeConfig(paths);
    if (!config) {
      io.err(`${NOT_REGISTERED} (home: ${home})`);
      return EXIT.usage;
    }
    credential = openNodeCredential(paths, config, io.env);
    local = readLocalSettings(paths);
  } catch (error) {
    if (!(error instanceof HomeError)) throw error;
    io.err(error.message);
    return EXIT.usage;
  }
  let settings;
  let version: string;
  try {
    settings = hostServiceSettings(io.env);
    version = nodeVersion(io.env, local.version);
  } catch (error) {
    if (!(error instanceof SettingsError)) throw error;
    io.err(error.message);
    return EXIT.usage;
  }
  try {
    acquireHostServiceLock(paths);
  } catch (error) {
    if (!(error instanceof HomeError)) throw error;
    io.err(error.message);
    return EXIT.usage;
  }
  const logger =
    overrides.logger ??
    createLogger({ format: logFormatFrom(options.json, io.env), write: io.out, ...logLevelOption(local, io.env) });
  const service = new HostService({
    paths,
    config,
    credential,
    settings,
    logger,
    version,
    onVersionAdopted: (adopted) => updateLocalSettings(paths, { version: adopted }),
    ...overrides,
  });
  return { service, logger, paths };
}

/** The log level: SHIR_LOG_LEVEL when set, else the home's (`shir log-level`). */
function logLevelOption(local: LocalSettings, env: NodeJS.ProcessEnv): Pick<LoggerOptions, 'level'> {
  return { level: readRuntimeEnvironment(env).logLevel ?? local.logLevel };
}

/**
 * `shir start`: the host service in the foreground, until SIGTERM/SIGINT (exit 0) or until the service rejects the
 * node's credential (exit 2). With `detach`, starts it in the background instead (see `startDetached`).
 */
export async function runStart(
  options: StartOptions,
  io: CommandIO = processIO,
  cli: string[] = currentCli(),
): Promise<number> {
  if (options.detach) return startDetached(options, io, cli);
  if (options.detachedOutput) io = detachedOutputIO(homePaths(resolveHome(options.home, io.env)), io);
  const prepared = prepareHostService(options, io);
  if (typeof prepared === 'number') return prepared;
  const { service, logger, paths } = prepared;
  checkMachine(paths.home, (line) => io.err(line), io.env);

  let stopping = false;
  let graceExpired!: () => void;
  const grace = new Promise<'timeout'>((resolve) => (graceExpired = () => resolve('timeout')));
  let graceTimer: NodeJS.Timeout | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info(`Received ${signal}: stopping the host service`);
    service.stop();
    // A slow call must not hold the exit: after the grace period, record Disconnected and go.
    graceTimer = setTimeout(graceExpired, SHUTDOWN_GRACE_MS);
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  try {
    const exit = await Promise.race([service.run(), grace]);
    if (exit === 'timeout') {
      service.connection.disconnected();
      logger.info('Host service stopped');
      return EXIT.ok;
    }
    return exit === 'revoked' ? EXIT.service : EXIT.ok;
  } catch (error) {
    logger.error(`The host service failed: ${describeError(error)}`);
    service.connection.disconnected(`The host service failed: ${describeError(error)}`);
    return EXIT.service;
  } finally {
    if (graceTimer) clearTimeout(graceTimer);
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
    releaseHostServiceLock(paths);
  }
}

export interface DetachedStart {
  pid: number;
  home: string;
  nodeName: string;
  log: string;
}

/**
 * `shir start --detach`: checks the home, spawns `shir start` as a detached process (output appended to
 * `<home>/logs/host-service.out`), waits until it holds the home's pid file, prints its pid and returns 0. When the
 * background process fails first, its last output lines say why and the exit code is its own.
 */
export async function startDetached(options: StartOptions, io: CommandIO, cli: string[]): Promise<number> {
  const home = resolveHome(options.home, io.env);
  const paths = homePaths(home);
  const fail = (code: string, message: string, exit: number) => {
    io.err(message);
    if (options.json) io.out(JSON.stringify({ started: false, home, error: { code, message } }));
    return exit;
  };
  let config: NodeConfig | undefined;
  try {
    config = readNodeConfig(paths);
    if (!config) return fail('NotRegistered', `${NOT_REGISTERED} (home: ${home})`, EXIT.usage);
    openNodeCredential(paths, config, io.env);
    const holder = runningHostService(paths);
    if (holder) throw new HostServiceRunningError(home, holder);
    fs.mkdirSync(paths.logs, { recursive: true, mode: 0o700 });
  } catch (error) {
    if (!(error instanceof HomeError)) throw error;
    return fail(
      error instanceof HostServiceRunningError ? 'HostServiceRunning' : 'InvalidHome',
      error.message,
      EXIT.usage,
    );
  }
  const started = await spawnHostService(paths, io.env, cli, options);
  if ('error' in started) return fail('HostServiceFailed', started.error, started.exitCode);
  const result: DetachedStart = { pid: started.lock.pid, home, nodeName: config.node.name, log: paths.detachedOutput };
  if (options.json) io.out(JSON.stringify({ started: true, ...result, startedAt: started.lock.startedAt }));
  else {
    io.out(`The host service of node '${result.nodeName}' is running in the background (pid ${result.pid}).`);
    io.out(`Output: ${result.log}`);
    io.out(`Stop it with: shir stop${options.home ? ` --home ${options.home}` : ''}`);
  }
  return EXIT.ok;
}

/**
 * <home>/logs/host-service.out and its rotated predecessors host-service-000001.out, …: sized like the event log
 * (SHIR_EVENT_LOG_MAX_BYTES, SHIR_EVENT_LOG_FILES), one writer (the host service holding the home).
 */
export function detachedOutputFiles(paths: HomePaths, env: NodeJS.ProcessEnv): RotatingFiles {
  let rotation = {};
  try {
    rotation = rotationFromEnv(env);
  } catch (error) {
    if (!(error instanceof SettingsError)) throw error; // the host service refuses that environment itself, into this file
  }
  return new RotatingFiles(
    paths.logs,
    { stem: 'host-service', ext: '.out', current: path.basename(paths.detachedOutput) },
    rotation,
  );
}

/** The detached host service writes its lines through the rotating files (its raw stdout and stderr only when they fail). */
function detachedOutputIO(paths: HomePaths, io: CommandIO): CommandIO {
  const files = detachedOutputFiles(paths, io.env);
  return {
    ...io,
    out: (line) => files.append(`${line}\n`) || io.out(line),
    err: (line) => files.append(`${line}\n`) || io.err(line),
  };
}

/** Spawns the host service detached and waits until it holds the home (or fails). */
export async function spawnHostService(
  paths: HomePaths,
  env: NodeJS.ProcessEnv,
  cli: string[],
  options: { json?: boolean; waitMs?: number },
): Promise<{ lock: HostServiceLock } | { error: string; exitCode: number }> {
  fs.mkdirSync(paths.logs, { recursive: true, mode: 0o700 });
  // The child writes its lines through the rotating files; its raw stdout and stderr (a crash's trace) go to the same
  // file by descriptor. A start rotates a file more than half full, so that early output lands in host-service.out.
  const files = detachedOutputFiles(paths, env);
  files.makeRoom(Math.floor(files.maxBytes / 2));
  const output = fs.openSync(paths.detachedOutput, 'a', 0o600);
  const before = fs.fstatSync(output).size;
  const [command, ...args] = cli;
  const child = spawn(
    command,
    [...args, 'start', '--home', paths.home, '--detached-output', ...(options.json ? ['--json'] : [])],
    {
      detached: true,
      stdio: ['ignore', output, output],
      env: { ...env },
      windowsHide: true,
    },
  );
  fs.closeSync(output);
  let exited: number | null | undefined;
  let spawnError: Error | undefined;
  child.once('exit', (code) => (exited = code ?? EXIT.service));
  child.once('error', (error) => (spawnError = error));
  const deadline = Date.now() + (options.waitMs ?? 15_000);
  try {
    for (;;) {
      const lock = readHostServiceLock(paths);
      if (lock && lock.pid === child.pid && isLockLive(paths, lock)) return { lock };
      if (spawnError)
        return {
          error: `Cannot start the host service (${cli.join(' ')}): ${spawnError.message}`,
          exitCode: EXIT.service,
        };
      if (exited !== undefined) {
        const tail = outputSince(paths.detachedOutput, before);
        return {
          error: `The host service exited with code ${exited} before it was running.${tail ? `\n${tail}` : ''}`,
          exitCode: exited === 0 ? EXIT.service : (exited ?? EXIT.service),
        };
      }
      if (Date.now() > deadline) {
        return {
          error: `The host service (pid ${child.pid}) did not take the home within ${Math.round((options.waitMs ?? 15_000) / 1000)} s; see ${paths.detachedOutput}, and stop it with 'shir stop' or kill ${child.pid}.`,
          exitCode: EXIT.service,
        };
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    child.unref();
  }
}

/** The last lines a detached host service wrote after `offset`. */
function outputSince(file: string, offset: number): string {
  try {
    const content = fs.readFileSync(file);
    // Rotated meanwhile: the current file holds only this run's output.
    const text = content
      .subarray(content.length >= offset ? offset : 0)
      .toString('utf8')
      .trim();
    return text.split('\n').slice(-10).join('\n');
  } catch {
    return '';
  }
}

/** `shir start`. */
export function register(program: Command, cli: CliContext): void {
  program
    .command('start')
    .description(
      'Run the host service: heartbeats, leasing scan jobs and running them. In the foreground until SIGTERM/SIGINT, or in the background with --detach.',
    )
    .addOption(homeOption('home of the registered node'))
    .option('--detach', 'run in the background: print the pid once the host service holds the home, then exit')
    .option(
      '--json',
      'log JSON lines instead of plain lines (or SHIR_LOG_FORMAT=json); with --detach, print the result as one JSON object',
    )
    // What --detach passes to the process it starts: write to <home>/logs/host-service.out, rotated.
    .addOption(new Option('--detached-output').hideHelp())
    .addHelpText(
      'after',
      `
One host service runs per home; <home>/host-service.pid names it (a pid file left by a process that is gone is
taken over). While running, the connection state (Connected / Connecting / Disconnected) is kept in
<home>/state.json for 'shir status'. When the service is unreachable the node reconnects by itself, with backoff.
SIGTERM or SIGINT (or 'shir stop') stops it at once (exit 0); running scans are left to their leases, and the
emulator queues them again. With --detach the output goes to <home>/logs/host-service.out, rotated like the
event log (host-service-000001.out, … kept).

Examples:
  shir start
  shir start --detach --json
  SHIR_MAX_CONCURRENT_JOBS=2 shir start --home /var/lib/shir-node2 --json
${EXIT_CODES_HELP}
${ENVIRONMENT_HELP}
`,
    )
    .action(async (options: StartOptions) => cli.exit(await runStart(options, cli.io)));
}

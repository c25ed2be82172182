import { clearStaleLock, type HostServiceLock, isLockLive, readHostServiceLock } from '../home/lock';
import { homePaths, type HomePaths, resolveHome } from '../home/paths';
import { isProcessAlive } from '../home/state-file';
import { EXIT } from '../version';
import { type CommandIO, processIO } from './io';
import { reportFailure, CommandFailure } from './node-home';
import { currentCli, startDetached, type StartOptions } from './start';
import { type Command, Option } from 'commander';
import { type CliContext, EXIT_CODES_HELP, homeOption, wholeNumber } from './cli-kit';

export interface StopOptions {
  home?: string;
  json?: boolean;
  /** How long to wait for the host service to exit (default 15 s). */
  timeoutMs?: number;
}

export type StopOutcome = { running: false } | { running: true; pid: number; startedAt: string };

/**
 * Stops the home's host service: SIGTERM (on Windows, process.kill ends the process at once), then waits until the
 * process is gone. Resolves with what was running; a process that outlives the timeout is a CommandFailure.
 */
export async function stopHostService(paths: HomePaths, timeoutMs = 15_000): Promise<StopOutcome> {
  const lock = readHostServiceLock(paths);
  if (!lock || !isLockLive(paths, lock)) {
    clearStaleLock(paths);
    return { running: false };
  }
  if (lock.pid === process.pid)
    throw new CommandFailure(
      'HostServiceInThisProcess',
      'The host service of this home runs in this very process; stop it with SIGTERM or Ctrl+C.',
      EXIT.usage,
    );
  try {
    process.kill(lock.pid, 'SIGTERM');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ESRCH') return gone(paths, lock);
    throw new CommandFailure(
      'CannotStop',
      `Cannot stop the host service (pid ${lock.pid}): ${code === 'EPERM' ? 'it belongs to another user; run shir stop as that user' : (error as Error).message}.`,
      EXIT.usage,
    );
  }
  const deadline = Date.now() + timeoutMs;
  while (isProcessAlive(lock.pid) && isLockLive(paths, lock)) {
    if (Date.now() > deadline) {
      throw new CommandFailure(
        'StopTimedOut',
        `The host service (pid ${lock.pid}) did not stop within ${Math.round(timeoutMs / 1000)} s. Try again, or end it with: kill -9 ${lock.pid}`,
        EXIT.usage,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return gone(paths, lock);
}

function gone(paths: HomePaths, lock: HostServiceLock): StopOutcome {
  clearStaleLock(paths);
  return { running: true, pid: lock.pid, startedAt: lock.startedAt };
}

/** `shir stop`: exit 0 when the host service stopped or was not running. */
export async function runStop(options: StopOptions, io: CommandIO = processIO): Promise<number> {
  const home = resolveHome(options.home, io.env);
  try {
    const outcome = await stopHostService(homePaths(home), options.timeoutMs);
    if (options.json)
      io.out(
        JSON.stringify({
          stopped: outcome.running,
          wasRunning: outcome.running,
          home,
          pid: outcome.running ? outcome.pid : null,
        }),
      );
    else
      io.out(
        outcome.running
          ? `Stopped the host service (pid ${outcome.pid}) of ${home}.`
          : `The host service for ${home} is not running.`,
      );
    return EXIT.ok;
  } catch (error) {
    return reportFailure(error, io, options.json, { stopped: false, home });
  }
}

/** `shir restart`: stop (if running), then `start --detach`. */
export async function runRestart(
  options: StopOptions & Pick<StartOptions, 'waitMs'>,
  io: CommandIO = processIO,
  cli: string[] = currentCli(),
): Promise<number> {
  const home = resolveHome(options.home, io.env);
  let outcome: StopOutcome;
  try {
    outcome = await stopHostService(homePaths(home), options.timeoutMs);
  } catch (error) {
    return reportFailure(error, io, options.json, { restarted: false, home });
  }
  if (!options.json)
    io.out(outcome.running ? `Stopped the host service (pid ${outcome.pid}).` : 'The host service was not running.');
  const lines: string[] = [];
  const exit = await startDetached(
    { home: options.home, json: options.json, waitMs: options.waitMs },
    options.json ? { ...io, out: (l) => lines.push(l) } : io,
    cli,
  );
  if (options.json) {
    const started = lines.length > 0 ? (JSON.parse(lines[lines.length - 1]) as Record<string, unknown>) : {};
    io.out(
      JSON.stringify({ restarted: exit === EXIT.ok, previousPid: outcome.running ? outcome.pid : null, ...started }),
    );
  }
  return exit;
}

/** `shir stop` and `shir restart`. */
export function register(program: Command, cli: CliContext): void {
  program
    .command('stop')
    .description(
      "Stop the host service of a home (the one 'shir start --detach' or 'shir start' runs), and wait until it is gone.",
    )
    .addOption(homeOption())
    .addOption(timeoutOption('how long to wait for it to exit'))
    .option('--json', 'print one JSON object: {stopped, wasRunning, home, pid}')
    .addHelpText(
      'after',
      `
Sends SIGTERM to the process in <home>/host-service.pid (on Windows the process is ended at once) and waits until
it exits. Exits 0 when it stopped or was not running, 1 when it did not stop in time.

Examples:
  shir stop
  shir stop --home /var/lib/shir-node2 --json
${EXIT_CODES_HELP}
`,
    )
    .action(async (options: StopOptions & { timeout: number }) =>
      cli.exit(await runStop({ ...options, timeoutMs: options.timeout * 1000 }, cli.io)),
    );

  program
    .command('restart')
    .description('Stop the host service if it runs, then start it in the background (start --detach).')
    .addOption(homeOption())
    .addOption(timeoutOption('how long to wait for the old host service to exit'))
    .option('--json', 'print one JSON object: {restarted, previousPid, pid, home, log}')
    .addHelpText(
      'after',
      `
Examples:
  shir restart
  shir restart --home /var/lib/shir-node2 --json
${EXIT_CODES_HELP}
`,
    )
    .action(async (options: StopOptions & { timeout: number }) =>
      cli.exit(await runRestart({ ...options, timeoutMs: options.timeout * 1000 }, cli.io)),
    );
}

/** `--timeout <seconds>`: 15 by default; anything but 1 to 3600 whole seconds is refused. */
function timeoutOption(description: string): Option {
  return new Option('--timeout <seconds>', description)
    .default(15)
    .argParser(wholeNumber('a whole number of seconds', 1, 3600));
}

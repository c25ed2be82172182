import { displayValue } from '@purview-emulator/contracts';
import * as fs from 'node:fs';
import { homePaths, resolveHome } from '../home/paths';
import { eventLogFiles, type LogRecord, parseLogLevel } from '../log';
import { EXIT } from '../version';
import { type CommandIO, processIO } from './io';
import { type Command, Option } from 'commander';
import { type CliContext, homeOption } from './cli-kit';

export interface LogsOptions {
  home?: string;
  json?: boolean;
  follow?: boolean;
  /** Show only the last N records first (default 50; 0 = all). */
  lines?: string;
  /** Only records at or above this level. */
  level?: string;
  /** Only records whose `event` is this (UnableToConnect, ComponentRestart, ProxySettingsChanged…). */
  event?: string;
  /** Stops following (tests). */
  signal?: AbortSignal;
  /** How often --follow looks for new lines (default 250 ms). */
  pollMs?: number;
}

const RANK: Record<string, number> = { DEBUG: 10, INFO: 20, WARN: 30, ERROR: 40 };

/**
 * `shir logs`: the event log of the home (<home>/logs/events-*.log), oldest first; `--follow` keeps printing new
 * records (across rotations) until interrupted. Text lines `time LEVEL message`, or the JSON records with --json.
 */
export async function runLogs(options: LogsOptions, io: CommandIO = processIO): Promise<number> {
  const home = resolveHome(options.home, io.env);
  const directory = homePaths(home).logs;
  const count = options.lines === undefined ? 50 : Number(options.lines);
  if (!Number.isInteger(count) || count < 0) {
    io.err(`--lines must be a whole number, 0 for all (it is '${options.lines}').`);
    return EXIT.usage;
  }
  const minimum = options.level === undefined ? undefined : parseLogLevel(options.level);
  if (options.level !== undefined && !minimum) {
    io.err(`--level must be debug, info, warn or error (it is '${options.level}').`);
    return EXIT.usage;
  }
  const keep = (record: LogRecord) =>
    (!minimum || (RANK[record.level] ?? 0) >= RANK[minimum.toUpperCase()]) &&
    (!options.event || record.event === options.event);
  const print = (record: LogRecord) => {
    if (!keep(record)) return;
    if (options.json) io.out(JSON.stringify(record));
    else
      io.out(
        `${record.time} ${record.level} ${record.message}${record.event ? ` [${displayValue(record.event)}]` : ''}`,
      );
  };

  // Offsets per file: what has been printed already.
  const offsets = new Map<string, number>();
  const pending = new Map<string, string>();
  const readNew = (): LogRecord[] => {
    const records: LogRecord[] = [];
    for (const file of eventLogFiles(directory)) {
      let data: Buffer;
      try {
        data = fs.readFileSync(file);
      } catch {
        continue;
      }
      const from = offsets.get(file) ?? 0;
      if (data.length < from) offsets.set(file, 0);
      const text = (pending.get(file) ?? '') + data.subarray(Math.min(from, data.length)).toString('utf8');
      offsets.set(file, data.length);
      const lines = text.split('\n');
      pending.set(file, lines.pop() ?? '');
      for (const line of lines) {
        if (!line.trim()) continue;
        try {
          records.push(JSON.parse(line) as LogRecord);
        } catch {
          /* torn line */
        }
      }
    }
    for (const file of [...offsets.keys()]) if (!fs.existsSync(file)) offsets.delete(file);
    return records;
  };

  const initial = readNew().filter(keep);
  if (initial.length === 0 && !options.follow && eventLogFiles(directory).length === 0) {
    io.err(`No event log in ${directory} yet: the host service (shir start) and shir commands write it.`);
    return EXIT.ok;
  }
  for (const record of count === 0 ? initial : initial.slice(-count)) print(record);
  if (!options.follow) return EXIT.ok;

  let done = false;
  let wake: () => void = () => undefined;
  const finish = () => {
    done = true;
    wake();
  };
  options.signal?.addEventListener('abort', finish, { once: true });
  process.once('SIGINT', finish);
  process.once('SIGTERM', finish);
  try {
    while (!done && !options.signal?.aborted) {
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, options.pollMs ?? 250);
      });
      for (const record of readNew()) print(record);
    }
  } finally {
    process.off('SIGINT', finish);
    process.off('SIGTERM', finish);
    options.signal?.removeEventListener('abort', finish);
  }
  return EXIT.ok;
}

/** `shir logs`. */
export function register(program: Command, cli: CliContext): void {
  program
    .command('logs')
    .description("Print the node's event log (<home>/logs/events-*.log); --follow keeps printing new records.")
    .option('-f, --follow', 'keep printing new records until Ctrl-C')
    .option('-n, --lines <count>', 'print the last <count> records first (default 50; 0 for all)')
    .addOption(
      new Option('--level <level>', 'only records at or above this level').choices(['debug', 'info', 'warn', 'error']),
    )
    .option(
      '--event <name>',
      'only records of one event: UnableToConnect, ComponentRestart, ProxySettingsChanged, ProxySettingsSaved, RegistrationFailed',
    )
    .addOption(homeOption())
    .option('--json', 'print the JSON records as they are stored, one per line')
    .addHelpText(
      'after',
      `
The event log holds every line of the host service at or above the log level ('shir log-level'), plus what shir
commands do to the home (proxy changes, registration failures), one JSON object per line:
  {"time","level","message","pid",…, "event"?: "UnableToConnect" | "ComponentRestart" | …}
Files rotate by size (SHIR_EVENT_LOG_MAX_BYTES, default 5 MiB); the newest SHIR_EVENT_LOG_FILES (default 5) are kept.
No secret is ever written to it.

Examples:
  shir logs
  shir logs --follow --level warn
  shir logs --event UnableToConnect --json -n 0
`,
    )
    .action(async (options: LogsOptions) => {
      cli.exit(await runLogs(options, cli.io));
    });
}

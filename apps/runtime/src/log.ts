import * as fs from 'node:fs';
import * as path from 'node:path';
import { readRuntimeEnvironment } from './environment';
import { redactText } from './redact';
import {
  DEFAULT_ROTATION,
  numberedFiles,
  RotatingFiles,
  type RotatingFilesNaming,
  type RotatingFilesOptions,
  rotationFromEnv,
} from './rotating-files';

export type LogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
/** The names people type (`shir log-level warn`, SHIR_LOG_LEVEL=debug). */
export type LogLevelName = 'debug' | 'info' | 'warn' | 'error';
export type LogFormat = 'text' | 'json';
export type LogFields = Record<string, string | number | boolean | null | undefined>;

export const LOG_LEVEL_NAMES: readonly LogLevelName[] = ['debug', 'info', 'warn', 'error'];
const RANK: Record<LogLevel, number> = { DEBUG: 10, INFO: 20, WARN: 30, ERROR: 40 };

/** One log line as a record: what the event log stores, one JSON object per line. */
export interface LogRecord {
  time: string;
  level: LogLevel;
  message: string;
  [field: string]: unknown;
}

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** Registers a secret (the node credential, say) that must never appear in a line, whatever the message. */
  addSecret(secret: string): void;
  /** Also writes every line (at or above the minimum level) to the event log, as a JSON record. */
  attachEventLog?(eventLog: EventLog): void;
}

export interface LoggerOptions {
  format?: LogFormat;
  /** Where lines go; stdout by default. */
  write?: (line: string) => void;
  now?: () => Date;
  /** Lines below this level are dropped (default info). */
  level?: LogLevelName;
  /** The event log every line also goes to (see EventLog). */
  eventLog?: EventLog;
  /** Added to every event-log record, e.g. { source: 'host-service' }. */
  eventFields?: LogFields;
}

/** `warn` / `WARN` → 'warn'; anything else → undefined. */
export function parseLogLevel(text: string | undefined): LogLevelName | undefined {
  const value = (text ?? '').trim().toLowerCase();
  return (LOG_LEVEL_NAMES as readonly string[]).includes(value) ? (value as LogLevelName) : undefined;
}

/**
 * Plain lines `2026-11-27T00:00:00.000Z INFO message`, or JSON lines `{"time","level","message",…fields}`.
 * Every message and string field passes through `redactText`, so a URL or error that slips in loses its secrets.
 * The same redacted record goes to the event log when one is attached.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const format = options.format ?? 'text';
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const now = options.now ?? (() => new Date());
  const minimum = RANK[(options.level ?? 'info').toUpperCase() as LogLevel] ?? RANK.INFO;
  const secrets: string[] = [];
  const eventLogs: EventLog[] = options.eventLog ? [options.eventLog] : [];
  const clean = (text: string) => redactText(text, secrets);

  const emit = (level: LogLevel, message: string, fields?: LogFields) => {
    if (RANK[level] < minimum) return;
    const time = now().toISOString();
    const record: LogRecord = { time, level, message: clean(message) };
    for (const [key, value] of Object.entries(fields ?? {})) {
      if (value !== undefined) record[key] = typeof value === 'string' ? clean(value) : value;
    }
    if (format === 'json') write(JSON.stringify(record));
    else write(`${time} ${level} ${record.message}`);
    if (eventLogs.length > 0) {
      const event: LogRecord = { ...record, pid: process.pid };
      for (const [key, value] of Object.entries(options.eventFields ?? {}))
        if (value !== undefined && !(key in event)) event[key] = typeof value === 'string' ? clean(value) : value;
      for (const log of eventLogs) log.append(event);
    }
  };

  return {
    debug: (message, fields) => emit('DEBUG', message, fields),
    info: (message, fields) => emit('INFO', message, fields),
    warn: (message, fields) => emit('WARN', message, fields),
    error: (message, fields) => emit('ERROR', message, fields),
    addSecret: (secret) => {
      if (secret) secrets.push(secret);
    },
    attachEventLog: (eventLog) => {
      if (!eventLogs.includes(eventLog)) eventLogs.push(eventLog);
    },
  };
}

/** `--json` wins; otherwise SHIR_LOG_FORMAT=json selects JSON lines. */
export function logFormatFrom(json: boolean | undefined, env: NodeJS.ProcessEnv = process.env): LogFormat {
  if (json) return 'json';
  return readRuntimeEnvironment(env).logFormat ?? 'text';
}

/**
 * The SHIR's own event-log messages, written when those conditions happen (the Windows SHIR writes them to the
 * "Integration Runtime" event log; this runtime to <home>/logs). `event` is the record's `event` field.
 */
export const EVENT_MESSAGES = {
  /** A call to a service failed to connect (DNS, TCP, TLS or the proxy). */
  unableToConnect: { event: 'UnableToConnect', message: 'Unable to connect to the remote server' },
  /** The host service gave up on its connections and opened new ones (persisting failures, or new proxy settings). */
  componentRestart: {
    event: 'ComponentRestart',
    message:
      'A component of Integration Runtime has become unresponsive and restarts automatically. Component name: Integration Runtime (Self-hosted).',
  },
  proxySettingsChanged: {
    event: 'ProxySettingsChanged',
    message: 'The proxy settings changed; the Integration Runtime (Self-hosted) host service restarts its connections.',
  },
  registrationFailed: {
    event: 'RegistrationFailed',
    message:
      'Failed to register this Integration Runtime node! Confirm that the Authentication key is valid and the integration service host service is running on this machine.',
  },
} as const;

export type EventLogOptions = Partial<RotatingFilesOptions>;

const EVENT_FILES: RotatingFilesNaming = { stem: 'events', ext: '.log' };
export const DEFAULT_EVENT_LOG_MAX_BYTES = DEFAULT_ROTATION.maxBytes;
export const DEFAULT_EVENT_LOG_FILES = DEFAULT_ROTATION.keep;

export function eventLogDirectory(home: string): string {
  return path.join(home, 'logs');
}

/** The event log files of a directory, oldest first. */
export function eventLogFiles(directory: string): string[] {
  return numberedFiles(directory, EVENT_FILES);
}

/**
 * The event log of a home: JSON lines in `<home>/logs/events-000001.log`, `events-000002.log`, …; the newest file
 * takes new records and is rotated by size (default 5 MiB); only the newest `keep` files (default 5) stay. Several
 * processes of one home (the host service, `shir register`, `shir proxy set`) append to it; each record carries its
 * pid. Writing never throws: a full disk must not stop the runtime.
 */
export class EventLog {
  readonly directory: string;
  private readonly files: RotatingFiles;

  constructor(directory: string, options: EventLogOptions = {}) {
    this.directory = directory;
    this.files = new RotatingFiles(directory, EVENT_FILES, options);
  }

  /** The event log of a home, sized from SHIR_EVENT_LOG_MAX_BYTES and SHIR_EVENT_LOG_FILES when set. */
  static forHome(home: string, env: NodeJS.ProcessEnv = process.env): EventLog {
    return new EventLog(eventLogDirectory(home), rotationFromEnv(env));
  }

  append(record: LogRecord): void {
    this.files.append(`${JSON.stringify(record)}\n`); // when it cannot, the console still has every line
  }
}

/** Every record of an event log directory, oldest first (lines that are not JSON are skipped). */
export function readEventLog(directory: string): LogRecord[] {
  const records: LogRecord[] = [];
  for (const file of eventLogFiles(directory)) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      try {
        records.push(JSON.parse(line) as LogRecord);
      } catch {
        /* a torn line */
      }
    }
  }
  return records;
}

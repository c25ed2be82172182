import { redactText } from './redact';

export type LogLevel = 'INFO' | 'WARN' | 'ERROR';
export type LogFormat = 'text' | 'json';
export type LogFields = Record<string, string | number | boolean | null | undefined>;

export interface Logger {
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** Registers a secret (the node credential, say) that must never appear in a line, whatever the message. */
  addSecret(secret: string): void;
}

export interface LoggerOptions {
  format?: LogFormat;
  /** Where lines go; stdout by default. */
  write?: (line: string) => void;
  now?: () => Date;
}

/**
 * Plain lines `2026-11-27T00:00:00.000Z INFO message`, or JSON lines `{"time","level","message",…fields}`.
 * Every message and string field passes through `redactText`, so a URL or error that slips in loses its secrets.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const format = options.format ?? 'text';
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const now = options.now ?? (() => new Date());
  const secrets: string[] = [];
  const clean = (text: string) => redactText(text, secrets);

  const emit = (level: LogLevel, message: string, fields?: LogFields) => {
    const time = now().toISOString();
    if (format === 'json') {
      const record: Record<string, unknown> = { time, level, message: clean(message) };
      for (const [key, value] of Object.entries(fields ?? {})) {
        if (value !== undefined) record[key] = typeof value === 'string' ? clean(value) : value;
      }
      write(JSON.stringify(record));
    } else {
      write(`${time} ${level} ${clean(message)}`);
    }
  };

  return {
    info: (message, fields) => emit('INFO', message, fields),
    warn: (message, fields) => emit('WARN', message, fields),
    error: (message, fields) => emit('ERROR', message, fields),
    addSecret: (secret) => {
      if (secret) secrets.push(secret);
    },
  };
}

/** `--json` wins; otherwise SHIR_LOG_FORMAT=json selects JSON lines. */
export function logFormatFrom(json: boolean | undefined, env: NodeJS.ProcessEnv = process.env): LogFormat {
  if (json) return 'json';
  return (env.SHIR_LOG_FORMAT ?? '').trim().toLowerCase() === 'json' ? 'json' : 'text';
}

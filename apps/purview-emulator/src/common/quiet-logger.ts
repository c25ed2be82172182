import { ConsoleLogger, type LogLevel } from '@nestjs/common';
import { LOG_LEVELS, type LogSettings } from '../config/emulator-config';

/** Nest's boot chatter (one line per module and route) buries what matters; keep everything else. */
const BOOT_CONTEXTS = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestFactory']);

/** Nest's ConsoleLogger without the boot chatter, with ISO timestamps (not the locale's) in text mode. */
export class QuietLogger extends ConsoleLogger {
  override log(message: unknown, context?: string): void {
    if (context && BOOT_CONTEXTS.has(context)) return;
    super.log(message, context);
  }

  protected override getTimestamp(): string {
    return new Date().toISOString();
  }
}

/** Whether the console shows colours: never with NO_COLOR, and only when both streams are terminals (no codes in pipes or files). */
export interface ConsoleStreams {
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
}

/** The emulator's console logger: text or JSON lines, the configured level and everything more severe. */
export function createEmulatorLogger(
  settings: LogSettings,
  streams: ConsoleStreams = { stdoutIsTTY: Boolean(process.stdout.isTTY), stderrIsTTY: Boolean(process.stderr.isTTY) },
): QuietLogger {
  const logLevels: LogLevel[] = [...LOG_LEVELS.slice(LOG_LEVELS.indexOf(settings.level)), 'fatal'];
  const json = settings.format === 'json';
  const colors = !json && !settings.noColor && streams.stdoutIsTTY && streams.stderrIsTTY;
  return new QuietLogger({ prefix: 'PurviewEmulator', logLevels, json, colors });
}

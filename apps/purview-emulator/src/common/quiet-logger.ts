import { ConsoleLogger } from '@nestjs/common';

/** Nest's boot chatter (one line per module and route) buries what matters; keep everything else. */
const BOOT_CONTEXTS = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestFactory']);

export class QuietLogger extends ConsoleLogger {
  override log(message: unknown, context?: string): void {
    if (context && BOOT_CONTEXTS.has(context)) return;
    super.log(message, context);
  }
}

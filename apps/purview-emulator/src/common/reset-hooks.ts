import { Injectable, Logger } from '@nestjs/common';

export interface ResetOptions {
  /** `?keep=integrationRuntimes`: runtimes, their keys, nodes and hybrid connections stay. */
  keepIntegrationRuntimes: boolean;
}

/** Run after `POST /_emulator/reset` emptied the tables: reloads what a module keeps in memory, re-seeds its defaults. */
export type ResetHook = (options: ResetOptions) => Promise<void> | void;

/**
 * Where modules that keep state beside the database (caches, seeded defaults, open connections) say how to start
 * over. Global (ConfigModule), so the emulator-control module that runs a reset depends on none of them.
 */
@Injectable()
export class ResetHooks {
  private readonly logger = new Logger('Reset');
  private readonly hooks: { name: string; hook: ResetHook }[] = [];

  register(name: string, hook: ResetHook): void {
    this.hooks.push({ name, hook });
  }

  /** In registration order; one that fails is reported and the rest still run. */
  async run(options: ResetOptions): Promise<string[]> {
    const failed: string[] = [];
    for (const { name, hook } of this.hooks) {
      try {
        await hook(options);
      } catch (error) {
        this.logger.error(`After a reset, ${name} could not start over: ${(error as Error).message}`);
        failed.push(name);
      }
    }
    return failed;
  }
}

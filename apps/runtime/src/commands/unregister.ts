import { EmulatorError } from '../client/errors';
import { EXIT } from '../version';
import { type CommandIO, processIO } from './io';
import { ensureStopped, nodeClient, registeredHome, reportFailure, serviceFailure } from './node-home';
import { clearHome } from './register';
import type { Command } from 'commander';
import { type CliContext, EXIT_CODES_HELP, homeOption } from './cli-kit';

export interface UnregisterOptions {
  home?: string;
  json?: boolean;
  /** Clear the home even when the service cannot be told (the node then stays in its IR, Offline). */
  force?: boolean;
}

/**
 * `shir unregister`: removes the node from its integration runtime (its credential stops working) and clears the
 * home (node, settings, state; logs stay). Refuses while the host service runs.
 */
export async function runUnregister(options: UnregisterOptions, io: CommandIO = processIO): Promise<number> {
  try {
    const registered = registeredHome(options.home, io.env);
    const { paths, config } = registered;
    ensureStopped(paths, 'unregistering the node');
    let removedFromService = true;
    let note: string | undefined;
    try {
      await nodeClient(registered, io.env, 10_000).unregister();
    } catch (error) {
      if (error instanceof EmulatorError && (error.status === 401 || error.status === 404)) {
        note = `The integration service no longer knew node '${config.node.name}'; it had already been removed.`;
      } else if (options.force) {
        removedFromService = false;
        note = `warning: ${serviceFailure(error, config.emulatorUrl, `remove node '${config.node.name}' from integration runtime '${config.integrationRuntime.name}'`).message} The home was cleared anyway (--force); delete the node from the integration runtime yourself.`;
      } else {
        const failure = serviceFailure(
          error,
          config.emulatorUrl,
          `remove node '${config.node.name}' from integration runtime '${config.integrationRuntime.name}'`,
        );
        failure.message += ' The home was left as it is; to clear it anyway, add --force.';
        throw failure;
      }
    }
    clearHome(paths);
    if (note) io.err(note);
    if (options.json) {
      io.out(
        JSON.stringify({
          unregistered: true,
          removedFromService,
          nodeName: config.node.name,
          integrationRuntime: config.integrationRuntime.name,
          account: config.accountName,
          home: registered.home,
        }),
      );
    } else {
      io.out(
        removedFromService
          ? `Node '${config.node.name}' was removed from integration runtime '${config.integrationRuntime.name}' and ${registered.home} no longer holds a node.`
          : `${registered.home} no longer holds a node (node '${config.node.name}' is still in integration runtime '${config.integrationRuntime.name}').`,
      );
      io.out('Register this machine again with: shir register --key <authKey>');
    }
    return EXIT.ok;
  } catch (error) {
    return reportFailure(error, io, options.json, { unregistered: false });
  }
}

/** `shir unregister`. */
export function register(program: Command, cli: CliContext): void {
  program
    .command('unregister')
    .description('Remove the node from its integration runtime (its credential stops working) and clear its home.')
    .addOption(homeOption())
    .option(
      '--force',
      'clear the home even when the integration service cannot be reached (the node then stays in its integration runtime)',
    )
    .option('--json', 'print the result as one JSON object')
    .addHelpText(
      'after',
      `
Clears node.json, settings.json, state.json and the pid file; logs stay. Stop the host service first ('shir stop').

Examples:
  shir unregister
  shir unregister --home /var/lib/shir-node2 --json
${EXIT_CODES_HELP}
`,
    )
    .action(async (options: UnregisterOptions) => cli.exit(await runUnregister(options, cli.io)));
}

import { EmulatorError } from '../client/errors';
import {
  DEFAULT_REMOTE_ACCESS_PORT,
  isLogLevel,
  LOG_LEVELS,
  readLocalSettings,
  updateLocalSettings,
} from '../home/local-settings';
import { homePaths, resolveHome } from '../home/paths';
import { runningHostService } from '../home/lock';
import { EXIT } from '../version';
import { type CommandIO, processIO } from './io';
import { CommandFailure, nodeClient, registeredHome, reportFailure, serviceFailure } from './node-home';
import { Argument, type Command } from 'commander';
import { type CliContext, EXIT_CODES_HELP, homeOption } from './cli-kit';

export interface RemoteAccessOptions {
  home?: string;
  json?: boolean;
  /** TCP port of the node-to-node channel (default 8060). */
  port?: string | number;
}

/** A TCP port from the command line, or a CommandFailure (exit 1). */
export function parsePort(value: string | number | undefined): number {
  if (value === undefined) return DEFAULT_REMOTE_ACCESS_PORT;
  const port = typeof value === 'number' ? value : Number(String(value).trim());
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new CommandFailure(
      'InvalidPort',
      `The port '${value}' is not valid: give a TCP port between 1 and 65535 (the SHIR's default is 8060).`,
      EXIT.usage,
    );
  return port;
}

/**
 * `shir remote-access enable [--port 8060]` / `shir remote-access disable` (dmgcmd -EnableRemoteAccess /
 * -DisableRemoteAccess): remote access from intranet, which a node needs before other nodes can join its
 * integration runtime. Set on the service, then remembered in the home.
 */
export async function runRemoteAccess(
  action: string,
  options: RemoteAccessOptions,
  io: CommandIO = processIO,
): Promise<number> {
  try {
    if (action !== 'enable' && action !== 'disable')
      throw new CommandFailure(
        'InvalidAction',
        `Unknown action '${action}': use 'shir remote-access enable [--port <port>]' or 'shir remote-access disable'.`,
        EXIT.usage,
      );
    const enabled = action === 'enable';
    if (!enabled && options.port !== undefined)
      throw new CommandFailure('InvalidOption', "--port goes with 'enable' only.", EXIT.usage);
    const port = enabled
      ? parsePort(options.port)
      : readLocalSettings(homePaths(resolveHome(options.home, io.env))).remoteAccess.port;
    const registered = registeredHome(options.home, io.env);
    const { config, paths } = registered;
    let settings;
    try {
      settings = await nodeClient(registered, io.env).setRemoteAccess({ enabled, port });
    } catch (error) {
      if (error instanceof EmulatorError && error.status === 409 && !enabled) {
        throw new CommandFailure(
          error.code,
          `Remote access cannot be disabled while other nodes are registered to integration runtime '${config.integrationRuntime.name}': they need it. Unregister them first ('shir unregister' on their machines). (HTTP 409 ${error.code}: ${error.message})`,
          EXIT.service,
        );
      }
      throw serviceFailure(error, config.emulatorUrl, `${action} remote access`);
    }
    updateLocalSettings(paths, { remoteAccess: { enabled: settings.enabled, port: settings.port } });
    if (options.json)
      io.out(JSON.stringify({ remoteAccess: settings, nodeName: config.node.name, home: registered.home }));
    else
      io.out(
        settings.enabled
          ? `Remote access from intranet is enabled on port ${settings.port} for node '${config.node.name}'; other nodes can now join integration runtime '${config.integrationRuntime.name}'.`
          : `Remote access from intranet is disabled for node '${config.node.name}'.`,
      );
    return EXIT.ok;
  } catch (error) {
    return reportFailure(error, io, options.json);
  }
}

export interface AutoUpdateOptions {
  home?: string;
  json?: boolean;
}

/**
 * `shir auto-update on|off` (dmgcmd -TurnOnAutoUpdate / -TurnOffAutoUpdate): the integration runtime's auto-update
 * setting, set through this node; the value is remembered in the home.
 */
export async function runAutoUpdate(
  value: string,
  options: AutoUpdateOptions,
  io: CommandIO = processIO,
): Promise<number> {
  try {
    const normalized = value?.trim().toLowerCase();
    if (normalized !== 'on' && normalized !== 'off')
      throw new CommandFailure(
        'InvalidValue',
        `Unknown value '${value}': use 'shir auto-update on' or 'shir auto-update off'.`,
        EXIT.usage,
      );
    const autoUpdate = normalized === 'on' ? 'On' : 'Off';
    const registered = registeredHome(options.home, io.env);
    const { config, paths } = registered;
    let result;
    try {
      result = await nodeClient(registered, io.env).setAutoUpdate({ autoUpdate });
    } catch (error) {
      throw serviceFailure(error, config.emulatorUrl, `turn auto-update ${normalized}`);
    }
    updateLocalSettings(paths, { autoUpdate: result.autoUpdate });
    if (options.json)
      io.out(
        JSON.stringify({
          autoUpdate: result.autoUpdate,
          integrationRuntime: config.integrationRuntime.name,
          home: registered.home,
        }),
      );
    else io.out(`Auto-update is ${result.autoUpdate} for integration runtime '${config.integrationRuntime.name}'.`);
    return EXIT.ok;
  } catch (error) {
    return reportFailure(error, io, options.json);
  }
}

export interface LogLevelOptions {
  home?: string;
  json?: boolean;
}

/**
 * `shir log-level [error|warn|info|debug]` (dmgcmd -Loglevel): prints the home's log level, or sets it. The host
 * service reads it when it starts; a running one keeps its level until 'shir restart'.
 */
export function runLogLevel(level: string | undefined, options: LogLevelOptions, io: CommandIO = processIO): number {
  try {
    const home = resolveHome(options.home, io.env);
    const paths = homePaths(home);
    if (level === undefined) {
      const current = readLocalSettings(paths).logLevel;
      if (options.json) io.out(JSON.stringify({ logLevel: current, home }));
      else io.out(current);
      return EXIT.ok;
    }
    const normalized = level.trim().toLowerCase();
    if (!isLogLevel(normalized))
      throw new CommandFailure(
        'InvalidLogLevel',
        `Unknown log level '${level}': use one of ${LOG_LEVELS.join(', ')}.`,
        EXIT.usage,
      );
    const before = readLocalSettings(paths).logLevel;
    const saved = updateLocalSettings(paths, { logLevel: normalized });
    const running = runningHostService(paths);
    if (options.json)
      io.out(
        JSON.stringify({ logLevel: saved.logLevel, previous: before, home, restartNeeded: running !== undefined }),
      );
    else {
      io.out(`Log level: ${saved.logLevel} (was ${before}).`);
      if (running)
        io.out(
          `The running host service (pid ${running.pid}) keeps its level until it restarts: shir restart${options.home ? ` --home ${options.home}` : ''}`,
        );
    }
    return EXIT.ok;
  } catch (error) {
    return reportFailure(error, io, options.json);
  }
}

/** `shir remote-access enable|disable`, `shir auto-update on|off` and `shir log-level [level]`. */
export function register(program: Command, cli: CliContext): void {
  const remoteAccess = program
    .command('remote-access')
    .description(
      'Enable or disable remote access from intranet (dmgcmd -EnableRemoteAccess / -DisableRemoteAccess); other nodes join an integration runtime only while it is enabled on its nodes.',
    )
    .addHelpText(
      'after',
      `
Examples:
  shir remote-access enable
  shir remote-access enable --port 8061 --json
  shir remote-access disable
${EXIT_CODES_HELP}
`,
    );
  remoteAccess
    .command('enable')
    .description('Enable remote access from intranet on a TCP port (default 8060).')
    .option('--port <port>', 'TCP port of the node-to-node channel', '8060')
    .addOption(homeOption())
    .option('--json', 'print one JSON object: {remoteAccess: {enabled, port, internalChannelEncryption}}')
    .addHelpText(
      'after',
      `\nExamples:\n  shir remote-access enable\n  shir remote-access enable --port 8061 --home /var/lib/shir-node2\n${EXIT_CODES_HELP}\n`,
    )
    .action(async (options: RemoteAccessOptions) => cli.exit(await runRemoteAccess('enable', options, cli.io)));
  remoteAccess
    .command('disable')
    .description(
      'Disable remote access from intranet (refused while other nodes are registered to the integration runtime).',
    )
    .addOption(homeOption())
    .option('--json', 'print one JSON object: {remoteAccess: {enabled, port, internalChannelEncryption}}')
    .addHelpText(
      'after',
      `\nExamples:\n  shir remote-access disable\n  shir remote-access disable --json\n${EXIT_CODES_HELP}\n`,
    )
    .action(async (options: RemoteAccessOptions) => cli.exit(await runRemoteAccess('disable', options, cli.io)));

  program
    .command('auto-update')
    .description(
      "Turn the integration runtime's auto-update on or off (dmgcmd -TurnOnAutoUpdate / -TurnOffAutoUpdate).",
    )
    .addArgument(new Argument('<on|off>', 'turn auto-update on or off').choices(['on', 'off']))
    .addOption(homeOption())
    .option('--json', 'print one JSON object: {autoUpdate, integrationRuntime, home}')
    .addHelpText(
      'after',
      `
Auto-update is a setting of the integration runtime: it applies to all its nodes. While it is on, a node whose
version differs from the pushed version reports Upgrading, installs it and logs
"Integration Runtime upgraded from X to Y".

Examples:
  shir auto-update off
  shir auto-update on --json
${EXIT_CODES_HELP}
`,
    )
    .action(async (value: string, options: AutoUpdateOptions) => cli.exit(await runAutoUpdate(value, options, cli.io)));

  program
    .command('log-level')
    .description(
      'Show or set the log level of the host service (dmgcmd -Loglevel): error, warn, info (default) or debug.',
    )
    .addArgument(new Argument('[level]', 'the level to set; without it, print the current level').choices(LOG_LEVELS))
    .addOption(homeOption())
    .option('--json', 'print one JSON object: {logLevel, …}')
    .addHelpText(
      'after',
      `
Kept in <home>/settings.json; the host service reads it when it starts ('shir restart' applies it to a running
one). SHIR_LOG_LEVEL wins over it.

Examples:
  shir log-level
  shir log-level debug
  shir log-level warn --home /var/lib/shir-node2 --json
${EXIT_CODES_HELP}
`,
    )
    .action((level: string | undefined, options: LogLevelOptions) => cli.exit(runLogLevel(level, options, cli.io)));
}

import { RuntimeClient } from '../client/runtime-client';
import { readLocalSettings } from '../home/local-settings';
import { replaceNode } from '../home/node-config';
import { describeError } from '../redact';
import { nodeVersion, SettingsError } from '../settings';
import { EXIT } from '../version';
import { type CommandIO, processIO } from './io';
import { CommandFailure, ensureStopped, registeredHome } from './node-home';
import {
  callRegister,
  parseKeyOrFail,
  REGISTRATION_FAILED,
  RegistrationFailure,
  saveRegisteredNode,
  unregisterBestEffort,
} from './register';
import type { Command } from 'commander';
import { type CliContext, EXIT_CODES_HELP, homeOption } from './cli-kit';

export interface KeyOptions {
  key: string;
  home?: string;
  json?: boolean;
  timeoutMs?: number;
}

/**
 * `shir key --key <authKey>` (dmgcmd -Key): re-points the home's node. The node registers again under its name with
 * the new key (replacing the node of that name, if the integration runtime has one), keeping the home's settings.
 * When the key belongs to another integration runtime (or account), the home moves there and the old node is
 * removed from its old integration runtime (best effort).
 */
export async function runKey(options: KeyOptions, io: CommandIO = processIO): Promise<number> {
  let registered;
  try {
    registered = registeredHome(options.home, io.env);
    ensureStopped(registered.paths, 'changing the key');
  } catch (error) {
    const failure =
      error instanceof CommandFailure ? error : new CommandFailure('InvalidHome', describeError(error), EXIT.usage);
    return fail(io, options.json, failure.code, failure.message, failure.exitCode);
  }
  const { paths, config, home } = registered;
  try {
    const { endpoint, key } = parseKeyOrFail(options.key);
    const local = readLocalSettings(paths);
    let version: string;
    try {
      version = nodeVersion(io.env, local.version);
    } catch (error) {
      if (error instanceof SettingsError) throw new RegistrationFailure('InvalidSetting', error.message, EXIT.usage);
      throw error;
    }
    const response = await callRegister({
      endpoint,
      authKey: key.raw,
      nodeName: config.node.name,
      version,
      force: true,
      timeoutMs: options.timeoutMs,
      home,
      env: io.env,
    });
    const moved =
      response.integrationRuntime.id !== config.integrationRuntime.id ||
      response.accountName !== config.accountName ||
      endpoint !== config.emulatorUrl;
    let oldRemoved: boolean | undefined;
    if (moved) oldRemoved = await unregisterBestEffort(paths, config, io.env, (line) => io.err(line));
    saveRegisteredNode(paths, endpoint, response, version, io.env, replaceNode);
    // The home keeps its settings; remote access set on this node applies to the new registration too.
    if (local.remoteAccess.enabled) {
      try {
        await new RuntimeClient({
          baseUrl: endpoint,
          credential: response.nodeCredential,
          timeoutMs: 10_000,
        }).setRemoteAccess({ enabled: true, port: local.remoteAccess.port });
      } catch (error) {
        io.err(
          `warning: remote access (port ${local.remoteAccess.port}) could not be enabled for the new registration: ${describeError(error, [response.nodeCredential])}. Run: shir remote-access enable --port ${local.remoteAccess.port}`,
        );
      }
    }
    if (options.json) {
      io.out(
        JSON.stringify({
          rekeyed: true,
          moved,
          nodeName: response.node.name,
          nodeId: response.node.id,
          integrationRuntime: response.integrationRuntime.name,
          integrationRuntimeId: response.integrationRuntime.id,
          account: response.accountName,
          endpoint,
          home,
          ...(moved
            ? {
                previous: {
                  integrationRuntime: config.integrationRuntime.name,
                  account: config.accountName,
                  removed: oldRemoved,
                },
              }
            : {}),
        }),
      );
    } else {
      io.out(
        `Node '${response.node.name}' now uses the new key: integration runtime '${response.integrationRuntime.name}' of account '${response.accountName}' at ${endpoint}.`,
      );
      if (moved)
        io.out(
          `The node left integration runtime '${config.integrationRuntime.name}' of account '${config.accountName}'${oldRemoved ? '' : ' (it could not be removed there)'}.`,
        );
      io.out(`Start the host service with: shir start${options.home ? ` --home ${options.home}` : ''}`);
    }
    return EXIT.ok;
  } catch (error) {
    const failure =
      error instanceof RegistrationFailure
        ? error
        : new RegistrationFailure('InternalError', `Unexpected error: ${describeError(error)}`, EXIT.service);
    io.err(REGISTRATION_FAILED);
    return fail(
      io,
      options.json,
      failure.code,
      `${failure.message} The home still holds node '${config.node.name}' of integration runtime '${config.integrationRuntime.name}'.`,
      failure.exitCode,
    );
  }
}

function fail(io: CommandIO, json: boolean | undefined, code: string, message: string, exit: number): number {
  io.err(message);
  if (json) io.out(JSON.stringify({ rekeyed: false, error: { code, message } }));
  return exit;
}

/** `shir key`. */
export function register(program: Command, cli: CliContext): void {
  program
    .command('key')
    .description(
      "Re-point this home's node with another authentication key (as dmgcmd -Key does), keeping the home's settings.",
    )
    .requiredOption(
      '--key <authKey>',
      'an authentication key of the integration runtime the node should belong to; it is not stored',
    )
    .addOption(homeOption())
    .option('--json', 'print the result as one JSON object')
    .addHelpText(
      'after',
      `
The node registers again under its name with the new key, replacing a node of that name in the integration
runtime. A key of another integration runtime (or account) moves the home there, and the node is removed from
its old integration runtime. Stop the host service first ('shir stop'); start it again afterwards.

Examples:
  shir key --key "$NEW_AUTH_KEY"
  shir key --key "$OTHER_IR_KEY" --home /var/lib/shir-node2 --json
${EXIT_CODES_HELP}
`,
    )
    .action(async (options: KeyOptions) => cli.exit(await runKey(options, cli.io)));
}

// Longer than most files: register, re-register and the key-rotation checks share one sequence of home-directory
// steps (lock, config, sealed credential, event log) that must stay in one order in one place.
import * as fs from 'node:fs';
import { type ParsedAuthKey, parseAuthKey, type RegisterNodeResponse } from '@purview-emulator/contracts';
import { EmulatorError, UnreachableError } from '../client/errors';
import { RuntimeClient } from '../client/runtime-client';
import { serviceUrlOf } from '../client/service-endpoint';
import { ensureHomeDirectory, HomeError } from '../home/files';
import { clearStaleLock, runningHostService } from '../home/lock';
import { type NodeConfig, openNodeCredential, readNodeConfig, saveNewNode } from '../home/node-config';
import { type HomePaths, homePaths, resolveHome } from '../home/paths';
import { loadEncryptionKey } from '../home/secret-box';
import { machineInfo, NODE_NAME_PATTERN, sanitizeNodeName } from '../machine';
import { EVENT_MESSAGES, EventLog } from '../log';
import { explainNetworkError, isProxyAuthError } from '../network/errors';
import { NetworkContext } from '../network/network-context';
import { failedStepSentence, probeUrl } from '../network/probes';
import { proxyPlan } from '../network/proxy-settings';
import { describeError, redactText } from '../redact';
import { nodeVersion, SettingsError } from '../settings';
import { EXIT } from '../version';
import { type CommandIO, processIO } from './io';
import { checkMachine } from './machine-check';
import type { Command } from 'commander';
import { type CliContext, EXIT_CODES_HELP, homeOption } from './cli-kit';

/** The real SHIR's message, printed first on every failure; the next line says what actually went wrong. */
export const REGISTRATION_FAILED =
  'Failed to register this Integration Runtime node! Confirm that the Authentication key is valid and the integration service host service is running on this machine.';

export interface RegisterOptions {
  key: string;
  nodeName?: string;
  home?: string;
  json?: boolean;
  /**
   * Re-register cleanly: a node already in the home is unregistered (best effort) and replaced, and a node of the
   * same name in the integration runtime is replaced by the service.
   */
  force?: boolean;
  /** Deadline of the register call (default 30 s). */
  timeoutMs?: number;
}

/** Why registration failed: a code for `--json`, a reason for people, and the exit code. */
export class RegistrationFailure extends Error {
  override readonly name = 'RegistrationFailure';
  constructor(
    readonly code: string,
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

export interface RegisteredNode {
  home: string;
  endpoint: string;
  accountName: string;
  integrationRuntime: { name: string; id: string };
  node: { name: string; id: string };
  heartbeatIntervalSeconds: number;
  /** The node this home held before (`--force`), and whether the service removed it. */
  replaced?: { nodeName: string; integrationRuntime: string; unregistered: boolean };
}

/** `shir register`: prints the outcome and returns the exit code. */
export async function runRegister(options: RegisterOptions, io: CommandIO = processIO): Promise<number> {
  try {
    const node = await registerNode(options, io.env, (line) => io.err(line));
    if (options.json) {
      io.out(
        JSON.stringify({
          registered: true,
          nodeName: node.node.name,
          nodeId: node.node.id,
          integrationRuntime: node.integrationRuntime.name,
          integrationRuntimeId: node.integrationRuntime.id,
          account: node.accountName,
          endpoint: node.endpoint,
          home: node.home,
          ...(node.replaced ? { replaced: node.replaced } : {}),
        }),
      );
    } else {
      io.out(
        `Registered node '${node.node.name}' to integration runtime '${node.integrationRuntime.name}' of account '${node.accountName}' at ${node.endpoint}.`,
      );
      io.out(`Node id: ${node.node.id}`);
      io.out(
        `Home:    ${node.home} (the node credential is stored there encrypted; the authentication key is not stored)`,
      );
      io.out(`Start the host service with: shir start --home ${quoteArg(node.home)}`);
    }
    checkMachine(node.home, (line) => io.err(line), io.env);
    return EXIT.ok;
  } catch (error) {
    const failure =
      error instanceof RegistrationFailure
        ? error
        : new RegistrationFailure('InternalError', `Unexpected error: ${describeError(error)}`, EXIT.service);
    io.err(REGISTRATION_FAILED);
    io.err(failure.message);
    if (failure.exitCode === EXIT.service) {
      // The SHIR writes its registration failures to the event log; so does this runtime (the home exists by now).
      const { event, message } = EVENT_MESSAGES.registrationFailed;
      EventLog.forHome(resolveHome(options.home, io.env), io.env).append({
        time: new Date().toISOString(),
        level: 'ERROR',
        message: redactText(`${message} ${failure.message.replace(/\n/g, ' ')}`, [options.key]),
        event,
        code: failure.code,
        source: 'shir register',
        pid: process.pid,
      });
    }
    if (options.json)
      io.out(JSON.stringify({ registered: false, error: { code: failure.code, message: failure.message } }));
    return failure.exitCode;
  }
}

/**
 * Registers this machine as a node of the integration runtime the key belongs to, and keeps the node in its home.
 * `warn` gets notes that are not failures (an old node that could not be unregistered under --force).
 */
export async function registerNode(
  options: RegisterOptions,
  env: NodeJS.ProcessEnv = process.env,
  warn: (line: string) => void = () => undefined,
): Promise<RegisteredNode> {
  const home = resolveHome(options.home, env);
  const paths = homePaths(home);
  let existing: NodeConfig | undefined;
  try {
    existing = guardHome(() => readNodeConfig(paths), home);
  } catch (error) {
    // --force also replaces a node configuration too damaged to read.
    if (!options.force || !(error instanceof RegistrationFailure)) throw error;
    clearHome(paths);
  }
  if (existing && !options.force) {
    throw new RegistrationFailure(
      'HomeAlreadyRegistered',
      `The home ${home} already holds node '${existing.node.name}' of integration runtime '${existing.integrationRuntime.name}' (registered ${existing.registeredAt}). Use another --home to register another node, or --force to unregister that node and register this one in its place.`,
      EXIT.usage,
    );
  }
  const holder = runningHostService(paths);
  if (holder) {
    throw new RegistrationFailure(
      'HostServiceRunning',
      `The host service for ${home} is running (pid ${holder.pid}, started ${holder.startedAt}). Stop it with 'shir stop' before registering again.`,
      EXIT.usage,
    );
  }

  const { key, endpoint } = parseKeyOrFail(options.key);
  const machine = machineInfo();
  const nodeName = options.nodeName?.trim() || sanitizeNodeName(machine.machineName);
  if (!NODE_NAME_PATTERN.test(nodeName)) {
    throw new RegistrationFailure(
      'InvalidNodeName',
      `The node name '${nodeName}' is not valid: node names start with a letter or digit, contain only letters, digits, _, . and -, and have at most 150 characters.`,
      EXIT.usage,
    );
  }
  const version = versionOrFail(env);

  // The home must be able to keep the credential before the service issues one.
  guardHome(() => {
    ensureHomeDirectory(home);
    loadEncryptionKey(paths.credentialKey, { create: true, env });
  }, home);

  let replaced: RegisteredNode['replaced'];
  if (existing) {
    replaced = {
      nodeName: existing.node.name,
      integrationRuntime: existing.integrationRuntime.name,
      unregistered: await unregisterBestEffort(paths, existing, env, warn),
    };
    clearHome(paths);
  }

  const response = await callRegister({
    endpoint,
    authKey: key.raw,
    nodeName,
    version,
    force: options.force ?? false,
    timeoutMs: options.timeoutMs,
    home,
    env,
  });
  saveRegisteredNode(paths, endpoint, response, version, env);
  return {
    home,
    endpoint,
    accountName: response.accountName,
    integrationRuntime: response.integrationRuntime,
    node: response.node,
    heartbeatIntervalSeconds: response.heartbeatIntervalSeconds,
    ...(replaced ? { replaced } : {}),
  };
}

/** The key, parsed, and the service URL it names; a malformed key is a RegistrationFailure (exit 1). */
export function parseKeyOrFail(text: string | undefined): { key: ParsedAuthKey & { raw: string }; endpoint: string } {
  try {
    const raw = (text ?? '').trim();
    const key = parseAuthKey(raw);
    return { key: { ...key, raw }, endpoint: serviceUrlOf(key) };
  } catch (error) {
    throw new RegistrationFailure('MalformedAuthKey', describeError(error), EXIT.usage);
  }
}

function versionOrFail(env: NodeJS.ProcessEnv, stored?: string): string {
  try {
    return nodeVersion(env, stored);
  } catch (error) {
    if (error instanceof SettingsError) throw new RegistrationFailure('InvalidSetting', error.message, EXIT.usage);
    throw error;
  }
}

export interface RegisterCall {
  endpoint: string;
  authKey: string;
  nodeName: string;
  version: string;
  force: boolean;
  timeoutMs?: number;
  /** The home whose proxy settings the call goes through (none: direct). */
  home?: string;
  env?: NodeJS.ProcessEnv;
}

/** POST register, with every failure turned into a RegistrationFailure that names the concrete reason. */
export async function callRegister(call: RegisterCall): Promise<RegisterNodeResponse> {
  const machine = machineInfo();
  let network: NetworkContext | undefined;
  try {
    network = call.home ? NetworkContext.forHome(call.home, call.env ?? process.env) : undefined;
  } catch (error) {
    throw new RegistrationFailure('InvalidProxySettings', describeError(error), EXIT.usage);
  }
  const client = new RuntimeClient({ baseUrl: call.endpoint, dispatcher: network?.dispatcher });
  try {
    return await client.register(
      {
        authKey: call.authKey,
        nodeName: call.nodeName,
        machineName: machine.machineName,
        version: call.version,
        cores: machine.cores,
        memoryMb: machine.memoryMb,
        os: machine.os,
        force: call.force,
      },
      { timeoutMs: call.timeoutMs ?? 30_000 },
    );
  } catch (error) {
    let failure = failureOf(error, call.endpoint, call.nodeName);
    if (error instanceof UnreachableError && isProxyAuthError(error)) {
      failure = new RegistrationFailure(
        'ProxyAuthenticationRequired',
        explainNetworkError(error, network?.plan.routeFor(call.endpoint).proxy?.url),
        EXIT.service,
      );
    }
    if (error instanceof UnreachableError) {
      // Say which step failed (DNS, TCP, proxy, TLS, HTTP), with the same probes as 'shir diagnose'.
      const probe = await probeUrl(call.endpoint, {
        plan: network?.plan ?? proxyPlan({ mode: 'none', bypass: [] }),
        timeoutMs: 5000,
      }).catch(() => undefined);
      const step = probe && failedStepSentence(probe);
      if (step)
        throw new RegistrationFailure(
          failure.code === 'ServiceUnreachable' && probe?.failedStep === 'proxy' ? 'ProxyFailed' : failure.code,
          `${failure.message}\n${step}\nRun 'shir diagnose' for every service URL.`,
          failure.exitCode,
        );
    }
    throw failure;
  } finally {
    await network?.close().catch(() => undefined);
  }
}

/** Keeps a node the service just registered in the home (its credential sealed). */
export function saveRegisteredNode(
  paths: HomePaths,
  endpoint: string,
  response: RegisterNodeResponse,
  version: string,
  env: NodeJS.ProcessEnv,
  save = saveNewNode,
): NodeConfig {
  try {
    return save(
      paths,
      {
        emulatorUrl: endpoint,
        accountName: response.accountName,
        integrationRuntime: response.integrationRuntime,
        node: response.node,
        machineName: machineInfo().machineName,
        registeredAt: new Date().toISOString(),
        runtimeVersion: version,
        heartbeatIntervalSeconds: response.heartbeatIntervalSeconds,
        offlineAfterSeconds: response.offlineAfterSeconds,
      },
      response.nodeCredential,
      env,
    );
  } catch (error) {
    throw new RegistrationFailure(
      'HomeNotWritable',
      `Node '${response.node.name}' was registered, but it could not be saved in ${paths.home}: ${describeError(error, [response.nodeCredential])}. Remove the node from integration runtime '${response.integrationRuntime.name}', or register again with another --node-name and --home.`,
      EXIT.usage,
    );
  }
}

/** Removes a node from its integration runtime with its own credential; false (and a warning) when that fails. */
export async function unregisterBestEffort(
  paths: HomePaths,
  config: NodeConfig,
  env: NodeJS.ProcessEnv,
  warn: (line: string) => void,
): Promise<boolean> {
  try {
    const credential = openNodeCredential(paths, config, env);
    await new RuntimeClient({ baseUrl: config.emulatorUrl, credential, timeoutMs: 10_000 }).unregister();
    return true;
  } catch (error) {
    if (error instanceof EmulatorError && (error.status === 401 || error.status === 404)) return true; // already gone
    const why =
      error instanceof EmulatorError
        ? `HTTP ${error.status} ${error.code}: ${error.message}`
        : error instanceof UnreachableError
          ? `unreachable (${error.code})`
          : describeError(error);
    warn(
      `warning: node '${config.node.name}' could not be removed from integration runtime '${config.integrationRuntime.name}' (${why}); it stays there, Offline, until you delete it.`,
    );
    return false;
  }
}

/** Removes what the runtime keeps about a node from its home (node, state, settings, a stale pid file); logs stay. */
export function clearHome(paths: HomePaths): void {
  clearStaleLock(paths);
  for (const file of [paths.nodeConfig, paths.state, paths.settings]) fs.rmSync(file, { force: true });
}

function guardHome<T>(work: () => T, home: string): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof HomeError) throw new RegistrationFailure('InvalidHome', error.message, EXIT.usage);
    const code = (error as NodeJS.ErrnoException).code;
    throw new RegistrationFailure(
      'InvalidHome',
      `The home ${home} cannot be used${code ? ` (${code})` : ''}: ${describeError(error)}`,
      EXIT.usage,
    );
  }
}

/** The concrete reason behind a failed register call. */
function failureOf(error: unknown, endpoint: string, nodeName: string): RegistrationFailure {
  if (error instanceof UnreachableError) {
    return new RegistrationFailure(
      'ServiceUnreachable',
      `The integration service at ${endpoint} is unreachable (${error.code}). Check that the emulator is running and that this machine can reach ${new URL(endpoint).host}.`,
      EXIT.service,
    );
  }
  if (error instanceof EmulatorError) {
    const detail = `(HTTP ${error.status} ${error.code}: ${error.message})`;
    if (error.status === 401 || error.status === 404) {
      return new RegistrationFailure(
        'InvalidAuthKey',
        `The authentication key is not valid for any integration runtime at ${endpoint}. Copy a current key (listAuthKeys) of the integration runtime. ${detail}`,
        EXIT.service,
      );
    }
    if (error.status === 409 && error.code === 'TooManyNodes') {
      return new RegistrationFailure(
        'TooManyNodes',
        `The integration runtime has no room for another node (a self-hosted integration runtime has at most 4). Remove a node ('shir unregister' on its machine) first. ${detail}`,
        EXIT.service,
      );
    }
    if (error.status === 409 && error.code === 'RemoteAccessDisabled') {
      return new RegistrationFailure(
        'RemoteAccessDisabled',
        `Remote access is disabled on another node of this integration runtime, so no node can join it. On the machine of that node run: shir remote-access enable [--port 8060]. ${detail}`,
        EXIT.service,
      );
    }
    if (error.status === 409) {
      return new RegistrationFailure(
        'NodeNameInUse',
        `The node name '${nodeName}' is already in use in this integration runtime. Choose another one with --node-name <name>, or replace that node with --force. ${detail}`,
        EXIT.service,
      );
    }
    if (error.status >= 500) {
      return new RegistrationFailure(
        'ServiceError',
        `The integration service at ${endpoint} failed to register the node. ${detail}`,
        EXIT.service,
      );
    }
    return new RegistrationFailure(
      'RegistrationRejected',
      `The integration service at ${endpoint} rejected the registration. ${detail}`,
      EXIT.service,
    );
  }
  return new RegistrationFailure(
    'InternalError',
    `Unexpected error while registering at ${endpoint}: ${describeError(error)}`,
    EXIT.service,
  );
}

function quoteArg(value: string): string {
  return /^[A-Za-z0-9_./:@%+=-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/** `shir register`. */
export function register(program: Command, cli: CliContext): void {
  program
    .command('register')
    .description('Register this machine as a node of the integration runtime an authentication key belongs to.')
    .requiredOption(
      '--key <authKey>',
      "one of the integration runtime's authentication keys (listAuthKeys); it is not stored",
    )
    .option('--node-name <name>', "name of the node (letters, digits, _ . -; default: this machine's host name)")
    .addOption(homeOption('where the node keeps its configuration'))
    .option(
      '--force',
      're-register cleanly: unregister the node this home holds, and replace a node of the same name in the integration runtime',
    )
    .option('--json', 'print the result as one JSON object')
    .addHelpText(
      'after',
      `
The key's ServiceEndpoint (host:port) says where to register. The node credential issued in return is stored in
the home encrypted (AES-256-GCM) with <home>/credential.key, or with SHIR_ENCRYPTION_KEY when it is set.
One home holds one node of one integration runtime. The machine is checked against the recommended minimum
(4 cores, 8 GB of memory, 80 GB of free disk); below it, register warns on stderr and carries on.

Examples:
  shir register --key "$AUTH_KEY"
  shir register --key "$AUTH_KEY" --node-name node2 --home /var/lib/shir-node2
  shir register --key "$AUTH_KEY" --force      # replace whatever this home and the node name held
${EXIT_CODES_HELP}
`,
    )
    .action(async (options: RegisterOptions) => cli.exit(await runRegister(options, cli.io)));
}

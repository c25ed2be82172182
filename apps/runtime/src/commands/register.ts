import { type ParsedAuthKey, parseAuthKey, type RegisterNodeResponse } from '@purview-emulator/contracts';
import { EmulatorError, UnreachableError } from '../client/errors';
import { RuntimeClient } from '../client/runtime-client';
import { serviceUrlOf } from '../client/service-endpoint';
import { ensureHomeDirectory, HomeError } from '../home/files';
import { readNodeConfig, saveNewNode } from '../home/node-config';
import { homePaths, resolveHome } from '../home/paths';
import { loadEncryptionKey } from '../home/secret-box';
import { machineInfo, NODE_NAME_PATTERN, sanitizeNodeName } from '../machine';
import { describeError } from '../redact';
import { EXIT, RUNTIME_VERSION } from '../version';
import { type CommandIO, processIO } from './io';

/** The real SHIR's message, printed first on every failure; the next line says what actually went wrong. */
export const REGISTRATION_FAILED =
  'Failed to register this Integration Runtime node! Confirm that the Authentication key is valid and the integration service host service is running on this machine.';

export interface RegisterOptions {
  key: string;
  nodeName?: string;
  home?: string;
  json?: boolean;
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
}

/** `shir register`: prints the outcome and returns the exit code. */
export async function runRegister(options: RegisterOptions, io: CommandIO = processIO): Promise<number> {
  try {
    const node = await registerNode(options, io.env);
    if (options.json) {
      io.out(JSON.stringify({ registered: true, nodeName: node.node.name, nodeId: node.node.id, integrationRuntime: node.integrationRuntime.name, integrationRuntimeId: node.integrationRuntime.id, account: node.accountName, endpoint: node.endpoint, home: node.home }));
    } else {
      io.out(`Registered node '${node.node.name}' to integration runtime '${node.integrationRuntime.name}' of account '${node.accountName}' at ${node.endpoint}.`);
      io.out(`Node id: ${node.node.id}`);
      io.out(`Home:    ${node.home} (the node credential is stored there encrypted; the authentication key is not stored)`);
      io.out(`Start the host service with: shir start --home ${quoteArg(node.home)}`);
    }
    return EXIT.ok;
  } catch (error) {
    const failure = error instanceof RegistrationFailure ? error : new RegistrationFailure('InternalError', `Unexpected error: ${describeError(error)}`, EXIT.service);
    io.err(REGISTRATION_FAILED);
    io.err(failure.message);
    if (options.json) io.out(JSON.stringify({ registered: false, error: { code: failure.code, message: failure.message } }));
    return failure.exitCode;
  }
}

/** Registers this machine as a node of the integration runtime the key belongs to, and keeps the node in its home. */
export async function registerNode(options: RegisterOptions, env: NodeJS.ProcessEnv = process.env): Promise<RegisteredNode> {
  const home = resolveHome(options.home, env);
  const paths = homePaths(home);
  const existing = guardHome(() => readNodeConfig(paths), home);
  if (existing) {
    throw new RegistrationFailure(
      'HomeAlreadyRegistered',
      `The home ${home} already holds node '${existing.node.name}' of integration runtime '${existing.integrationRuntime.name}' (registered ${existing.registeredAt}). Use another --home to register another node.`,
      EXIT.usage,
    );
  }

  let key: ParsedAuthKey;
  let endpoint: string;
  try {
    key = parseAuthKey(options.key ?? '');
    endpoint = serviceUrlOf(key);
  } catch (error) {
    throw new RegistrationFailure('MalformedAuthKey', describeError(error), EXIT.usage);
  }

  const machine = machineInfo();
  const nodeName = options.nodeName?.trim() || sanitizeNodeName(machine.machineName);
  if (!NODE_NAME_PATTERN.test(nodeName)) {
    throw new RegistrationFailure('InvalidNodeName', `The node name '${nodeName}' is not valid: node names start with a letter or digit, contain only letters, digits, _, . and -, and have at most 150 characters.`, EXIT.usage);
  }

  // The home must be able to keep the credential before the service issues one.
  guardHome(() => {
    ensureHomeDirectory(home);
    loadEncryptionKey(paths.credentialKey, { create: true, env });
  }, home);

  const client = new RuntimeClient({ baseUrl: endpoint });
  let response: RegisterNodeResponse;
  try {
    response = await client.register(
      { authKey: options.key.trim(), nodeName, machineName: machine.machineName, version: RUNTIME_VERSION, cores: machine.cores, memoryMb: machine.memoryMb, os: machine.os },
      { timeoutMs: options.timeoutMs ?? 30_000 },
    );
  } catch (error) {
    throw failureOf(error, endpoint, nodeName);
  }

  try {
    saveNewNode(
      paths,
      {
        emulatorUrl: endpoint,
        accountName: response.accountName,
        integrationRuntime: response.integrationRuntime,
        node: response.node,
        machineName: machine.machineName,
        registeredAt: new Date().toISOString(),
        runtimeVersion: RUNTIME_VERSION,
        heartbeatIntervalSeconds: response.heartbeatIntervalSeconds,
        offlineAfterSeconds: response.offlineAfterSeconds,
      },
      response.nodeCredential,
      env,
    );
  } catch (error) {
    throw new RegistrationFailure(
      'HomeNotWritable',
      `Node '${response.node.name}' was registered, but it could not be saved in ${home}: ${describeError(error, [response.nodeCredential])}. Remove the node from integration runtime '${response.integrationRuntime.name}', or register again with another --node-name and --home.`,
      EXIT.usage,
    );
  }
  return { home, endpoint, accountName: response.accountName, integrationRuntime: response.integrationRuntime, node: response.node, heartbeatIntervalSeconds: response.heartbeatIntervalSeconds };
}

function guardHome<T>(work: () => T, home: string): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof HomeError) throw new RegistrationFailure('InvalidHome', error.message, EXIT.usage);
    const code = (error as NodeJS.ErrnoException).code;
    throw new RegistrationFailure('InvalidHome', `The home ${home} cannot be used${code ? ` (${code})` : ''}: ${describeError(error)}`, EXIT.usage);
  }
}

/** The concrete reason behind a failed register call. */
function failureOf(error: unknown, endpoint: string, nodeName: string): RegistrationFailure {
  if (error instanceof UnreachableError) {
    return new RegistrationFailure('ServiceUnreachable', `The integration service at ${endpoint} is unreachable (${error.code}). Check that the emulator is running and that this machine can reach ${new URL(endpoint).host}.`, EXIT.service);
  }
  if (error instanceof EmulatorError) {
    const detail = `(HTTP ${error.status} ${error.code}: ${error.message})`;
    if (error.status === 401 || error.status === 404) {
      return new RegistrationFailure('InvalidAuthKey', `The authentication key is not valid for any integration runtime at ${endpoint}. Copy a current key (listAuthKeys) of the integration runtime. ${detail}`, EXIT.service);
    }
    if (error.status === 409 && error.code === 'TooManyNodes') {
      return new RegistrationFailure('TooManyNodes', `The integration runtime has no room for another node. ${detail}`, EXIT.service);
    }
    if (error.status === 409) {
      return new RegistrationFailure('NodeNameInUse', `The node name '${nodeName}' is already in use in this integration runtime. Choose another one with --node-name <name>. ${detail}`, EXIT.service);
    }
    if (error.status >= 500) {
      return new RegistrationFailure('ServiceError', `The integration service at ${endpoint} failed to register the node. ${detail}`, EXIT.service);
    }
    return new RegistrationFailure('RegistrationRejected', `The integration service at ${endpoint} rejected the registration. ${detail}`, EXIT.service);
  }
  return new RegistrationFailure('InternalError', `Unexpected error while registering at ${endpoint}: ${describeError(error)}`, EXIT.service);
}

function quoteArg(value: string): string {
  return /^[A-Za-z0-9_./:@%+=-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

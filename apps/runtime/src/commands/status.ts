import type { IntegrationRuntimeAutoUpdate, NodeView } from '@purview-emulator/contracts';
import { EmulatorError, UnreachableError } from '../client/errors';
import { RuntimeClient } from '../client/runtime-client';
import { HomeError } from '../home/files';
import { runningHostService, type HostServiceLock } from '../home/lock';
import { type LocalSettings, readLocalSettings } from '../home/local-settings';
import { type NodeConfig, openNodeCredential, readNodeConfig } from '../home/node-config';
import { homePaths, resolveHome } from '../home/paths';
import {
  type ConnectionState,
  type HostServiceState,
  isHostServiceProcess,
  readHostServiceState,
} from '../home/state-file';
import { describeError } from '../redact';
import { nodeVersion } from '../settings';
import { EXIT, RUNTIME_VERSION } from '../version';
import { type CommandIO, processIO } from './io';
import type { Command } from 'commander';
import { type CliContext, homeOption } from './cli-kit';

export const NOT_REGISTERED = 'This node is not registered. Run: shir register --key <authKey>';

export interface StatusOptions {
  home?: string;
  json?: boolean;
  /** Only what the home says: do not ask the integration service. */
  local?: boolean;
  /** Deadline of the call to the service (default 3 s). */
  timeoutMs?: number;
}

/** The node as the integration service sees it (GET /_emulator/runtime/node), or why that could not be told. */
export type ServiceView =
  | {
      reachable: true;
      nodeStatus: string;
      statusReason: string | null;
      integrationRuntimeState: string;
      integrationRuntimeStateReason: string | null;
      isActiveDispatcher: boolean;
      version: string;
      versionStatus: string;
      latestVersion: string;
      pushedVersion: string;
      autoUpdate: IntegrationRuntimeAutoUpdate;
      remoteAccess: { enabled: boolean; port: number; internalChannelEncryption: string };
      nodeCount: number;
      lastConnectTime: string | null;
    }
  | { reachable: false; error: string };

export interface NodeStatus {
  registered: true;
  home: string;
  nodeName: string;
  nodeId: string;
  integrationRuntime: string;
  integrationRuntimeId: string;
  account: string;
  endpoint: string;
  state: ConnectionState;
  since: string | null;
  lastHeartbeatAt: string | null;
  lastError: string | null;
  runningJobs: number;
  /** The host service's process id while it runs. */
  pid: number | null;
  /** The version this node reports. */
  version: string;
  settings?: {
    logLevel: string;
    remoteAccess: { enabled: boolean; port: number };
    autoUpdate: IntegrationRuntimeAutoUpdate | null;
  };
  service?: ServiceView;
}

/** What the node looks like from its home: `Disconnected` unless a live host service says otherwise. */
export function nodeStatus(
  home: string,
  config: NodeConfig,
  state: HostServiceState | undefined,
  alive: (pid: number) => boolean = isHostServiceProcess,
  version: string = RUNTIME_VERSION,
  lock?: HostServiceLock,
): NodeStatus {
  const running = state !== undefined && state.state !== 'Disconnected' && alive(state.pid);
  return {
    registered: true,
    home,
    nodeName: config.node.name,
    nodeId: config.node.id,
    integrationRuntime: config.integrationRuntime.name,
    integrationRuntimeId: config.integrationRuntime.id,
    account: config.accountName,
    endpoint: config.emulatorUrl,
    state: running ? state.state : lock ? 'Connecting' : 'Disconnected',
    since: running ? state.since : state?.state === 'Disconnected' ? state.since : lock ? lock.startedAt : null,
    lastHeartbeatAt: state?.lastHeartbeatAt ?? null,
    lastError:
      state?.lastError ??
      (state && !running && !lock && state.state !== 'Disconnected' ? 'The host service is not running.' : null),
    runningJobs: running ? state.runningJobs : 0,
    pid: running ? state.pid : (lock?.pid ?? null),
    version,
  };
}

/** Asks the service about the node; never throws. */
export async function serviceView(config: NodeConfig, credential: string, timeoutMs = 3000): Promise<ServiceView> {
  try {
    const view: NodeView = await new RuntimeClient({ baseUrl: config.emulatorUrl, credential, timeoutMs }).getNode();
    return {
      reachable: true,
      nodeStatus: view.node.status,
      statusReason: view.statusReason ?? null,
      integrationRuntimeState: view.integrationRuntime.state,
      integrationRuntimeStateReason: view.integrationRuntime.stateReason ?? null,
      isActiveDispatcher: view.node.isActiveDispatcher,
      version: view.node.version,
      versionStatus: view.node.versionStatus,
      latestVersion: view.integrationRuntime.latestVersion,
      pushedVersion: view.integrationRuntime.pushedVersion,
      autoUpdate: view.integrationRuntime.autoUpdate,
      remoteAccess: view.remoteAccess,
      nodeCount: view.integrationRuntime.nodeCount,
      lastConnectTime: view.node.lastConnectTime ?? null,
    };
  } catch (error) {
    if (error instanceof UnreachableError)
      return {
        reachable: false,
        error: `The integration service at ${config.emulatorUrl} is unreachable (${error.code}).`,
      };
    if (error instanceof EmulatorError && error.status === 401) {
      return {
        reachable: false,
        error: `The integration service no longer accepts this node's credential (HTTP 401 ${error.code}): the node was removed or its integration runtime deleted. Register again with 'shir register --force --key <authKey>'.`,
      };
    }
    if (error instanceof EmulatorError)
      return { reachable: false, error: `HTTP ${error.status} ${error.code}: ${error.message}` };
    return { reachable: false, error: describeError(error) };
  }
}

/** `shir status`: exit 0 when a node is registered in the home (whatever its state or the service's), 1 when none is. */
export async function runStatus(options: StatusOptions, io: CommandIO = processIO): Promise<number> {
  const home = resolveHome(options.home, io.env);
  const paths = homePaths(home);
  let config: NodeConfig | undefined;
  let local: LocalSettings;
  try {
    config = readNodeConfig(paths);
    local = readLocalSettings(paths);
  } catch (error) {
    if (!(error instanceof HomeError)) throw error;
    if (options.json) io.out(JSON.stringify({ registered: false, home, error: error.message }));
    else io.err(error.message);
    return EXIT.usage;
  }
  if (!config) {
    if (options.json)
      io.out(JSON.stringify({ registered: false, home, state: 'Disconnected', message: NOT_REGISTERED }));
    else io.err(`${NOT_REGISTERED} (home: ${home})`);
    return EXIT.usage;
  }
  let version: string;
  try {
    version = nodeVersion(io.env, local.version);
  } catch {
    version = local.version ?? RUNTIME_VERSION;
  }
  const status = nodeStatus(
    home,
    config,
    readHostServiceState(paths),
    isHostServiceProcess,
    version,
    runningHostService(paths),
  );
  status.settings = {
    logLevel: local.logLevel,
    remoteAccess: local.remoteAccess,
    autoUpdate: local.autoUpdate ?? null,
  };
  if (!options.local) {
    let credential: string | undefined;
    try {
      credential = openNodeCredential(paths, config, io.env);
    } catch (error) {
      status.service = { reachable: false, error: describeError(error) };
    }
    if (credential !== undefined) status.service = await serviceView(config, credential, options.timeoutMs);
  }
  if (options.json) {
    io.out(JSON.stringify(status));
    return EXIT.ok;
  }
  const rows: [string, string][] = [
    ['Node', `${status.nodeName} (${status.nodeId})`],
    ['Integration runtime', `${status.integrationRuntime} (${status.integrationRuntimeId})`],
    ['Account', status.account],
    ['Endpoint', status.endpoint],
    [
      'State',
      status.state + (status.since ? ` since ${status.since}` : '') + (status.pid ? ` (pid ${status.pid})` : ''),
    ],
    ['Last heartbeat', status.lastHeartbeatAt ?? 'never'],
    ['Running jobs', String(status.runningJobs)],
  ];
  if (status.lastError) rows.push(['Last error', status.lastError]);
  const service = status.service;
  if (service?.reachable) {
    rows.push(
      [
        'Node status',
        `${service.nodeStatus}${service.statusReason ? ` (${service.statusReason})` : ''}${service.isActiveDispatcher ? ', dispatcher' : ', worker'}`,
      ],
      [
        'IR state',
        `${service.integrationRuntimeState}${service.integrationRuntimeStateReason ? ` (${service.integrationRuntimeStateReason})` : ''}, ${service.nodeCount} node${service.nodeCount === 1 ? '' : 's'}`,
      ],
      [
        'Version status',
        `${service.versionStatus} (service sees ${service.version}; latest ${service.latestVersion}, pushed ${service.pushedVersion})`,
      ],
      ['Auto-update', service.autoUpdate],
      ['Remote access', service.remoteAccess.enabled ? `enabled on port ${service.remoteAccess.port}` : 'disabled'],
    );
  } else if (service) {
    rows.push(['Service view', `unavailable: ${service.error}`]);
    rows.push([
      'Remote access',
      local.remoteAccess.enabled ? `enabled on port ${local.remoteAccess.port} (last set)` : 'disabled (last set)',
    ]);
    if (local.autoUpdate) rows.push(['Auto-update', `${local.autoUpdate} (last set)`]);
  }
  rows.push(['Log level', local.logLevel], ['Home', status.home], ['Version', status.version]);
  const width = Math.max(...rows.map(([label]) => label.length)) + 1;
  for (const [label, value] of rows) io.out(`${`${label}:`.padEnd(width + 1)}${value}`);
  return EXIT.ok;
}

/** `shir status`. */
export function register(program: Command, cli: CliContext): void {
  program
    .command('status')
    .description(
      'Show the node: name, integration runtime, account, endpoint, connection state, and how the integration service sees it.',
    )
    .addOption(homeOption())
    .option('--local', 'only what the home says; do not ask the integration service')
    .option('--json', 'print one JSON object')
    .addHelpText(
      'after',
      `
The state is Disconnected unless a host service ('shir start') is running for this home. When the integration
service answers (within 3 s), status also shows the node's status and its reason, the integration runtime's
state, whether the node is the dispatcher, its version status, auto-update and remote access ("service" in JSON;
{"reachable": false, "error": …} when it does not answer).
Exits 0 when a node is registered in the home (whatever its state), 1 when none is.

Examples:
  shir status
  shir status --home /var/lib/shir-node2 --json
  shir status --local
`,
    )
    .action(async (options: StatusOptions) => cli.exit(await runStatus(options, cli.io)));
}

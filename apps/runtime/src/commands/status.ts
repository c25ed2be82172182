import { HomeError } from '../home/files';
import { type NodeConfig, readNodeConfig } from '../home/node-config';
import { homePaths, resolveHome } from '../home/paths';
import { type ConnectionState, type HostServiceState, isHostServiceProcess, readHostServiceState } from '../home/state-file';
import { EXIT, RUNTIME_VERSION } from '../version';
import { type CommandIO, processIO } from './io';

export const NOT_REGISTERED = 'This node is not registered. Run: shir register --key <authKey>';

export interface StatusOptions {
  home?: string;
  json?: boolean;
}

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
  version: string;
}

/** What the node looks like from its home: `Disconnected` unless a live host service says otherwise. */
export function nodeStatus(home: string, config: NodeConfig, state: HostServiceState | undefined, alive: (pid: number) => boolean = isHostServiceProcess): NodeStatus {
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
    state: running ? state.state : 'Disconnected',
    since: running ? state.since : state?.state === 'Disconnected' ? state.since : null,
    lastHeartbeatAt: state?.lastHeartbeatAt ?? null,
    lastError: state?.lastError ?? (state && !running && state.state !== 'Disconnected' ? 'The host service is not running.' : null),
    runningJobs: running ? state.runningJobs : 0,
    pid: running ? state.pid : null,
    version: RUNTIME_VERSION,
  };
}

/** `shir status`: exit 0 when a node is registered in the home (whatever its state), 1 when none is. */
export function runStatus(options: StatusOptions, io: CommandIO = processIO): number {
  const home = resolveHome(options.home, io.env);
  const paths = homePaths(home);
  let config: NodeConfig | undefined;
  try {
    config = readNodeConfig(paths);
  } catch (error) {
    if (!(error instanceof HomeError)) throw error;
    if (options.json) io.out(JSON.stringify({ registered: false, home, error: error.message }));
    else io.err(error.message);
    return EXIT.usage;
  }
  if (!config) {
    if (options.json) io.out(JSON.stringify({ registered: false, home, state: 'Disconnected', message: NOT_REGISTERED }));
    else io.err(`${NOT_REGISTERED} (home: ${home})`);
    return EXIT.usage;
  }
  const status = nodeStatus(home, config, readHostServiceState(paths));
  if (options.json) {
    io.out(JSON.stringify(status));
    return EXIT.ok;
  }
  const rows: [string, string][] = [
    ['Node', `${status.nodeName} (${status.nodeId})`],
    ['Integration runtime', `${status.integrationRuntime} (${status.integrationRuntimeId})`],
    ['Account', status.account],
    ['Endpoint', status.endpoint],
    ['State', status.state + (status.since ? ` since ${status.since}` : '')],
    ['Last heartbeat', status.lastHeartbeatAt ?? 'never'],
    ['Running jobs', String(status.runningJobs)],
  ];
  if (status.lastError) rows.push(['Last error', status.lastError]);
  rows.push(['Home', status.home], ['Version', status.version]);
  const width = Math.max(...rows.map(([label]) => label.length)) + 1;
  for (const [label, value] of rows) io.out(`${`${label}:`.padEnd(width + 1)}${value}`);
  return EXIT.ok;
}

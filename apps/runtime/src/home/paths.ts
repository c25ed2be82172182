import * as os from 'node:os';
import * as path from 'node:path';

/** The files of a node's home directory (default ~/.shir). */
export interface HomePaths {
  home: string;
  /** The registered node: where the service is, who the node is, its credential sealed. */
  nodeConfig: string;
  /** 32 random bytes (base64) sealing the node credential, unless SHIR_ENCRYPTION_KEY provides the key. */
  credentialKey: string;
  /** What the host service is doing right now, for `shir status`. */
  state: string;
  /** The host service holding this home: pid and start time (one host service per home). */
  pid: string;
  /** Local settings: log level, remote access, last auto-update value, the node's current version. */
  settings: string;
  /** Logs of the host service, including the output of a detached one. */
  logs: string;
  /** stdout and stderr of a host service started with `shir start --detach`. */
  detachedOutput: string;
}

/** `--home` wins, then SHIR_HOME, then ~/.shir. */
export function resolveHome(option?: string, env: NodeJS.ProcessEnv = process.env): string {
  const chosen = option?.trim() || env.SHIR_HOME?.trim() || path.join(os.homedir(), '.shir');
  return path.resolve(chosen);
}

export function homePaths(home: string): HomePaths {
  return {
    home,
    nodeConfig: path.join(home, 'node.json'),
    credentialKey: path.join(home, 'credential.key'),
    state: path.join(home, 'state.json'),
    pid: path.join(home, 'host-service.pid'),
    settings: path.join(home, 'settings.json'),
    logs: path.join(home, 'logs'),
    detachedOutput: path.join(home, 'logs', 'host-service.out'),
  };
}

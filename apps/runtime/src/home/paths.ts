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
  };
}

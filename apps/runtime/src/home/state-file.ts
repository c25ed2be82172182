import * as fs from 'node:fs';
import * as path from 'node:path';
import { readFileIfExists, writeFileAtomic } from './files';
import type { HomePaths } from './paths';

/** The host service's connection to the integration service, in Configuration Manager's words. */
export type ConnectionState = 'Connected' | 'Connecting' | 'Disconnected';

/** `<home>/state.json`: written by `shir start` whenever something changes, read by `shir status`. */
export interface HostServiceState {
  pid: number;
  state: ConnectionState;
  /** When `state` was entered. */
  since: string;
  lastHeartbeatAt: string | null;
  lastError: string | null;
  runningJobs: number;
}

export function writeHostServiceState(paths: HomePaths, state: HostServiceState): void {
  writeFileAtomic(paths.state, `${JSON.stringify(state, null, 2)}\n`, 0o600);
}

/** The last state written, or undefined when there is none (or it cannot be read: it is only informative). */
export function readHostServiceState(paths: HomePaths): HostServiceState | undefined {
  try {
    const text = readFileIfExists(paths.state);
    if (text === undefined) return undefined;
    const value = JSON.parse(text) as HostServiceState;
    return typeof value.pid === 'number' && typeof value.state === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Whether a process with this id exists (signal 0 checks without sending anything). */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Whether `pid` is (still) a host service: alive and, where /proc tells the command line, a Node.js process running
 * `… start`. Process ids are reused — after a container restart (`init: true`) pid 7 may be anything — so liveness
 * alone is not proof.
 */
export function isHostServiceProcess(pid: number, procRoot = '/proc'): boolean {
  if (!isProcessAlive(pid)) return false;
  let cmdline: string;
  try {
    cmdline = fs.readFileSync(path.join(procRoot, String(pid), 'cmdline'), 'utf8');
  } catch {
    return true; // no /proc (macOS, Windows) or not readable: trust liveness
  }
  const args = cmdline.split('\0').filter((a) => a.length > 0);
  if (args.length === 0) return true;
  return /^node/i.test(path.basename(args[0])) && args.includes('start');
}

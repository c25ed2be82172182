import * as os from 'node:os';

/** What a node tells the service about its machine at registration. */
export interface MachineInfo {
  machineName: string;
  cores: number;
  memoryMb: number;
  os: string;
}

export function machineInfo(): MachineInfo {
  return {
    machineName: (os.hostname() || 'localhost').slice(0, 255),
    cores: cpuCores(),
    memoryMb: Math.max(1, Math.round(os.totalmem() / 1048576)),
    os: `${os.type()} ${os.release()} (${os.arch()})`,
  };
}

export function cpuCores(): number {
  return Math.max(1, typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length);
}

/** Free memory, in MB, for heartbeats. */
export function availableMemoryMb(): number {
  return Math.floor(os.freemem() / 1048576);
}

/** CPU use in percent, from the 1-minute load average over the cores, clamped to 0–100 (0 where loadavg is not supported). */
export function cpuUtilization(loadAverage = os.loadavg()[0], cores = cpuCores()): number {
  const percent = (loadAverage / Math.max(1, cores)) * 100;
  if (!Number.isFinite(percent)) return 0;
  return Math.round(Math.min(100, Math.max(0, percent)) * 10) / 10;
}

/** Node names start with a letter or digit and hold letters, digits, `_`, `.` and `-` only, at most 150 of them. */
export const NODE_NAME_PATTERN = /^[a-z0-9A-Z][a-z0-9A-Z_.-]{0,149}$/;

/** A host name turned into a valid node name: other characters become `-`, leading punctuation goes. */
export function sanitizeNodeName(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9_.-]/g, '-').replace(/^[^A-Za-z0-9]+/, '');
  return cleaned.slice(0, 150) || 'node1';
}

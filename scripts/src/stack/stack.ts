import * as fs from 'node:fs';
import * as path from 'node:path';
import { pollUntil } from '@purview-emulator/testing';
import { ManagedProcess, runProcess, startProcess } from './processes';

/** The repository root, from scripts/src/stack or scripts/dist/stack alike. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const AZURITE_MAIN = path.join(REPO_ROOT, 'node_modules', 'azurite', 'dist', 'src', 'azurite.js');
const EMULATOR_MAIN = path.join(REPO_ROOT, 'apps', 'purview-emulator', 'dist', 'main.js');
const SHIR_MAIN = path.join(REPO_ROOT, 'apps', 'runtime', 'dist', 'cli.js');
/** The installed `shir` bin: relaunches node with a bounded heap (the real process is its child). */
const SHIR_LAUNCHER = path.join(REPO_ROOT, 'apps', 'runtime', 'bin', 'shir.js');

export interface StackPorts {
  emulator: number;
  /** The emulator's HTTPS listener; absent = any free port, so parallel test stacks never collide on 5443. */
  https?: number;
  blob: number;
  queue: number;
  table: number;
}

export type LineSink = (name: string, line: string) => void;

/** Azurite from node_modules: blob and queue (table too, on its own port), telemetry off, data under `location`. */
export function startAzurite(options: {
  /** Where Azurite keeps its data; `'memory'` for --inMemoryPersistence (Azurite refuses it with --location). */
  location: string;
  ports: Pick<StackPorts, 'blob' | 'queue' | 'table'>;
  host?: string;
  detached?: boolean;
  onLine?: LineSink;
}): ManagedProcess {
  const persistence = options.location === 'memory' ? ['--inMemoryPersistence'] : ['--location', options.location];
  if (options.location !== 'memory') fs.mkdirSync(options.location, { recursive: true });
  const host = options.host ?? '127.0.0.1';
  return startProcess(
    'azurite',
    process.execPath,
    [
      AZURITE_MAIN,
      '--blobHost',
      host,
      '--blobPort',
      String(options.ports.blob),
      '--queueHost',
      host,
      '--queuePort',
      String(options.ports.queue),
      '--tableHost',
      host,
      '--tablePort',
      String(options.ports.table),
      ...persistence,
      '--disableTelemetry',
      '--skipApiVersionCheck',
      '--silent',
    ],
    { detached: options.detached, onLine: (line) => options.onLine?.('azurite', line) },
  );
}

/** The emulator's environment for a stack on the given ports. */
export function emulatorEnv(options: {
  /** PURVIEW_DATA_DIR, or `'memory'` for PURVIEW_IN_MEMORY=1. */
  dataDir: string;
  ports: StackPorts;
  extra?: NodeJS.ProcessEnv;
}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PURVIEW_EMULATOR_PORT: String(options.ports.emulator),
    PURVIEW_EMULATOR_HTTPS_PORT: String(options.ports.https ?? 0),
    PURVIEW_EMULATOR_HOST: '127.0.0.1',
    ...(options.dataDir === 'memory' ? { PURVIEW_IN_MEMORY: '1' } : { PURVIEW_DATA_DIR: options.dataDir }),
    AZURITE_BLOB_PORT: String(options.ports.blob),
    AZURITE_QUEUE_PORT: String(options.ports.queue),
    ...options.extra,
  };
}

export function startEmulator(options: {
  dataDir: string;
  ports: StackPorts;
  env?: NodeJS.ProcessEnv;
  detached?: boolean;
  onLine?: LineSink;
  /** Node.js options before the script, e.g. `--cpu-prof` for a benchmark's profile. */
  nodeArgs?: string[];
}): ManagedProcess {
  return startProcess('emulator', process.execPath, [...(options.nodeArgs ?? []), EMULATOR_MAIN], {
    env: emulatorEnv({ dataDir: options.dataDir, ports: options.ports, extra: options.env }),
    detached: options.detached,
    onLine: (line) => options.onLine?.('emulator', line),
  });
}

/** Waits until `/_emulator/health` answers 200; fails early if the process died. */
export async function waitForHealthy(baseUrl: string, process?: ManagedProcess, timeoutMs = 60_000): Promise<unknown> {
  return pollUntil(
    async () => {
      if (process && !process.isRunning())
        throw new Error(`${process.name} exited:\n${process.output.slice(-20).join('\n')}`);
      const response = await fetch(`${baseUrl}/_emulator/health`).catch(() => undefined);
      return response?.status === 200 ? await response.json() : undefined;
    },
    { timeoutMs, intervalMs: 100, description: `${baseUrl}/_emulator/health to report Healthy` },
  );
}

export function shirEnv(home: string, extra?: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...process.env, SHIR_HOME: home, ...extra };
}

/** Runs one `shir` command to completion. */
export function runShir(
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
  timeoutMs = 60_000,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return runProcess(process.execPath, [SHIR_MAIN, ...args], { env, timeoutMs });
}

/** `shir start`: the host service of one node, in the foreground of a child process. */
export function startShir(
  home: string,
  options: {
    env?: NodeJS.ProcessEnv;
    name?: string;
    detached?: boolean;
    onLine?: LineSink;
    launcher?: boolean;
    /** Node.js options before the script (the launcher passes them on to the node it relaunches). */
    nodeArgs?: string[];
  } = {},
): ManagedProcess {
  const name = options.name ?? 'shir';
  const main = options.launcher ? SHIR_LAUNCHER : SHIR_MAIN;
  return startProcess(name, process.execPath, [...(options.nodeArgs ?? []), main, 'start', '--home', home], {
    env: shirEnv(home, options.env),
    detached: options.detached,
    onLine: (line) => options.onLine?.(name, line),
  });
}

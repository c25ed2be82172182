import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEVSTORE_ACCOUNT } from '@purview-emulator/contracts';
import { pollUntil } from './poll';
import { freePort } from './ports';
import { tempDir } from './temp-dir';

/** The version docker-compose.yml pins: tests run against the same Azurite as `docker compose up`. */
export const AZURITE_VERSION = '3.35.0';

export interface AzuriteOptions {
  /** Keep nothing on disk (`--inMemoryPersistence`). Otherwise data goes to `dir`, or to a temp dir removed by stop(). */
  inMemory?: boolean;
  /** Where Azurite keeps its data; kept after stop() (the caller owns it). */
  dir?: string;
  /** Custom accounts (AZURITE_ACCOUNTS); Azurite then disables devstoreaccount1. */
  accounts?: { name: string; key: string }[];
  /** Ports to use, e.g. picked with freePort() before something that must find Azurite later; free ones otherwise. */
  ports?: Partial<Azurite['ports']>;
  /** How long to wait for all three services to answer; default 30 000 ms. */
  startTimeoutMs?: number;
}

export interface Azurite {
  readonly ports: { blob: number; queue: number; table: number };
  /** Path-style service URLs of the first account (devstoreaccount1 unless `accounts`): http://127.0.0.1:<port>/<account>. */
  readonly endpoints: { blob: string; queue: string; table: string };
  /** What Azurite printed (stdout and stderr), for failure messages. */
  readonly output: string[];
  isRunning(): boolean;
  /** SIGTERM (SIGKILL after 5 s), then removes the temp dir if startAzurite made one. */
  stop(): Promise<void>;
}

function azuriteMain(): string {
  const manifest = require.resolve('azurite/package.json');
  const { version } = JSON.parse(fs.readFileSync(manifest, 'utf8')) as { version: string };
  if (version !== AZURITE_VERSION)
    throw new Error(
      `startAzurite expects azurite ${AZURITE_VERSION} (the version docker-compose.yml pins), found ${version}.`,
    );
  return path.join(path.dirname(manifest), 'dist', 'src', 'azurite.js');
}

/**
 * Azurite (blob, queue, table) from node_modules on free loopback ports, telemetry off. Resolves once every service
 * answers HTTP; rejects with Azurite's output if it exits first.
 */
export async function startAzurite(options: AzuriteOptions = {}): Promise<Azurite> {
  const main = azuriteMain();
  const ports = {
    blob: options.ports?.blob ?? (await freePort()),
    queue: options.ports?.queue ?? (await freePort()),
    table: options.ports?.table ?? (await freePort()),
  };
  const ownDir = options.inMemory || options.dir ? undefined : tempDir('azurite-');
  const location = options.dir ?? ownDir?.path;
  if (options.dir) fs.mkdirSync(options.dir, { recursive: true });
  const args = [
    main,
    '--blobHost',
    '127.0.0.1',
    '--blobPort',
    String(ports.blob),
    '--queueHost',
    '127.0.0.1',
    '--queuePort',
    String(ports.queue),
    '--tableHost',
    '127.0.0.1',
    '--tablePort',
    String(ports.table),
    ...(options.inMemory ? ['--inMemoryPersistence'] : []),
    ...(location ? ['--location', location] : []),
    '--disableTelemetry',
    // The Azure SDKs in node_modules may speak a newer storage API version than Azurite knows.
    '--skipApiVersionCheck',
    '--silent',
  ];
  const env = { ...process.env };
  if (options.accounts?.length) env.AZURITE_ACCOUNTS = options.accounts.map((a) => `${a.name}:${a.key}`).join(';');
  else delete env.AZURITE_ACCOUNTS;
  const child: ChildProcess = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  child.stdout!.on('data', (d: Buffer) => output.push(d.toString()));
  child.stderr!.on('data', (d: Buffer) => output.push(d.toString()));
  let running = true;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      running = false;
      resolve();
    });
    child.once('error', (error) => {
      running = false;
      output.push(error.message);
      resolve();
    });
  });

  const stop = async (): Promise<void> => {
    if (running) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    ownDir?.remove();
  };

  const account = options.accounts?.[0]?.name ?? DEVSTORE_ACCOUNT;
  const url = (port: number) => `http://127.0.0.1:${port}/${account}`;
  // Any HTTP answer will do (Azurite answers / with an error): the service is up.
  const answers = (port: number) =>
    fetch(`http://127.0.0.1:${port}/`).then(
      async (r) => (await r.arrayBuffer(), true),
      () => false,
    );
  try {
    const outcome = await pollUntil(
      async () =>
        !running
          ? 'exited'
          : (await answers(ports.blob)) && (await answers(ports.queue)) && (await answers(ports.table)) && 'ready',
      {
        timeoutMs: options.startTimeoutMs ?? 30_000,
        description: `Azurite to answer on 127.0.0.1 ports ${ports.blob}, ${ports.queue}, ${ports.table}`,
      },
    );
    if (outcome === 'exited') throw new Error(`Azurite exited before it answered:\n${output.join('')}`);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    ports,
    endpoints: { blob: url(ports.blob), queue: url(ports.queue), table: url(ports.table) },
    output,
    isRunning: () => running,
    stop,
  };
}

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort } from '@purview-emulator/testing';
import { ManagedProcess } from './processes';
import { PurviewClient } from './purview-client';
import { startAzurite, startEmulator, waitForHealthy } from './stack';

/** A private Azurite and emulator on free ports for one benchmark run, removed with everything in it by stop(). */
export interface BenchStack {
  readonly endpoint: string;
  readonly emulator: ManagedProcess;
  readonly client: PurviewClient;
  /** A call that must answer 200; `apiVersion` (given to startBenchStack) is appended to the URL. */
  readonly ok: <T>(method: string, url: string, body?: unknown) => Promise<T>;
  stop(): Promise<void>;
}

export async function startBenchStack(
  name: string,
  options: { apiVersion?: string; nodeArgs?: string[] } = {},
): Promise<BenchStack> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `purview-bench-${name}-`));
  const ports = {
    emulator: await freePort(),
    blob: await freePort(),
    queue: await freePort(),
    table: await freePort(),
  };
  const running: ManagedProcess[] = [];
  const stop = async (): Promise<void> => {
    for (const p of running.reverse()) await p.stop(3000);
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    running.push(startAzurite({ location: path.join(dataDir, 'azurite'), ports }));
    const emulator = startEmulator({ dataDir, ports, nodeArgs: options.nodeArgs });
    running.push(emulator);
    const endpoint = `http://127.0.0.1:${ports.emulator}`;
    await waitForHealthy(endpoint, emulator);
    const client = new PurviewClient(endpoint);
    const ok = async <T>(method: string, url: string, body?: unknown): Promise<T> => {
      const full = options.apiVersion ? `${url}${url.includes('?') ? '&' : '?'}${options.apiVersion}` : url;
      const response = await client.call<T>(method, full, body);
      if (response.status !== 200)
        throw new Error(`${method} ${url} answered ${response.status}: ${JSON.stringify(response.body)}`);
      return response.body;
    };
    return { endpoint, emulator, client, ok, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { SelfHostedIntegrationRuntimeStatus } from '@purview-emulator/contracts';
import { Azurite, freePort, pollUntil, startAzurite } from '@purview-emulator/testing';
import { ManagedProcess } from '../../scripts/src/stack/processes';
import { PurviewClient } from '../../scripts/src/stack/purview-client';
import { StackPorts, runShir, shirEnv, startEmulator, startShir, waitForHealthy } from '../../scripts/src/stack/stack';

/** A whole stack for one test file: real Azurite, a real emulator process, real `shir` processes, on free ports. */
export class TestStack {
  readonly dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'purview-e2e-'));
  ports!: StackPorts;
  azurite!: Azurite;
  emulator!: ManagedProcess;
  client!: PurviewClient;
  readonly nodes = new Map<string, ManagedProcess>();

  constructor(private readonly emulatorEnv: NodeJS.ProcessEnv = {}) {}

  get endpoint(): string {
    return `http://127.0.0.1:${this.ports.emulator}`;
  }

  async start(): Promise<void> {
    // On disk under dataDir, so KEEP_E2E_DATA keeps Azurite's side of a failed run too.
    this.azurite = await startAzurite({ dir: path.join(this.dataDir, 'azurite') });
    this.ports = { emulator: await freePort(), https: await freePort(), ...this.azurite.ports };
    await this.startEmulator();
    this.client = new PurviewClient(this.endpoint);
  }

  async startEmulator(): Promise<void> {
    this.emulator = startEmulator({
      dataDir: this.dataDir,
      ports: this.ports,
      env: {
        PURVIEW_HEARTBEAT_INTERVAL_SECONDS: '0.5',
        PURVIEW_NODE_OFFLINE_AFTER_SECONDS: '2',
        PURVIEW_INGESTION_POLL_MS: '50',
        ...this.emulatorEnv,
      },
    });
    await waitForHealthy(this.endpoint, this.emulator, 60_000);
  }

  home(name: string): string {
    return path.join(this.dataDir, `shir-${name}`);
  }

  shir(
    args: string[],
    home?: string,
    env: NodeJS.ProcessEnv = {},
  ): Promise<{ code: number; stdout: string; stderr: string }> {
    return runShir(
      home ? [...args, '--home', home] : args,
      shirEnv(home ?? this.home('none'), { SHIR_RECONNECT_MAX_MS: '500', ...env }),
    );
  }

  /** `shir start` for the node whose home is `home(name)`, or another home (a restored or re-registered node). */
  startNode(name: string, options: { home?: string; env?: NodeJS.ProcessEnv } = {}): ManagedProcess {
    const node = startShir(options.home ?? this.home(name), {
      name,
      env: { SHIR_RECONNECT_MAX_MS: '500', ...options.env },
    });
    this.nodes.set(name, node);
    return node;
  }

  /** A self-hosted IR (created if missing), a node registered to it with its auth key, and that node's `shir start`. */
  async startRuntimeNode(integrationRuntime: string, node: string): Promise<ManagedProcess> {
    await this.client.scan('PUT', `/integrationruntimes/${integrationRuntime}`, { kind: 'SelfHosted', properties: {} });
    const { authKey1 } = await this.client.scan<{ authKey1: string }>(
      'POST',
      `/integrationruntimes/${integrationRuntime}:listAuthKeys`,
    );
    const registered = await this.shir(['register', '--key', authKey1, '--node-name', node], this.home(node));
    if (registered.code !== 0) throw new Error(`shir register failed:\n${registered.stdout}${registered.stderr}`);
    return this.startNode(node);
  }

  /** Waits until the IR's status says Online (a node connected and heartbeating). */
  async waitOnline(integrationRuntime: string, timeoutMs = 30_000): Promise<void> {
    await pollUntil(
      async () =>
        (
          await this.client.scan<SelfHostedIntegrationRuntimeStatus>(
            'GET',
            `/integrationruntimes/${integrationRuntime}/status`,
          )
        ).properties.state === 'Online' || undefined,
      { timeoutMs, description: `integration runtime ${integrationRuntime} to be Online` },
    );
  }

  /** Everything every process printed, for secret checks and for failure messages. */
  allOutput(): string {
    const azurite = this.azurite ? [{ name: 'azurite', output: this.azurite.output }] : [];
    return [...azurite, this.emulator, ...this.nodes.values()]
      .filter(Boolean)
      .map((p) => `--- ${p.name}\n${p.output.join('\n')}`)
      .join('\n');
  }

  async stop(): Promise<void> {
    for (const node of this.nodes.values()) await node.stop(3000);
    await this.emulator?.stop(5000);
    await this.azurite?.stop();
    if (!process.env.KEEP_E2E_DATA) fs.rmSync(this.dataDir, { recursive: true, force: true });
  }
}

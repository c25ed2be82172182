import * as fs from 'node:fs';
import * as path from 'node:path';
import { freePort, pollUntil } from '@purview-emulator/testing';
import { ManagedProcess, startProcess } from '../../scripts/src/stack/processes';
import { PurviewClient } from '../../scripts/src/stack/purview-client';

const START = path.resolve(__dirname, '../../scripts/dist/start.js');

/**
 * `npm start -- --in-memory`, the real script with its real children (Azurite with --inMemoryPersistence, the
 * emulator with PURVIEW_IN_MEMORY=1, a `shir` node in a temporary home, the sample PostgreSQL database in a temporary
 * directory): the stack comes up with its samples, a node connects, the sample database's scan succeeds, a full reset
 * brings it all back (registered again), and when it stops nothing is left on disk.
 */
describe('npm start -- --in-memory', () => {
  let start: ManagedProcess | undefined;

  afterAll(async () => {
    await start?.stop(15_000);
  });

  it('runs the whole stack in memory and leaves nothing behind', async () => {
    const ports = {
      PURVIEW_EMULATOR_PORT: await freePort(),
      PURVIEW_EMULATOR_HTTPS_PORT: await freePort(),
      AZURITE_BLOB_PORT: await freePort(),
      AZURITE_QUEUE_PORT: await freePort(),
      AZURITE_TABLE_PORT: await freePort(),
    };
    const env: NodeJS.ProcessEnv = { ...process.env, PURVIEW_DATA_DIR: '', SHIR_HOME: '' };
    for (const [name, port] of Object.entries(ports)) env[name] = String(port);
    start = startProcess('npm start', process.execPath, [START, '--in-memory'], { env });
    const running = start;
    await pollUntil(
      () => {
        if (!running.isRunning()) throw new Error(`npm start exited:\n${running.output.join('\n')}`);
        return running.output.some((line) => line.includes('Purview emulator is up'));
      },
      { timeoutMs: 120_000, intervalMs: 200, description: 'npm start to say the stack is up' },
    );
    expect(running.output.join('\n')).toContain('(in memory)');

    const endpoint = `http://127.0.0.1:${ports.PURVIEW_EMULATOR_PORT}`;
    const info = (await (await fetch(`${endpoint}/_emulator/info`)).json()) as {
      inMemory: boolean;
      caCertificate: string;
    };
    expect(info.inMemory).toBe(true);
    expect(fs.existsSync(info.caCertificate)).toBe(true);
    const client = new PurviewClient(endpoint);
    const node = await pollUntil(
      async () => {
        const status = await client.call('GET', '/scan/integrationruntimes/default-shir/status');
        const nodes = (status.body as { properties: { typeProperties: { nodes: { status: string }[] } } }).properties
          .typeProperties.nodes;
        return nodes.find((n) => n.status === 'Online');
      },
      { timeoutMs: 60_000, intervalMs: 250, description: 'the node of default-shir to be Online' },
    );
    expect(node).toBeDefined();
    const scan = await client.call('GET', '/scan/datasources/samples-storage/scans/samples-scan');
    expect(scan.status).toBe(200);
    const pgRunId = await client.runScan('samples-postgres', 'samples-postgres-scan');
    const pgRun = await pollUntil(
      async () => {
        const r = await client.scan<{ status: string; assetsDiscovered?: number; errorMessage?: string }>(
          'GET',
          `/datasources/samples-postgres/scans/samples-postgres-scan/runs/${pgRunId}`,
        );
        return ['Succeeded', 'Failed', 'Canceled'].includes(r.status) ? r : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 250, description: 'the sample database scan to end' },
    );
    expect(pgRun).toEqual(expect.objectContaining({ status: 'Succeeded', assetsDiscovered: 8 }));
    const sampleDir = /data in (\S*purview-start-pg-[^\s,]+)/.exec(running.output.join('\n'))?.[1];
    expect(sampleDir && fs.existsSync(path.join(sampleDir, 'pgdata'))).toBe(true);

    // A full reset revokes the node: npm start registers it again and puts the sample scan back, instead of stopping.
    expect((await client.call('POST', '/_emulator/reset')).status).toBe(200);
    await pollUntil(
      async () => {
        if (!running.isRunning()) throw new Error(`npm start exited:\n${running.output.join('\n')}`);
        const again = await client.call('GET', '/scan/integrationruntimes/default-shir/status');
        if (again.status !== 200) return undefined;
        const nodes = (again.body as { properties: { typeProperties: { nodes: { status: string }[] } } }).properties
          .typeProperties.nodes;
        const sample = await client.call('GET', '/scan/datasources/samples-storage/scans/samples-scan');
        const pg = await client.call('GET', '/scan/datasources/samples-postgres/scans/samples-postgres-scan');
        return nodes.some((n) => n.status === 'Online') && sample.status === 200 && pg.status === 200;
      },
      { timeoutMs: 60_000, intervalMs: 250, description: 'npm start to bring the node and the sample scan back' },
    );
    expect(running.output.join('\n')).toContain('The node was removed (a reset?)');
    const homeLine = running.output.find((line) => line.includes('(home '));
    const shirHome = /\(home ([^)]+)\)/.exec(homeLine ?? '')?.[1];
    expect(shirHome && fs.existsSync(shirHome)).toBe(true);

    running.child.kill('SIGINT');
    const { code } = await running.exited;
    expect(code).toBe(0);
    // The emulator's temporary directory (TLS material) and the node's home are gone.
    expect(fs.existsSync(path.dirname(path.dirname(info.caCertificate)))).toBe(false);
    expect(fs.existsSync(shirHome!)).toBe(false);
    expect(fs.existsSync(sampleDir!)).toBe(false);
  });
});

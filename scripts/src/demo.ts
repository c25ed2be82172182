/**
 * `npm run demo`: the whole story in the terminal, on a private throw-away stack (free ports, temp data):
 * create an integration runtime, list its keys, register a node, scan sample blobs with live progress,
 * then print the discovered assets and their classifications; then the same through the node for a real PostgreSQL
 * database (its password a Key Vault secret behind a SqlAuth credential), where its server can start here.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { SelfHostedIntegrationRuntimeStatus } from '@purview-emulator/contracts';
import { freePort, pollUntil } from '@purview-emulator/testing';
import { ManagedProcess } from './stack/processes';
import { PurviewClient } from './stack/purview-client';
import { printAssets, watchRun } from './stack/run-watch';
import { SAMPLE_PG, samplePostgresSeed, startSamplePostgres } from './stack/sample-database';
import { ensureSampleScan, uploadSamples } from './stack/seed';
import { runShir, shirEnv, startAzurite, startEmulator, startShir, waitForHealthy } from './stack/stack';

const out = (text = ''): void => void process.stdout.write(`${text}\n`);
const bold = (text: string): string => (process.stdout.isTTY ? `\x1b[1m${text}\x1b[0m` : text);
const step = (n: number, text: string): void => out(`\n${bold(`${n}. ${text}`)}`);
const mask = (key: string): string => key.replace(/@([A-Za-z0-9+/]{6})[A-Za-z0-9+/]+=$/, '@$1…=');

async function main(): Promise<void> {
  const keep = process.argv.includes('--keep');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'purview-demo-'));
  const ports = {
    emulator: await freePort(),
    blob: await freePort(),
    queue: await freePort(),
    table: await freePort(),
  };
  const processes: ManagedProcess[] = [];
  // Started at once, beside the stack; the emulator's seed holds its password as a Key Vault secret.
  const postgres = await startSamplePostgres(path.join(dataDir, 'sample-postgres'));
  const seedFile = path.join(dataDir, 'demo-seed.json');
  if (!('problem' in postgres))
    fs.writeFileSync(seedFile, JSON.stringify({ secrets: samplePostgresSeed(postgres, 'demo-shir').secrets }));
  const cleanup = async (): Promise<void> => {
    for (const p of processes.reverse()) await p.stop(3000);
    if (!('problem' in postgres)) await postgres.stop();
    if (!keep) fs.rmSync(dataDir, { recursive: true, force: true });
  };
  process.on('SIGINT', () => void cleanup().then(() => process.exit(130)));
  try {
    out(`Purview emulator demo — a private stack in ${dataDir}`);
    processes.push(startAzurite({ location: path.join(dataDir, 'azurite'), ports }));
    const emulator = startEmulator({
      dataDir,
      ports,
      env: {
        PURVIEW_HEARTBEAT_INTERVAL_SECONDS: '1',
        ...(fs.existsSync(seedFile) ? { PURVIEW_SEED_FILE: seedFile } : {}),
      },
    });
    processes.push(emulator);
    const endpoint = `http://127.0.0.1:${ports.emulator}`;
    await waitForHealthy(endpoint, emulator);
    const client = new PurviewClient(endpoint);
    out(`Emulator healthy at ${endpoint}; Azurite blob on ${ports.blob}.`);

    step(1, 'Create a self-hosted integration runtime');
    out(`  PUT /scan/integrationruntimes/demo-shir?api-version=2023-09-01`);
    out(
      `  ${JSON.stringify(await client.scan('PUT', '/integrationruntimes/demo-shir', { kind: 'SelfHosted', properties: { description: 'Demo runtime' } }))}`,
    );

    step(2, 'List its auth keys');
    const keys = await client.scan<{ authKey1: string; authKey2: string }>(
      'POST',
      '/integrationruntimes/demo-shir:listAuthKeys',
    );
    out(`  authKey1 ${mask(keys.authKey1)}\n  authKey2 ${mask(keys.authKey2)}`);
    out('  The key names the service endpoint, so a node needs nothing else to register.');

    step(3, 'Register a node with authKey1 and start its host service');
    const home = path.join(dataDir, 'shir-node1');
    const registered = await runShir(
      ['register', '--key', keys.authKey1, '--node-name', 'demo-node-1', '--home', home],
      shirEnv(home),
    );
    out(registered.stdout.trim().replace(/^/gm, '  '));
    if (registered.code !== 0) throw new Error(`shir register failed: ${registered.stderr}`);
    const node = startShir(home, { name: 'shir' });
    processes.push(node);
    const status = await pollUntil(
      async () => {
        const s = await client.scan<SelfHostedIntegrationRuntimeStatus>('GET', '/integrationruntimes/demo-shir/status');
        return s.properties.state === 'Online' ? s : undefined;
      },
      { timeoutMs: 30_000, description: 'the integration runtime to be Online' },
    );
    const n = status.properties.typeProperties.nodes[0];
    out(
      `  GET /scan/integrationruntimes/demo-shir/status → state ${status.properties.state}; node ${n.nodeName} ${n.status}, version ${n.version}, dispatcher ${n.isActiveDispatcher}, maxConcurrentJobs ${n.maxConcurrentJobs}`,
    );

    step(4, 'Upload sample CSVs to Azurite, register the storage account and a scan through the runtime');
    const blobs = await uploadSamples(ports.blob);
    out(`  ${blobs.map((b) => `https://devstoreaccount1.blob.core.windows.net/samples/${b}`).join('\n  ')}`);
    await ensureSampleScan(client, { dataSource: 'demo-storage', scan: 'demo-scan', integrationRuntime: 'demo-shir' });
    out('  data source demo-storage (AzureStorage) + scan demo-scan (AzureStorageMsi, connectedVia demo-shir)');

    step(5, 'Run the scan');
    const started = Date.now();
    const runId = await client.runScan('demo-storage', 'demo-scan');
    out(`  PUT …/scans/demo-scan/runs/${runId} → 202 Accepted`);
    const run = await watchRun(client, 'demo-storage', 'demo-scan', runId);
    out(
      `  ${run.status} in ${((Date.now() - started) / 1000).toFixed(1)} s on node(s) ${run.emulatorDiagnostics?.nodes?.join(', ') ?? '?'}`,
    );
    if (run.status !== 'Succeeded') throw new Error(`The scan ended ${run.status}: ${run.errorMessage ?? ''}`);

    step(6, 'What the data map now knows (POST /datamap/api/search/query)');
    await printAssets(client, '*');

    step(7, 'Scan a PostgreSQL database through the same runtime');
    if ('problem' in postgres)
      out(`  Skipped: the sample PostgreSQL server could not start here (${postgres.problem}).`);
    else {
      const seed = samplePostgresSeed(postgres, 'demo-shir');
      out(
        `  A real PostgreSQL on 127.0.0.1:${postgres.port}, database 'sales'; its password is secret '${SAMPLE_PG.secret}' of the emulator's Key Vault.`,
      );
      await client.scan('PUT', `/azureKeyVaults/${SAMPLE_PG.keyVault}`, seed.keyVaults[0]);
      out(`  PUT /scan/azureKeyVaults/${SAMPLE_PG.keyVault}  (baseUrl ${seed.keyVaults[0].properties.baseUrl})`);
      await client.scan('PUT', `/credentials/${SAMPLE_PG.credential}`, seed.credentials[0]);
      out(`  PUT /scan/credentials/${SAMPLE_PG.credential}  (SqlAuth, user ${postgres.user}, password from Key Vault)`);
      await client.scan('PUT', `/datasources/${SAMPLE_PG.dataSource}`, seed.dataSources[0]);
      out(
        `  PUT /scan/datasources/${SAMPLE_PG.dataSource}  (AzurePostgreSql, serverEndpoint 127.0.0.1, port ${postgres.port})`,
      );
      const { dataSource, name, ...scanBody } = seed.scans[0];
      await client.scan('PUT', `/datasources/${dataSource}/scans/${name}`, scanBody);
      out(`  PUT …/scans/${name}  (AzurePostgreSqlCredential, databaseName sales, connectedVia demo-shir)`);
      const dbRunId = await client.runScan(dataSource, name);
      const dbRun = await watchRun(client, dataSource, name, dbRunId);
      out(`  ${dbRun.status}: ${dbRun.assetsDiscovered} assets discovered, ${dbRun.assetsClassified} classified`);
      if (dbRun.status !== 'Succeeded')
        throw new Error(`The database scan ended ${dbRun.status}: ${dbRun.errorMessage ?? ''}`);
      await printAssets(client, 'sales');
    }
    out(keep ? `\nKept ${dataDir}.` : '\nDone; the demo stack is stopped and its data removed.');
  } finally {
    await cleanup();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`\nnpm run demo failed: ${(error as Error)?.message ?? String(error)}\n`);
  process.exit(1);
});

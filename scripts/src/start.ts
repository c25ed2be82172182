/**
 * `npm start`: the whole local stack in one command — Azurite, the Purview emulator and one self-hosted
 * integration runtime node registered to `default-shir` — with sample data and a scan ready to run, and a sample
 * PostgreSQL database with its credential and scan (skipped, saying why, where its server cannot start).
 * Everything lives under PURVIEW_DATA_DIR (default .data/), so the next `npm start` finds it where it was; with
 * `npm start -- --in-memory` (or PURVIEW_IN_MEMORY=1) nothing is kept: Azurite and the emulator hold their data in
 * memory and the node's home is a temporary directory, all gone when the stack stops (fast CI runs).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describeEnvProblems, EnvReader } from '@purview-emulator/contracts';
import { type DatabaseServer, isPortInUse } from '@purview-emulator/testing';
import { ManagedProcess } from './stack/processes';
import { PurviewClient } from './stack/purview-client';
import {
  SAMPLE_PG,
  samplePostgresSeed,
  startSamplePostgres,
  writeSeedWithSamplePostgres,
} from './stack/sample-database';
import { ensureIntegrationRuntime, ensureRegistered, uploadSamples } from './stack/seed';
import { startAzurite, startEmulator, startShir, waitForHealthy } from './stack/stack';

const IR_NAME = 'default-shir';
const DATA_SOURCE = 'samples-storage';
const SCAN = 'samples-scan';
/** The stack's own seed: default-shir, the sample data source and its scan (the emulator applies it, reset included). */
const LOCAL_STACK_SEED = path.resolve(__dirname, '../seed/local-stack.yaml');

const processes: ManagedProcess[] = [];
let samplePostgres: DatabaseServer | undefined;
let stopping = false;

/** Stops children in reverse start order, so the runtime leaves before the emulator, Azurite and the sample database. */
async function stopAll(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  if (processes.length) process.stdout.write('\nStopping the runtime node, the emulator and Azurite…\n');
  for (const p of [...processes].reverse()) await p.stop(5000);
  await samplePostgres?.stop();
  process.exit(code);
}

function fail(message: string): never {
  process.stderr.write(`npm start: ${message}\n`);
  void stopAll(1);
  throw new Error(message);
}

async function main(): Promise<void> {
  const startedAt = Date.now();
  const read = new EnvReader(process.env);
  const inMemory = process.argv.slice(2).includes('--in-memory') || read.boolean('PURVIEW_IN_MEMORY', false);
  // --seed <file>: the emulator applies it at start and after a reset (PURVIEW_SEED_FILE, which also works).
  const seedAt = process.argv.indexOf('--seed');
  const seedFile = seedAt > 0 ? process.argv[seedAt + 1] : undefined;
  if (seedAt > 0 && (!seedFile || seedFile.startsWith('--')))
    read.problem('--seed needs a file: npm start -- --seed seed.yaml');
  // The sample database belongs to the stack's own seed: with a seed file of yours, it is not started.
  const withSampleDatabase = read.boolean('PURVIEW_SAMPLE_DATABASE', true) && !seedFile;
  if (inMemory && (process.env.PURVIEW_DATA_DIR ?? '').trim() !== '')
    read.problem('--in-memory (PURVIEW_IN_MEMORY=1) keeps no data, so PURVIEW_DATA_DIR would stay unused: unset one.');
  const dataDir = path.resolve(read.text('PURVIEW_DATA_DIR', '.data'));
  const ports = {
    emulator: read.port('PURVIEW_EMULATOR_PORT', 5380),
    https: read.port('PURVIEW_EMULATOR_HTTPS_PORT', 5443),
    blob: read.port('AZURITE_BLOB_PORT', 10000),
    queue: read.port('AZURITE_QUEUE_PORT', 10001),
    table: read.port('AZURITE_TABLE_PORT', 10002),
  };
  const shirHome = inMemory
    ? fs.mkdtempSync(path.join(os.tmpdir(), 'purview-start-shir-'))
    : path.resolve(read.text('SHIR_HOME', path.join(dataDir, 'shir')));
  if (inMemory) process.on('exit', () => fs.rmSync(shirHome, { recursive: true, force: true }));
  // Before anything starts: every bad variable at once, each with what is allowed.
  if (read.problems.length > 0) fail(describeEnvProblems(read.problems));
  for (const [name, port] of Object.entries(ports)) {
    if (await isPortInUse(port))
      fail(
        `port ${port} (${name}) is already in use on 127.0.0.1. Is another 'npm start' running? Stop it, or choose other ports with PURVIEW_EMULATOR_PORT, PURVIEW_EMULATOR_HTTPS_PORT, AZURITE_BLOB_PORT, AZURITE_QUEUE_PORT, AZURITE_TABLE_PORT.`,
      );
  }
  const echo = (name: string, line: string): void => void process.stdout.write(`[${name}] ${line}\n`);
  process.on('SIGINT', () => void stopAll(0));
  // Children run in their own process groups: never leave them behind, whatever ends this process.
  process.on('exit', () => processes.forEach((p) => p.isRunning() && p.child.kill('SIGKILL')));
  process.on('SIGTERM', () => void stopAll(0));

  const watch = (p: ManagedProcess): void => {
    void p.exited.then(({ code, signal }) => {
      if (!stopping) {
        process.stderr.write(
          `\n${p.name} exited unexpectedly (code ${code}, signal ${signal}). Last lines:\n${p.output.slice(-15).join('\n')}\n`,
        );
        void stopAll(1);
      }
    });
  };

  process.stdout.write(`Starting the Purview emulator stack (${inMemory ? 'in memory' : `data in ${dataDir}`})…\n`);
  const sampleDir = inMemory
    ? fs.mkdtempSync(path.join(os.tmpdir(), 'purview-start-pg-'))
    : path.join(dataDir, 'sample-postgres');
  if (inMemory) process.on('exit', () => fs.rmSync(sampleDir, { recursive: true, force: true }));
  // Started beside Azurite; the emulator waits for it, as its seed names the server's port.
  const sampleStarting = withSampleDatabase ? startSamplePostgres(sampleDir) : undefined;
  const azurite = startAzurite({
    location: inMemory ? 'memory' : path.join(dataDir, 'azurite'),
    ports,
    detached: true,
    onLine: echo,
  });
  processes.push(azurite);
  watch(azurite);
  const sample = await sampleStarting;
  let stackSeed = seedFile ? path.resolve(seedFile) : LOCAL_STACK_SEED;
  if (sample && 'problem' in sample)
    process.stdout.write(
      `[npm start] The sample PostgreSQL database could not start, so the stack goes on without it: ${sample.problem}\n`,
    );
  else if (sample) {
    samplePostgres = sample;
    stackSeed = path.join(sampleDir, 'stack-seed.yaml');
    writeSeedWithSamplePostgres(LOCAL_STACK_SEED, stackSeed, samplePostgresSeed(sample, IR_NAME));
  }
  const emulator = startEmulator({
    dataDir: inMemory ? 'memory' : dataDir,
    ports,
    detached: true,
    onLine: echo,
    env: { PURVIEW_SEED_FILE: stackSeed },
  });
  processes.push(emulator);
  watch(emulator);
  const endpoint = `http://127.0.0.1:${ports.emulator}`;
  await waitForHealthy(endpoint, emulator, 120_000);
  const healthyAt = Date.now();

  const client = new PurviewClient(endpoint);
  const info = (await (await fetch(`${endpoint}/_emulator/info`)).json()) as { caCertificate?: string };
  const caCertificate = info.caCertificate ?? path.join(dataDir, 'tls', 'ca.pem');
  let authKey: string | undefined;
  const key = async (): Promise<string> =>
    (authKey ??= await ensureIntegrationRuntime(
      client,
      IR_NAME,
      'Default self-hosted integration runtime of the local stack',
    ));
  await key();
  const registration = await ensureRegistered(shirHome, key, os.hostname());
  // A full `POST /_emulator/reset` revokes the node, which then stops (exit 2, "no longer registered"): the emulator
  // applies the seed again (default-shir and the sample scan), and the stack registers its node again.
  const startNode = (): void => {
    const shir = startShir(shirHome, { detached: true, onLine: echo });
    processes.push(shir);
    void shir.exited.then(async ({ code }) => {
      if (stopping) return;
      if (code === 2 && shir.output.some((line) => line.includes('no longer registered'))) {
        processes.splice(processes.indexOf(shir), 1);
        process.stdout.write(`[npm start] The node was removed (a reset?): registering it to ${IR_NAME} again…\n`);
        try {
          authKey = undefined;
          await ensureRegistered(shirHome, key, os.hostname(), { force: true });
          startNode();
        } catch (error) {
          process.stderr.write(`npm start: could not register the node again: ${(error as Error).message}\n`);
          void stopAll(1);
        }
        return;
      }
      process.stderr.write(
        `\n${shir.name} exited unexpectedly (code ${code}). Last lines:\n${shir.output.slice(-15).join('\n')}\n`,
      );
      void stopAll(1);
    });
  };
  startNode();
  const blobs = await uploadSamples(ports.blob);
  if (samplePostgres)
    // The seed leaves an existing data source as it was: this one follows the server to the port it has now.
    await client.scan(
      'PUT',
      `/datasources/${SAMPLE_PG.dataSource}`,
      samplePostgresSeed(samplePostgres, IR_NAME).dataSources[0],
    );
  const sampleLines = samplePostgres
    ? ` Sample database       PostgreSQL on 127.0.0.1:${samplePostgres.port}, database 'sales' (customers, payments, hr.employees, a view)
                       login ${samplePostgres.user} / ${SAMPLE_PG.password} (well known, loopback only), data in ${sampleDir}
                       data source '${SAMPLE_PG.dataSource}', credential '${SAMPLE_PG.credential}' (Key Vault secret '${SAMPLE_PG.secret}'), scan '${SAMPLE_PG.scan}'
   npm run scan -- --data-source ${SAMPLE_PG.dataSource} --scan ${SAMPLE_PG.scan}
`
    : withSampleDatabase
      ? ' Sample database       not started (see the message above); the storage samples work without it\n'
      : '';

  const seconds = ((healthyAt - startedAt) / 1000).toFixed(1);
  process.stdout.write(`
────────────────────────────────────────────────────────────────────────────
 Purview emulator is up (healthy ${seconds} s after start)

 Portal                ${endpoint}/portal/            (sign in with one click; also on HTTPS)

 Purview endpoint      ${endpoint}            (account 'emulator')
   scanning            ${endpoint}/scan?api-version=2023-09-01
   data map            ${endpoint}/datamap/api
   health              ${endpoint}/_emulator/health
 HTTPS (Azure SDKs)    https://127.0.0.1:${ports.https}    trust its local CA with:
   export NODE_EXTRA_CA_CERTS=${caCertificate}
 Token endpoint        ${endpoint}/00000000-0000-0000-0000-000000000000/oauth2/v2.0/token
   tenant              00000000-0000-0000-0000-000000000000
   client id / secret  purview-emulator / purview-emulator-secret
   scope               https://purview.azure.net/.default
 Azurite (storage)     blob http://127.0.0.1:${ports.blob}  queue http://127.0.0.1:${ports.queue}  (devstoreaccount1)

 Integration runtime   ${IR_NAME}: node ${registration === 'registered' ? 'registered now' : 'registered earlier'} (home ${shirHome})
 Sample data           ${blobs.length} blobs in https://devstoreaccount1.blob.core.windows.net/samples/
 Seed file             ${seedFile ? path.resolve(seedFile) : `${LOCAL_STACK_SEED} (data source '${DATA_SOURCE}', scan '${SCAN}')`}
${sampleLines}
 Run the scan (in another terminal):
   npm run scan
 or with curl:
   TOKEN=$(curl -s ${endpoint}/00000000-0000-0000-0000-000000000000/oauth2/v2.0/token -d grant_type=client_credentials -d client_id=purview-emulator -d client_secret=purview-emulator-secret -d scope=https://purview.azure.net/.default | node -pe 'JSON.parse(require("fs").readFileSync(0)).access_token')
   curl -X PUT -H "Authorization: Bearer $TOKEN" "${endpoint}/scan/datasources/${DATA_SOURCE}/scans/${SCAN}/runs/$(node -p 'crypto.randomUUID()')?api-version=2023-09-01"

 Ctrl-C stops everything; ${inMemory ? 'in memory, nothing is kept.' : "the next 'npm start' finds it all where it was."}
────────────────────────────────────────────────────────────────────────────
`);
}

main().catch((error: unknown) => {
  if (!stopping) {
    process.stderr.write(`npm start: ${(error as Error)?.message ?? String(error)}\n`);
    void stopAll(1);
  }
});

/**
 * `npm run bench:scan [-- --files 200 --rows 500 --json --azurite-in-memory --profile dir]`: how fast a scan goes end
 * to end, against the floor (`--large <MiB>`: big files against small ones instead, bench-scan-large.ts).
 * Baseline (same run, same Azurite): list every blob and read its first MiB with @azure/storage-blob directly,
 * 4 at a time — the I/O any scanner must do. Then the real thing: a scan run through a `shir` node, from the
 * PUT to Succeeded (discovery, upload, ingestion into the data map), then an Incremental run over the unchanged
 * estate (it lists every blob and reads none). Prints figures and the ratios.
 */
import * as fs from 'node:fs';
import { randomUUID } from 'node:crypto';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import type { ScanResultWithIngestion, SelfHostedIntegrationRuntimeStatus } from '@purview-emulator/contracts';
import { freePort, letters, pollUntil } from '@purview-emulator/testing';
import { ManagedProcess } from './stack/processes';
import { cpuMs, peakRssMb, relaunchedPid } from './stack/proc-stats';
import { benchPostgres } from './bench-scan-postgresql';
import { benchLarge } from './bench-scan-large';
import { PurviewClient } from './stack/purview-client';
import { devstoreBlobService, ensureSampleScan } from './stack/seed';
import { runShir, shirEnv, startAzurite, startEmulator, startShir, waitForHealthy } from './stack/stack';

function csv(rows: number, seed: number): string {
  const lines = ['id,name,email,amount,city'];
  for (let i = 0; i < rows; i++)
    lines.push(`${i},Name ${seed}-${i},user${seed}x${i}@example.org,${(i * 1.25).toFixed(2)},City ${i % 17}`);
  return lines.join('\n');
}

async function inBatches<T>(items: T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await work(items[next++]);
    }),
  );
}

/** Seconds between two CPU times in ms (undefined when either is). */
function seconds(fromMs: number | undefined, toMs: number | undefined): number | undefined {
  return fromMs === undefined || toMs === undefined ? undefined : Number(((toMs - fromMs) / 1000).toFixed(2));
}

function span(from: string | null, to: string | null): number | undefined {
  return from && to ? Number(((Date.parse(to) - Date.parse(from)) / 1000).toFixed(2)) : undefined;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      files: { type: 'string', default: '200' },
      rows: { type: 'string', default: '500' },
      json: { type: 'boolean', default: false },
      source: { type: 'string', default: 'storage' },
      tables: { type: 'string', default: '1000' },
      columns: { type: 'string', default: '20' },
      large: { type: 'string' },
      'azurite-in-memory': { type: 'boolean', default: false },
      profile: { type: 'string' },
    },
  });
  if (values.large !== undefined) {
    const megabytes = Number(values.large);
    if (!Number.isInteger(megabytes) || megabytes < 2)
      throw new Error('--large must be a whole number of MiB, 2 or more.');
    return benchLarge({ megabytes, json: values.json });
  }
  if (values.source === 'postgresql')
    return benchPostgres({
      tables: Number(values.tables),
      columns: Number(values.columns),
      rows: Number(values.rows === '500' ? 128 : values.rows),
      json: values.json,
    });
  if (values.source !== 'storage') throw new Error(`--source must be storage or postgresql, not '${values.source}'.`);
  const files = Number(values.files);
  const rows = Number(values.rows);
  if (!Number.isInteger(files) || files < 1 || !Number.isInteger(rows) || rows < 1)
    throw new Error('--files and --rows must be positive integers.');
  const log = (line: string): void => void (values.json ? process.stderr : process.stdout).write(`${line}\n`);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'purview-bench-'));
  const ports = {
    emulator: await freePort(),
    blob: await freePort(),
    queue: await freePort(),
    table: await freePort(),
  };
  const processes: ManagedProcess[] = [];
  // V8 CPU profiles of the emulator and the runtime, written when they stop (open in Chrome DevTools or speedscope).
  const profileArgs = (name: string): string[] =>
    values.profile ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(values.profile, name)}`] : [];
  try {
    // In memory for 100,000 blobs: on disk, Azurite rewrites its whole metadata file as it grows (hours of uploads).
    const location = values['azurite-in-memory'] ? 'memory' : path.join(dataDir, 'azurite');
    const azurite = startAzurite({ location, ports });
    processes.push(azurite);
    const emulator = startEmulator({
      dataDir,
      ports,
      env: { PURVIEW_HEARTBEAT_INTERVAL_SECONDS: '1', PURVIEW_INGESTION_POLL_MS: '50' },
      nodeArgs: profileArgs('emulator'),
    });
    processes.push(emulator);
    const endpoint = `http://127.0.0.1:${ports.emulator}`;
    await waitForHealthy(endpoint, emulator);
    const client = new PurviewClient(endpoint);

    log(`Uploading ${files} CSV files × ${rows} rows to Azurite…`);
    const container = devstoreBlobService(ports.blob).getContainerClient('bench');
    await container.createIfNotExists();
    // Names without digits: numbered partitions would be one resource set (1 file in 100 sampled), and the bench
    // measures the cost per file against a floor that reads every file.
    const names = Array.from({ length: files }, (_, i) => `region-${letters(i % 12)}/table-${letters(i)}.csv`);
    let bytes = 0;
    await inBatches([...names.keys()], 16, async (index) => {
      const name = names[index];
      const body = csv(rows, index);
      bytes += Buffer.byteLength(body);
      await container.getBlockBlobClient(name).upload(body, Buffer.byteLength(body));
    });

    log('Baseline: list and read the first MiB of every blob directly…');
    const baselineStart = process.hrtime.bigint();
    const baselineCpu = { azurite: cpuMs(azurite.child.pid), reader: process.cpuUsage() };
    const listed: string[] = [];
    for await (const blob of container.listBlobsFlat()) listed.push(blob.name);
    await inBatches(listed, 4, async (name) => {
      const response = await container.getBlobClient(name).download(0, 1024 * 1024);
      for await (const chunk of response.readableStreamBody!) void chunk;
    });
    const baselineSeconds = Number(process.hrtime.bigint() - baselineStart) / 1e9;
    const readerCpu = process.cpuUsage(baselineCpu.reader);
    const baselineCpuSeconds = {
      azurite: seconds(baselineCpu.azurite, cpuMs(azurite.child.pid)),
      reader: Number(((readerCpu.user + readerCpu.system) / 1e6).toFixed(2)),
    };

    await client.scan('PUT', '/integrationruntimes/bench-shir', { kind: 'SelfHosted', properties: {} });
    const { authKey1 } = await client.scan<{ authKey1: string }>(
      'POST',
      '/integrationruntimes/bench-shir:listAuthKeys',
    );
    const home = path.join(dataDir, 'shir');
    const registered = await runShir(
      ['register', '--key', authKey1, '--node-name', 'bench-node', '--home', home],
      shirEnv(home),
    );
    if (registered.code !== 0) throw new Error(`shir register failed: ${registered.stdout}${registered.stderr}`);
    // Through the installed launcher, as a user starts it: the heap is bounded there.
    const node = startShir(home, { launcher: true, nodeArgs: profileArgs('runtime') });
    processes.push(node);
    await pollUntil(
      async () =>
        (await client.scan<SelfHostedIntegrationRuntimeStatus>('GET', '/integrationruntimes/bench-shir/status'))
          .properties.state === 'Online'
          ? true
          : undefined,
      { timeoutMs: 30_000, description: 'the node to be Online' },
    );
    await ensureSampleScan(client, {
      dataSource: 'bench-storage',
      scan: 'bench-scan',
      integrationRuntime: 'bench-shir',
    });

    // CPU time of each process of the stack: on a machine with fewer cores than busy processes, their sum bounds the run.
    const runtimePid = relaunchedPid(node.child.pid);
    const cpuOfStack = () => ({
      azurite: cpuMs(azurite.child.pid),
      runtime: cpuMs(runtimePid),
      emulator: cpuMs(emulator.child.pid),
    });

    /** One run of the bench scan at `scanLevel`, PUT → Succeeded, timed. */
    const timedRun = async (scanLevel: 'Full' | 'Incremental') => {
      const started = process.hrtime.bigint();
      const cpuBefore = cpuOfStack();
      const id = randomUUID();
      await client.scan('PUT', `/datasources/bench-storage/scans/bench-scan/runs/${id}?scanLevel=${scanLevel}`);
      const finished = await pollUntil(
        async () => {
          // A runtime that dies mid-scan (its heap limit, a crash) ends the bench with what it printed, not a 30-min wait.
          if (!node.isRunning()) return 'runtime exited' as const;
          const r = await client.scan<ScanResultWithIngestion>(
            'GET',
            `/datasources/bench-storage/scans/bench-scan/runs/${id}`,
          );
          return ['Succeeded', 'Failed', 'Canceled'].includes(r.status) ? r : undefined;
        },
        // Each check is a request the emulator serves during the run it measures: every 50 ms at first, then at
        // 0.5 % of the time waited (at most a second), so a long run is not measured with thousands of extra requests.
        {
          timeoutMs: 30 * 60_000,
          intervalMs: (elapsedMs) => Math.min(1000, Math.max(50, elapsedMs / 200)),
          description: 'the scan to finish',
        },
      );
      if (finished === 'runtime exited')
        throw new Error(`The runtime exited during the scan; its last lines:\n${node.output.slice(-20).join('\n')}`);
      if (finished.status !== 'Succeeded')
        throw new Error(`The scan ended ${finished.status}: ${finished.errorMessage}`);
      const cpuAfter = cpuOfStack();
      const cpuSeconds = {
        azurite: seconds(cpuBefore.azurite, cpuAfter.azurite),
        runtime: seconds(cpuBefore.runtime, cpuAfter.runtime),
        emulator: seconds(cpuBefore.emulator, cpuAfter.emulator),
      };
      return { run: finished, seconds: Number(process.hrtime.bigint() - started) / 1e9, cpuSeconds };
    };

    log('Scan through the runtime, PUT → Succeeded (the first run is Full)…');
    const { run, seconds: scanSeconds, cpuSeconds: scanCpuSeconds } = await timedRun('Full');
    log('Incremental run over the unchanged estate…');
    const incremental = await timedRun('Incremental');
    if (incremental.run.scanLevelType !== 'Incremental') throw new Error('The second run was not incremental.');

    const result = {
      files,
      rowsPerFile: rows,
      megabytes: Number((bytes / 1024 / 1024).toFixed(1)),
      baselineSeconds: Number(baselineSeconds.toFixed(2)),
      scanSeconds: Number(scanSeconds.toFixed(2)),
      ratio: Number((scanSeconds / baselineSeconds).toFixed(2)),
      incrementalSeconds: Number(incremental.seconds.toFixed(2)),
      incrementalRatio: Number((incremental.seconds / scanSeconds).toFixed(2)),
      discoverySeconds: span(
        run.discoveryExecutionDetails.discoveryStartTime,
        run.discoveryExecutionDetails.discoveryEndTime,
      ),
      ingestionLagSeconds: span(
        run.discoveryExecutionDetails.discoveryEndTime,
        run.ingestionExecutionDetails.ingestionEndTime,
      ),
      assetsDiscovered: run.assetsDiscovered,
      assetsPerSecond: Math.round(run.assetsDiscovered / scanSeconds),
      baselineCpuSeconds,
      scanCpuSeconds,
      runtimePeakRssMb: peakRssMb(runtimePid),
      emulatorPeakRssMb: peakRssMb(emulator.child.pid),
    };
    if (values.json) process.stdout.write(`${JSON.stringify(result)}\n`);
    else {
      log(`\n  ${files} files, ${result.megabytes} MiB`);
      log(`  baseline (list + read)        ${result.baselineSeconds.toFixed(2)} s`);
      log(`    CPU: Azurite ${baselineCpuSeconds.azurite ?? '?'} s, reader ${baselineCpuSeconds.reader} s`);
      log(`  scan run (PUT → Succeeded)    ${result.scanSeconds.toFixed(2)} s   ratio ${result.ratio}× baseline`);
      log(
        `    discovery on the node ${result.discoverySeconds ?? '?'} s, ingestion finished ${result.ingestionLagSeconds ?? '?'} s after discovery`,
      );
      log(
        `    CPU: Azurite ${scanCpuSeconds.azurite ?? '?'} s, runtime ${scanCpuSeconds.runtime ?? '?'} s, emulator ${scanCpuSeconds.emulator ?? '?'} s (${os.availableParallelism()} cores)`,
      );
      log(
        `  incremental run, unchanged    ${result.incrementalSeconds.toFixed(2)} s   ratio ${result.incrementalRatio}× the full run`,
      );
      log(`  ${result.assetsDiscovered} assets discovered, ${result.assetsPerSecond} assets/s`);
      log(`  peak RSS: runtime ${result.runtimePeakRssMb ?? '?'} MiB, emulator ${result.emulatorPeakRssMb ?? '?'} MiB`);
    }
  } finally {
    for (const p of processes.reverse()) await p.stop(3000);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`npm run bench:scan failed: ${(error as Error)?.message ?? String(error)}\n`);
  process.exit(1);
});

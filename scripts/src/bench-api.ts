/**
 * `npm run bench:api [-- --seconds 8 --connections 20 --json --profile dir]`: the throughput and latency of authenticated reads of
 * the emulator against a floor measured in the same run. The floor (bench-api-floor.ts, its own process) is a bare
 * Fastify handler that verifies an RS256 token and reads one SQLite row; the emulator serves
 * `GET /scan/integrationruntimes/{name}/status` and the runtime list with everything a real request goes through
 * (token verification, roles, api-version, logging, error filter). Each target gets `--connections` keep-alive
 * connections kept busy for `--seconds` after a warm-up; the floor is measured before and after the emulator and
 * averaged, so that drift on a shared machine does not favour either.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { Pool } from 'undici';
import { pollUntil } from '@purview-emulator/testing';
import { ManagedProcess, startProcess } from './stack/processes';
import { cpuMs } from './stack/proc-stats';
import { startBenchStack } from './stack/bench-stack';

interface Target {
  origin: string;
  path: string;
  token: string;
  /** The server's process, for the CPU time it spent per request. */
  pid?: number;
}

interface Figures {
  requests: number;
  perSecond: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  /** The server's CPU time (user + system) per request: unlike latency, hardly moved by other load on the machine. */
  cpuUsPerRequest?: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

/** Keeps `connections` requests in flight for `seconds`; every answer must be a 200. */
async function load(target: Target, connections: number, seconds: number): Promise<Figures> {
  const pool = new Pool(target.origin, { connections, pipelining: 1 });
  const latencies: number[] = [];
  const headers = { authorization: `Bearer ${target.token}` };
  const deadline = performance.now() + seconds * 1000;
  const worker = async (): Promise<void> => {
    while (performance.now() < deadline) {
      const start = performance.now();
      const { statusCode, body } = await pool.request({ method: 'GET', path: target.path, headers });
      await body.text();
      if (statusCode !== 200) throw new Error(`GET ${target.origin}${target.path} answered ${statusCode}`);
      latencies.push(performance.now() - start);
    }
  };
  const started = performance.now();
  const cpuBefore = cpuMs(target.pid);
  await Promise.all(Array.from({ length: connections }, worker));
  const cpuAfter = cpuMs(target.pid);
  const elapsed = (performance.now() - started) / 1000;
  await pool.close();
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    perSecond: Math.round(latencies.length / elapsed),
    p50Ms: Number(percentile(latencies, 0.5).toFixed(2)),
    p90Ms: Number(percentile(latencies, 0.9).toFixed(2)),
    p99Ms: Number(percentile(latencies, 0.99).toFixed(2)),
    ...(cpuBefore !== undefined && cpuAfter !== undefined
      ? { cpuUsPerRequest: Math.round(((cpuAfter - cpuBefore) * 1000) / latencies.length) }
      : {}),
  };
}

async function startFloor(): Promise<{ process: ManagedProcess; origin: string; token: string }> {
  const floor = startProcess('floor', process.execPath, [path.join(__dirname, 'bench-api-floor.js')]);
  const line = await pollUntil(
    () => {
      if (!floor.isRunning()) throw new Error(`The floor server exited:\n${floor.output.join('\n')}`);
      return floor.output.find((l) => l.startsWith('{"port"'));
    },
    { timeoutMs: 20_000, intervalMs: 50, description: 'the floor server to listen' },
  );
  const { port, token } = JSON.parse(line) as { port: number; token: string };
  return { process: floor, origin: `http://127.0.0.1:${port}`, token };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seconds: { type: 'string', default: '8' },
      connections: { type: 'string', default: '20' },
      json: { type: 'boolean', default: false },
      profile: { type: 'string' },
    },
  });
  const seconds = Number(values.seconds);
  const connections = Number(values.connections);
  if (!(seconds > 0) || !Number.isInteger(connections) || connections < 1)
    throw new Error('--seconds must be a positive number and --connections a positive integer.');
  const log = (line: string): void => void (values.json ? process.stderr : process.stdout).write(`${line}\n`);
  // --profile <dir>: a V8 CPU profile of the emulator, written when it stops (open it in Chrome DevTools).
  const nodeArgs = values.profile ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(values.profile)}`] : [];
  const stack = await startBenchStack('api', { nodeArgs });
  let floorProcess: ManagedProcess | undefined;
  try {
    const { client, endpoint: origin } = stack;
    const created = await client.call('PUT', '/scan/integrationruntimes/bench-ir', {
      kind: 'SelfHosted',
      properties: { description: 'bench:api' },
    });
    if (created.status !== 200 && created.status !== 201)
      throw new Error(`Creating the integration runtime answered ${created.status}: ${JSON.stringify(created.body)}`);
    const token = await client.accessToken();
    const floor = await startFloor();
    floorProcess = floor.process;

    const targets = {
      floor: {
        origin: floor.origin,
        path: '/scan/integrationruntimes/ir/status',
        token: floor.token,
        pid: floor.process.child.pid,
      },
      status: {
        origin,
        path: '/scan/integrationruntimes/bench-ir/status?api-version=2023-09-01',
        token,
        pid: stack.emulator.child.pid,
      },
      list: { origin, path: '/scan/integrationruntimes?api-version=2023-09-01', token, pid: stack.emulator.child.pid },
    };
    const warmUp = Math.min(2, seconds / 2);
    for (const target of Object.values(targets)) await load(target, connections, warmUp);

    log(`${connections} connections, ${seconds} s per target…`);
    const floorBefore = await load(targets.floor, connections, seconds);
    const status = await load(targets.status, connections, seconds);
    const list = await load(targets.list, connections, seconds);
    const floorAfter = await load(targets.floor, connections, seconds);
    const floorPerSecond = Math.round((floorBefore.perSecond + floorAfter.perSecond) / 2);
    const share = (f: Figures): number => Number((f.perSecond / floorPerSecond).toFixed(2));
    // The tail against the floor's in the same run: on a shared machine the absolute p99 moves with the load on it,
    // the ratio says what the emulator itself adds.
    const floorP99 = (floorBefore.p99Ms + floorAfter.p99Ms) / 2;
    const tail = (f: Figures): number => Number((f.p99Ms / floorP99).toFixed(2));
    const figures = {
      connections,
      seconds,
      floor: { perSecond: floorPerSecond, before: floorBefore, after: floorAfter },
      status: { ...status, shareOfFloor: share(status), p99OfFloorP99: tail(status) },
      list: { ...list, shareOfFloor: share(list), p99OfFloorP99: tail(list) },
      loadAverage: os.loadavg().map((l) => Number(l.toFixed(2))),
      targets: 'status ≥ 0.5 × floor; p99 ≤ 20 ms',
    };
    if (values.json) process.stdout.write(`${JSON.stringify(figures)}\n`);
    else {
      const row = (name: string, f: Figures): string =>
        `${name.padEnd(16)} ${String(f.perSecond).padStart(6)} req/s  p50 ${f.p50Ms} ms  p90 ${f.p90Ms} ms  p99 ${f.p99Ms} ms` +
        (f.cpuUsPerRequest === undefined ? '' : `  CPU ${f.cpuUsPerRequest} µs/req`);
      log(row('floor (before)', floorBefore));
      log(row('floor (after)', floorAfter));
      log(`${row('IR status', status)}  = ${share(status)} × floor, p99 ${tail(status)} × floor's`);
      log(`${row('IR list', list)}  = ${share(list)} × floor, p99 ${tail(list)} × floor's`);
      log(`load average           ${figures.loadAverage.join(' ')} on ${os.cpus().length} cores (1, 5, 15 min)`);
      log(`target                 status ≥ 0.5 × floor, p99 ≤ 20 ms`);
    }
  } finally {
    await floorProcess?.stop(3000);
    await stack.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

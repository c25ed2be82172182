/**
 * `npm run bench:datamap [-- --entities 100000 --idle 5 --json --profile dir]`: bulk entity creation through the Atlas API of a real
 * emulator process, against baselines measured in the same run. Creates N `DataSet` entities, 1,000 per
 * `POST atlas/v2/entity/bulk`, then times as many `GET atlas/v2/entity/guid/{guid}` calls (the cheapest data map
 * call) and a few hundred single-entity `POST atlas/v2/entity` creates. Prints seconds, entities/s, the ratios, and
 * the emulator's resident memory (VmRSS of the child) after the load and after an idle pause.
 */
import { startBenchStack } from './stack/bench-stack';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import type { EntityMutationResult } from '@purview-emulator/contracts';

const ATLAS = '/datamap/api/atlas/v2';
const API_VERSION = 'api-version=2023-09-01';
const PER_CALL = 1000;
const SINGLE_CREATES = 300;

const dataSet = (name: string) => ({
  typeName: 'DataSet',
  attributes: { qualifiedName: `bench://datamap/${name}`, name, description: `bench entity ${name}` },
});

async function timed(work: () => Promise<void>): Promise<number> {
  const start = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** Resident set size of a process in MiB, from /proc (Linux only; undefined elsewhere). */
function rssMiB(pid: number | undefined, field: 'VmRSS' | 'VmHWM' = 'VmRSS'): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1];
    return kb === undefined ? undefined : Number((Number(kb) / 1024).toFixed(1));
  } catch {
    return undefined;
  }
}

const round = (value: number, digits = 2): number => Number(value.toFixed(digits));

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      entities: { type: 'string', default: '100000' },
      idle: { type: 'string', default: '5' },
      json: { type: 'boolean', default: false },
      profile: { type: 'string' },
    },
  });
  const entities = Number(values.entities);
  const idleSeconds = Number(values.idle);
  if (!Number.isInteger(entities) || entities < PER_CALL || !Number.isFinite(idleSeconds) || idleSeconds < 0)
    throw new Error(`--entities must be an integer ≥ ${PER_CALL} and --idle a number of seconds ≥ 0.`);
  const log = (line: string): void => void (values.json ? process.stderr : process.stdout).write(`${line}\n`);
  const stack = await startBenchStack('datamap', {
    apiVersion: API_VERSION,
    // A V8 CPU profile of the emulator, written when it stops (Chrome DevTools or speedscope open it).
    nodeArgs: values.profile ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(values.profile)}`] : undefined,
  });
  try {
    const { ok, emulator } = stack;
    const pid = emulator.child.pid;
    const rssAtStart = rssMiB(pid);

    // Warm-up outside the timings: token, route, statement caches.
    const warm = await ok<EntityMutationResult>('POST', `${ATLAS}/entity/bulk`, {
      entities: Array.from({ length: 10 }, (_, i) => dataSet(`warm-${i}`)),
    });
    const guid = warm.mutatedEntities?.CREATE?.[0]?.guid;
    if (!guid) throw new Error(`The warm-up bulk create reported no created entity: ${JSON.stringify(warm)}`);

    const calls = Math.ceil(entities / PER_CALL);
    log(`Creating ${entities} DataSet entities, ${PER_CALL} per POST entity/bulk (${calls} calls)…`);
    let created = 0;
    const bulkMs = await timed(async () => {
      for (let start = 0; start < entities; start += PER_CALL) {
        const batch = Array.from({ length: Math.min(PER_CALL, entities - start) }, (_, i) => dataSet(`e${start + i}`));
        const result = await ok<EntityMutationResult>('POST', `${ATLAS}/entity/bulk`, { entities: batch });
        created += result.mutatedEntities?.CREATE?.length ?? 0;
      }
    });
    if (created !== entities)
      throw new Error(`Expected ${entities} entities created, the emulator reported ${created}.`);
    const rssAfterLoad = rssMiB(pid);

    log(`Timing ${calls} GET entity/guid calls and ${SINGLE_CREATES} single-entity POST entity calls…`);
    const getMs = await timed(async () => {
      for (let i = 0; i < calls; i++) await ok('GET', `${ATLAS}/entity/guid/${guid}`);
    });
    const singleMs = await timed(async () => {
      for (let i = 0; i < SINGLE_CREATES; i++) await ok('POST', `${ATLAS}/entity`, { entity: dataSet(`single-${i}`) });
    });

    log(`Idling ${idleSeconds} s…`);
    await new Promise((resolve) => setTimeout(resolve, idleSeconds * 1000));
    const rssAfterIdle = rssMiB(pid);

    const bulkCallMs = bulkMs / calls;
    const getCallMs = getMs / calls;
    const perSecond = entities / (bulkMs / 1000);
    const singlePerSecond = SINGLE_CREATES / (singleMs / 1000);
    const figures = {
      entities,
      perCall: PER_CALL,
      calls,
      bulkSeconds: round(bulkMs / 1000),
      entitiesPerSecond: Math.round(perSecond),
      bulkCallMeanMs: round(bulkCallMs),
      getCallMeanMs: round(getCallMs),
      ratioBulkCallToGet: round(bulkCallMs / getCallMs, 1),
      singleCreates: SINGLE_CREATES,
      singleCreatesPerSecond: Math.round(singlePerSecond),
      ratioBulkToSingleRate: round(perSecond / singlePerSecond, 1),
      rssMiB: { start: rssAtStart, afterLoad: rssAfterLoad, afterIdle: rssAfterIdle, peak: rssMiB(pid, 'VmHWM') },
      idleSeconds,
      target: `${(100_000).toLocaleString('en')} entities in ≤ 5 s; RSS ≤ 250 MiB holding 1,000,000 entities`,
    };
    if (values.json) process.stdout.write(`${JSON.stringify(figures)}\n`);
    else {
      log(
        `bulk create      ${entities} entities in ${figures.bulkSeconds} s = ${figures.entitiesPerSecond} entities/s`,
      );
      log(`                 mean ${figures.bulkCallMeanMs} ms per call of ${PER_CALL}`);
      log(`GET entity/guid  mean ${figures.getCallMeanMs} ms per call (${calls} calls)`);
      log(`ratio            bulk call / GET call = ${figures.ratioBulkCallToGet}`);
      log(`single creates   ${figures.singleCreatesPerSecond} entities/s (${SINGLE_CREATES} POST entity calls)`);
      log(`ratio            bulk rate / single-create rate = ${figures.ratioBulkToSingleRate}`);
      const { start, afterLoad, afterIdle, peak } = figures.rssMiB;
      log(
        `emulator RSS     start ${start} MiB, after load ${afterLoad} MiB, after ${idleSeconds} s idle ${afterIdle} MiB`,
      );
      log(`                 peak ${peak} MiB`);
      log(`target           ${figures.target}`);
    }
  } finally {
    await stack.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

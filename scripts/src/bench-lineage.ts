/**
 * `npm run bench:lineage [-- --processes 1000 --rounds 200 --json]`: lineage of a long process chain against the
 * cheapest data map read, in the same run. Builds d0 → p1 → d1 → … → p{N} → d{N} through the Atlas entity API,
 * then times `GET atlas/v2/lineage/{guid}?direction=BOTH&depth=3` of a dataset in the middle of the chain and
 * `GET atlas/v2/entity/guid/{guid}` of the same dataset, interleaved, over HTTP. Prints medians and the ratio.
 */
import { startBenchStack } from './stack/bench-stack';
import { parseArgs } from 'node:util';
import type { AtlasLineageInfo, EntityMutationResult } from '@purview-emulator/contracts';

const ATLAS = '/datamap/api/atlas/v2';
const qn = (name: string): string => `bench://lineage/${name}`;
const ref = (name: string) => ({ typeName: 'DataSet', uniqueAttributes: { qualifiedName: qn(name) } });

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function timed(work: () => Promise<void>): Promise<number> {
  const start = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      processes: { type: 'string', default: '1000' },
      rounds: { type: 'string', default: '200' },
      json: { type: 'boolean', default: false },
    },
  });
  const processes = Number(values.processes);
  const rounds = Number(values.rounds);
  if (!Number.isInteger(processes) || processes < 7 || !Number.isInteger(rounds) || rounds < 1)
    throw new Error('--processes must be an integer ≥ 7 and --rounds a positive integer.');
  const log = (line: string): void => void (values.json ? process.stderr : process.stdout).write(`${line}\n`);
  const stack = await startBenchStack('lineage');
  try {
    const { ok } = stack;

    log(`Writing a chain of ${processes} processes and ${processes + 1} datasets…`);
    const buildMs = await timed(async () => {
      const datasets = Array.from({ length: processes + 1 }, (_, i) => ({
        typeName: 'DataSet',
        attributes: { qualifiedName: qn(`d${i}`), name: `d${i}` },
      }));
      for (let i = 0; i < datasets.length; i += 500)
        await ok('POST', `${ATLAS}/entity/bulk`, { entities: datasets.slice(i, i + 500) });
      const steps = Array.from({ length: processes }, (_, i) => ({
        typeName: 'Process',
        attributes: {
          qualifiedName: qn(`p${i + 1}`),
          name: `p${i + 1}`,
          inputs: [ref(`d${i}`)],
          outputs: [ref(`d${i + 1}`)],
        },
      }));
      for (let i = 0; i < steps.length; i += 500)
        await ok<EntityMutationResult>('POST', `${ATLAS}/entity/bulk`, { entities: steps.slice(i, i + 500) });
    });
    const middle = Math.floor(processes / 2);
    const base = await ok<{ entity: { guid: string } }>(
      'GET',
      `${ATLAS}/entity/uniqueAttribute/type/DataSet?attr:qualifiedName=${encodeURIComponent(qn(`d${middle}`))}`,
    );
    const guid = base.entity.guid;
    const lineageUrl = `${ATLAS}/lineage/${guid}?direction=BOTH&depth=3&width=10`;
    const entityUrl = `${ATLAS}/entity/guid/${guid}`;
    const check = await ok<AtlasLineageInfo>('GET', lineageUrl);
    const nodes = Object.keys(check.guidEntityMap).length;
    if (nodes !== 13 || check.relations.length !== 12)
      throw new Error(
        `Expected 13 entities and 12 relations at depth 3 both ways, got ${nodes} and ${check.relations.length}.`,
      );

    log(`Timing ${rounds} rounds of entity GET and lineage GET (d${middle}, depth 3, both directions)…`);
    for (let i = 0; i < 20; i++) {
      await ok('GET', entityUrl);
      await ok('GET', lineageUrl);
    }
    const entityMs: number[] = [];
    const lineageMs: number[] = [];
    for (let i = 0; i < rounds; i++) {
      entityMs.push(await timed(() => ok('GET', entityUrl)));
      lineageMs.push(await timed(() => ok('GET', lineageUrl)));
    }
    const figures = {
      processes,
      datasets: processes + 1,
      buildSeconds: Number((buildMs / 1000).toFixed(2)),
      rounds,
      lineageEntities: nodes,
      lineageRelations: check.relations.length,
      entityGetMedianMs: Number(median(entityMs).toFixed(2)),
      lineageMedianMs: Number(median(lineageMs).toFixed(2)),
      ratio: Number((median(lineageMs) / median(entityMs)).toFixed(2)),
      target: 'lineage ≤ 2 × entity GET',
    };
    if (values.json) process.stdout.write(`${JSON.stringify(figures)}\n`);
    else {
      log(`chain written in ${figures.buildSeconds} s`);
      log(`entity GET by guid      median ${figures.entityGetMedianMs} ms`);
      log(
        `lineage depth 3, BOTH   median ${figures.lineageMedianMs} ms (${nodes} entities, ${check.relations.length} relations)`,
      );
      log(`ratio lineage / entity  ${figures.ratio} (target ≤ 2)`);
    }
  } finally {
    await stack.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

/**
 * `npm run bench:search [-- --entities 100000 --samples 200 --json]`: discovery search over N synthetic assets in a
 * real emulator process, loaded through the public bulk API (1,000 per `POST atlas/v2/entity/bulk`). Times keyword
 * queries (one hit, and a broad word that hits a tenth of the assets), a `contains` filter, a faceted query over
 * every asset, suggest and autocomplete, each against `GET atlas/v2/entity/guid/{guid}` measured in the same run;
 * and a rebuild of the search index from the entity store (`POST /_emulator/search/index:rebuild`).
 */
import { startBenchStack } from './stack/bench-stack';
import { parseArgs } from 'node:util';
import type { EntityMutationResult } from '@purview-emulator/contracts';

const ATLAS = '/datamap/api/atlas/v2';
const SEARCH = '/datamap/api/search';
const API_VERSION = 'api-version=2023-09-01';
const PER_CALL = 1000;
const WORDS = [
  'sales', 'orders', 'customers', 'invoices', 'payments', 'inventory', 'shipments', 'returns', 'products', 'employees',
  'payroll', 'budget', 'forecast', 'marketing', 'campaigns', 'leads', 'tickets', 'sessions', 'events', 'metrics',
]; // prettier-ignore
const TYPES = ['azure_blob_path', 'azure_datalake_gen2_path', 'DataSet'];
const EXTENSIONS = ['csv', 'parquet', 'json', 'avro'];

/** Asset i, deterministic: name `{word}_{word}_{i}.{ext}`, a path of account/container/folder, a description. */
function asset(i: number): Record<string, unknown> {
  const [a, b, c] = [WORDS[i % 20], WORDS[Math.floor(i / 20) % 20], WORDS[Math.floor(i / 400) % 20]];
  const name = `${a}_${b}_${i}.${EXTENSIONS[i % 4]}`;
  return {
    typeName: TYPES[i % 3],
    attributes: {
      qualifiedName: `https://acct${i % 7}.blob.core.windows.net/${c}/${Math.floor(i / 1000)}/${name}`,
      name,
      description: `${c} extract number ${i} for the ${b} team`,
    },
    ...(i % 10 === 0 ? { classifications: [{ typeName: 'MICROSOFT.PERSONAL.EMAIL' }] } : {}),
  };
}

interface Stats {
  p50: number;
  p90: number;
  ratioToGet: number;
}

const round = (value: number, digits = 2): number => Number(value.toFixed(digits));

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      entities: { type: 'string', default: '100000' },
      samples: { type: 'string', default: '200' },
      json: { type: 'boolean', default: false },
    },
  });
  const entities = Number(values.entities);
  const samples = Number(values.samples);
  if (!Number.isInteger(entities) || entities < PER_CALL || !Number.isInteger(samples) || samples < 10)
    throw new Error(`--entities must be an integer ≥ ${PER_CALL} and --samples an integer ≥ 10.`);
  const log = (line: string): void => void (values.json ? process.stderr : process.stdout).write(`${line}\n`);
  const stack = await startBenchStack('search', { apiVersion: API_VERSION });
  try {
    const { ok } = stack;

    log(`Loading ${entities} assets, ${PER_CALL} per POST entity/bulk…`);
    const loadStart = performance.now();
    let guid: string | undefined;
    for (let start = 0; start < entities; start += PER_CALL) {
      const batch = Array.from({ length: Math.min(PER_CALL, entities - start) }, (_, i) => asset(start + i));
      const result = await ok<EntityMutationResult>('POST', `${ATLAS}/entity/bulk`, { entities: batch });
      guid ??= result.mutatedEntities?.CREATE?.[0]?.guid;
    }
    const loadSeconds = round((performance.now() - loadStart) / 1000, 1);
    if (!guid) throw new Error('The bulk create reported no created entity.');

    const rand = (n: number): number => Math.floor(Math.random() * n);
    /** p50/p90 of `samples` calls (after 20 untimed), each with a fresh body; `check` rejects empty answers. */
    const measure = async (
      label: string,
      call: () => Promise<unknown>,
      check: (answer: unknown) => boolean = () => true,
    ): Promise<number[]> => {
      for (let i = 0; i < 20; i++) await call();
      const times: number[] = [];
      for (let i = 0; i < samples; i++) {
        const t0 = performance.now();
        const answer = await call();
        times.push(performance.now() - t0);
        if (!check(answer)) throw new Error(`${label}: unexpected answer ${JSON.stringify(answer).slice(0, 300)}`);
      }
      return times.sort((a, b) => a - b);
    };
    const hits = (a: unknown) => ((a as { value?: unknown[] }).value?.length ?? 0) > 0;
    const pick = () => rand(entities);
    const stem = (i: number) => `${WORDS[i % 20]}_${WORDS[Math.floor(i / 20) % 20]}_${i}`;

    log(`Timing ${samples} calls of each kind…`);
    const get = await measure('GET entity/guid', () => ok('GET', `${ATLAS}/entity/guid/${guid}`));
    const runs: Record<string, number[]> = {
      keyword: await measure('keyword', () => ok('POST', `${SEARCH}/query`, { keywords: stem(pick()) }), hits),
      keywordBroad: await measure(
        'broad keyword',
        () => ok('POST', `${SEARCH}/query`, { keywords: WORDS[rand(20)], limit: 50 }),
        hits,
      ),
      filterContains: await measure(
        'contains filter',
        () =>
          ok('POST', `${SEARCH}/query`, {
            filter: {
              and: [
                { attributeName: 'name', operator: 'contains', attributeValue: `_${pick()}.` },
                { objectType: 'Files' },
              ],
            },
          }),
        () => true,
      ),
      faceted: await measure(
        'faceted',
        () =>
          ok('POST', `${SEARCH}/query`, {
            keywords: null,
            limit: 10,
            filter: { not: { entityType: TYPES[rand(3)] } },
            facets: [{ facet: 'entityType' }, { facet: 'assetType' }, { facet: 'classification' }],
          }),
        hits,
      ),
      suggest: await measure(
        'suggest',
        () => ok('POST', `${SEARCH}/suggest`, { keywords: stem(pick()).slice(0, -1) }),
        hits,
      ),
      autocomplete: await measure(
        'autocomplete',
        () => ok('POST', `${SEARCH}/autocomplete`, { keywords: stem(pick()).slice(0, -1) }),
        hits,
      ),
    };
    const rebuild = await ok<{ lastRebuild: { durationMs: number; rows: number } }>(
      'POST',
      '/_emulator/search/index:rebuild',
    );

    const getP50 = percentile(get, 50);
    const figures = {
      entities,
      samples,
      loadSeconds,
      getByGuid: { p50: round(getP50), p90: round(percentile(get, 90)) },
      ...Object.fromEntries(
        Object.entries(runs).map(([k, times]): [string, Stats] => [
          k,
          {
            p50: round(percentile(times, 50)),
            p90: round(percentile(times, 90)),
            ratioToGet: round(percentile(times, 50) / getP50, 1),
          },
        ]),
      ),
      indexRebuild: { seconds: round(rebuild.lastRebuild.durationMs / 1000), rows: rebuild.lastRebuild.rows },
      target: 'keyword, filter, faceted p50 ≤ 10 ms (≤ 5× a GET by guid); suggest, autocomplete p50 ≤ 5 ms',
    };
    if (values.json) process.stdout.write(`${JSON.stringify(figures)}\n`);
    else {
      log(`load             ${entities} assets in ${loadSeconds} s`);
      log(`GET entity/guid  p50 ${figures.getByGuid.p50} ms, p90 ${figures.getByGuid.p90} ms`);
      for (const [k, times] of Object.entries(runs))
        log(
          `${k.padEnd(16)} p50 ${round(percentile(times, 50))} ms, p90 ${round(percentile(times, 90))} ms, ` +
            `p50 = ${round(percentile(times, 50) / getP50, 1)}× GET`,
        );
      log(`index rebuild    ${figures.indexRebuild.rows} entities in ${figures.indexRebuild.seconds} s`);
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

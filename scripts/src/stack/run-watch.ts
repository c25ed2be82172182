import type { QueryResult, ScanResultWithIngestion } from '@purview-emulator/contracts';
import { PurviewClient } from './purview-client';

const TERMINAL = new Set(['Succeeded', 'Failed', 'Canceled', 'CompletedWithExceptions']);

/** Follows a scan run until it ends, showing live counts (one updating line on a TTY, plain lines otherwise). */
export async function watchRun(
  client: PurviewClient,
  dataSource: string,
  scan: string,
  runId: string,
  options: { out?: NodeJS.WriteStream; timeoutMs?: number } = {},
): Promise<ScanResultWithIngestion> {
  const out = options.out ?? process.stdout;
  const started = Date.now();
  let last = '';
  for (;;) {
    const run = await client.scan<ScanResultWithIngestion>(
      'GET',
      `/datasources/${dataSource}/scans/${scan}/runs/${runId}`,
    );
    const ingestion = run.ingestionExecutionDetails.statistics.assets;
    const line = `  ${run.status.padEnd(10)} discovery ${run.discoveryExecutionDetails.status.padEnd(9)} ${run.assetsDiscovered} discovered, ${run.assetsClassified} classified | ingestion ${run.ingestionExecutionDetails.status.padEnd(10)} ${ingestion.succeeded} ingested  (${((Date.now() - started) / 1000).toFixed(1)} s)`;
    const changed = line.replace(/\(.*\)$/, '') !== last.replace(/\(.*\)$/, '');
    if (out.isTTY) out.write(`\r${line}\x1b[K`);
    else if (changed) out.write(`${line}\n`);
    last = line;
    if (TERMINAL.has(run.status)) {
      if (out.isTTY) out.write('\n');
      return run;
    }
    if (Date.now() - started > (options.timeoutMs ?? 10 * 60_000))
      throw new Error(`Scan run ${runId} did not finish in time; last status ${run.status}.`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Prints the assets under a qualified-name prefix with their classifications, as search returns them. */
export async function printAssets(
  client: PurviewClient,
  keywords: string,
  out: NodeJS.WriteStream = process.stdout,
): Promise<QueryResult> {
  const result = await client.dataMap<QueryResult>('POST', '/search/query', {
    keywords,
    limit: 1000,
    orderby: [{ name: 'ASC' }],
  });
  const rows = result.value.filter((v) => v.entityType !== 'column' && v.entityType !== 'tabular_schema');
  out.write(`  ${rows.length} assets (${result['@search.count']} entities incl. schemas and columns):\n`);
  for (const asset of rows) {
    const classes = asset.classification.length ? `  [${asset.classification.join(', ')}]` : '';
    out.write(`    ${asset.entityType.padEnd(22)} ${asset.qualifiedName}${classes}\n`);
  }
  const columns = result.value.filter((v) => v.entityType === 'column' && v.classification.length);
  if (columns.length) {
    out.write('  Classified columns:\n');
    for (const column of columns)
      out.write(
        `    ${column.qualifiedName.replace(/#__tabular_schema\/\//, ' → ')}  [${column.classification.join(', ')}]\n`,
      );
  }
  return result;
}

/**
 * `npm run scan [-- --data-source <name> --scan <name> --json]`: runs a scan against the stack `npm start` brought up,
 * follows it with live counts, then prints the discovered assets and their classifications.
 */
import { parseArgs } from 'node:util';
import { describeEnvProblems, EnvReader } from '@purview-emulator/contracts';
import { PurviewClient } from './stack/purview-client';
import { printAssets, watchRun } from './stack/run-watch';

async function main(): Promise<void> {
  const read = new EnvReader(process.env);
  const port = read.port('PURVIEW_EMULATOR_PORT', 5380);
  const endpoint = read.url('PURVIEW_ENDPOINT', `http://127.0.0.1:${port}`);
  if (read.problems.length > 0) throw new Error(describeEnvProblems(read.problems));
  const { values } = parseArgs({
    options: {
      'data-source': { type: 'string', default: 'samples-storage' },
      scan: { type: 'string', default: 'samples-scan' },
      endpoint: { type: 'string', default: endpoint },
      json: { type: 'boolean', default: false },
    },
  });
  const client = new PurviewClient(values.endpoint);
  const dataSource = values['data-source'];
  const scan = values.scan;
  const started = Date.now();
  const runId = await client.runScan(dataSource, scan);
  if (!values.json) process.stdout.write(`Scan run ${runId} of ${dataSource}/${scan} started.\n`);
  const run = await watchRun(client, dataSource, scan, runId, { out: values.json ? process.stderr : process.stdout });
  const seconds = (Date.now() - started) / 1000;
  if (values.json) {
    process.stdout.write(
      `${JSON.stringify({ runId, status: run.status, seconds, assetsDiscovered: run.assetsDiscovered, assetsClassified: run.assetsClassified, error: run.error })}\n`,
    );
  } else {
    process.stdout.write(
      `Run ${run.status} in ${seconds.toFixed(1)} s: ${run.assetsDiscovered} assets discovered, ${run.assetsClassified} classified.\n`,
    );
    if (run.status !== 'Succeeded') process.stdout.write(`  ${run.errorMessage ?? run.error?.message ?? ''}\n`);
    else await printAssets(client, '*');
  }
  process.exitCode = run.status === 'Succeeded' ? 0 : 1;
}

main().catch((error: unknown) => {
  const message = (error as Error)?.message ?? String(error);
  process.stderr.write(
    `npm run scan: ${/ECONNREFUSED|fetch failed/.test(message) ? 'cannot reach the emulator — is `npm start` running?' : message}\n`,
  );
  process.exit(1);
});

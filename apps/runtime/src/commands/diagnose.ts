import { displayValue } from '@purview-emulator/contracts';
import { RuntimeClient } from '../client/runtime-client';
import { HomeError } from '../home/files';
import { type NodeConfig, openNodeCredential, readNodeConfig } from '../home/node-config';
import { homePaths, resolveHome } from '../home/paths';
import { NetworkContext } from '../network/network-context';
import { type ProbeResult, probeAll, STEP_NAMES } from '../network/probes';
import { describeProxySettings, ProxySettingsError } from '../network/proxy-settings';
import { describeError, redactText, redactUrl } from '../redact';
import { EXIT } from '../version';
import { type CommandIO, processIO } from './io';
import { type Command, Option } from 'commander';
import { type CliContext, homeOption, wholeNumber } from './cli-kit';

export interface DiagnoseOptions {
  home?: string;
  json?: boolean;
  /** A data source to probe too, e.g. https://myaccount.blob.core.windows.net/ or http://127.0.0.1:10000/devstoreaccount1 */
  dataSourceUrl?: string[];
  /** More URLs to probe (a service the emulator does not list, say). */
  url?: string[];
  /** Deadline of each step (default 5000 ms). */
  timeoutMs?: number;
}

export interface DiagnoseTarget {
  url: string;
  label: string;
}

/**
 * `shir diagnose`: for every service URL (the account endpoint from the home, and what the emulator lists for the
 * node's integration runtime) and each given data source: DNS, TCP, the proxy tunnel, TLS and HTTP — through the
 * proxy when one is set. Prints ✓/✗ per step with the reason; exits 2 when anything is unreachable.
 */
export async function runDiagnose(options: DiagnoseOptions, io: CommandIO = processIO): Promise<number> {
  const home = resolveHome(options.home, io.env);
  const paths = homePaths(home);
  let network: NetworkContext;
  let config: NodeConfig | undefined;
  try {
    network = NetworkContext.forHome(home, io.env);
    config = readNodeConfig(paths);
  } catch (error) {
    if (!(error instanceof HomeError) && !(error instanceof ProxySettingsError)) throw error;
    return usage(io, describeError(error), options.json);
  }
  const targets: DiagnoseTarget[] = [];
  const notes: string[] = [];
  try {
    for (const raw of options.url ?? []) targets.push({ url: checkUrl(raw, '--url'), label: 'Given URL' });
    for (const raw of options.dataSourceUrl ?? [])
      targets.push({ url: checkUrl(raw, '--data-source-url'), label: 'Data source' });
  } catch (error) {
    return usage(io, (error as Error).message, options.json);
  }
  if (config) {
    // The health route answers 200 when the emulator is up: a clearer HTTP step than the bare endpoint's 404.
    targets.unshift({
      url: `${config.emulatorUrl.replace(/\/+$/, '')}/_emulator/health`,
      label: 'Account endpoint (runtime protocol)',
    });
    const listed = await serviceEndpointsFromEmulator(config, paths, network, io.env);
    if (listed.endpoints.length) {
      const extra = listed.endpoints.filter(
        (e, i, all) =>
          !sameTarget(e.url, config.emulatorUrl) &&
          !targets.some((t) => sameTarget(t.url, e.url)) &&
          all.findIndex((o) => sameTarget(o.url, e.url)) === i,
      );
      targets.splice(1, 0, ...extra);
    } else {
      notes.push(
        `The other service URLs (token, relay, storage) come from the emulator, which did not list them: ${listed.why}. Probed the account endpoint from the home.`,
      );
    }
  } else if (targets.length === 0) {
    network.close().catch(() => undefined);
    return usage(
      io,
      `No node is registered in ${home}, so there are no service URLs to probe. Register first (shir register --key …), or give --url <url> / --data-source-url <url>.`,
      options.json,
    );
  }

  const results = await probeAll(targets, {
    plan: network.plan,
    dispatcher: network.dispatcher,
    timeoutMs: options.timeoutMs,
  });
  await network.close().catch(() => undefined);
  const secrets = network.secrets;
  const clean = (text: string) => redactText(text, secrets);
  const failed = results.filter((r) => !r.ok);
  const proxy = describeProxySettings(network.plan.settings, io.env);

  if (options.json) {
    io.out(clean(JSON.stringify({ ok: failed.length === 0, home, proxy, notes, results })));
  } else {
    io.out(clean(`Proxy: ${proxySummary(proxy)}`));
    for (const note of notes) io.out(clean(`Note: ${note}`));
    io.out('');
    for (const result of results) for (const line of resultLines(result)) io.out(clean(line));
    io.out(
      failed.length === 0
        ? `All ${results.length} reachable.`
        : `${failed.length} of ${results.length} unreachable: ${failed.map((r) => `${r.label ?? r.url} (${STEP_NAMES[r.failedStep!]})`).join(', ')}.`,
    );
  }
  return failed.length === 0 ? EXIT.ok : EXIT.service;
}

function resultLines(result: ProbeResult): string[] {
  const mark = (ok: boolean | null) => (ok === true ? '✓' : ok === false ? '✗' : '–');
  const lines = [`${mark(result.ok)} ${result.label ? `${result.label}  ` : ''}${result.url}  (${result.route})`];
  for (const step of result.steps) {
    lines.push(
      `    ${mark(step.ok)} ${STEP_NAMES[step.step].padEnd(5)} ${step.detail}${step.ms !== undefined && step.ok !== null ? ` [${step.ms} ms]` : ''}`,
    );
  }
  return lines;
}

function proxySummary(proxy: Record<string, unknown>): string {
  const bypass = (proxy.bypass as string[]).length ? `; bypass ${(proxy.bypass as string[]).join(', ')}` : '';
  if (proxy.mode === 'none') return `none (direct connections)${bypass}`;
  if (proxy.mode === 'custom')
    return `custom http://${displayValue(proxy.address)}:${displayValue(proxy.port)}${proxy.user ? ` as '${displayValue(proxy.user)}'` : ''}${bypass}`;
  const env = proxy.environment as Record<string, string | null>;
  return `system (HTTPS_PROXY=${env.HTTPS_PROXY ?? 'unset'}, HTTP_PROXY=${env.HTTP_PROXY ?? 'unset'}, NO_PROXY=${env.NO_PROXY ?? 'unset'})${bypass}`;
}

function checkUrl(raw: string, option: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new Error(
      `${option} '${redactUrl(raw)}' is not a URL: give it with its scheme, e.g. https://myaccount.blob.core.windows.net/`,
    );
  }
  if (!['http:', 'https:', 'ws:', 'wss:'].includes(url.protocol))
    throw new Error(`${option} must be an http(s):// or ws(s):// URL (it is ${url.protocol}//).`);
  return url.toString();
}

function sameTarget(a: string, b: string): boolean {
  try {
    const x = new URL(a);
    const y = new URL(b);
    return (
      x.protocol === y.protocol &&
      x.host === y.host &&
      x.pathname.replace(/\/+$/, '') === y.pathname.replace(/\/+$/, '')
    );
  } catch {
    return a === b;
  }
}

/** The service URLs the emulator lists for this node ("View Service URLs"), asked with the node credential through the proxy. */
async function serviceEndpointsFromEmulator(
  config: NodeConfig,
  paths: ReturnType<typeof homePaths>,
  network: NetworkContext,
  env: NodeJS.ProcessEnv,
): Promise<{ endpoints: DiagnoseTarget[]; why: string }> {
  let credential: string | undefined;
  try {
    credential = openNodeCredential(paths, config, env);
    const client = new RuntimeClient({
      baseUrl: config.emulatorUrl,
      credential,
      dispatcher: network.dispatcher,
      timeoutMs: 5000,
    });
    const view = await client.getNode();
    return {
      endpoints: view.serviceEndpoints.map((e) => ({ url: e.url, label: e.purpose })),
      why: view.serviceEndpoints.length ? '' : 'the emulator lists no service URLs',
    };
  } catch (error) {
    return { endpoints: [], why: describeError(error, credential ? [credential] : []) };
  }
}

function usage(io: CommandIO, message: string, json?: boolean): number {
  io.err(message);
  if (json) io.out(JSON.stringify({ ok: false, error: { code: 'InvalidInput', message } }));
  return EXIT.usage;
}

/** `shir diagnose`. */
export function register(program: Command, cli: CliContext): void {
  const collect = (value: string, previous: string[] = []) => [...previous, value];
  program
    .command('diagnose')
    .description(
      'Check that this machine reaches every service URL (and given data sources): DNS, TCP, proxy, TLS, HTTP.',
    )
    .option(
      '--data-source-url <url>',
      'a data source to probe too (repeatable), e.g. https://myaccount.blob.core.windows.net/',
      collect,
    )
    .option('--url <url>', 'any other URL to probe (repeatable)', collect)
    .addOption(
      new Option('--timeout <ms>', 'deadline of each step in milliseconds (default 5000)').argParser(
        wholeNumber('a whole number of milliseconds', 1, 600_000),
      ),
    )
    .addOption(homeOption())
    .option(
      '--json',
      'print one JSON object: {ok, proxy, notes, results:[{url, label, route, ok, failedStep, reason, steps}]}',
    )
    .addHelpText(
      'after',
      `
The service URLs are the account endpoint the node registered with and what the emulator lists for the node's
integration runtime (token, relay, storage…). Each is probed step by step, through the proxy when the proxy settings
send it there ('shir proxy show'):
  DNS    the host name resolves (through a proxy: the proxy's host name; the proxy resolves the target)
  TCP    a connection opens (to the proxy, when one is used)
  Proxy  https/wss: the proxy opens a tunnel (CONNECT) to the target; http: the proxy forwards the request (absolute
         form) instead of answering it itself. 407: a missing or wrong proxy user/password; 403: its rules deny it
  TLS    https/wss only: the handshake succeeds and the certificate is trusted
  HTTP   the server answers a request (any HTTP status counts as reachable)
The first failed step ends a URL's probe and says why, in the SHIR's words where it has them ("Unable to connect to
the remote server", "The remote name could not be resolved", "Could not establish trust relationship for the SSL/TLS
secure channel").

The emulator serves data sources with real-looking names (https://{account}.blob.core.windows.net/) from Azurite;
the runtime reaches them at the Azurite URL in its scan jobs. Probe either: the real-looking name checks what a real
runtime would need, the Azurite URL (e.g. http://127.0.0.1:10000/devstoreaccount1) what this one uses.

Exits 0 when everything is reachable, 2 when something is not, 1 on bad input.

Examples:
  shir diagnose
  shir diagnose --data-source-url http://127.0.0.1:10000/devstoreaccount1 --json
  shir diagnose --url https://login.microsoftonline.com/ --timeout 3000
`,
    )
    .action(async (options: DiagnoseOptions & { timeout?: number }) => {
      cli.exit(await runDiagnose({ ...options, timeoutMs: options.timeout }, cli.io));
    });
}

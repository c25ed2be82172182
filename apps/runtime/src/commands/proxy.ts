import { displayValue } from '@purview-emulator/contracts';
import { HomeError } from '../home/files';
import { runningHostService } from '../home/lock';
import { readNodeConfig } from '../home/node-config';
import { homePaths, resolveHome } from '../home/paths';
import { createLogger, EVENT_MESSAGES, EventLog, readEventLog } from '../log';
import { NetworkContext } from '../network/network-context';
import {
  clearProxySettings,
  describeProxySettings,
  type ProxyMode,
  proxyPlan,
  ProxySettingsError,
  readProxySettings,
  saveProxySettings,
} from '../network/proxy-settings';
import { describeError } from '../redact';
import { EXIT } from '../version';
import { type CommandIO, processIO } from './io';
import { type Command, Option } from 'commander';
import { type CliContext, EXIT_CODES_HELP, homeOption } from './cli-kit';

export interface ProxyShowOptions {
  home?: string;
  json?: boolean;
}

export interface ProxySetOptions extends ProxyShowOptions {
  mode?: string;
  address?: string;
  port?: string;
  user?: string;
  password?: string;
  /** Read the password from standard input (first line) instead of the command line. */
  passwordStdin?: boolean;
  bypass?: string[];
  /** How long to wait for a running host service to apply the settings (default 5 s). */
  waitMs?: number;
}

/** The environment variable a proxy password can come from, so it does not show in the process list. */
export const PROXY_PASSWORD_ENV = 'SHIR_PROXY_PASSWORD';

/** `shir proxy show`: the settings (never the password) and where the service's connections go. */
export function runProxyShow(options: ProxyShowOptions, io: CommandIO = processIO): number {
  const home = resolveHome(options.home, io.env);
  try {
    const settings = readProxySettings(home, io.env);
    const shown = describeProxySettings(settings, io.env);
    const emulatorUrl = safeEmulatorUrl(home);
    const plan = proxyPlan(settings, io.env);
    const route = emulatorUrl ? plan.routeFor(emulatorUrl).description : undefined;
    if (options.json) {
      io.out(JSON.stringify({ home, ...shown, ...(emulatorUrl ? { service: { url: emulatorUrl, route } } : {}) }));
      return EXIT.ok;
    }
    for (const line of describeLines(shown)) io.out(line);
    if (emulatorUrl) io.out(`Service:  ${emulatorUrl} → ${route}`);
    return EXIT.ok;
  } catch (error) {
    return fail(io, error, options.json);
  }
}

/** `shir proxy set`: validates, saves (password sealed), and lets a running host service restart its connections. */
export async function runProxySet(
  options: ProxySetOptions,
  io: CommandIO = processIO,
  readStdin: () => Promise<string> = readFirstLineOfStdin,
): Promise<number> {
  const home = resolveHome(options.home, io.env);
  try {
    const mode = parseMode(options.mode, options.address);
    let port: number | undefined;
    if (options.port !== undefined) {
      port = Number(options.port);
      if (!/^\d+$/.test(options.port.trim()))
        throw new ProxySettingsError(
          `The proxy port must be a whole number from 1 to 65535 (it is '${options.port}').`,
        );
    }
    let password = options.password;
    if (options.passwordStdin) password = (await readStdin()).replace(/\r?\n$/, '');
    if (password === undefined && mode === 'custom' && options.user && io.env[PROXY_PASSWORD_ENV])
      password = io.env[PROXY_PASSWORD_ENV];
    const saved = saveProxySettings(
      home,
      { mode, address: options.address, port, username: options.user, password, bypass: options.bypass ?? [] },
      io.env,
    );
    const eventLog = EventLog.forHome(home, io.env);
    const logger = createLogger({ write: () => undefined, eventLog, eventFields: { source: 'shir proxy' } });
    if (saved.password) logger.addSecret(saved.password);
    const summary =
      saved.mode === 'custom'
        ? `custom proxy http://${saved.address}:${saved.port}${saved.username ? ` as '${saved.username}'` : ''}`
        : saved.mode === 'system'
          ? 'system proxy (HTTPS_PROXY / HTTP_PROXY / NO_PROXY)'
          : 'no proxy';
    logger.info(`Proxy settings saved: ${summary}${saved.bypass.length ? `, bypass ${saved.bypass.join(', ')}` : ''}`, {
      event: 'ProxySettingsSaved',
      proxyMode: saved.mode,
    });

    const holder = runningHostService(homePaths(home));
    let applied: boolean | undefined;
    if (holder) applied = await waitForHostServiceReload(home, holder.pid, saved.updatedAt!, options.waitMs ?? 5000);
    const shown = describeProxySettings(saved, io.env);
    if (options.json) {
      io.out(
        JSON.stringify({
          saved: true,
          home,
          ...shown,
          hostService: holder ? { pid: holder.pid, restartedConnections: applied } : null,
        }),
      );
    } else {
      io.out(`Proxy settings saved in ${home}: ${summary}.`);
      for (const line of describeLines(shown)) io.out(line);
      if (!holder)
        io.out(
          'No host service runs for this home; the next one (shir start) and every shir command use these settings.',
        );
      else if (applied) io.out(`The host service (pid ${holder.pid}) restarted its connections with the new settings.`);
      else
        io.out(
          `The host service (pid ${holder.pid}) has not confirmed the new settings yet; it reads ${home}/proxy.json within a second. Check 'shir logs'.`,
        );
    }
    return EXIT.ok;
  } catch (error) {
    return fail(io, error, options.json);
  }
}

/** `shir proxy clear`: back to the default (system proxy, no bypass list). */
export async function runProxyClear(
  options: ProxyShowOptions & { waitMs?: number },
  io: CommandIO = processIO,
): Promise<number> {
  const home = resolveHome(options.home, io.env);
  try {
    clearProxySettings(home);
    EventLog.forHome(home, io.env).append({
      time: new Date().toISOString(),
      level: 'INFO',
      message: 'Proxy settings cleared: system proxy (HTTPS_PROXY / HTTP_PROXY / NO_PROXY)',
      event: 'ProxySettingsSaved',
      source: 'shir proxy',
      pid: process.pid,
    });
    const holder = runningHostService(homePaths(home));
    if (options.json)
      io.out(JSON.stringify({ cleared: true, home, mode: 'system', hostService: holder ? { pid: holder.pid } : null }));
    else {
      io.out(
        `Proxy settings cleared in ${home}: the runtime uses the system proxy (HTTPS_PROXY / HTTP_PROXY / NO_PROXY) again.`,
      );
      if (holder) io.out(`The host service (pid ${holder.pid}) restarts its connections within a second.`);
    }
    return EXIT.ok;
  } catch (error) {
    return fail(io, error, options.json);
  }
}

function parseMode(mode: string | undefined, address: string | undefined): ProxyMode {
  const value = (mode ?? (address ? 'custom' : '')).trim().toLowerCase();
  if (value === 'none' || value === 'system' || value === 'custom') return value;
  if (!value)
    throw new ProxySettingsError(
      'Say which proxy to use: --mode none, --mode system, or --mode custom --address <host> --port <port>.',
    );
  throw new ProxySettingsError(`Unknown proxy mode '${mode}': use none, system or custom.`);
}

function describeLines(shown: Record<string, unknown>): string[] {
  const lines = [`Mode:     ${String(shown.mode)}${shown.mode === 'system' ? ' (the default)' : ''}`];
  if (shown.mode === 'custom') {
    lines.push(`Proxy:    http://${displayValue(shown.address)}:${displayValue(shown.port)}`);
    lines.push(`User:     ${shown.user ? displayValue(shown.user) : '(none)'}`);
    lines.push(`Password: ${shown.passwordSet ? '(set, stored encrypted)' : '(none)'}`);
  }
  if (shown.mode === 'system') {
    const env = shown.environment as Record<string, string | null>;
    lines.push(
      `From env: HTTPS_PROXY=${env.HTTPS_PROXY ?? '(unset)'} HTTP_PROXY=${env.HTTP_PROXY ?? '(unset)'}${env.ALL_PROXY ? ` ALL_PROXY=${env.ALL_PROXY}` : ''} NO_PROXY=${env.NO_PROXY ?? '(unset)'}`,
    );
  }
  const bypass = shown.bypass as string[];
  lines.push(`Bypass:   ${bypass.length ? bypass.join(', ') : '(none)'}`);
  return lines;
}

function safeEmulatorUrl(home: string): string | undefined {
  try {
    return readNodeConfig(homePaths(home))?.emulatorUrl;
  } catch {
    return undefined;
  }
}

/** Waits until the host service `pid` logged that it applied settings saved at `savedAt`. */
async function waitForHostServiceReload(
  home: string,
  pid: number,
  savedAt: string,
  timeoutMs: number,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  const directory = homePaths(home).logs;
  for (;;) {
    const applied = readEventLog(directory).some(
      (r) => r.pid === pid && r.event === EVENT_MESSAGES.proxySettingsChanged.event && String(r.time) >= savedAt,
    );
    if (applied) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function fail(io: CommandIO, error: unknown, json?: boolean): number {
  if (!(error instanceof ProxySettingsError) && !(error instanceof HomeError)) throw error;
  const message = describeError(error);
  io.err(message);
  if (json)
    io.out(
      JSON.stringify({
        error: { code: error instanceof ProxySettingsError ? 'InvalidProxySettings' : 'InvalidHome', message },
      }),
    );
  return EXIT.usage;
}

function readFirstLineOfStdin(): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', (chunk: string) => {
      text += chunk;
      if (text.includes('\n')) {
        process.stdin.pause();
        resolve(text.split('\n')[0]);
      }
    });
    process.stdin.once('end', () => resolve(text));
    process.stdin.once('error', reject);
  });
}

/** For other commands: the network of a home (proxy settings) — an error says what to fix. */
export function networkForHome(home: string, env: NodeJS.ProcessEnv): NetworkContext {
  return NetworkContext.forHome(home, env);
}

const PROXY_HELP = `
Modes, as the SHIR's Configuration Manager has them:
  none    Do not use proxy: every connection goes direct.
  system  Use system proxy (the default): HTTPS_PROXY (https and wss), HTTP_PROXY (http), ALL_PROXY and NO_PROXY of
          the runtime's environment (upper or lower case), plus the bypass list saved here.
  custom  Use custom proxy: --address and --port required, --user and --password optional. The password is stored
          in <home>/proxy.json encrypted (AES-256-GCM, the home's key), and never printed or logged.

One setting governs the runtime's connections: the integration service (emulator), the relay and ingestion
storage. Saving restarts the running host service's connections by itself.

Bypass list (--bypass, repeatable or comma-separated): host, host:port, .domain or *.domain (the domain and every
host under it), an IPv4 range like 10.0.0.0/8, * (everything), <local> (loopback, localhost, names without a dot).`;

/** `shir proxy show|set|clear`. */
export function register(program: Command, cli: CliContext): void {
  const proxy = program
    .command('proxy')
    .description(
      'Show or change the proxy settings every connection of the runtime uses (none, system, custom; bypass list).',
    )
    .addHelpText(
      'after',
      `${PROXY_HELP}

Examples:
  shir proxy show
  shir proxy set --mode custom --address proxy.corp.example --port 3128 --user shir --password-stdin < password.txt
  shir proxy set --mode system --bypass '*.core.windows.net' --bypass '<local>'
  shir proxy clear
${EXIT_CODES_HELP}
`,
    );

  proxy
    .command('show')
    .description('Print the proxy settings (never the password) and the route to the integration service.')
    .addOption(homeOption())
    .option('--json', 'print one JSON object')
    .addHelpText(
      'after',
      `
Examples:
  shir proxy show
  shir proxy show --json --home /var/lib/shir-node2
`,
    )
    .action((options: ProxyShowOptions) => {
      cli.exit(runProxyShow(options, cli.io));
    });

  proxy
    .command('set')
    .description(
      'Save proxy settings (the password encrypted); a running host service restarts its connections with them.',
    )
    .addOption(
      new Option('--mode <mode>', 'which proxy to use (custom when --address is given)').choices([
        'none',
        'system',
        'custom',
      ]),
    )
    .option('--address <host>', 'custom: the proxy host name or IP (an http proxy; http://host:port is accepted too)')
    .option('--port <port>', 'custom: the proxy port')
    .option('--user <name>', 'custom: user name for Basic proxy authentication')
    .addOption(
      new Option(
        '--password <password>',
        `custom: the proxy password (visible in the process list: prefer --password-stdin or ${PROXY_PASSWORD_ENV})`,
      ).env(PROXY_PASSWORD_ENV),
    )
    .option('--password-stdin', 'custom: read the proxy password from the first line of standard input')
    .option(
      '--bypass <hosts>',
      'hosts that go around the proxy (repeatable, or comma-separated)',
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .addOption(homeOption())
    .option('--json', 'print the result as one JSON object')
    .addHelpText(
      'after',
      `${PROXY_HELP}

Setting replaces the previous settings as a whole. With --user and neither --password nor --password-stdin, the
password comes from ${PROXY_PASSWORD_ENV} when it is set.

Examples:
  shir proxy set --mode none
  shir proxy set --mode system --bypass 127.0.0.1,localhost
  echo "$PROXY_PASSWORD" | shir proxy set --address 10.0.0.5 --port 8080 --user shir --password-stdin
  ${PROXY_PASSWORD_ENV}=… shir proxy set --address proxy.corp.example --port 3128 --user shir --bypass '*.internal'
${EXIT_CODES_HELP}
`,
    )
    .action(async (options: ProxySetOptions, command: Command) => {
      // SHIR_PROXY_PASSWORD counts only for a custom proxy with --user and no other password: runProxySet decides.
      const password = command.getOptionValueSource('password') === 'env' ? undefined : options.password;
      cli.exit(await runProxySet({ ...options, password }, cli.io));
    });

  proxy
    .command('clear')
    .description(
      'Forget the proxy settings: back to the default, the system proxy (HTTPS_PROXY / HTTP_PROXY / NO_PROXY).',
    )
    .addOption(homeOption())
    .option('--json', 'print the result as one JSON object')
    .addHelpText(
      'after',
      `
Examples:
  shir proxy clear
  shir proxy clear --home /var/lib/shir-node2 --json
`,
    )
    .action(async (options: ProxyShowOptions) => {
      cli.exit(await runProxyClear(options, cli.io));
    });
}

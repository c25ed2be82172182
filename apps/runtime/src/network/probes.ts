import { promises as dns } from 'node:dns';
import * as net from 'node:net';
import * as tls from 'node:tls';
import { fetch, type Dispatcher } from 'undici';
import { redactUrl } from '../redact';
import { ProxyRoutingDispatcher } from './dispatcher';
import { explainNetworkError, systemErrorCode } from './errors';
import type { ProxyEndpoint, ProxyPlan } from './proxy-settings';
import { connectThroughProxy } from './tunnel';

/** The steps of reaching a URL, in order; `proxy` (the CONNECT tunnel for https, the forwarded request for http) only when a proxy is used, `tls` only for https. */
export type ProbeStep = 'dns' | 'tcp' | 'proxy' | 'tls' | 'http';

export const STEP_NAMES: Record<ProbeStep, string> = {
  dns: 'DNS',
  tcp: 'TCP',
  proxy: 'Proxy',
  tls: 'TLS',
  http: 'HTTP',
};

export interface StepResult {
  step: ProbeStep;
  /** true passed, false failed, null not run (not applicable, or an earlier step failed). */
  ok: boolean | null;
  detail: string;
  ms?: number;
}

export interface ProbeResult {
  /** The URL probed, without query string or credentials. */
  url: string;
  /** What it is: "emulator", "blob storage", "data source"… */
  label?: string;
  /** direct, or through which proxy (and why). */
  route: string;
  ok: boolean;
  steps: StepResult[];
  failedStep?: ProbeStep;
  /** The failed step's detail, for one-line messages. */
  reason?: string;
}

export interface ProbeOptions {
  plan: ProxyPlan;
  /** The dispatcher HTTP requests go through (default: one built from `plan`). */
  dispatcher?: Dispatcher;
  /** Deadline of each step (default 5 s). */
  timeoutMs?: number;
  label?: string;
}

function elapsed(start: number): number {
  return Math.round(performance.now() - start);
}

function withTimeout<T>(work: (signal: AbortSignal) => Promise<T>, timeoutMs: number, what: string): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = Object.assign(new Error(`${what} did not complete within ${timeoutMs} ms`), { code: 'ETIMEDOUT' });
      controller.abort(error);
      reject(error);
    }, timeoutMs);
  });
  return Promise.race([work(controller.signal), timeout]).finally(() => clearTimeout(timer));
}

function defaultPort(url: URL): number {
  if (url.port) return Number(url.port);
  return url.protocol === 'https:' || url.protocol === 'wss:' ? 443 : 80;
}

async function resolveHost(host: string, timeoutMs: number): Promise<{ address: string; detail: string }> {
  const bare = host.replace(/^\[|\]$/g, '');
  if (net.isIP(bare)) return { address: bare, detail: `${bare} (an IP address, no lookup needed)` };
  const addresses = await withTimeout(() => dns.lookup(bare, { all: true }), timeoutMs, `Resolving ${bare}`);
  return { address: addresses[0].address, detail: `${bare} → ${addresses.map((a) => a.address).join(', ')}` };
}

function tcpConnect(host: string, port: number, timeoutMs: number): Promise<void> {
  return withTimeout(
    (signal) =>
      new Promise<void>((resolve, reject) => {
        const socket = net.connect({ host, port });
        signal.addEventListener('abort', () => socket.destroy(), { once: true });
        socket.once('connect', () => {
          socket.destroy();
          resolve();
        });
        socket.once('error', reject);
      }),
    timeoutMs,
    `Connecting to ${host}:${port}`,
  );
}

function tlsHandshake(
  host: string,
  port: number,
  servername: string | undefined,
  timeoutMs: number,
  proxy?: ProxyEndpoint,
): Promise<string> {
  return withTimeout(
    async (signal) => {
      const socket = proxy ? await connectThroughProxy(proxy, host, port, { timeoutMs, signal }) : undefined;
      return new Promise<string>((resolve, reject) => {
        const secured = tls.connect({
          ...(socket ? { socket } : { host, port }),
          servername,
          ALPNProtocols: ['http/1.1'],
        });
        signal.addEventListener('abort', () => secured.destroy(), { once: true });
        secured.once('secureConnect', () => {
          const cert = secured.getPeerCertificate();
          const detail = `${secured.getProtocol() ?? 'TLS'}, certificate ${cert?.subject?.CN ? `for ${[cert.subject.CN].flat().join(', ')} ` : ''}trusted${cert?.valid_to ? `, valid until ${cert.valid_to}` : ''}`;
          secured.destroy();
          resolve(detail);
        });
        secured.once('error', (error: Error) => {
          secured.destroy();
          reject(error);
        });
      });
    },
    timeoutMs,
    `The TLS handshake with ${host}:${port}`,
  );
}

async function httpRequest(url: string, dispatcher: Dispatcher, timeoutMs: number): Promise<number> {
  return withTimeout(
    async (signal) => {
      const response = await fetch(url, {
        method: 'GET',
        redirect: 'manual',
        signal,
        headers: { 'user-agent': 'shir-diagnose' },
        dispatcher,
      });
      await response.body?.cancel().catch(() => undefined);
      return response.status;
    },
    timeoutMs,
    `The HTTP request to ${redactUrl(url)}`,
  );
}

/**
 * Probes one URL step by step — DNS resolution, TCP connect, the proxy tunnel (when a proxy is used), the TLS handshake
 * (https), an HTTP request — and stops at the first failure, saying why in the SHIR's words where it has them. Through
 * a proxy, DNS and TCP are the proxy's (the proxy resolves the target).
 */
export async function probeUrl(rawUrl: string, options: ProbeOptions): Promise<ProbeResult> {
  const timeoutMs = options.timeoutMs ?? 5000;
  const url = new URL(rawUrl);
  const display = redactUrl(rawUrl);
  const route = options.plan.routeFor(url);
  const proxy = route.proxy;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = defaultPort(url);
  const secure = url.protocol === 'https:' || url.protocol === 'wss:';
  const steps: StepResult[] = [];
  const result = (): ProbeResult => {
    const failed = steps.find((s) => s.ok === false);
    return {
      url: display,
      label: options.label,
      route: route.description,
      ok: !failed,
      steps,
      failedStep: failed?.step,
      reason: failed?.detail,
    };
  };
  const run = async (
    step: ProbeStep,
    work: () => Promise<string>,
    explain: (error: unknown) => string,
  ): Promise<boolean> => {
    const start = performance.now();
    try {
      const detail = await work();
      steps.push({ step, ok: true, detail, ms: elapsed(start) });
      return true;
    } catch (error) {
      steps.push({ step, ok: false, detail: explain(error), ms: elapsed(start) });
      return false;
    }
  };
  const skipRest = (after: ProbeStep) => {
    const order: ProbeStep[] = proxy ? ['dns', 'tcp', 'proxy', 'tls', 'http'] : ['dns', 'tcp', 'tls', 'http'];
    for (const step of order.slice(order.indexOf(after) + 1)) {
      if (step === 'tls' && !secure) continue;
      steps.push({ step, ok: null, detail: `not run: the ${STEP_NAMES[after]} step failed` });
    }
    return result();
  };

  const connectHost = proxy ? proxy.host : host;
  const connectPort = proxy ? proxy.port : port;
  const whose = proxy ? `the proxy ${proxy.url}` : host;
  let address = connectHost;
  const dnsOk = await run(
    'dns',
    async () => {
      const resolved = await resolveHost(connectHost, timeoutMs);
      address = resolved.address;
      return proxy
        ? `proxy host ${resolved.detail}${net.isIP(host) ? '' : `; the proxy resolves ${host}`}`
        : resolved.detail;
    },
    (error) =>
      `The remote name could not be resolved: '${connectHost}'${proxy ? ' (the proxy host)' : ''} (${systemErrorCode(error)}). Check the host name and this machine's DNS.`,
  );
  if (!dnsOk) return skipRest('dns');

  const tcpOk = await run(
    'tcp',
    async () => {
      await tcpConnect(address, connectPort, timeoutMs);
      return `connected to ${whose === host ? '' : `${whose} at `}${address}:${connectPort}`;
    },
    (error) =>
      `Unable to connect to the remote server: ${whose} at ${address}:${connectPort} (${explainNetworkError(error)}). Check that it is up and that no firewall blocks port ${connectPort}.`,
  );
  if (!tcpOk) return skipRest('tcp');

  const own = options.dispatcher
    ? undefined
    : new ProxyRoutingDispatcher(options.plan, { connectTimeoutMs: timeoutMs });
  const dispatcher = options.dispatcher ?? own!;
  const target = rawUrl.replace(/^ws(s?):/i, 'http$1:');
  // Through a proxy, plain http:// is one absolute-form request (no tunnel): the proxy step is that request, passed
  // when the answer is the target's and not the proxy's own refusal; the HTTP step then reports its status.
  let forwardedStatus: number | undefined;
  try {
    if (proxy) {
      const who = proxy.username ? `, authenticated as '${proxy.username}'` : '';
      const proxyOk = secure
        ? await run(
            'proxy',
            async () => {
              const socket = await connectThroughProxy(proxy, host, port, { timeoutMs });
              socket.destroy();
              return `tunnel to ${host}:${port} opened (CONNECT 200)${who}`;
            },
            (error) => explainNetworkError(error, proxy.url),
          )
        : await run(
            'proxy',
            async () => {
              forwardedStatus = await httpRequest(target, dispatcher, timeoutMs);
              return `forwarded to ${host}:${port} (absolute-form request, no tunnel)${who}`;
            },
            (error) => explainNetworkError(error, proxy.url),
          );
      if (!proxyOk) return skipRest('proxy');
    }

    if (secure) {
      const tlsOk = await run(
        'tls',
        () => tlsHandshake(host, port, net.isIP(host) ? undefined : host, timeoutMs, proxy),
        (error) => {
          const code = systemErrorCode(error);
          if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ALTNAME/i.test(code)) {
            return `Could not establish trust relationship for the SSL/TLS secure channel (${code}). The certificate of ${host} is not trusted here${proxy ? ' — a proxy that inspects TLS must have its root certificate trusted (NODE_EXTRA_CA_CERTS)' : ''}.`;
          }
          return `The TLS handshake with ${host}:${port} failed (${explainNetworkError(error)}).`;
        },
      );
      if (!tlsOk) return skipRest('tls');
    } else {
      steps.push({ step: 'tls', ok: null, detail: 'not applicable (http)' });
    }

    await run(
      'http',
      async () => {
        const status = forwardedStatus ?? (await httpRequest(target, dispatcher, timeoutMs));
        return `HTTP ${status}${status >= 400 ? ' (the server answers; the status is for this unauthenticated probe)' : ''}`;
      },
      (error) => explainNetworkError(error, proxy?.url),
    );
  } finally {
    await own?.close().catch(() => undefined);
  }
  return result();
}

/** Probes several URLs at once. */
export function probeAll(
  targets: readonly { url: string; label?: string }[],
  options: Omit<ProbeOptions, 'label'>,
): Promise<ProbeResult[]> {
  return Promise.all(targets.map((t) => probeUrl(t.url, { ...options, label: t.label })));
}

/** "TCP connect to 127.0.0.1:5380 failed: …" for messages that name the failed step. */
export function failedStepSentence(result: ProbeResult): string | undefined {
  if (result.ok || !result.failedStep) return undefined;
  return `Failed step: ${STEP_NAMES[result.failedStep]} (${result.url}, ${result.route}): ${result.reason}`;
}

import { Agent, Dispatcher, ProxyAgent } from 'undici';
import type { ProxyEndpoint, ProxyPlan } from './proxy-settings';
import { proxyAuthorization } from './tunnel';

/**
 * An undici Dispatcher that sends each request the way the proxy plan says: through the proxy (CONNECT tunnel, with
 * Proxy-Authorization Basic when the proxy has a user) or direct when the settings, NO_PROXY or the bypass list say so.
 * Pass it to fetch as `dispatcher`.
 */
export class ProxyRoutingDispatcher extends Dispatcher {
  private readonly direct: Agent;
  private readonly proxied = new Map<string, ProxyAgent>();
  private closed = false;

  constructor(
    private readonly plan: ProxyPlan,
    private readonly options: { connectTimeoutMs?: number } = {},
  ) {
    super();
    this.direct = new Agent({ connect: { timeout: options.connectTimeoutMs ?? 10_000 } });
  }

  /** The dispatcher a given origin goes through. */
  dispatcherFor(origin: string | URL): Dispatcher {
    const route = this.plan.routeFor(origin);
    return route.proxy ? this.proxyAgent(route.proxy) : this.direct;
  }

  override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandlers): boolean {
    if (this.closed) throw new Error('The network settings were reloaded; this connection pool is closed.');
    return this.dispatcherFor(String(options.origin)).dispatch(options, handler);
  }

  override close(): Promise<void>;
  override close(callback: () => void): void;
  override close(callback?: () => void): Promise<void> | void {
    this.closed = true;
    const done = Promise.all([this.direct.close(), ...[...this.proxied.values()].map((a) => a.close())]).then(() => undefined);
    if (callback) void done.then(callback);
    else return done;
  }

  override destroy(): Promise<void>;
  override destroy(err: Error | null): Promise<void>;
  override destroy(callback: () => void): void;
  override destroy(err: Error | null, callback: () => void): void;
  override destroy(errOrCallback?: Error | null | (() => void), callback?: () => void): Promise<void> | void {
    this.closed = true;
    const error = typeof errOrCallback === 'function' ? null : (errOrCallback ?? null);
    const cb = typeof errOrCallback === 'function' ? errOrCallback : callback;
    const done = Promise.all([this.direct.destroy(error), ...[...this.proxied.values()].map((a) => a.destroy(error))]).then(() => undefined);
    if (cb) void done.then(cb);
    else return done;
  }

  private proxyAgent(proxy: ProxyEndpoint): ProxyAgent {
    const key = `${proxy.url}|${proxy.username ?? ''}`;
    let agent = this.proxied.get(key);
    if (!agent) {
      const token = proxyAuthorization(proxy);
      agent = new ProxyAgent({ uri: proxy.url, ...(token ? { token } : {}), connect: { timeout: this.options.connectTimeoutMs ?? 10_000 } } as ProxyAgent.Options);
      this.proxied.set(key, agent);
    }
    return agent;
  }
}

import * as fs from 'node:fs';
import type { Agent as HttpAgent } from 'node:http';
import type { Dispatcher } from 'undici';
import { ProxyRoutingDispatcher } from './dispatcher';
import { type ProxyPlan, proxyPlan, proxySettingsFile, readProxySettings } from './proxy-settings';
import { wsProxyAgent } from './ws-agents';

/** The `proxyOptions` of @azure/storage-blob / @azure/storage-queue pipeline options. */
export interface StorageProxyOptions {
  host: string;
  port: number;
  username?: string;
  password?: string;
}

/**
 * Everything network of one runtime process, from one setting (the home's proxy.json + the environment): the undici
 * dispatcher for fetch (emulator), storage pipeline options (ingestion, data sources), http agents for `ws` (relay).
 * `reload()` reads the settings again and closes the old connections, so every component reconnects the new way.
 */
export class NetworkContext {
  private currentPlan: ProxyPlan;
  private currentDispatcher: ProxyRoutingDispatcher;
  private readonly wsAgents = new Map<string, HttpAgent>();
  private watcher?: NodeJS.Timeout;
  private lastStamp = '';
  private readonly listeners = new Set<(plan: ProxyPlan) => void>();

  constructor(
    readonly home: string | undefined,
    private readonly env: NodeJS.ProcessEnv = process.env,
    plan?: ProxyPlan,
  ) {
    this.currentPlan = plan ?? this.load();
    this.currentDispatcher = new ProxyRoutingDispatcher(this.currentPlan);
    this.lastStamp = this.stamp();
  }

  /** Settings straight from a home (throws HomeError / ProxySettingsError with what to fix). */
  static forHome(home: string, env: NodeJS.ProcessEnv = process.env): NetworkContext {
    return new NetworkContext(home, env);
  }

  get plan(): ProxyPlan {
    return this.currentPlan;
  }

  /** For fetch: `fetch(url, { dispatcher: network.dispatcher })`. Changes after reload(): ask each time. */
  get dispatcher(): Dispatcher {
    return this.currentDispatcher;
  }

  /** Secrets no log line may carry (proxy password, credentials in HTTPS_PROXY). */
  get secrets(): string[] {
    return this.currentPlan.secrets;
  }

  /** What a connection to `url` goes through, for logs and diagnose. */
  describeRoute(url: string): string {
    return this.currentPlan.routeFor(url).description;
  }

  /** `{ proxyOptions }` for a storage client of `url` (nothing when the URL goes direct). */
  storagePipelineOptions(url: string): { proxyOptions?: StorageProxyOptions } {
    const proxy = this.currentPlan.routeFor(url).proxy;
    if (!proxy) return {};
    return {
      proxyOptions: {
        host: `http://${proxy.host}`,
        port: proxy.port,
        ...(proxy.username ? { username: proxy.username, password: proxy.password ?? '' } : {}),
      },
    };
  }

  /**
   * The `agent` option for `new WebSocket(url, { agent })` (undefined: direct). Through a proxy, wss:// is a CONNECT
   * tunnel and ws:// an absolute-form upgrade request (see ws-agents.ts).
   */
  wsAgent(url: string): HttpAgent | undefined {
    const parsed = new URL(url);
    const proxy = this.currentPlan.routeFor(parsed).proxy;
    if (!proxy) return undefined;
    const key = `${proxy.url}|${parsed.protocol}`;
    let agent = this.wsAgents.get(key);
    if (!agent) {
      agent = wsProxyAgent(proxy, parsed);
      this.wsAgents.set(key, agent);
    }
    return agent;
  }

  /** Reads the settings again and drops every pooled connection: the next calls connect the new way. */
  reload(): ProxyPlan {
    const plan = this.load();
    this.replace(plan, 'close');
    return plan;
  }

  /** Drops every connection at once, in-flight calls included (same settings): what a component restart does. */
  restartConnections(): void {
    this.replace(this.currentPlan, 'destroy');
  }

  /**
   * Calls `listener` (after reloading) whenever <home>/proxy.json changes — `shir proxy set` in another process. The
   * file's stat is polled, which works the same on every file system. Returns the unsubscribe.
   */
  onSettingsChanged(listener: (plan: ProxyPlan) => void, intervalMs = 500): () => void {
    this.listeners.add(listener);
    if (!this.watcher && this.home) {
      this.watcher = setInterval(() => this.checkFile(), intervalMs);
      this.watcher.unref();
    }
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.unwatch();
    };
  }

  /** Stops watching and drops every connection at once (in-flight requests fail). */
  close(): Promise<void> {
    this.unwatch();
    for (const agent of this.wsAgents.values()) agent.destroy();
    this.wsAgents.clear();
    return this.currentDispatcher.destroy();
  }

  private unwatch(): void {
    if (this.watcher) clearInterval(this.watcher);
    this.watcher = undefined;
  }

  private checkFile(): void {
    const stamp = this.stamp();
    if (stamp === this.lastStamp) return;
    this.lastStamp = stamp;
    let plan: ProxyPlan;
    try {
      plan = this.reload();
    } catch {
      return; // a half-written or invalid file: keep the current settings; the next change is read again
    }
    for (const listener of [...this.listeners]) listener(plan);
  }

  private stamp(): string {
    if (!this.home) return '';
    try {
      const stat = fs.statSync(proxySettingsFile(this.home));
      return `${stat.mtimeMs}:${stat.size}:${stat.ino}`;
    } catch {
      return 'absent';
    }
  }

  private load(): ProxyPlan {
    const settings = this.home ? readProxySettings(this.home, this.env) : { mode: 'system' as const, bypass: [] };
    return proxyPlan(settings, this.env);
  }

  /** New connections from now on; the old pool closes gracefully (calls in flight finish) or is destroyed. */
  private replace(plan: ProxyPlan, how: 'close' | 'destroy'): void {
    const old = this.currentDispatcher;
    this.currentPlan = plan;
    this.currentDispatcher = new ProxyRoutingDispatcher(plan);
    for (const agent of this.wsAgents.values()) agent.destroy();
    this.wsAgents.clear();
    void (how === 'close' ? old.close() : old.destroy()).catch(() => undefined);
  }
}

import type { Duplex } from 'node:stream';
import { Agent, buildConnector, Dispatcher, ProxyAgent } from 'undici';
import { hostPort, proxyErrorMark, ProxyRefusedError, rawHeaderLookup } from './proxy-refusal';
import type { ProxyEndpoint, ProxyPlan } from './proxy-settings';
import { connectThroughProxy, proxyAuthorization } from './tunnel';

/**
 * An undici Dispatcher that sends each request the way the proxy plan says: through the proxy (with
 * Proxy-Authorization Basic when the proxy has a user) or direct when the settings, NO_PROXY or the bypass list say so.
 * Through a proxy, plain http:// requests go in absolute form (`GET http://host:port/path`) and https:// ones through a
 * CONNECT tunnel — what forward proxies expect: stock Squid denies CONNECT to any port but 443. A proxy's own refusal
 * (CONNECT not 200, or an error page of its own for a forwarded request) fails the request with ProxyRefusedError,
 * which says what the status means. Pass it to fetch as `dispatcher`.
 */
export class ProxyRoutingDispatcher extends Dispatcher {
  private readonly direct: Agent;
  private readonly proxied = new Map<string, Dispatcher>();
  private closed = false;

  constructor(
    private readonly plan: ProxyPlan,
    private readonly options: { connectTimeoutMs?: number } = {},
  ) {
    super();
    this.direct = new Agent({ connect: { timeout: options.connectTimeoutMs ?? 10_000 } });
  }

  override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandlers): boolean {
    if (this.closed) throw new Error('The network settings were reloaded; this connection pool is closed.');
    const origin = new URL(String(options.origin));
    const proxy = this.plan.routeFor(origin).proxy;
    if (!proxy) return this.direct.dispatch(options, handler);
    if (origin.protocol === 'https:') return this.tunnelling(proxy).dispatch(options, handler);
    return this.forwarding(proxy).dispatch(options, new ProxyRefusalHandler(handler, proxy, hostPort(origin)));
  }

  override close(): Promise<void>;
  override close(callback: () => void): void;
  override close(callback?: () => void): Promise<void> | void {
    this.closed = true;
    const done = Promise.all([this.direct.close(), ...[...this.proxied.values()].map((a) => a.close())]).then(
      () => undefined,
    );
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
    const done = Promise.all([
      this.direct.destroy(error),
      ...[...this.proxied.values()].map((a) => a.destroy(error)),
    ]).then(() => undefined);
    if (cb) void done.then(cb);
    else return done;
  }

  /** http:// through the proxy: absolute-form requests on connections to the proxy (no tunnel). */
  private forwarding(proxy: ProxyEndpoint): Dispatcher {
    return this.pooled(`forward|${proxy.url}|${proxy.username ?? ''}`, () => {
      const token = proxyAuthorization(proxy);
      return new ProxyAgent({
        uri: proxy.url,
        proxyTunnel: false,
        ...(token ? { token } : {}),
        connect: { timeout: this.timeoutMs },
      });
    });
  }

  /** https:// through the proxy: a CONNECT tunnel per connection, TLS to the target on top of it. */
  private tunnelling(proxy: ProxyEndpoint): Dispatcher {
    return this.pooled(`connect|${proxy.url}|${proxy.username ?? ''}`, () => {
      const tls = buildConnector({ timeout: this.timeoutMs });
      return new Agent({
        connect: (options, callback) => {
          const port = Number(options.port) || 443;
          connectThroughProxy(proxy, options.hostname.replace(/^\[|\]$/g, ''), port, {
            timeoutMs: this.timeoutMs,
          }).then(
            (socket) => tls({ ...options, httpSocket: socket }, callback),
            (error: Error) => callback(error, null),
          );
        },
      });
    });
  }

  private get timeoutMs(): number {
    return this.options.connectTimeoutMs ?? 10_000;
  }

  private pooled(key: string, create: () => Dispatcher): Dispatcher {
    let dispatcher = this.proxied.get(key);
    if (!dispatcher) {
      dispatcher = create();
      this.proxied.set(key, dispatcher);
    }
    return dispatcher;
  }
}

/**
 * Fails a forwarded request whose answer is the proxy's own error page (Squid's X-Squid-Error, RFC 9209 Proxy-Status
 * error): the caller then sees the proxy's refusal, not a response it would take for the target's.
 */
class ProxyRefusalHandler implements Dispatcher.DispatchHandlers {
  private abort?: (error?: Error) => void;

  constructor(
    private readonly inner: Dispatcher.DispatchHandlers,
    private readonly proxy: ProxyEndpoint,
    private readonly target: string,
  ) {}

  onConnect(abort: (error?: Error) => void): void {
    this.abort = abort;
    this.inner.onConnect?.(abort);
  }

  onHeaders(statusCode: number, headers: Buffer[], resume: () => void, statusText: string): boolean {
    const mark = proxyErrorMark(rawHeaderLookup(headers));
    if (mark && this.abort) {
      this.abort(new ProxyRefusedError(statusCode, statusText, this.proxy.url, this.target, 'forward', mark));
      return false;
    }
    return this.inner.onHeaders?.(statusCode, headers, resume, statusText) ?? true;
  }

  onError(error: Error): void {
    this.inner.onError?.(error);
  }
  onUpgrade(statusCode: number, headers: Buffer[] | string[] | null, socket: Duplex): void {
    this.inner.onUpgrade?.(statusCode, headers, socket);
  }
  onResponseStarted(): void {
    this.inner.onResponseStarted?.();
  }
  onData(chunk: Buffer): boolean {
    return this.inner.onData?.(chunk) ?? true;
  }
  onComplete(trailers: string[] | null): void {
    this.inner.onComplete?.(trailers);
  }
  onBodySent(chunkSize: number, totalBytesSent: number): void {
    this.inner.onBodySent?.(chunkSize, totalBytesSent);
  }
}

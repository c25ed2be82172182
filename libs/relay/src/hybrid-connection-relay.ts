import { randomInt, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import {
  RELAY_CONTROL_CHANNEL_LIMIT,
  RELAY_QUERY_PREFIX,
  RELAY_WS_PREFIX,
  type RelayAcceptMessage,
  type RelayRequestMessage,
  type RelayResponseMessage,
} from '@purview-emulator/contracts';
import { BurstLog } from './burst-log';
import { SasRejected, checkSasToken, type RelayRight, type SasRule } from './sas';

/** A hybrid connection as the relay needs it: its path (the HC name), whether it is enabled, its SAS rules. */
export interface HybridConnectionInfo {
  path: string;
  enabled: boolean;
  rules: readonly SasRule[];
}

/** Finds the hybrid connection serving an entity path (`hc` or `hc/suffix`, no leading slash). Synchronous and cheap: it runs on every refused reconnect. */
export type HybridConnectionDirectory = (entityPath: string) => HybridConnectionInfo | undefined;

export interface RelayLogger {
  log(message: string): void;
  warn(message: string): void;
}

export interface RelayOptions {
  directory: HybridConnectionDirectory;
  logger: RelayLogger;
  /** Seconds since the epoch; tokens expire against it (the emulator clock). */
  nowSeconds?: () => number;
  /** How long a WebSocket sender waits for a listener to accept (documented: about 30 s). */
  acceptTimeoutMs?: number;
  /** How long an HTTP sender waits for the response (documented: 60 s, then 504). */
  requestTimeoutMs?: number;
  /** WebSocket pings on control channels, to find dead listeners (0: none). */
  pingIntervalMs?: number;
  /** Largest HTTP sender body buffered (413 above). */
  maxRequestBodyBytes?: number;
  /** Documented: up to 25 concurrent listeners per hybrid connection. */
  maxListeners?: number;
}

/** An HTTP-style request relayed to a listener. `target` is the request target, starting with `/{hybridConnectionPath}`. */
export interface RelayHttpRequest {
  method: string;
  target: string;
  headers: Record<string, string>;
  body: Buffer;
  remoteEndpoint?: { address: string; port: number };
}

export interface RelayHttpResponse {
  status: number;
  statusDescription?: string;
  headers: Record<string, string>;
  body: Buffer;
}

/** A relay failure the sender sees as an HTTP status: 502 no listener, 504 no answer in time, 404 no such hybrid connection. */
export class RelayError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

interface Listener {
  ws: WebSocket;
  path: string;
  trackingId: string;
  /** Scheme and host the listener connected with: rendezvous addresses use them, so they are reachable from it. */
  base: string;
  expiresAtSeconds: number;
  expiryTimer?: NodeJS.Timeout;
  alive: boolean;
}

interface PendingHttp {
  id: string;
  listener: Listener;
  message: RelayRequestMessage;
  body: Buffer;
  delivered: boolean;
  timer: NodeJS.Timeout;
  resolve: (response: RelayHttpResponse) => void;
  reject: (error: RelayError) => void;
}

interface PendingConnect {
  id: string;
  listener: Listener;
  req: IncomingMessage;
  socket: Duplex;
  head: Buffer;
  timer: NodeJS.Timeout;
}

/** RFC 7230 connection headers the relay never forwards (the doc keeps Via). */
const HOP_BY_HOP = new Set(['connection', 'content-length', 'host', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'close', 'keep-alive', 'proxy-connection']);
const FORCED_PROTOCOL = Symbol('forcedProtocol');
const TOKEN_HEADER = 'servicebusauthorization';

/**
 * Azure Relay Hybrid Connections on a Node HTTP(S) server (relay.md): the listener control channel, WebSocket
 * senders with accept rendezvous, HTTP senders with inline or rendezvous delivery, renewToken, the documented
 * close codes and handshake errors. Holds no state but live sockets; hybrid connections come from `directory`.
 */
export class HybridConnectionRelay {
  private readonly wss: WebSocketServer;
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly pendingHttp = new Map<string, PendingHttp>();
  private readonly pendingConnects = new Map<string, PendingConnect>();
  private readonly refusals: BurstLog;
  private readonly pingTimer?: NodeJS.Timeout;
  private readonly now: () => number;
  private closed = false;

  constructor(private readonly options: RelayOptions) {
    this.now = options.nowSeconds ?? (() => Math.floor(Date.now() / 1000));
    this.wss = new WebSocketServer({
      noServer: true,
      // hyco-https and hyco-ws offer permessage-deflate; declining is allowed and keeps frames as sent (relay.md §2.1).
      perMessageDeflate: false,
      clientTracking: false,
      handleProtocols: (protocols, request) => {
        const forced = (request as unknown as Record<symbol, string | false | undefined>)[FORCED_PROTOCOL];
        if (forced !== undefined) return forced;
        return protocols.values().next().value ?? false;
      },
    });
    this.refusals = new BurstLog((line) => options.logger.warn(line));
    const ping = options.pingIntervalMs ?? 30_000;
    if (ping > 0) {
      this.pingTimer = setInterval(() => this.pingListeners(), ping);
      this.pingTimer.unref();
    }
  }

  /** Listeners connected now to a hybrid connection, by tracking id (`sb-hc-id`). */
  listenersOf(path: string): { trackingId: string; expiresAt: string }[] {
    return [...(this.listeners.get(path.toLowerCase()) ?? [])].map((l) => ({ trackingId: l.trackingId, expiresAt: new Date(l.expiresAtSeconds * 1000).toISOString() }));
  }

  // ---------------------------------------------------------------- upgrades

  /** Handles an HTTP upgrade under `/$hc/`; answers false (touching nothing) for any other path. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const url = new URL(req.url ?? '/', 'http://relay');
    const pathname = safeDecode(url.pathname.replace(/^\/%24hc\//i, RELAY_WS_PREFIX));
    if (!pathname.toLowerCase().startsWith(RELAY_WS_PREFIX.toLowerCase())) return false;
    socket.on('error', () => socket.destroy());
    const entityPath = pathname.slice(RELAY_WS_PREFIX.length).replace(/^\/+/, '');
    const action = url.searchParams.get('sb-hc-action') ?? '';
    if (this.closed) {
      this.refuse(socket, 503, 'The relay is shutting down.');
      return true;
    }
    try {
      switch (action.toLowerCase()) {
        case 'listen':
          this.listen(req, socket, head, url, entityPath);
          break;
        case 'connect':
          this.connect(req, socket, head, url, entityPath);
          break;
        case 'accept':
          this.accept(req, socket, head, url);
          break;
        case 'request':
          this.requestRendezvous(req, socket, head, url);
          break;
        default:
          this.refuse(socket, 400, action ? `Unknown sb-hc-action '${action}': use listen, connect, accept or request.` : 'The relay needs sb-hc-action (listen, connect, accept or request) in the query.');
      }
    } catch (error) {
      this.options.logger.warn(`Relay: upgrade failed: ${(error as Error).message}`);
      this.refuse(socket, 500, 'The relay failed to handle this request.');
    }
    return true;
  }

  private listen(req: IncomingMessage, socket: Duplex, head: Buffer, url: URL, entityPath: string): void {
    const hc = this.options.directory(entityPath);
    const remote = remoteOf(req);
    if (!hc || !sameEntity(hc.path, entityPath)) {
      this.refuseNoisy(socket, 404, `No hybrid connection '${entityPath}' exists: listeners connect to /$hc/{hybridConnectionPath} exactly.`, `listener for '${entityPath}' from ${remote.address}`);
      return;
    }
    if (!hc.enabled) {
      this.refuseNoisy(socket, 404, `Hybrid connection '${hc.path}' is disabled.`, `listener for '${hc.path}' from ${remote.address}`);
      return;
    }
    const expiresAtSeconds = this.authorize(req, url, hc, 'Listen', socket, `listener for '${hc.path}' from ${remote.address}`);
    if (expiresAtSeconds === undefined) return;
    const set = this.listeners.get(hc.path.toLowerCase()) ?? new Set<Listener>();
    if (set.size >= (this.options.maxListeners ?? 25)) {
      this.refuseNoisy(socket, 403, `Hybrid connection '${hc.path}' already has ${set.size} listeners, the most it can have.`, `listener for '${hc.path}' from ${remote.address}`);
      return;
    }
    const trackingId = url.searchParams.get('sb-hc-id') || randomUUID();
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      const listener: Listener = { ws, path: hc.path, trackingId, base: `${wsScheme(req)}://${hostOf(req)}`, expiresAtSeconds, alive: true };
      set.add(listener);
      this.listeners.set(hc.path.toLowerCase(), set);
      this.scheduleExpiry(listener);
      ws.on('pong', () => (listener.alive = true));
      ws.on('error', () => undefined);
      ws.on('close', () => this.removeListener(listener));
      this.readResponses(ws, listener, { control: true });
      this.options.logger.log(`Relay: listener '${trackingId}' connected to hybrid connection '${hc.path}' (${set.size} listening)`);
    });
  }

  /** A token for `right`, from sb-hc-token, ServiceBusAuthorization, or a SAS Authorization header; refuses and answers undefined when it does not do. */
  private authorize(req: IncomingMessage, url: URL | undefined, hc: HybridConnectionInfo, right: RelayRight, socket: Duplex | undefined, what: string, res?: ServerResponse): number | undefined {
    try {
      return checkSasToken(tokenOf(req, url), hc.path, hc.rules, right, this.now());
    } catch (error) {
      if (!(error instanceof SasRejected)) throw error;
      if (socket) this.refuseNoisy(socket, error.status, error.message, what);
      else if (res) this.failHttp(res, error.status, error.message, what);
      return undefined;
    }
  }

  private connect(req: IncomingMessage, socket: Duplex, head: Buffer, url: URL, entityPath: string): void {
    const hc = this.options.directory(entityPath);
    const remote = remoteOf(req);
    if (!hc || !hc.enabled) {
      this.refuseNoisy(socket, 404, hc ? `Hybrid connection '${hc.path}' is disabled.` : `No hybrid connection serves '${entityPath}'.`, `sender for '${entityPath}' from ${remote.address}`);
      return;
    }
    if (this.authorize(req, url, hc, 'Send', socket, `sender for '${hc.path}' from ${remote.address}`) === undefined) return;
    const listener = this.pickListener(hc.path);
    if (!listener) {
      // .NET maps this to EndpointNotFoundException; the exact status of the live service is unconfirmed.
      this.refuse(socket, 404, `Endpoint does not exist: no listener is connected to hybrid connection '${hc.path}'.`);
      return;
    }
    const asked = url.searchParams.get('sb-hc-id');
    const id = asked && !this.pendingConnects.has(asked) ? asked : randomUUID();
    const timer = setTimeout(() => {
      if (this.pendingConnects.get(id)?.socket !== socket) return;
      this.pendingConnects.delete(id);
      this.refuse(socket, 504, `No listener of hybrid connection '${hc.path}' accepted the connection within ${Math.round(this.acceptTimeoutMs / 1000)} s.`);
    }, this.acceptTimeoutMs);
    timer.unref();
    this.pendingConnects.set(id, { id, listener, req, socket, head, timer });
    socket.once('close', () => {
      const pending = this.pendingConnects.get(id);
      if (pending?.socket === socket) {
        clearTimeout(pending.timer);
        this.pendingConnects.delete(id);
      }
    });
    const address = `${listener.base}${RELAY_WS_PREFIX}${encodeEntityPath(entityPath)}?${appQuery(url)}sb-hc-action=accept&sb-hc-id=${encodeURIComponent(id)}`;
    const message: RelayAcceptMessage = { accept: { address, id, connectHeaders: forwardedHeaders(req, { keepConnectionHeaders: true }), remoteEndpoint: remote } };
    listener.ws.send(JSON.stringify(message));
  }

  private accept(req: IncomingMessage, socket: Duplex, head: Buffer, url: URL): void {
    const id = url.searchParams.get('sb-hc-id') ?? '';
    const pending = this.pendingConnects.get(id);
    if (!pending) {
      this.refuse(socket, 403, 'This rendezvous address is not valid: it was used already, or its sender gave up or timed out.');
      return;
    }
    this.pendingConnects.delete(id);
    clearTimeout(pending.timer);
    // hyco-ws's (unreachable) reject path spells the parameters without the sb-hc- prefix: accept both.
    const statusCode = url.searchParams.get('sb-hc-statusCode') ?? url.searchParams.get('statusCode');
    if (statusCode !== null) {
      const status = Number(statusCode);
      const description = url.searchParams.get('sb-hc-statusDescription') ?? url.searchParams.get('statusDescription') ?? 'Rejected by the listener';
      this.refuse(pending.socket, Number.isInteger(status) && status >= 400 && status <= 599 ? status : 400, description, false);
      // The service fails the reject handshake on purpose; .NET treats 410 as success.
      this.refuse(socket, 410, 'Gone: the connection was rejected as asked.', false);
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (listenerSide) => {
      const chosen = listenerSide.protocol || false;
      (pending.req as unknown as Record<symbol, string | false>)[FORCED_PROTOCOL] = chosen;
      if (pending.socket.destroyed) {
        listenerSide.close(1001, 'The sender went away');
        return;
      }
      this.wss.handleUpgrade(pending.req, pending.socket, pending.head, (senderSide) => {
        splice(listenerSide, senderSide);
        splice(senderSide, listenerSide);
      });
    });
  }

  // ---------------------------------------------------------------- HTTP senders

  /** Handles an HTTP sender request (`/{hybridConnectionPath}[/suffix]`); answers false (touching nothing) when no hybrid connection serves the path. */
  handleHttp(req: IncomingMessage, res: ServerResponse): boolean {
    const url = new URL(req.url ?? '/', 'http://relay');
    const entityPath = safeDecode(url.pathname).replace(/^\/+/, '');
    if (!entityPath || entityPath.startsWith('$hc')) return false;
    const hc = this.options.directory(entityPath);
    if (!hc) return false;
    void this.serveHttp(req, res, url, hc).catch((error: unknown) => {
      this.options.logger.warn(`Relay: HTTP sender request failed: ${(error as Error).message}`);
      if (!res.headersSent) this.failHttp(res, 500, 'The relay failed to handle this request.');
      else res.destroy();
    });
    return true;
  }

  private async serveHttp(req: IncomingMessage, res: ServerResponse, url: URL, hc: HybridConnectionInfo): Promise<void> {
    const remote = remoteOf(req);
    if (!hc.enabled) {
      this.failHttp(res, 404, `Hybrid connection '${hc.path}' is disabled.`);
      return;
    }
    if (this.authorize(req, url, hc, 'Send', undefined, `HTTP sender for '${hc.path}' from ${remote.address}`, res) === undefined) return;
    if ((req.method ?? '').toUpperCase() === 'CONNECT') {
      this.failHttp(res, 405, 'CONNECT cannot be relayed.');
      return;
    }
    const body = await readBody(req, this.options.maxRequestBodyBytes ?? 16 * 1024 * 1024);
    if (!body) {
      this.failHttp(res, 413, `The request body exceeds ${this.options.maxRequestBodyBytes ?? 16 * 1024 * 1024} bytes.`);
      return;
    }
    const target = `${url.pathname}${strippedQuery(req.url ?? '')}`;
    try {
      const response = await this.dispatch(hc, { method: req.method ?? 'GET', target, headers: forwardedHeaders(req, { stripAuthorization: usesAuthorizationHeader(req, url) }), body, remoteEndpoint: remote }, { timeoutMs: this.requestTimeoutMs });
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(response.headers)) if (!HOP_BY_HOP.has(name.toLowerCase())) headers[name] = value;
      // The relay adds or extends Via with its host, which tells the sender the answer came from a listener.
      const via = Object.keys(headers).find((n) => n.toLowerCase() === 'via');
      const viaValue = `1.1 ${hostOf(req)}`;
      if (via) headers[via] = `${headers[via]}, ${viaValue}`;
      else headers.Via = viaValue;
      headers['Content-Length'] = String(response.body.length);
      res.writeHead(response.status, sanitizeReason(response.statusDescription ?? ''), headers);
      res.end(req.method?.toUpperCase() === 'HEAD' ? undefined : response.body);
    } catch (error) {
      if (error instanceof RelayError) this.failHttp(res, error.status, error.message);
      else throw error;
    }
  }

  /**
   * Sends an HTTP-style request to one listener of a hybrid connection through the real protocol (inline on the
   * control channel, or by rendezvous above 64 kB) and resolves with its response.
   */
  dispatch(hc: HybridConnectionInfo, request: RelayHttpRequest, options: { timeoutMs?: number; trackingId?: string } = {}): Promise<RelayHttpResponse> {
    if (!hc.enabled) return Promise.reject(new RelayError(404, 'HybridConnectionDisabled', `Hybrid connection '${hc.path}' is disabled.`));
    const listener = this.pickListener(hc.path, options.trackingId);
    if (!listener) {
      const who = options.trackingId ? `listener '${options.trackingId}'` : 'no listener';
      return Promise.reject(new RelayError(502, 'NoListener', `Bad Gateway: ${options.trackingId ? `${who} is not` : who + ' is'} connected to hybrid connection '${hc.path}'.`));
    }
    const id = randomUUID();
    const q = request.target.indexOf('?');
    const targetPath = q === -1 ? request.target : request.target.slice(0, q);
    const targetQuery = q === -1 ? '' : request.target.slice(q + 1);
    const address = `${listener.base}${RELAY_WS_PREFIX}${targetPath.replace(/^\/+/, '')}?${targetQuery ? `${targetQuery}&` : ''}sb-hc-action=request&sb-hc-id=${id}`;
    const message: RelayRequestMessage = {
      request: { address, id, requestTarget: request.target, method: request.method.toUpperCase(), ...(request.remoteEndpoint ? { remoteEndpoint: request.remoteEndpoint } : {}), requestHeaders: request.headers, body: request.body.length > 0 },
    };
    const timeoutMs = options.timeoutMs ?? this.requestTimeoutMs;
    return new Promise<RelayHttpResponse>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pendingHttp.delete(id);
        reject(new RelayError(504, 'GatewayTimeout', `Gateway Timeout: the listener of hybrid connection '${hc.path}' did not answer within ${Math.round(timeoutMs / 1000)} s.`));
      }, timeoutMs);
      timer.unref();
      const pending: PendingHttp = { id, listener, message, body: request.body, delivered: false, timer, resolve, reject };
      this.pendingHttp.set(id, pending);
      const json = JSON.stringify(message);
      if (Buffer.byteLength(json) + request.body.length <= RELAY_CONTROL_CHANNEL_LIMIT) {
        this.deliver(listener.ws, pending);
      } else {
        // Over 64 kB: the control message carries only the address (no method, no body: both clients key on that).
        listener.ws.send(JSON.stringify({ request: { address, id } } satisfies RelayRequestMessage));
      }
    });
  }

  private deliver(ws: WebSocket, pending: PendingHttp): void {
    pending.delivered = true;
    ws.send(JSON.stringify(pending.message));
    // One binary message for the whole body: hyco-https takes the next message as all of it (relay.md §2.3).
    if (pending.body.length > 0) ws.send(pending.body, { binary: true });
  }

  private requestRendezvous(req: IncomingMessage, socket: Duplex, head: Buffer, url: URL): void {
    const id = url.searchParams.get('sb-hc-id') ?? '';
    const pending = this.pendingHttp.get(id);
    if (!pending) {
      this.refuse(socket, 403, 'This rendezvous address is not valid: its request was answered already, or timed out.');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      ws.on('error', () => undefined);
      this.readResponses(ws, pending.listener, { control: false });
      if (!pending.delivered) this.deliver(ws, pending);
    });
  }

  /**
   * Reads `response` messages (and `renewToken` on control channels) from a listener socket. A body is the next
   * binary message after a `body: true` response; any other binary message is ignored (hyco-https sends an empty
   * one after `body: false`).
   */
  private readResponses(ws: WebSocket, listener: Listener, mode: { control: boolean }): void {
    let awaitingBody: RelayResponseMessage['response'] | undefined;
    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (isBinary) {
        if (awaitingBody) {
          const response = awaitingBody;
          awaitingBody = undefined;
          this.complete(response, toBuffer(data), ws, mode);
        }
        return;
      }
      let message: Partial<RelayResponseMessage & { renewToken: { token?: unknown } }>;
      try {
        message = JSON.parse(toBuffer(data).toString('utf8'));
      } catch {
        this.refusals.note(`json:${listener.path}`, `Relay: listener '${listener.trackingId}' of '${listener.path}' sent a text frame that is not JSON; ignored`);
        return;
      }
      if (message.response && typeof message.response === 'object') {
        if (message.response.body === true) awaitingBody = message.response;
        else this.complete(message.response, Buffer.alloc(0), ws, mode);
      } else if (mode.control && message.renewToken && typeof message.renewToken === 'object') {
        this.renew(listener, typeof message.renewToken.token === 'string' ? message.renewToken.token : undefined);
      }
    });
  }

  private complete(response: RelayResponseMessage['response'], body: Buffer, ws: WebSocket, mode: { control: boolean }): void {
    const pending = this.pendingHttp.get(String(response.requestId));
    if (!mode.control) ws.close(1000, 'Normal closure');
    if (!pending) return;
    this.pendingHttp.delete(pending.id);
    clearTimeout(pending.timer);
    const status = Number(response.statusCode);
    if (!Number.isInteger(status) || status < 100 || status > 599) {
      pending.reject(new RelayError(502, 'InvalidResponse', `Bad Gateway: the listener answered with status '${String(response.statusCode)}'.`));
      return;
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(response.responseHeaders ?? {})) if (value !== undefined && value !== null) headers[name] = String(value);
    pending.resolve({ status, statusDescription: response.statusDescription, headers, body });
  }

  // ---------------------------------------------------------------- listeners

  private renew(listener: Listener, token: string | undefined): void {
    const hc = this.options.directory(listener.path);
    try {
      if (!hc || !hc.enabled) throw new SasRejected(401, 'The hybrid connection is gone.');
      listener.expiresAtSeconds = checkSasToken(token, hc.path, hc.rules, 'Listen', this.now());
      this.scheduleExpiry(listener);
    } catch (error) {
      this.options.logger.warn(`Relay: listener '${listener.trackingId}' of '${listener.path}' sent a renewToken that is not valid (${(error as Error).message}); closing its channel (1008)`);
      listener.ws.close(1008, 'The renewed token is not valid');
    }
  }

  private scheduleExpiry(listener: Listener): void {
    if (listener.expiryTimer) clearTimeout(listener.expiryTimer);
    const ms = Math.max(0, (listener.expiresAtSeconds - this.now()) * 1000);
    listener.expiryTimer = setTimeout(() => {
      if (listener.expiresAtSeconds > this.now()) return this.scheduleExpiry(listener);
      this.options.logger.log(`Relay: the token of listener '${listener.trackingId}' of '${listener.path}' expired; closing its channel (1008)`);
      listener.ws.close(1008, 'Token expired');
    }, Math.min(ms, 2 ** 31 - 1));
    listener.expiryTimer.unref();
  }

  private removeListener(listener: Listener): void {
    if (listener.expiryTimer) clearTimeout(listener.expiryTimer);
    const set = this.listeners.get(listener.path.toLowerCase());
    if (!set?.delete(listener)) return;
    if (set.size === 0) this.listeners.delete(listener.path.toLowerCase());
    for (const pending of [...this.pendingHttp.values()]) {
      if (pending.listener !== listener) continue;
      this.pendingHttp.delete(pending.id);
      clearTimeout(pending.timer);
      pending.reject(new RelayError(502, 'ListenerGone', `Bad Gateway: the listener of hybrid connection '${listener.path}' disconnected before answering.`));
    }
    if (!this.closed) this.options.logger.log(`Relay: listener '${listener.trackingId}' left hybrid connection '${listener.path}' (${set.size} listening)`);
  }

  private pickListener(path: string, trackingId?: string): Listener | undefined {
    let open = [...(this.listeners.get(path.toLowerCase()) ?? [])].filter((l) => l.ws.readyState === WebSocket.OPEN);
    if (trackingId) open = open.filter((l) => l.trackingId.replace(/(_G\d+)+$/, '').toLowerCase() === trackingId.toLowerCase());
    // Documented: connections are balanced randomly across listeners.
    return open.length === 0 ? undefined : open[randomInt(open.length)];
  }

  private pingListeners(): void {
    for (const set of this.listeners.values()) {
      for (const listener of set) {
        if (!listener.alive) {
          listener.ws.terminate();
          continue;
        }
        listener.alive = false;
        listener.ws.ping();
      }
    }
  }

  /** Closes every listener of a hybrid connection: 1001 when it was deleted or disabled, 1011 on a service error. */
  closeListeners(path: string, code: 1001 | 1011, reason: string): number {
    const set = [...(this.listeners.get(path.toLowerCase()) ?? [])];
    for (const listener of set) listener.ws.close(code, reason);
    for (const pending of [...this.pendingConnects.values()]) {
      if (pending.listener.path.toLowerCase() !== path.toLowerCase()) continue;
      this.pendingConnects.delete(pending.id);
      clearTimeout(pending.timer);
      this.refuse(pending.socket, 404, reason);
    }
    return set.length;
  }

  /** Paths that have listeners now. */
  listenedPaths(): string[] {
    return [...this.listeners.values()].filter((s) => s.size > 0).map((s) => [...s][0].path);
  }

  shutdown(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.refusals.stop();
    for (const set of this.listeners.values()) for (const listener of set) listener.ws.close(1001, 'The relay is shutting down');
    for (const pending of this.pendingHttp.values()) {
      clearTimeout(pending.timer);
      pending.reject(new RelayError(503, 'ShuttingDown', 'The relay is shutting down.'));
    }
    this.pendingHttp.clear();
    for (const pending of this.pendingConnects.values()) {
      clearTimeout(pending.timer);
      pending.socket.destroy();
    }
    this.pendingConnects.clear();
  }

  // ---------------------------------------------------------------- answers

  private get acceptTimeoutMs(): number {
    return this.options.acceptTimeoutMs ?? 30_000;
  }

  private get requestTimeoutMs(): number {
    return this.options.requestTimeoutMs ?? 60_000;
  }

  /**
   * A refusal that may come in storms (hyco-ws retries a refused token at once, forever): logged once per burst and
   * answered at once. Holding the answer back would be worse: a late refusal makes hyco-ws fire both its error and
   * close handlers, and each starts another attempt, so its attempts double every round.
   */
  private refuseNoisy(socket: Duplex, status: number, description: string, what: string): void {
    this.refusals.note(`${status}:${what}`, `Relay: refused ${what}: ${status} ${description}`);
    this.refuse(socket, status, description);
  }

  /** Fails an upgrade with a plain HTTP status; the status description carries a tracking id, as the service's do. */
  private refuse(socket: Duplex, status: number, description: string, tracking = true): void {
    if (socket.destroyed) return;
    const text = sanitizeReason(tracking ? `${description} TrackingId:${randomUUID()}` : description);
    if (!socket.writable) {
      socket.destroy();
      return;
    }
    socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`);
    setTimeout(() => socket.destroy(), 1000).unref();
  }

  private failHttp(res: ServerResponse, status: number, description: string, what?: string): void {
    if (what) this.refusals.note(`${status}:${what}`, `Relay: refused ${what}: ${status} ${description}`);
    const detail = `${description} TrackingId:${randomUUID()}, Timestamp:${new Date().toISOString()}`;
    // Service Bus answers errors in this XML envelope.
    const body = `<Error><Code>${status}</Code><Detail>${escapeXml(detail)}</Detail></Error>`;
    res.writeHead(status, sanitizeReason(description), { 'Content-Type': 'application/xml; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  }
}

// ---------------------------------------------------------------- helpers

/** Relays frames and closes from one side of an accepted WebSocket to the other. */
function splice(from: WebSocket, to: WebSocket): void {
  from.on('message', (data: RawData, isBinary: boolean) => {
    if (to.readyState === WebSocket.OPEN) to.send(toBuffer(data), { binary: isBinary });
  });
  from.on('error', () => from.terminate());
  from.on('close', (code: number, reason: Buffer) => {
    if (to.readyState !== WebSocket.OPEN && to.readyState !== WebSocket.CONNECTING) return;
    // 1005/1006 cannot be sent; the documented code for "the other side shut down" is 1001.
    if (isSendableCloseCode(code)) to.close(code, reason);
    else to.close(1001, 'The other side shut down');
  });
}

function isSendableCloseCode(code: number): boolean {
  return (code >= 1000 && code <= 1014 && code !== 1004 && code !== 1005 && code !== 1006) || (code >= 3000 && code <= 4999);
}

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data as ArrayBuffer);
}

function tokenOf(req: IncomingMessage, url: URL | undefined): string | undefined {
  const query = url?.searchParams.get('sb-hc-token');
  if (query) return query;
  const header = req.headers[TOKEN_HEADER];
  if (typeof header === 'string' && header) return header;
  const authorization = req.headers.authorization;
  return authorization && /^SharedAccessSignature\s/i.test(authorization) ? authorization : undefined;
}

/** Authorization is evaluated (and stripped) only when neither sb-hc-token nor ServiceBusAuthorization is present. */
function usesAuthorizationHeader(req: IncomingMessage, url: URL): boolean {
  return !url.searchParams.get('sb-hc-token') && !req.headers[TOKEN_HEADER] && !!req.headers.authorization;
}

/** The sender's headers, original case, duplicates joined with ", ", without relay authorization (and hop-by-hop ones for HTTP). */
function forwardedHeaders(req: IncomingMessage, options: { keepConnectionHeaders?: boolean; stripAuthorization?: boolean }): Record<string, string> {
  const out: Record<string, string> = {};
  const names = new Map<string, string>();
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i];
    const lower = name.toLowerCase();
    if (lower === TOKEN_HEADER) continue;
    if (lower === 'authorization' && (options.stripAuthorization || /^SharedAccessSignature\s/i.test(req.rawHeaders[i + 1]))) continue;
    if (!options.keepConnectionHeaders && HOP_BY_HOP.has(lower)) continue;
    const existing = names.get(lower);
    if (existing) out[existing] = `${out[existing]}, ${req.rawHeaders[i + 1]}`;
    else {
      names.set(lower, name);
      out[name] = req.rawHeaders[i + 1];
    }
  }
  return out;
}

/** The query without `sb-hc-…=` parameters; order, duplicates, empty parts and `sb-hc-x` without '=' stay (as the .NET tests expect). */
export function strippedQuery(rawUrl: string): string {
  const q = rawUrl.indexOf('?');
  if (q === -1) return '';
  const kept = rawUrl
    .slice(q + 1)
    .split('&')
    .filter((part) => !(part.toLowerCase().startsWith(RELAY_QUERY_PREFIX) && part.includes('=')));
  return kept.length === 0 ? '' : `?${kept.join('&')}`;
}

/** Non-relay query parameters of a sender's URL, ready to prefix the relay's own (`a=1&`), or ''. */
function appQuery(url: URL): string {
  const parts: string[] = [];
  for (const [key, value] of url.searchParams) if (!key.toLowerCase().startsWith(RELAY_QUERY_PREFIX)) parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(value)}`);
  return parts.length ? `${parts.join('&')}&` : '';
}

function encodeEntityPath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

function sameEntity(hcPath: string, entityPath: string): boolean {
  return hcPath.toLowerCase() === entityPath.replace(/\/+$/, '').toLowerCase();
}

function remoteOf(req: IncomingMessage): { address: string; port: number } {
  return { address: req.socket.remoteAddress ?? 'unknown', port: req.socket.remotePort ?? 0 };
}

function hostOf(req: IncomingMessage): string {
  return req.headers.host || `${req.socket.localAddress}:${req.socket.localPort}`;
}

function wsScheme(req: IncomingMessage): 'ws' | 'wss' {
  return (req.socket as TLSSocket).encrypted ? 'wss' : 'ws';
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/** A reason phrase: printable ASCII only, one line, bounded. */
function sanitizeReason(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, ' ').slice(0, 512);
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { HttpSenders } from './http-senders';
import {
  hostOf,
  httpEntityPathOf,
  remoteOf,
  sameEntity,
  upgradeTargetOf,
  wsScheme,
} from './hybrid-connection-protocol';
import { ListenerRegistry } from './listener-registry';
import { RelayRefusals } from './relay-refusals';
import type { HybridConnectionInfo, RelayHttpRequest, RelayHttpResponse, RelayOptions } from './relay-types';
import { WebSocketSenders, chooseProtocol } from './websocket-senders';

/**
 * Azure Relay Hybrid Connections on a Node HTTP(S) server (relay.md): the listener control channel, WebSocket
 * senders with accept rendezvous, HTTP senders with inline or rendezvous delivery, renewToken, the documented
 * close codes and handshake errors. Holds no state but live sockets; hybrid connections come from `directory`.
 * This class routes upgrades and HTTP requests to its parts and shuts them down; the protocol lives in them.
 */
export class HybridConnectionRelay {
  private readonly wss: WebSocketServer;
  private readonly refusals: RelayRefusals;
  private readonly listeners: ListenerRegistry;
  private readonly webSocketSenders: WebSocketSenders;
  private readonly httpSenders: HttpSenders;
  private readonly now: () => number;
  private closed = false;

  constructor(private readonly options: RelayOptions) {
    this.now = options.nowSeconds ?? (() => Math.floor(Date.now() / 1000));
    this.wss = new WebSocketServer({
      noServer: true,
      // hyco-https and hyco-ws offer permessage-deflate; declining is allowed and keeps frames as sent (relay.md §2.1).
      perMessageDeflate: false,
      clientTracking: false,
      handleProtocols: chooseProtocol,
    });
    this.refusals = new RelayRefusals(options.logger, this.now);
    this.listeners = new ListenerRegistry({
      directory: options.directory,
      logger: options.logger,
      now: this.now,
      pingIntervalMs: options.pingIntervalMs ?? 30_000,
      onLeft: (listener) => this.httpSenders.listenerLeft(listener),
      isShuttingDown: () => this.closed,
    });
    const parts = { wss: this.wss, listeners: this.listeners, refusals: this.refusals };
    this.webSocketSenders = new WebSocketSenders({
      ...parts,
      directory: options.directory,
      acceptTimeoutMs: options.acceptTimeoutMs ?? 30_000,
    });
    this.httpSenders = new HttpSenders({
      ...parts,
      logger: options.logger,
      requestTimeoutMs: options.requestTimeoutMs ?? 60_000,
      maxRequestBodyBytes: options.maxRequestBodyBytes ?? 16 * 1024 * 1024,
    });
  }

  /** Listeners connected now to a hybrid connection, by tracking id (`sb-hc-id`). */
  listenersOf(path: string): { trackingId: string; expiresAt: string }[] {
    return this.listeners.listenersOf(path);
  }

  /** Handles an HTTP upgrade under `/$hc/`; answers false (touching nothing) for any other path. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const url = requestUrlOf(req);
    const target = url && upgradeTargetOf(url);
    if (!target) return false;
    socket.on('error', () => socket.destroy());
    const { entityPath, action } = target;
    if (this.closed) {
      this.refusals.refuse(socket, 503, 'The relay is shutting down.');
      return true;
    }
    try {
      switch (action.toLowerCase()) {
        case 'listen':
          this.listen(req, socket, head, url, entityPath);
          break;
        case 'connect':
          this.webSocketSenders.connect(req, socket, head, url, entityPath);
          break;
        case 'accept':
          this.webSocketSenders.accept(req, socket, head, url);
          break;
        case 'request':
          this.httpSenders.rendezvous(req, socket, head, url);
          break;
        default:
          this.refusals.refuse(
            socket,
            400,
            action
              ? `Unknown sb-hc-action '${action}': use listen, connect, accept or request.`
              : 'The relay needs sb-hc-action (listen, connect, accept or request) in the query.',
          );
      }
    } catch (error) {
      this.options.logger.warn(`Relay: upgrade failed: ${(error as Error).message}`);
      this.refusals.refuse(socket, 500, 'The relay failed to handle this request.');
    }
    return true;
  }

  /** Handles an HTTP sender request (`/{hybridConnectionPath}[/suffix]`); answers false (touching nothing) when no hybrid connection serves the path. */
  handleHttp(req: IncomingMessage, res: ServerResponse): boolean {
    const url = requestUrlOf(req);
    const entityPath = url && httpEntityPathOf(url);
    if (!url || !entityPath) return false;
    const hc = this.options.directory(entityPath);
    if (!hc) return false;
    this.httpSenders.handle(req, res, url, hc);
    return true;
  }

  /**
   * Sends an HTTP-style request to one listener of a hybrid connection through the real protocol (inline on the
   * control channel, or by rendezvous above 64 kB) and resolves with its response.
   */
  dispatch(
    hc: HybridConnectionInfo,
    request: RelayHttpRequest,
    options: { timeoutMs?: number; trackingId?: string } = {},
  ): Promise<RelayHttpResponse> {
    return this.httpSenders.dispatch(hc, request, options);
  }

  /**
   * Cuts the listeners of a hybrid connection whose tracking id is `trackingId` (or starts with it and `_`) without a
   * close handshake, as a lost network path does (the listener sees 1006); answers how many there were.
   */
  dropListeners(path: string, trackingId: string): number {
    return this.listeners.terminate(path, trackingId);
  }

  /** Closes every listener of a hybrid connection: 1001 when it was deleted or disabled, 1011 on a service error. */
  closeListeners(path: string, code: 1001 | 1011, reason: string): number {
    const closed = this.listeners.closeAll(path, code, reason);
    this.webSocketSenders.abandon(path, reason);
    return closed;
  }

  shutdown(): void {
    if (this.closed) return;
    this.closed = true;
    this.refusals.stop();
    this.listeners.shutdown();
    this.httpSenders.shutdown();
    this.webSocketSenders.shutdown();
  }

  /** The control channel (`sb-hc-action=listen`): to the hybrid connection's path exactly, with a Listen token, up to the listener limit. */
  private listen(req: IncomingMessage, socket: Duplex, head: Buffer, url: URL, entityPath: string): void {
    const hc = this.options.directory(entityPath);
    const remote = remoteOf(req);
    if (!hc || !sameEntity(hc.path, entityPath)) {
      this.refusals.refuseNoisy(
        socket,
        404,
        `No hybrid connection '${entityPath}' exists: listeners connect to /$hc/{hybridConnectionPath} exactly.`,
        `listener for '${entityPath}' from ${remote.address}`,
      );
      return;
    }
    const what = `listener for '${hc.path}' from ${remote.address}`;
    if (!hc.enabled) {
      this.refusals.refuseNoisy(socket, 404, `Hybrid connection '${hc.path}' is disabled.`, what);
      return;
    }
    const expiresAtSeconds = this.refusals.authorize(req, url, hc, 'Listen', { socket }, what);
    if (expiresAtSeconds === undefined) return;
    const count = this.listeners.count(hc.path);
    if (count >= (this.options.maxListeners ?? 25)) {
      this.refusals.refuseNoisy(
        socket,
        403,
        `Hybrid connection '${hc.path}' already has ${count} listeners, the most it can have.`,
        what,
      );
      return;
    }
    const trackingId = url.searchParams.get('sb-hc-id') || randomUUID();
    if (this.options.dropListener?.(hc.path, trackingId)) {
      this.options.logger.warn(`Relay: ${what} (${trackingId}) dropped: a relayDrop fault is in force.`);
      socket.destroy();
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      const listener = {
        ws,
        path: hc.path,
        trackingId,
        base: `${wsScheme(req)}://${hostOf(req)}`,
        expiresAtSeconds,
        alive: true,
      };
      ws.on('error', () => undefined);
      const listening = this.listeners.add(listener);
      this.httpSenders.readResponses(ws, listener, {
        control: true,
        onOther: (message) => {
          const renewal = message.renewToken as { token?: unknown } | undefined;
          if (renewal && typeof renewal === 'object')
            this.listeners.renew(listener, typeof renewal.token === 'string' ? renewal.token : undefined);
        },
      });
      this.options.logger.log(
        `Relay: listener '${trackingId}' connected to hybrid connection '${hc.path}' (${listening} listening)`,
      );
    });
  }
}

/**
 * The request target as a URL, or undefined when it is none: `//` or `//?x` reads as an authority with no host, which
 * URL refuses; such a request is not the relay's (the app answers it), and must never throw in the server's handler.
 */
function requestUrlOf(req: IncomingMessage): URL | undefined {
  try {
    return new URL(req.url ?? '/', 'http://relay');
  } catch {
    return undefined;
  }
}

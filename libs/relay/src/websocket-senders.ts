import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, type RawData, type WebSocketServer } from 'ws';
import { RELAY_WS_PREFIX, type RelayAcceptMessage } from '@purview-emulator/contracts';
import {
  appQuery,
  encodeEntityPath,
  forwardedHeaders,
  isSendableCloseCode,
  remoteOf,
} from './hybrid-connection-protocol';
import type { ListenerRegistry, Listener } from './listener-registry';
import { toBuffer } from './relay-frames';
import type { RelayRefusals } from './relay-refusals';
import type { HybridConnectionDirectory } from './relay-types';

/**
 * Set on a sender's upgrade request once its listener accepted: the sender gets the subprotocol the listener chose
 * (or none), not the first it offered. The relay's WebSocket server reads it when it completes the sender's upgrade.
 */
const FORCED_PROTOCOL = Symbol('forcedProtocol');

/** The subprotocol to answer an upgrade with: the one forced by `accept`, or else the first offered. */
export function chooseProtocol(protocols: Set<string>, request: IncomingMessage): string | false {
  const forced = (request as unknown as Record<symbol, string | false | undefined>)[FORCED_PROTOCOL];
  if (forced !== undefined) return forced;
  return protocols.values().next().value ?? false;
}

/** A sender waiting for a listener to accept (or reject) its connection. */
interface PendingConnect {
  id: string;
  listener: Listener;
  req: IncomingMessage;
  socket: Duplex;
  head: Buffer;
  timer: NodeJS.Timeout;
}

export interface WebSocketSendersOptions {
  wss: WebSocketServer;
  directory: HybridConnectionDirectory;
  listeners: ListenerRegistry;
  refusals: RelayRefusals;
  /** How long a sender waits for a listener to accept (documented: about 30 s). */
  acceptTimeoutMs: number;
}

/**
 * WebSocket senders (`sb-hc-action=connect`): the sender's upgrade waits while a listener is told (`accept` on its
 * control channel) and opens the rendezvous address; then the two sockets are spliced, frames and closes both ways.
 */
export class WebSocketSenders {
  private readonly pending = new Map<string, PendingConnect>();

  constructor(private readonly options: WebSocketSendersOptions) {}

  connect(req: IncomingMessage, socket: Duplex, head: Buffer, url: URL, entityPath: string): void {
    const { refusals } = this.options;
    const hc = this.options.directory(entityPath);
    const remote = remoteOf(req);
    if (!hc || !hc.enabled) {
      refusals.refuseNoisy(
        socket,
        404,
        hc ? `Hybrid connection '${hc.path}' is disabled.` : `No hybrid connection serves '${entityPath}'.`,
        `sender for '${entityPath}' from ${remote.address}`,
      );
      return;
    }
    if (
      refusals.authorize(req, url, hc, 'Send', { socket }, `sender for '${hc.path}' from ${remote.address}`) ===
      undefined
    )
      return;
    const listener = this.options.listeners.pick(hc.path);
    if (!listener) {
      // .NET maps this to EndpointNotFoundException; the exact status of the live service is unconfirmed.
      refusals.refuse(
        socket,
        404,
        `Endpoint does not exist: no listener is connected to hybrid connection '${hc.path}'.`,
      );
      return;
    }
    const asked = url.searchParams.get('sb-hc-id');
    const id = asked && !this.pending.has(asked) ? asked : randomUUID();
    const timeoutMs = this.options.acceptTimeoutMs;
    const timer = setTimeout(() => {
      if (this.pending.get(id)?.socket !== socket) return;
      this.pending.delete(id);
      refusals.refuse(
        socket,
        504,
        `No listener of hybrid connection '${hc.path}' accepted the connection within ${Math.round(timeoutMs / 1000)} s.`,
      );
    }, timeoutMs);
    timer.unref();
    this.pending.set(id, { id, listener, req, socket, head, timer });
    socket.once('close', () => {
      const pending = this.pending.get(id);
      if (pending?.socket === socket) {
        clearTimeout(pending.timer);
        this.pending.delete(id);
      }
    });
    const address = `${listener.base}${RELAY_WS_PREFIX}${encodeEntityPath(entityPath)}?${appQuery(url)}sb-hc-action=accept&sb-hc-id=${encodeURIComponent(id)}`;
    const message: RelayAcceptMessage = {
      accept: {
        address,
        id,
        connectHeaders: forwardedHeaders(req, { keepConnectionHeaders: true }),
        remoteEndpoint: remote,
      },
    };
    listener.ws.send(JSON.stringify(message));
  }

  /** The listener's side of the rendezvous (`sb-hc-action=accept`): accepts, or rejects with sb-hc-statusCode. */
  accept(req: IncomingMessage, socket: Duplex, head: Buffer, url: URL): void {
    const { refusals, wss } = this.options;
    const id = url.searchParams.get('sb-hc-id') ?? '';
    const pending = this.pending.get(id);
    if (!pending) {
      refusals.refuse(
        socket,
        403,
        'This rendezvous address is not valid: it was used already, or its sender gave up or timed out.',
      );
      return;
    }
    this.pending.delete(id);
    clearTimeout(pending.timer);
    // hyco-ws's (unreachable) reject path spells the parameters without the sb-hc- prefix: accept both.
    const statusCode = url.searchParams.get('sb-hc-statusCode') ?? url.searchParams.get('statusCode');
    if (statusCode !== null) {
      const status = Number(statusCode);
      const description =
        url.searchParams.get('sb-hc-statusDescription') ??
        url.searchParams.get('statusDescription') ??
        'Rejected by the listener';
      refusals.refuse(
        pending.socket,
        Number.isInteger(status) && status >= 400 && status <= 599 ? status : 400,
        description,
        false,
      );
      // The service fails the reject handshake on purpose; .NET treats 410 as success.
      refusals.refuse(socket, 410, 'Gone: the connection was rejected as asked.', false);
      return;
    }
    wss.handleUpgrade(req, socket, head, (listenerSide) => {
      const chosen = listenerSide.protocol || false;
      (pending.req as unknown as Record<symbol, string | false>)[FORCED_PROTOCOL] = chosen;
      if (pending.socket.destroyed) {
        listenerSide.close(1001, 'The sender went away');
        return;
      }
      wss.handleUpgrade(pending.req, pending.socket, pending.head, (senderSide) => {
        splice(listenerSide, senderSide);
        splice(senderSide, listenerSide);
      });
    });
  }

  /** Senders still waiting on a hybrid connection that goes away are refused (404) with `reason`. */
  abandon(path: string, reason: string): void {
    for (const pending of [...this.pending.values()]) {
      if (pending.listener.path.toLowerCase() !== path.toLowerCase()) continue;
      this.pending.delete(pending.id);
      clearTimeout(pending.timer);
      this.options.refusals.refuse(pending.socket, 404, reason);
    }
  }

  shutdown(): void {
    for (const pending of this.pending.values()) {
      clearTimeout(pending.timer);
      pending.socket.destroy();
    }
    this.pending.clear();
  }
}

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

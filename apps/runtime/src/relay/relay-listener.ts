// Longer than most files: the listener's control channel, its reconnect back-off and the rendezvous it opens per
// request are one connection lifecycle; the framing itself is in @purview-emulator/relay.
import { fetch, type Dispatcher } from 'undici';
import type { Agent } from 'node:http';
import { WebSocket } from 'ws';
import {
  RELAY_WS_PREFIX,
  type RelayAcceptMessage,
  type RelayListenerConnection,
  type RelayRequestMessage,
  type RelayResponseMessage,
} from '@purview-emulator/contracts';
import { RelayFrameReader, encodeRelayFrames, sendRelayFrames } from '@purview-emulator/relay';
import type { Logger } from '../log';
import { explainUpgradeRefusal } from '../network/ws-agents';
import { describeError, redactUrl } from '../redact';
import type { Backoff } from '../host-service/backoff';
import { sleep } from '../host-service/sleep';

/** An HTTP-style request that reached this node through the relay. */
export interface RelayedRequest {
  method: string;
  /** Path and query under the hybrid connection: `/interactive/testConnection?x=1`. */
  path: string;
  /** The request target as relayed (`/{hybridConnectionPath}/…`). */
  target: string;
  /** Header names in lower case. */
  headers: Record<string, string>;
  body: Buffer;
}

export interface RelayedResponse {
  status: number;
  statusDescription?: string;
  headers?: Record<string, string>;
  body?: Buffer | Uint8Array | string;
}

/** Answers a request, or returns undefined to leave it to the next handler (the last resort is a 404). */
export type RelayRequestHandler = (
  request: RelayedRequest,
) => Promise<RelayedResponse | undefined> | RelayedResponse | undefined;

/** `connecting` until the first attempt ends (heartbeats then leave relayConnected out); then connected or not. */
export type RelayState = 'connecting' | 'connected' | 'disconnected';

export interface RelayListenerOptions {
  /** A listen URL and a fresh token (GET /_emulator/runtime/relay); asked at every connection and renewal. */
  connection: (signal: AbortSignal) => Promise<RelayListenerConnection>;
  logger: Logger;
  backoff: Backoff;
  /** The `agent` for `ws` (a proxy tunnel), asked at every connection. */
  agent?: (url: string) => Agent | undefined;
  /** Called on every change of state, with the reason when the channel is down. */
  onStateChange?: (state: RelayState, reason?: string) => void;
  /** Who answers when no handler does (the 404's message). */
  nodeName?: string;
  /** Renew the token when this share of its life has passed (default 0.8). */
  renewAt?: number;
  now?: () => number;
  handshakeTimeoutMs?: number;
}

/**
 * The node's listener on its integration runtime's hybrid connection (Azure Relay Hybrid Connections): holds the
 * control channel open with a SAS token it renews before expiry (`renewToken`), reconnects with backoff and jitter,
 * and answers relayed HTTP requests (inline or by rendezvous, both ways) with the handlers given to `onRequest`.
 * WebSocket senders are rejected (501): nodes only serve request/response.
 */
export class RelayListener {
  private readonly handlers: RelayRequestHandler[] = [];
  private readonly abort = new AbortController();
  private currentState: RelayState = 'connecting';
  private reason?: string;
  private loop?: Promise<void>;
  private socket?: WebSocket;
  private readonly now: () => number;

  constructor(private readonly options: RelayListenerOptions) {
    this.now = options.now ?? Date.now;
  }

  get state(): RelayState {
    return this.currentState;
  }

  get connected(): boolean {
    return this.currentState === 'connected';
  }

  /** Why the channel is down (undefined while connected). */
  get lastError(): string | undefined {
    return this.reason;
  }

  /** Adds a handler for relayed requests; handlers are asked in order. Returns the removal. */
  onRequest(handler: RelayRequestHandler): () => void {
    this.handlers.push(handler);
    return () => {
      const index = this.handlers.indexOf(handler);
      if (index !== -1) this.handlers.splice(index, 1);
    };
  }

  start(): void {
    this.loop ??= this.run();
  }

  /** Closes the channel (1000) and ends the loop. */
  async stop(): Promise<void> {
    this.abort.abort();
    if (this.socket && this.socket.readyState === WebSocket.OPEN) this.socket.close(1000, 'Listener stopping');
    await this.loop;
  }

  private async run(): Promise<void> {
    const signal = this.abort.signal;
    while (!signal.aborted) {
      let opened = false;
      try {
        const connection = await this.options.connection(signal);
        if (signal.aborted) break;
        const ended = await this.session(connection, () => {
          opened = true;
          this.options.backoff.reset();
        });
        if (signal.aborted) break;
        this.setState('disconnected', ended);
      } catch (error) {
        if (signal.aborted) break;
        this.setState('disconnected', describeError(error));
      }
      // Backoff with jitter, unlike hyco-ws; a channel that was up starts again from the shortest wait.
      if (opened) this.options.backoff.reset();
      await sleep(this.options.backoff.next(), signal);
    }
  }

  /** One control channel, from handshake to close; resolves with why it ended. */
  private session(connection: RelayListenerConnection, onOpen: () => void): Promise<string> {
    const signal = this.abort.signal;
    return new Promise<string>((resolve) => {
      const agent = this.options.agent?.(connection.listenUrl);
      const ws = new WebSocket(connection.listenUrl, {
        headers: { ServiceBusAuthorization: connection.token },
        perMessageDeflate: false,
        handshakeTimeout: this.options.handshakeTimeoutMs ?? 15_000,
        agent,
      });
      this.socket = ws;
      let renewTimer: NodeJS.Timeout | undefined;
      let settled = false;
      const finish = (why: string) => {
        if (settled) return;
        settled = true;
        if (renewTimer) clearTimeout(renewTimer);
        signal.removeEventListener('abort', onAbort);
        resolve(why);
      };
      const onAbort = () => finish('stopped');
      signal.addEventListener('abort', onAbort, { once: true });

      const scheduleRenewal = (expiresAt: string) => {
        const remaining = Date.parse(expiresAt) - this.now();
        const delay = Math.max(1_000, remaining * (this.options.renewAt ?? 0.8));
        renewTimer = setTimeout(() => void renew(), Math.min(delay, 2 ** 31 - 1));
        renewTimer.unref();
      };
      const renew = async () => {
        try {
          const fresh = await this.options.connection(signal);
          if (ws.readyState !== WebSocket.OPEN) return;
          ws.send(JSON.stringify({ renewToken: { token: fresh.token } }));
          scheduleRenewal(fresh.expiresAt);
        } catch (error) {
          if (signal.aborted || ws.readyState !== WebSocket.OPEN) return;
          // The service may be restarting: try again soon; if the token runs out first, the relay closes (1008) and we reconnect.
          this.options.logger.warn(`Relay: cannot renew the listener token yet: ${describeError(error)}`);
          renewTimer = setTimeout(() => void renew(), 5_000);
          renewTimer.unref();
        }
      };

      ws.on('unexpected-response', (_req, res) => {
        // Without the tracking id, so that the same refusal is the same reason (logged once). Through a proxy, the
        // proxy's refusal or a dropped Upgrade header is said as such.
        finish(
          explainUpgradeRefusal(agent, res, connection.listenUrl) ??
            `the relay refused the listener: HTTP ${res.statusCode} ${(res.statusMessage ?? '').replace(/\s*TrackingId:\S*/g, '')}`.trim(),
        );
        res.resume();
        ws.terminate();
      });
      ws.on('error', (error) => finish(describeError(error)));
      ws.on('open', () => {
        onOpen();
        this.setState('connected');
        scheduleRenewal(connection.expiresAt);
      });
      ws.on('close', (code, reason) => finish(closeReason(code, reason.toString())));
      this.readControlChannel(ws, connection);
    });
  }

  private readControlChannel(ws: WebSocket, connection: RelayListenerConnection): void {
    this.readRequests(
      ws,
      (request, body) => void this.answer(request, body, ws, connection),
      (message) => {
        // A request without a method is a large one announced here and delivered on a rendezvous socket.
        if (message.request) void this.rendezvous(message.request.address, connection);
        else if (message.accept) this.reject(message.accept.address);
      },
    );
  }

  /** A request too large for the control channel: read it from (and answer it on) its rendezvous socket. */
  private async rendezvous(address: string, connection: RelayListenerConnection): Promise<void> {
    const ws = new WebSocket(address, { perMessageDeflate: false, agent: this.options.agent?.(address) });
    ws.on('error', (error) => this.options.logger.warn(`Relay: request rendezvous failed: ${describeError(error)}`));
    this.readRequests(ws, (request, body) => void this.answer(request, body, ws, connection, true));
  }

  /**
   * Reads HTTP-style requests from a relay socket: a JSON `request` with a method, followed by one binary frame
   * holding its body when `body` is true. Any other JSON object goes to `other`; text that is not one is ignored.
   */
  private readRequests(
    ws: WebSocket,
    handle: (request: RelayRequestMessage['request'], body: Buffer) => void,
    other?: (message: Partial<RelayRequestMessage & RelayAcceptMessage>) => void,
  ): void {
    // A request without a method is not one to answer here (it announces a rendezvous): `other` sees it.
    const reader = new RelayFrameReader<RelayRequestMessage['request']>((message) => {
      const request = (message as Partial<RelayRequestMessage>).request;
      return request?.method ? request : undefined;
    });
    ws.on('message', (data, isBinary) => {
      const frame = reader.read(data, isBinary);
      if (frame.kind === 'message') handle(frame.header, frame.body);
      else if (frame.kind === 'other') other?.(frame.message);
    });
  }

  /** WebSocket senders are not for nodes: reject as the protocol says (the relay answers the reject with 410). */
  private reject(address: string): void {
    const ws = new WebSocket(
      `${address}&sb-hc-statusCode=501&sb-hc-statusDescription=${encodeURIComponent('Integration runtime nodes accept HTTP requests only')}`,
      { perMessageDeflate: false, agent: this.options.agent?.(address) },
    );
    ws.on('unexpected-response', (_req, res) => {
      res.resume();
      ws.terminate();
    });
    ws.on('error', () => undefined);
    ws.on('open', () => ws.close());
  }

  private async answer(
    request: RelayRequestMessage['request'],
    body: Buffer,
    channel: WebSocket,
    connection: RelayListenerConnection,
    onRendezvous = false,
  ): Promise<void> {
    const response = await this.handle(request, body, connection);
    const payload =
      response.body === undefined
        ? Buffer.alloc(0)
        : typeof response.body === 'string'
          ? Buffer.from(response.body)
          : Buffer.from(response.body);
    const message: RelayResponseMessage = {
      response: {
        requestId: request.id,
        statusCode: response.status,
        ...(response.statusDescription ? { statusDescription: response.statusDescription } : {}),
        responseHeaders: response.headers ?? {},
        body: payload.length > 0,
      },
    };
    const frames = encodeRelayFrames(message, payload);
    let socket = channel;
    if (!onRendezvous && !frames.fitsControlChannel) {
      // Over 64 kB the response must go over the request's rendezvous.
      socket = new WebSocket(request.address, {
        perMessageDeflate: false,
        agent: this.options.agent?.(request.address),
      });
      socket.on('error', (error) =>
        this.options.logger.warn(`Relay: response rendezvous failed: ${describeError(error)}`),
      );
      const opened = await new Promise<boolean>((resolve) => {
        socket.once('open', () => resolve(true));
        socket.once('close', () => resolve(false));
      });
      if (!opened) return;
      onRendezvous = true;
    }
    if (socket.readyState !== WebSocket.OPEN) return;
    sendRelayFrames(socket, frames);
    if (onRendezvous) socket.close(1000, 'Normal closure');
  }

  private async handle(
    request: RelayRequestMessage['request'],
    body: Buffer,
    connection: RelayListenerConnection,
  ): Promise<RelayedResponse> {
    const target = request.requestTarget ?? '/';
    const prefix = `/${connection.hybridConnectionPath}`;
    const path = target.toLowerCase().startsWith(prefix.toLowerCase()) ? target.slice(prefix.length) || '/' : target;
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.requestHeaders ?? {}))
      headers[name.toLowerCase()] = String(value);
    const relayed: RelayedRequest = {
      method: request.method ?? 'GET',
      path: path.startsWith('/') ? path : `/${path}`,
      target,
      headers,
      body,
    };
    try {
      for (const handler of [...this.handlers]) {
        const response = await handler(relayed);
        if (response) return response;
      }
      const who = this.options.nodeName ? `Node '${this.options.nodeName}'` : 'This node';
      return jsonResponse(404, {
        error: {
          code: 'NotFound',
          message: `${who} has no handler for ${relayed.method} ${relayed.path.replace(/\?.*$/, '')}.`,
        },
      });
    } catch (error) {
      this.options.logger.error(
        `Relay: the handler of ${relayed.method} ${relayed.path.replace(/\?.*$/, '')} failed: ${describeError(error)}`,
      );
      return jsonResponse(500, {
        error: { code: 'InternalError', message: `The node failed to handle the request: ${describeError(error)}` },
      });
    }
  }

  private setState(state: RelayState, reason?: string): void {
    const changed = state !== this.currentState || (state === 'disconnected' && reason !== this.reason);
    const wasConnected = this.currentState === 'connected';
    this.currentState = state;
    this.reason = state === 'connected' ? undefined : reason;
    if (!changed) return;
    if (state === 'connected')
      this.options.logger.info(
        `Relay: listening on the integration runtime's hybrid connection (${redactUrl(this.socket?.url ?? '')})`,
      );
    else if (wasConnected) this.options.logger.warn(`Relay: the channel is down: ${reason}. Reconnecting…`);
    else this.options.logger.warn(`Relay: cannot listen: ${reason}. Retrying…`);
    this.options.onStateChange?.(state, this.reason);
  }
}

/** Fetches the listen URL and a fresh listen token from the emulator (GET /_emulator/runtime/relay). */
export async function fetchRelayConnection(options: {
  baseUrl: string;
  credential: string;
  signal?: AbortSignal;
  dispatcher?: Dispatcher;
  timeoutMs?: number;
}): Promise<RelayListenerConnection> {
  const url = `${options.baseUrl.replace(/\/+$/, '')}/_emulator/runtime/relay`;
  const timeout = AbortSignal.timeout(options.timeoutMs ?? 15_000);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { authorization: `Node ${options.credential}`, accept: 'application/json' },
      signal,
      ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
    });
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason ?? error;
    throw new Error(
      `the relay settings could not be fetched from ${redactUrl(url)}: ${timeout.aborted ? 'timed out' : describeError(error)}`,
      { cause: error },
    );
  }
  const text = await response.text();
  if (!response.ok) {
    let message = text.slice(0, 200);
    try {
      message = (JSON.parse(text) as { error?: { message?: string } }).error?.message ?? message;
    } catch {
      /* not JSON */
    }
    throw new Error(`the service refused the relay settings (HTTP ${response.status}): ${message}`);
  }
  const connection = JSON.parse(text) as RelayListenerConnection;
  if (!connection.listenUrl?.includes(RELAY_WS_PREFIX) || !connection.token)
    throw new Error('the service answered the relay settings without a listen URL or token.');
  return connection;
}

function jsonResponse(status: number, body: unknown): RelayedResponse {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(body) };
}

function closeReason(code: number, reason: string): string {
  const meaning: Record<number, string> = {
    1000: 'closed',
    1001: 'the hybrid connection was disabled or deleted, or the relay is going away',
    1008: 'the token expired or was refused',
    1011: 'relay error',
  };
  return `the relay closed the channel (${code}: ${reason || (meaning[code] ?? 'abnormal closure')})`;
}

import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocket, WebSocketServer } from 'ws';
import { RELAY_WS_PREFIX, type RelayRequestMessage, type RelayResponseMessage } from '@purview-emulator/contracts';
import {
  HOP_BY_HOP,
  forwardedHeaders,
  hostOf,
  remoteOf,
  sanitizeReason,
  strippedQuery,
  usesAuthorizationHeader,
} from './hybrid-connection-protocol';
import type { Listener, ListenerRegistry } from './listener-registry';
import { RelayFrameReader, encodeRelayFrames, sendRelayFrames } from './relay-frames';
import type { RelayRefusals } from './relay-refusals';
import {
  RelayError,
  type HybridConnectionInfo,
  type RelayHttpRequest,
  type RelayHttpResponse,
  type RelayLogger,
} from './relay-types';

/** An HTTP request handed to a listener and not answered yet. */
interface PendingRequest {
  id: string;
  listener: Listener;
  message: RelayRequestMessage;
  body: Buffer;
  /** Sent already (inline on the control channel, or on the rendezvous socket once it opened). */
  delivered: boolean;
  timer: NodeJS.Timeout;
  resolve: (response: RelayHttpResponse) => void;
  reject: (error: RelayError) => void;
}

export interface HttpSendersOptions {
  wss: WebSocketServer;
  logger: RelayLogger;
  listeners: ListenerRegistry;
  refusals: RelayRefusals;
  /** How long a sender waits for the response (documented: 60 s, then 504). */
  requestTimeoutMs: number;
  /** Largest sender body buffered (413 above). */
  maxRequestBodyBytes: number;
}

/**
 * HTTP senders: a plain HTTP request on a hybrid connection's path becomes a `request` to one listener (inline on
 * its control channel up to 64 kB, else by rendezvous) and the listener's `response` becomes the HTTP answer.
 */
export class HttpSenders {
  private readonly pending = new Map<string, PendingRequest>();

  constructor(private readonly options: HttpSendersOptions) {}

  /** Serves an HTTP sender's request to `hc`; failures the relay cannot answer in the protocol's terms become a 500. */
  handle(req: IncomingMessage, res: ServerResponse, url: URL, hc: HybridConnectionInfo): void {
    void this.serve(req, res, url, hc).catch((error: unknown) => {
      this.options.logger.warn(`Relay: HTTP sender request failed: ${(error as Error).message}`);
      if (!res.headersSent) this.options.refusals.failHttp(res, 500, 'The relay failed to handle this request.');
      else res.destroy();
    });
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
    if (!hc.enabled)
      return Promise.reject(
        new RelayError(404, 'HybridConnectionDisabled', `Hybrid connection '${hc.path}' is disabled.`),
      );
    const listener = this.options.listeners.pick(hc.path, options.trackingId);
    if (!listener) {
      const who = options.trackingId ? `listener '${options.trackingId}'` : 'no listener';
      return Promise.reject(
        new RelayError(
          502,
          'NoListener',
          `Bad Gateway: ${options.trackingId ? `${who} is not` : who + ' is'} connected to hybrid connection '${hc.path}'.`,
        ),
      );
    }
    const id = randomUUID();
    const q = request.target.indexOf('?');
    const targetPath = q === -1 ? request.target : request.target.slice(0, q);
    const targetQuery = q === -1 ? '' : request.target.slice(q + 1);
    const address = `${listener.base}${RELAY_WS_PREFIX}${targetPath.replace(/^\/+/, '')}?${targetQuery ? `${targetQuery}&` : ''}sb-hc-action=request&sb-hc-id=${id}`;
    const message: RelayRequestMessage = {
      request: {
        address,
        id,
        requestTarget: request.target,
        method: request.method.toUpperCase(),
        ...(request.remoteEndpoint ? { remoteEndpoint: request.remoteEndpoint } : {}),
        requestHeaders: request.headers,
        body: request.body.length > 0,
      },
    };
    const timeoutMs = options.timeoutMs ?? this.options.requestTimeoutMs;
    return new Promise<RelayHttpResponse>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(
          new RelayError(
            504,
            'GatewayTimeout',
            `Gateway Timeout: the listener of hybrid connection '${hc.path}' did not answer within ${Math.round(timeoutMs / 1000)} s.`,
          ),
        );
      }, timeoutMs);
      timer.unref();
      const pending: PendingRequest = {
        id,
        listener,
        message,
        body: request.body,
        delivered: false,
        timer,
        resolve,
        reject,
      };
      this.pending.set(id, pending);
      if (encodeRelayFrames(message, request.body).fitsControlChannel) {
        this.deliver(listener.ws, pending);
      } else {
        // Over 64 kB: the control message carries only the address (no method, no body: both clients key on that).
        listener.ws.send(JSON.stringify({ request: { address, id } } satisfies RelayRequestMessage));
      }
    });
  }

  /** The listener opened a request's rendezvous address (`sb-hc-action=request`): deliver the request there, read the answer there. */
  rendezvous(req: IncomingMessage, socket: Duplex, head: Buffer, url: URL): void {
    const id = url.searchParams.get('sb-hc-id') ?? '';
    const pending = this.pending.get(id);
    if (!pending) {
      this.options.refusals.refuse(
        socket,
        403,
        'This rendezvous address is not valid: its request was answered already, or timed out.',
      );
      return;
    }
    this.options.wss.handleUpgrade(req, socket, head, (ws) => {
      ws.on('error', () => undefined);
      this.readResponses(ws, pending.listener, { control: false });
      if (!pending.delivered) this.deliver(ws, pending);
    });
  }

  /**
   * Reads `response` messages from a listener socket; on a control channel, other JSON (`renewToken`) goes to
   * `onOther`. A text frame that is not a JSON object is logged once a burst and ignored.
   */
  readResponses(
    ws: WebSocket,
    listener: Listener,
    mode: { control: boolean; onOther?: (message: Record<string, unknown>) => void },
  ): void {
    const reader = new RelayFrameReader<RelayResponseMessage['response']>((message) =>
      message.response && typeof message.response === 'object'
        ? (message.response as RelayResponseMessage['response'])
        : undefined,
    );
    ws.on('message', (data, isBinary) => {
      const frame = reader.read(data, isBinary);
      if (frame.kind === 'message') this.complete(frame.header, frame.body, ws, mode);
      else if (frame.kind === 'malformed')
        this.options.refusals.note(
          `json:${listener.path}`,
          `Relay: listener '${listener.trackingId}' of '${listener.path}' sent a text frame that is not a JSON object; ignored`,
        );
      else if (frame.kind === 'other' && mode.control) mode.onOther?.(frame.message);
    });
  }

  /** A listener left: whatever it was asked and has not answered fails now (502), not at its timeout. */
  listenerLeft(listener: Listener): void {
    for (const pending of [...this.pending.values()]) {
      if (pending.listener !== listener) continue;
      this.pending.delete(pending.id);
      clearTimeout(pending.timer);
      pending.reject(
        new RelayError(
          502,
          'ListenerGone',
          `Bad Gateway: the listener of hybrid connection '${listener.path}' disconnected before answering.`,
        ),
      );
    }
  }

  shutdown(): void {
    for (const pending of this.pending.values()) {
      clearTimeout(pending.timer);
      pending.reject(new RelayError(503, 'ShuttingDown', 'The relay is shutting down.'));
    }
    this.pending.clear();
  }

  private async serve(req: IncomingMessage, res: ServerResponse, url: URL, hc: HybridConnectionInfo): Promise<void> {
    const { refusals } = this.options;
    const remote = remoteOf(req);
    if (!hc.enabled) {
      refusals.failHttp(res, 404, `Hybrid connection '${hc.path}' is disabled.`);
      return;
    }
    if (
      refusals.authorize(req, url, hc, 'Send', { res }, `HTTP sender for '${hc.path}' from ${remote.address}`) ===
      undefined
    )
      return;
    if ((req.method ?? '').toUpperCase() === 'CONNECT') {
      refusals.failHttp(res, 405, 'CONNECT cannot be relayed.');
      return;
    }
    const body = await readBody(req, this.options.maxRequestBodyBytes);
    if (!body) {
      refusals.failHttp(res, 413, `The request body exceeds ${this.options.maxRequestBodyBytes} bytes.`);
      return;
    }
    const target = `${url.pathname}${strippedQuery(req.url ?? '')}`;
    try {
      const response = await this.dispatch(
        hc,
        {
          method: req.method ?? 'GET',
          target,
          headers: forwardedHeaders(req, { stripAuthorization: usesAuthorizationHeader(req, url) }),
          body,
          remoteEndpoint: remote,
        },
        { timeoutMs: this.options.requestTimeoutMs },
      );
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(response.headers))
        if (!HOP_BY_HOP.has(name.toLowerCase())) headers[name] = value;
      // The relay adds or extends Via with its host, which tells the sender the answer came from a listener.
      const via = Object.keys(headers).find((n) => n.toLowerCase() === 'via');
      const viaValue = `1.1 ${hostOf(req)}`;
      if (via) headers[via] = `${headers[via]}, ${viaValue}`;
      else headers.Via = viaValue;
      headers['Content-Length'] = String(response.body.length);
      res.writeHead(response.status, sanitizeReason(response.statusDescription ?? ''), headers);
      res.end(req.method?.toUpperCase() === 'HEAD' ? undefined : response.body);
    } catch (error) {
      if (error instanceof RelayError) refusals.failHttp(res, error.status, error.message);
      else throw error;
    }
  }

  private deliver(ws: WebSocket, pending: PendingRequest): void {
    pending.delivered = true;
    sendRelayFrames(ws, encodeRelayFrames(pending.message, pending.body));
  }

  /** A response read from a listener: settles its request; a rendezvous socket has done its job then and closes. */
  private complete(
    response: RelayResponseMessage['response'],
    body: Buffer,
    ws: WebSocket,
    mode: { control: boolean },
  ): void {
    const pending = this.pending.get(String(response.requestId));
    if (!mode.control) ws.close(1000, 'Normal closure');
    if (!pending) return;
    this.pending.delete(pending.id);
    clearTimeout(pending.timer);
    const status = Number(response.statusCode);
    if (!Number.isInteger(status) || status < 100 || status > 599) {
      pending.reject(
        new RelayError(
          502,
          'InvalidResponse',
          `Bad Gateway: the listener answered with status '${String(response.statusCode)}'.`,
        ),
      );
      return;
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(response.responseHeaders ?? {}))
      if (value !== undefined && value !== null) headers[name] = String(value);
    pending.resolve({ status, statusDescription: response.statusDescription, headers, body });
  }
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

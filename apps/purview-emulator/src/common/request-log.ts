import { Logger } from '@nestjs/common';
import type * as http from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { redactSecrets } from '@purview-emulator/contracts';
import { clientRequestIdOf, clientRequestIdOfRequest } from './request-id';

export interface RequestLogEntry {
  method: string;
  /** Path and query as the client sent them, secrets masked. */
  path: string;
  /** 0 when the connection closed before any answer. */
  status: number;
  ms: number;
  requestId?: string;
  clientRequestId?: string;
  /** A WebSocket upgrade (the relay): the status is 101 once it is accepted. */
  upgrade?: boolean;
}

/** What request lines are written to: Nest's Logger (the app's console logger), or a test's sink. */
export type RequestLogSink = Pick<Logger, 'debug' | 'error'>;

/** Marks a request Fastify saw (its line comes from the onResponse hook), so the relay's wrapper does not log it twice. */
const SEEN_BY_FASTIFY = Symbol('seenByFastify');

/**
 * One line per request: `GET /path?api-version=… 200 3.1ms request-id=… client-request-id=…`, or a JSON record
 * with those fields. Lines sit at `debug` (PURVIEW_LOG_LEVEL=debug shows them) so the default console stays quiet;
 * answers of 500 and above sit at `error`, so server faults always show.
 */
export class RequestLog {
  /** `debugShown` false: the sink drops debug lines, so only answers of 500 and above are formatted (a hot path). */
  constructor(
    private readonly json: boolean,
    private readonly sink: RequestLogSink = new Logger('Request'),
    private readonly debugShown = true,
  ) {}

  write(entry: RequestLogEntry): void {
    if (!this.debugShown && entry.status < 500) return;
    const clean: RequestLogEntry = { ...entry, path: redactSecrets(entry.path), ms: Math.round(entry.ms * 10) / 10 };
    if (clean.clientRequestId !== undefined) clean.clientRequestId = redactSecrets(clean.clientRequestId);
    const message = this.json ? clean : textOf(clean);
    if (clean.status >= 500) this.sink.error(message);
    else this.sink.debug(message);
  }

  /** Logs every request Fastify answers (the emulator's API over HTTP and HTTPS). */
  register(fastify: FastifyInstance): void {
    fastify.addHook('onRequest', async (request) => {
      (request.raw as unknown as Record<symbol, boolean>)[SEEN_BY_FASTIFY] = true;
    });
    fastify.addHook('onResponse', async (request, reply) => {
      const requestId = reply.getHeader('x-ms-request-id');
      this.write({
        method: request.method,
        path: request.originalUrl,
        status: reply.statusCode,
        ms: reply.elapsedTime,
        requestId: typeof requestId === 'string' ? requestId : undefined,
        clientRequestId: clientRequestIdOfRequest(request),
      });
    });
  }

  /**
   * Logs what bypasses Fastify on `server` (the relay's HTTP senders and WebSocket upgrades): wraps the server's
   * current `request` and `upgrade` listeners in place (the relay counts upgrade listeners, so none is added).
   * Returns the function that puts the original listeners back.
   */
  attach(server: http.Server): () => void {
    const wrap = <A extends unknown[]>(
      event: 'request' | 'upgrade',
      around: (original: (...args: A) => void) => (...args: A) => void,
    ) => {
      const originals = server.listeners(event) as ((...args: A) => void)[];
      const wrappers = originals.map(around);
      server.removeAllListeners(event);
      for (const wrapper of wrappers) server.on(event, wrapper as (...args: unknown[]) => void);
      return () => {
        for (const wrapper of wrappers) server.off(event, wrapper as (...args: unknown[]) => void);
        for (const original of originals) server.on(event, original as (...args: unknown[]) => void);
      };
    };
    const unwrapRequest = wrap<[http.IncomingMessage, http.ServerResponse]>('request', (original) => (req, res) => {
      const started = performance.now();
      res.once('close', () => {
        if ((req as unknown as Record<symbol, boolean>)[SEEN_BY_FASTIFY]) return;
        this.write({
          method: req.method ?? '',
          path: req.url ?? '',
          status: res.headersSent ? res.statusCode : 0,
          ms: performance.now() - started,
          clientRequestId: clientRequestIdOf(req.headers),
        });
      });
      original.call(server, req, res);
    });
    const unwrapUpgrade = wrap<[http.IncomingMessage, Duplex, Buffer]>('upgrade', (original) => (req, socket, head) => {
      const started = performance.now();
      onFirstAnswer(socket, (status) =>
        this.write({
          method: req.method ?? '',
          path: req.url ?? '',
          status,
          ms: performance.now() - started,
          clientRequestId: clientRequestIdOf(req.headers),
          upgrade: true,
        }),
      );
      original.call(server, req, socket, head);
    });
    return () => {
      unwrapRequest();
      unwrapUpgrade();
    };
  }
}

function textOf(entry: RequestLogEntry): string {
  const ids = [
    entry.requestId && `request-id=${entry.requestId}`,
    entry.clientRequestId && `client-request-id=${entry.clientRequestId}`,
  ].filter(Boolean);
  return [
    entry.method,
    entry.path,
    entry.status === 0 ? 'unanswered' : String(entry.status),
    `${entry.ms}ms`,
    ...(entry.upgrade ? ['upgrade'] : []),
    ...ids,
  ].join(' ');
}

/**
 * Calls `done` with the status of the first HTTP answer written on an upgrade's socket (101 when accepted, the
 * refusal's status otherwise), or 0 when it closes unanswered. Upgraded sockets carry no HTTP response object, so
 * the first write or end is read, then the socket's own methods are put back.
 */
function onFirstAnswer(socket: Duplex, done: (status: number) => void): void {
  // Put back on the same socket below, so `this` is the socket again when they are called.
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const { write, end } = socket;
  let answered = false;
  const note = (chunk: unknown) => {
    if (answered) return;
    answered = true;
    socket.write = write;
    socket.end = end;
    const status = /^HTTP\/1\.[01] (\d{3})/.exec(
      Buffer.isBuffer(chunk)
        ? chunk.subarray(0, 16).toString('latin1')
        : (typeof chunk === 'string' ? chunk : '').slice(0, 16),
    );
    done(status ? Number(status[1]) : 0);
  };
  socket.write = ((chunk: unknown, ...rest: unknown[]) => {
    note(chunk);
    return (write as (...args: unknown[]) => boolean).call(socket, chunk, ...rest);
  }) as typeof socket.write;
  socket.end = ((chunk?: unknown, ...rest: unknown[]) => {
    note(typeof chunk === 'function' ? undefined : chunk);
    return (end as (...args: unknown[]) => Duplex).call(socket, chunk, ...rest);
  }) as typeof socket.end;
  socket.once('close', () => note(undefined));
}

import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { BurstLog } from './burst-log';
import { escapeXml, sanitizeReason, tokenOf } from './hybrid-connection-protocol';
import type { HybridConnectionInfo, RelayLogger } from './relay-types';
import { SasRejected, checkSasToken, type RelayRight } from './sas';

/** Where a refusal goes: a WebSocket handshake (an upgrade's socket) or an HTTP sender's response. */
export type RefusalTarget = { socket: Duplex } | { res: ServerResponse };

/**
 * How the relay says no, as the service does: handshake errors as a plain HTTP status whose description carries a
 * tracking id, HTTP sender errors in Service Bus's XML envelope, and storms of the same refusal logged once a burst.
 */
export class RelayRefusals {
  private readonly bursts: BurstLog;

  constructor(
    logger: RelayLogger,
    private readonly now: () => number,
  ) {
    this.bursts = new BurstLog((line) => logger.warn(line));
  }

  /** A token for `right`, from sb-hc-token, ServiceBusAuthorization, or a SAS Authorization header; refuses and answers undefined when it does not do. */
  authorize(
    req: IncomingMessage,
    url: URL | undefined,
    hc: HybridConnectionInfo,
    right: RelayRight,
    target: RefusalTarget,
    what: string,
  ): number | undefined {
    try {
      return checkSasToken(tokenOf(req, url), hc.path, hc.rules, right, this.now());
    } catch (error) {
      if (!(error instanceof SasRejected)) throw error;
      if ('socket' in target) this.refuseNoisy(target.socket, error.status, error.message, what);
      else this.failHttp(target.res, error.status, error.message, what);
      return undefined;
    }
  }

  /** Logs `line` once for a burst of events with the same `key` (a summary follows). */
  note(key: string, line: string): void {
    this.bursts.note(key, line);
  }

  /**
   * A refusal that may come in storms (hyco-ws retries a refused token at once, forever): logged once per burst and
   * answered at once. Holding the answer back would be worse: a late refusal makes hyco-ws fire both its error and
   * close handlers, and each starts another attempt, so its attempts double every round.
   */
  refuseNoisy(socket: Duplex, status: number, description: string, what: string): void {
    this.bursts.note(`${status}:${what}`, `Relay: refused ${what}: ${status} ${description}`);
    this.refuse(socket, status, description);
  }

  /** Fails an upgrade with a plain HTTP status; the status description carries a tracking id, as the service's do. */
  refuse(socket: Duplex, status: number, description: string, tracking = true): void {
    if (socket.destroyed) return;
    const text = sanitizeReason(tracking ? `${description} TrackingId:${randomUUID()}` : description);
    if (!socket.writable) {
      socket.destroy();
      return;
    }
    socket.end(
      `HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`,
    );
    setTimeout(() => socket.destroy(), 1000).unref();
  }

  failHttp(res: ServerResponse, status: number, description: string, what?: string): void {
    if (what) this.bursts.note(`${status}:${what}`, `Relay: refused ${what}: ${status} ${description}`);
    const detail = `${description} TrackingId:${randomUUID()}, Timestamp:${new Date().toISOString()}`;
    // Service Bus answers errors in this XML envelope.
    const body = `<Error><Code>${status}</Code><Detail>${escapeXml(detail)}</Detail></Error>`;
    res.writeHead(status, sanitizeReason(description), {
      'Content-Type': 'application/xml; charset=utf-8',
      'Content-Length': Buffer.byteLength(body),
    });
    res.end(body);
  }

  stop(): void {
    this.bursts.stop();
  }
}

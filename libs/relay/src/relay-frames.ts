import type { RawData } from 'ws';
import { RELAY_CONTROL_CHANNEL_LIMIT } from '@purview-emulator/contracts';

/**
 * The framing of the relay's HTTP-style exchanges, the same in both directions (relay.md §2.3): a `request` or
 * `response` is a JSON text frame, and when its `body` is true the next binary frame is the whole body. Both the
 * relay (reading listeners' responses) and a listener (reading requests) read frames with `RelayFrameReader`.
 */

/** What one WebSocket frame meant to a `RelayFrameReader`. */
export type RelayFrameEvent<H> =
  /** A complete message: its header and its body (empty when it has none). */
  | { kind: 'message'; header: H; body: Buffer }
  /** A header that announced a body: the next binary frame completes it. */
  | { kind: 'awaiting-body' }
  /** A JSON object that is not a header of this reader's kind (renewToken, accept, a request announced for rendezvous). */
  | { kind: 'other'; message: Record<string, unknown> }
  /** A text frame that is not a JSON object. */
  | { kind: 'malformed' }
  /** A binary frame no header announced (hyco-https sends an empty one after `body: false`): ignored. */
  | { kind: 'stray-body' };

/**
 * Reads "JSON header, then optional binary body" off one socket's frames; one reader per socket, as the body
 * belongs to the last header read there. `headerOf` picks the header out of a JSON object (say, its `response`),
 * or answers undefined when the object is something else.
 */
export class RelayFrameReader<H extends { body?: boolean }> {
  private awaiting?: H;

  constructor(private readonly headerOf: (message: Record<string, unknown>) => H | undefined) {}

  read(data: RawData | Buffer, isBinary: boolean): RelayFrameEvent<H> {
    if (isBinary) {
      const header = this.awaiting;
      if (!header) return { kind: 'stray-body' };
      this.awaiting = undefined;
      return { kind: 'message', header, body: toBuffer(data) };
    }
    let message: unknown;
    try {
      message = JSON.parse(toBuffer(data).toString('utf8'));
    } catch {
      return { kind: 'malformed' };
    }
    // `null`, arrays and bare values are JSON but no message of the protocol.
    if (typeof message !== 'object' || message === null || Array.isArray(message)) return { kind: 'malformed' };
    const header = this.headerOf(message as Record<string, unknown>);
    if (!header) return { kind: 'other', message: message as Record<string, unknown> };
    if (header.body === true) {
      this.awaiting = header;
      return { kind: 'awaiting-body' };
    }
    return { kind: 'message', header, body: Buffer.alloc(0) };
  }
}

/** The frames of one message, and whether they fit inline on a control channel (64 kB, JSON and body together). */
export interface RelayFrames {
  text: string;
  /** Absent when the message has no body: no binary frame is sent then. */
  body?: Buffer;
  fitsControlChannel: boolean;
}

export function encodeRelayFrames(message: object, body: Buffer = Buffer.alloc(0)): RelayFrames {
  const text = JSON.stringify(message);
  return {
    text,
    ...(body.length > 0 ? { body } : {}),
    fitsControlChannel: Buffer.byteLength(text) + body.length <= RELAY_CONTROL_CHANNEL_LIMIT,
  };
}

/** Sends a message's frames on a socket: the JSON, then the whole body as one binary frame (hyco-https takes the next binary message as all of it). */
export function sendRelayFrames(
  socket: { send(data: string | Buffer, options?: { binary?: boolean }): void },
  frames: RelayFrames,
): void {
  socket.send(frames.text);
  if (frames.body) socket.send(frames.body, { binary: true });
}

export function toBuffer(data: RawData | Buffer): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

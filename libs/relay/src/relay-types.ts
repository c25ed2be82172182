import type { SasRule } from './sas';

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
  /**
   * Whether a listener's connection attempt is cut as a lost network path would cut it (the socket destroyed, no
   * HTTP answer): fault injection. `trackingId` is the listener's `sb-hc-id`.
   */
  dropListener?: (path: string, trackingId: string) => boolean;
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

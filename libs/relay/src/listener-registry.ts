import { randomInt } from 'node:crypto';
import { WebSocket } from 'ws';
import type { HybridConnectionDirectory, RelayLogger } from './relay-types';
import { SasRejected, checkSasToken } from './sas';

/** A listener's control channel: one per `sb-hc-action=listen` upgrade. */
export interface Listener {
  ws: WebSocket;
  path: string;
  trackingId: string;
  /** Scheme and host the listener connected with: rendezvous addresses use them, so they are reachable from it. */
  base: string;
  expiresAtSeconds: number;
  expiryTimer?: NodeJS.Timeout;
  alive: boolean;
}

export interface ListenerRegistryOptions {
  directory: HybridConnectionDirectory;
  logger: RelayLogger;
  now: () => number;
  /** WebSocket pings on control channels, to find dead listeners (0: none). */
  pingIntervalMs: number;
  /** Told when a listener leaves, so what waits on it (HTTP requests) fails at once. */
  onLeft: (listener: Listener) => void;
  /** While shutting down, leaving listeners are not worth a log line each. */
  isShuttingDown: () => boolean;
}

/**
 * The listeners connected now, by hybrid connection: the control channels' lifetime (token expiry and renewToken,
 * pings) and the random choice among them that the service documents for each sender.
 */
export class ListenerRegistry {
  private readonly byPath = new Map<string, Set<Listener>>();
  private readonly pingTimer?: NodeJS.Timeout;

  constructor(private readonly options: ListenerRegistryOptions) {
    if (options.pingIntervalMs > 0) {
      this.pingTimer = setInterval(() => this.ping(), options.pingIntervalMs);
      this.pingTimer.unref();
    }
  }

  count(path: string): number {
    return this.byPath.get(path.toLowerCase())?.size ?? 0;
  }

  /** Adds a listener whose channel is open; answers how many listen on its hybrid connection now. */
  add(listener: Listener): number {
    const key = listener.path.toLowerCase();
    const set = this.byPath.get(key) ?? new Set<Listener>();
    set.add(listener);
    this.byPath.set(key, set);
    this.scheduleExpiry(listener);
    listener.ws.on('pong', () => (listener.alive = true));
    listener.ws.on('close', () => this.remove(listener));
    return set.size;
  }

  /** Listeners connected now to a hybrid connection, by tracking id (`sb-hc-id`). */
  listenersOf(path: string): { trackingId: string; expiresAt: string }[] {
    return [...(this.byPath.get(path.toLowerCase()) ?? [])].map((l) => ({
      trackingId: l.trackingId,
      expiresAt: new Date(l.expiresAtSeconds * 1000).toISOString(),
    }));
  }

  /** An open listener, at random (documented: connections are balanced randomly), or the one whose tracking id is `trackingId`. */
  pick(path: string, trackingId?: string): Listener | undefined {
    let open = [...(this.byPath.get(path.toLowerCase()) ?? [])].filter((l) => l.ws.readyState === WebSocket.OPEN);
    // The service appends `_G{n}` to tracking ids it hands out; a caller names the listener without it.
    if (trackingId)
      open = open.filter((l) => l.trackingId.replace(/(_G\d+)+$/, '').toLowerCase() === trackingId.toLowerCase());
    return open.length === 0 ? undefined : open[randomInt(open.length)];
  }

  /** `renewToken` on a control channel: a valid Listen token extends the channel's life, anything else closes it (1008). */
  renew(listener: Listener, token: string | undefined): void {
    const hc = this.options.directory(listener.path);
    try {
      if (!hc || !hc.enabled) throw new SasRejected(401, 'The hybrid connection is gone.');
      listener.expiresAtSeconds = checkSasToken(token, hc.path, hc.rules, 'Listen', this.options.now());
      this.scheduleExpiry(listener);
    } catch (error) {
      this.options.logger.warn(
        `Relay: listener '${listener.trackingId}' of '${listener.path}' sent a renewToken that is not valid (${(error as Error).message}); closing its channel (1008)`,
      );
      listener.ws.close(1008, 'The renewed token is not valid');
    }
  }

  /** Terminates (no close frame) the listeners whose tracking id is `trackingId`, with or without a `_…` suffix. */
  terminate(path: string, trackingId: string): number {
    const id = trackingId.toLowerCase();
    const set = [...(this.byPath.get(path.toLowerCase()) ?? [])].filter((l) => {
      const own = l.trackingId.toLowerCase();
      return own === id || own.startsWith(`${id}_`);
    });
    for (const listener of set) listener.ws.terminate();
    return set.length;
  }

  /** Closes every listener of a hybrid connection; answers how many there were. */
  closeAll(path: string, code: number, reason: string): number {
    const set = [...(this.byPath.get(path.toLowerCase()) ?? [])];
    for (const listener of set) listener.ws.close(code, reason);
    return set.length;
  }

  /** Stops pinging and closes every channel (1001, going away). */
  shutdown(): void {
    if (this.pingTimer) clearInterval(this.pingTimer);
    for (const set of this.byPath.values())
      for (const listener of set) listener.ws.close(1001, 'The relay is shutting down');
  }

  private remove(listener: Listener): void {
    if (listener.expiryTimer) clearTimeout(listener.expiryTimer);
    const key = listener.path.toLowerCase();
    const set = this.byPath.get(key);
    if (!set?.delete(listener)) return;
    if (set.size === 0) this.byPath.delete(key);
    this.options.onLeft(listener);
    if (!this.options.isShuttingDown())
      this.options.logger.log(
        `Relay: listener '${listener.trackingId}' left hybrid connection '${listener.path}' (${set.size} listening)`,
      );
  }

  private scheduleExpiry(listener: Listener): void {
    if (listener.expiryTimer) clearTimeout(listener.expiryTimer);
    const ms = Math.max(0, (listener.expiresAtSeconds - this.options.now()) * 1000);
    listener.expiryTimer = setTimeout(
      () => {
        if (listener.expiresAtSeconds > this.options.now()) return this.scheduleExpiry(listener);
        this.options.logger.log(
          `Relay: the token of listener '${listener.trackingId}' of '${listener.path}' expired; closing its channel (1008)`,
        );
        listener.ws.close(1008, 'Token expired');
      },
      Math.min(ms, 2 ** 31 - 1),
    );
    listener.expiryTimer.unref();
  }

  /** A listener that did not answer the last ping is dead (its TCP connection may never say so): cut it. */
  private ping(): void {
    for (const set of this.byPath.values()) {
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
}

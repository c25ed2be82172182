import { ResetHooks } from '../common/reset-hooks';
import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit, Optional } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import type * as http from 'node:http';
import type * as https from 'node:https';
import type { Duplex } from 'node:stream';
import {
  RELAY_WS_PREFIX,
  createSasToken,
  type IntegrationRuntimeRelay,
  type RelayListenerConnection,
} from '@purview-emulator/contracts';
import { EMULATOR_CONFIG, EmulatorConfig } from '../config/emulator-config';
import { Clock } from '../common/clock';
import { PurviewError } from '../common/errors';
import { DatabaseSecrets } from '../database/database-secrets';
import { FaultsService } from '../faults/faults.service';
import { IntegrationRuntimeDirectory } from '../integration-runtimes/integration-runtime-directory';
import type { AuthenticatedNode } from '../runtime-gateway/node-sessions.service';
import { HybridConnectionEntity } from './hybrid-connection.entity';
import { HybridConnectionsRepository } from './hybrid-connections.repository';
import {
  HybridConnectionRelay,
  RelayError,
  type HybridConnectionInfo,
  type RelayHttpResponse,
  type SasRule,
} from '@purview-emulator/relay';

/** The manage rule (Listen and Send) that the emulator extension hands to tools and tests. */
export const RELAY_MANAGE_KEY_NAME = 'RootManageSharedAccessKey';
/** The listen-only rule that signs nodes' short-lived tokens; its key never leaves the emulator. */
export const RELAY_NODE_KEY_NAME = 'IntegrationRuntimeNodeListen';

export interface RelayRequest {
  method: string;
  /** Path (and query) under the hybrid connection, e.g. `/interactive/testConnection?x=1`. */
  path: string;
  headers?: Record<string, string>;
  body?: Buffer | string;
}

export interface RelayResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/**
 * The emulator's relay: one hybrid connection per integration runtime (its path is the IR's id), its SAS rules in
 * SQLite, and the Hybrid Connections protocol served on the emulator's own HTTP(S) servers (`attach`). Other
 * modules call `request()` to reach a node of an IR through it.
 */
@Injectable()
export class RelayHub implements OnModuleInit, OnModuleDestroy {
  readonly relay: HybridConnectionRelay;
  private readonly logger = new Logger('Relay');
  /** Every hybrid connection by lower-cased path: the relay's directory must answer synchronously. */
  private readonly byPath = new Map<string, HybridConnectionEntity>();
  /** IRs deleted since start: a lookup that raced the deletion must not bring their hybrid connection back. */
  private readonly deletedRuntimeIds = new Set<string>();
  /** IR ids by lower-case name, for relayDrop faults (named by IR) to match listeners (known by path) synchronously. */
  private readonly runtimeIds = new Map<string, string>();

  constructor(
    @Inject(EMULATOR_CONFIG) private readonly config: EmulatorConfig,
    private readonly repository: HybridConnectionsRepository,
    private readonly runtimes: IntegrationRuntimeDirectory,
    private readonly clock: Clock,
    private readonly secrets: DatabaseSecrets,
    private readonly resets: ResetHooks,
    @Optional() private readonly faults?: FaultsService,
  ) {
    this.relay = new HybridConnectionRelay({
      directory: (entityPath) => this.find(entityPath),
      logger: { log: (m) => this.logger.log(m), warn: (m) => this.logger.warn(m) },
      nowSeconds: () => Math.floor(this.clock.nowMs() / 1000),
      dropListener: (path, trackingId) => this.relayDropped(path, trackingId),
    });
  }

  async onModuleInit(): Promise<void> {
    for (const hc of await this.repository.all()) this.remember(hc);
    // Deleting an IR deletes its hybrid connection by cascade; the IR module says so, and its listeners go (1001).
    this.runtimes.onDeleted((ir) => this.forget(ir.id));
    // A full reset deleted every runtime: their listeners go, as on deletion.
    this.resets.register('the relay', ({ keepIntegrationRuntimes }) => {
      if (keepIntegrationRuntimes) return;
      for (const hc of [...this.byPath.values()]) this.forget(hc.integrationRuntimeId);
    });
    this.faults?.onAdded((spec) => {
      if (spec.kind === 'relayDrop') void this.dropNow(spec.integrationRuntime, spec.node);
    });
    for (const fault of this.faults?.list() ?? [])
      if (fault.kind === 'relayDrop') await this.knowRuntime(fault.integrationRuntime);
  }

  /** A relayDrop fault was injected: the node's listener connection goes now (and reconnections are refused). */
  private async dropNow(integrationRuntimeName: string, nodeName: string): Promise<void> {
    const id = await this.knowRuntime(integrationRuntimeName);
    const hc = id ? [...this.byPath.values()].find((h) => h.integrationRuntimeId === id) : undefined;
    if (hc && this.relayDropped(hc.path, nodeName)) this.relay.dropListeners(hc.path, nodeName);
  }

  private async knowRuntime(name: string): Promise<string | undefined> {
    const ir = await this.runtimes.findRuntime(name).catch(() => undefined);
    if (ir) this.runtimeIds.set(ir.name.toLowerCase(), ir.id);
    return ir?.id;
  }

  /** Whether a relayDrop fault hits this listener (its tracking id is its node name); fires the fault when it does. */
  private relayDropped(path: string, trackingId: string): boolean {
    if (!this.faults?.any('relayDrop')) return false;
    const hc = this.byPath.get(path.toLowerCase());
    if (!hc) return false;
    const id = trackingId.toLowerCase();
    return !!this.faults.take(
      'relayDrop',
      (f) =>
        this.runtimeIds.get(f.integrationRuntime.toLowerCase()) === hc.integrationRuntimeId &&
        (id === f.node.toLowerCase() || id.startsWith(`${f.node.toLowerCase()}_`)),
      `the relay connection of node '${trackingId}'`,
    );
  }

  onModuleDestroy(): void {
    this.relay.shutdown();
  }

  /** Serves the relay on a server: upgrades under /$hc/ and HTTP senders on hybrid connection paths; the rest goes on to the app. */
  attach(server: http.Server | https.Server): () => void {
    const upgraded = new Set<Duplex>();
    const onUpgrade = (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
      if (this.relay.handleUpgrade(req, socket, head)) {
        upgraded.add(socket);
        socket.once('close', () => upgraded.delete(socket));
        return;
      }
      // Nobody else takes upgrades: say so instead of leaving the socket hanging.
      if (server.listenerCount('upgrade') === 1) {
        socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      }
    };
    const appHandlers = server.listeners('request') as ((
      req: http.IncomingMessage,
      res: http.ServerResponse,
    ) => void)[];
    const onRequest = (req: http.IncomingMessage, res: http.ServerResponse) => {
      if (this.relay.handleHttp(req, res)) return;
      for (const handler of appHandlers) handler.call(server, req, res);
    };
    server.removeAllListeners('request');
    server.on('request', onRequest);
    server.on('upgrade', onUpgrade);
    // server.close() waits for every socket, and upgraded ones are not HTTP connections that closeAllConnections()
    // ends: close the relay's (1001, going away) and cut whatever does not finish the close handshake at once.
    const close = server.close.bind(server);
    const closeWithRelay = (callback?: (error?: Error) => void) => {
      this.relay.shutdown();
      setTimeout(() => upgraded.forEach((socket) => socket.destroy()), 500).unref();
      return close(callback);
    };
    server.close = closeWithRelay;
    return () => {
      server.off('upgrade', onUpgrade);
      server.off('request', onRequest);
      for (const handler of appHandlers) server.on('request', handler);
      if (server.close === closeWithRelay) server.close = close;
    };
  }

  /** The IR's hybrid connection, created with fresh keys the first time anyone asks; its keys are sealed, as stored. */
  async hybridConnectionOf(integrationRuntimeId: string): Promise<HybridConnectionEntity> {
    const existing = await this.repository.findByRuntime(integrationRuntimeId);
    if (existing) return this.remember(existing);
    const created = await this.repository.insertIfAbsent(integrationRuntimeId, () => {
      const manageKey = this.secrets.seal('relay_hybrid_connections.manage_key', integrationRuntimeId, newKey());
      const listenKey = this.secrets.seal('relay_hybrid_connections.listen_key', integrationRuntimeId, newKey());
      const entity: HybridConnectionEntity = {
        integrationRuntimeId,
        path: integrationRuntimeId,
        enabled: true,
        manageKey,
        listenKey,
        createdAt: this.clock.iso(),
      };
      return entity;
    });
    return this.remember(created);
  }

  /** GET /_emulator/integrationruntimes/{name}/relay: URLs built from `baseUrl` (the caller's scheme and host). */
  async describe(integrationRuntimeName: string, baseUrl: string): Promise<IntegrationRuntimeRelay> {
    const ir = await this.runtimes.requireRuntime(integrationRuntimeName);
    const hc = await this.hybridConnectionOf(ir.id);
    const wsBase = `${baseUrl.replace(/^http/i, 'ws')}${RELAY_WS_PREFIX}${hc.path}`;
    return {
      listenUrl: `${wsBase}?sb-hc-action=listen`,
      sendUrl: `${wsBase}?sb-hc-action=connect`,
      httpUrl: `${baseUrl}/${hc.path}`,
      hybridConnectionPath: hc.path,
      sasKeyName: RELAY_MANAGE_KEY_NAME,
      sasKey: this.keysOf(hc).manageKey,
      enabled: hc.enabled,
      listeners: this.relay.listenersOf(hc.path).length,
    };
  }

  /** Disables (listeners closed with 1001, new ones refused with 404) or enables an IR's hybrid connection. */
  async setEnabled(
    integrationRuntimeName: string,
    enabled: boolean,
    baseUrl: string,
  ): Promise<IntegrationRuntimeRelay> {
    const ir = await this.runtimes.requireRuntime(integrationRuntimeName);
    const hc = await this.hybridConnectionOf(ir.id);
    if (hc.enabled !== enabled) {
      await this.repository.setEnabled(ir.id, enabled);
      this.remember({ ...hc, enabled });
      if (!enabled) {
        const closed = this.relay.closeListeners(hc.path, 1001, 'The hybrid connection was disabled');
        this.logger.log(
          `Relay: hybrid connection of integration runtime '${ir.name}' disabled (${closed} listener(s) closed)`,
        );
      } else {
        this.logger.log(`Relay: hybrid connection of integration runtime '${ir.name}' enabled`);
      }
    }
    return this.describe(ir.name, baseUrl);
  }

  /**
   * What a node needs to listen: the listen URL (built from the host it called, tracking id = its node name) and a
   * token of the listen-only rule, valid for the emulator's token lifetime. The node never gets a key.
   */
  async listenerConnection(node: AuthenticatedNode, baseUrl: string): Promise<RelayListenerConnection> {
    this.runtimeIds.set(node.integrationRuntimeName.toLowerCase(), node.integrationRuntimeId);
    const hc = await this.hybridConnectionOf(node.integrationRuntimeId);
    if (!hc.enabled) {
      throw new PurviewError(
        409,
        'HybridConnectionDisabled',
        `The hybrid connection of integration runtime '${node.integrationRuntimeName}' is disabled; enable it with PUT /_emulator/integrationruntimes/${node.integrationRuntimeName}/relay {"enabled":true}.`,
      );
    }
    const expiresAtSeconds = Math.floor(this.clock.nowMs() / 1000) + this.config.tokenLifetimeSeconds;
    const wsBase = `${baseUrl.replace(/^http/i, 'ws')}${RELAY_WS_PREFIX}${hc.path}`;
    return {
      listenUrl: `${wsBase}?sb-hc-action=listen&sb-hc-id=${encodeURIComponent(node.nodeName)}`,
      hybridConnectionPath: hc.path,
      token: createSasToken(
        `${baseUrl.replace(/^https?:/i, 'http:')}/${hc.path}`,
        RELAY_NODE_KEY_NAME,
        this.keysOf(hc).listenKey,
        expiresAtSeconds,
      ),
      expiresAt: new Date(expiresAtSeconds * 1000).toISOString(),
    };
  }

  /** Names (tracking ids) of the listeners of an IR's hybrid connection: for a node, its node name. */
  async listeningNodes(integrationRuntimeName: string): Promise<string[]> {
    const ir = await this.runtimes.findRuntime(integrationRuntimeName);
    if (!ir) return [];
    return this.relay.listenersOf(ir.id).map((l) => l.trackingId);
  }

  /**
   * Sends an HTTP-style request to a node of an integration runtime through its hybrid connection, with the full
   * protocol (inline up to 64 kB, rendezvous above), and resolves with the node's answer. No such IR: the directory's
   * 404. Otherwise fails with a RelayError: 502 no node listening (or not `nodeName`), 504 no answer within `timeoutMs`
   * (default 60 s).
   */
  async request(
    integrationRuntimeName: string,
    request: RelayRequest,
    options: { timeoutMs?: number; nodeName?: string } = {},
  ): Promise<RelayResponse> {
    const ir = await this.runtimes.requireRuntime(integrationRuntimeName);
    const hc = await this.hybridConnectionOf(ir.id);
    const path = request.path.startsWith('/') ? request.path : `/${request.path}`;
    const body =
      request.body === undefined
        ? Buffer.alloc(0)
        : Buffer.isBuffer(request.body)
          ? request.body
          : Buffer.from(request.body);
    let response: RelayHttpResponse;
    try {
      response = await this.relay.dispatch(
        this.info(hc),
        { method: request.method, target: `/${hc.path}${path}`, headers: request.headers ?? {}, body },
        { timeoutMs: options.timeoutMs, trackingId: options.nodeName },
      );
    } catch (error) {
      if (error instanceof RelayError && error.code === 'NoListener') {
        throw new RelayError(
          502,
          'NoListener',
          options.nodeName
            ? `Node '${options.nodeName}' of integration runtime '${ir.name}' is not connected to the relay.`
            : `No node of integration runtime '${ir.name}' is connected to the relay: start one (shir start), or check that its status says serviceBusConnected True.`,
        );
      }
      throw error;
    }
    return { status: response.status, headers: response.headers, body: response.body };
  }

  private find(entityPath: string): HybridConnectionInfo | undefined {
    const lower = entityPath.toLowerCase();
    // Paths are IR ids (no slash), so the first segment decides; longest match would only matter with nested names.
    const hc = this.byPath.get(lower.split('/')[0]);
    return hc ? this.info(hc) : undefined;
  }

  private info(hc: HybridConnectionEntity): HybridConnectionInfo {
    const keys = this.keysOf(hc);
    const rules: SasRule[] = [
      { keyName: RELAY_MANAGE_KEY_NAME, key: keys.manageKey, rights: ['Listen', 'Send'] },
      { keyName: RELAY_NODE_KEY_NAME, key: keys.listenKey, rights: ['Listen'] },
    ];
    return { path: hc.path, enabled: hc.enabled, rules };
  }

  /** The keys of a hybrid connection's two SAS rules, opened from their sealed form at rest: every read of a stored key goes through here. */
  private keysOf(hc: HybridConnectionEntity): { manageKey: string; listenKey: string } {
    return {
      manageKey: this.secrets.open('relay_hybrid_connections.manage_key', hc.integrationRuntimeId, hc.manageKey),
      listenKey: this.secrets.open('relay_hybrid_connections.listen_key', hc.integrationRuntimeId, hc.listenKey),
    };
  }

  private remember(hc: HybridConnectionEntity): HybridConnectionEntity {
    if (!this.deletedRuntimeIds.has(hc.integrationRuntimeId)) this.byPath.set(hc.path.toLowerCase(), hc);
    return hc;
  }

  /** The IR is deleted (its hybrid connection went with it, by cascade): refuse its listeners from now on and close those connected. */
  private forget(integrationRuntimeId: string): void {
    this.deletedRuntimeIds.add(integrationRuntimeId);
    for (const [path, hc] of this.byPath) {
      if (hc.integrationRuntimeId !== integrationRuntimeId) continue;
      this.byPath.delete(path);
      this.relay.closeListeners(hc.path, 1001, 'The hybrid connection was deleted');
    }
  }
}

function newKey(): string {
  return randomBytes(32).toString('base64');
}

import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket } from 'ws';
import { createSasToken, type RelayListenerConnection } from '@purview-emulator/contracts';
// The relay the emulator serves, standalone on a real socket: the listener is tested against the protocol it will meet.
import { HybridConnectionRelay, type HybridConnectionInfo } from '@purview-emulator/relay';
import { Backoff } from '../host-service/backoff';
import { createLogger } from '../log';
import { pollUntil } from '@purview-emulator/testing';
import { RelayListener, type RelayState, fetchRelayConnection } from './relay-listener';

describe("RelayListener against the emulator's relay", () => {
  const hc: HybridConnectionInfo = {
    path: 'ir-0001',
    enabled: true,
    rules: [
      { keyName: 'Manage', key: 'manage-key', rights: ['Listen', 'Send'] },
      { keyName: 'NodeListen', key: 'listen-key', rights: ['Listen'] },
    ],
  };
  let server: http.Server;
  let relay: HybridConnectionRelay;
  let base: string;
  let upgrades = 0;
  const lines: string[] = [];
  const listeners: RelayListener[] = [];

  const sendToken = () =>
    createSasToken(`${base}/${hc.path}`, 'Manage', 'manage-key', Math.floor(Date.now() / 1000) + 600);
  const listenerWith = (lifetimeSeconds = 600, extra: { fetches?: { count: number } } = {}) => {
    const states: RelayState[] = [];
    const listener = new RelayListener({
      connection: async () => {
        if (extra.fetches) extra.fetches.count++;
        const expires = Math.floor(Date.now() / 1000) + lifetimeSeconds;
        return {
          listenUrl: `${base.replace('http', 'ws')}/$hc/${hc.path}?sb-hc-action=listen&sb-hc-id=node1`,
          hybridConnectionPath: hc.path,
          token: createSasToken(`${base}/${hc.path}`, 'NodeListen', 'listen-key', expires),
          expiresAt: new Date(expires * 1000).toISOString(),
        };
      },
      logger: createLogger({ write: (line) => lines.push(line) }),
      backoff: new Backoff({ initialMs: 50, maxMs: 200 }),
      nodeName: 'node1',
      renewAt: 0.5,
      onStateChange: (state) => states.push(state),
    });
    listeners.push(listener);
    return { listener, states };
  };

  beforeAll(async () => {
    relay = new HybridConnectionRelay({
      directory: (path) => (path.toLowerCase().split('/')[0] === hc.path ? hc : undefined),
      logger: { log: () => undefined, warn: () => undefined },
      pingIntervalMs: 0,
    });
    server = http.createServer((req, res) => {
      if (!relay.handleHttp(req, res)) res.writeHead(404).end();
    });
    server.on('upgrade', (req, socket, head) => {
      upgrades++;
      relay.handleUpgrade(req, socket, head);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterEach(async () => {
    await Promise.all(listeners.splice(0).map((l) => l.stop()));
  });

  afterAll(async () => {
    relay.shutdown();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('answers relayed requests with its handlers: inline, 100 KiB each way by rendezvous, 404 when nobody handles, 500 on a throw', async () => {
    const { listener, states } = listenerWith();
    // A handler that answers nothing passes every request on to the next.
    listener.onRequest(() => undefined);
    listener.onRequest((request) => {
      if (request.path.startsWith('/boom')) throw new Error('kaputt');
      if (request.path.startsWith('/big'))
        return {
          status: 200,
          headers: { 'content-type': 'application/octet-stream' },
          body: Buffer.alloc(100 * 1024, 9),
        };
      if (request.path.startsWith('/echo'))
        return {
          status: 201,
          statusDescription: 'Echoed',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            path: request.path,
            length: request.body.length,
            custom: request.headers['x-custom'],
          }),
        };
      return undefined;
    });
    listener.start();
    await pollUntil(() => (listener.connected ? true : undefined), { description: 'the listener connected' });
    expect(states).toEqual(['connected']);

    const small = await fetch(`${base}/${hc.path}/echo?a=1`, {
      method: 'POST',
      headers: { ServiceBusAuthorization: sendToken(), 'X-Custom': 'yes' },
      body: 'abc',
    });
    expect([small.status, small.statusText]).toEqual([201, 'Echoed']);
    expect(await small.json()).toEqual({ path: '/echo?a=1', length: 3, custom: 'yes' });

    const large = await relay.dispatch(hc, {
      method: 'POST',
      target: `/${hc.path}/echo`,
      headers: {},
      body: Buffer.alloc(100 * 1024, 1),
    });
    expect(JSON.parse(large.body.toString())).toEqual({ path: '/echo', length: 100 * 1024 });

    const download = await fetch(`${base}/${hc.path}/big`, { headers: { ServiceBusAuthorization: sendToken() } });
    expect(Buffer.from(await download.arrayBuffer()).equals(Buffer.alloc(100 * 1024, 9))).toBe(true);

    const missing = await fetch(`${base}/${hc.path}/nothing`, { headers: { ServiceBusAuthorization: sendToken() } });
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { message: string } }).error.message).toBe(
      "Node 'node1' has no handler for GET /nothing.",
    );
    const failed = await fetch(`${base}/${hc.path}/boom`, { headers: { ServiceBusAuthorization: sendToken() } });
    expect(failed.status).toBe(500);
    expect(lines.join('\n')).toContain('Relay: the handler of GET /boom failed: kaputt');
  });

  it('renews its token before expiry on the same channel', async () => {
    const fetches = { count: 0 };
    const { listener, states } = listenerWith(2, { fetches });
    listener.start();
    await pollUntil(() => (listener.connected ? true : undefined), { description: 'the listener connected' });
    const upgradesBefore = upgrades;
    // Lifetime 2 s, renewed at half of it: after three fetches the first two tokens have expired.
    await pollUntil(() => (fetches.count >= 4 ? true : undefined), {
      description: 'three renewals',
      timeoutMs: 10_000,
    });
    expect(states).toEqual(['connected']);
    expect(upgrades).toBe(upgradesBefore);
    const answered = await relay.dispatch(
      hc,
      { method: 'GET', target: `/${hc.path}/x`, headers: {}, body: Buffer.alloc(0) },
      { timeoutMs: 2000 },
    );
    expect(answered.status).toBe(404);
    expect(lines.join('\n')).not.toMatch(/sig=[^*]/);
  });

  it('reports the channel down when the relay closes it, and reconnects with backoff', async () => {
    const { listener, states } = listenerWith();
    listener.start();
    await pollUntil(() => (listener.connected ? true : undefined), { description: 'the listener connected' });
    relay.closeListeners(hc.path, 1001, 'The hybrid connection was disabled');
    await pollUntil(() => (states.includes('disconnected') ? true : undefined), { description: 'the loss reported' });
    expect(lines.join('\n')).toMatch(
      /Relay: the channel is down: the relay closed the channel \(1001: The hybrid connection was disabled/,
    );
    await pollUntil(() => (states.at(-1) === 'connected' ? true : undefined), { description: 'reconnected' });
    expect(states).toEqual(['connected', 'disconnected', 'connected']);
  });

  it('keeps retrying quietly while the relay refuses it, then connects', async () => {
    const { listener, states } = listenerWith();
    hc.enabled = false;
    const before = lines.length;
    const upgradesBefore = upgrades;
    listener.start();
    await pollUntil(() => (upgrades - upgradesBefore > 5 && states.length > 0 ? true : undefined), {
      description: 'several refused attempts',
    });
    expect(listener.state).toBe('disconnected');
    expect(listener.lastError).toMatch(/HTTP 404/);
    expect(lines.slice(before).filter((l) => l.includes('cannot listen'))).toHaveLength(1);
    hc.enabled = true;
    await pollUntil(() => (listener.connected ? true : undefined), { description: 'connected once enabled' });
  });

  it('rejects WebSocket senders (nodes serve HTTP only)', async () => {
    const { listener } = listenerWith();
    listener.start();
    await pollUntil(() => (listener.connected ? true : undefined), { description: 'the listener connected' });
    const status = await new Promise<number>((resolve) => {
      const ws = new WebSocket(`${base.replace('http', 'ws')}/$hc/${hc.path}?sb-hc-action=connect`, {
        headers: { ServiceBusAuthorization: sendToken() },
      });
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('error', () => undefined);
    });
    expect(status).toBe(501);
  });

  it('fetches its connection from the emulator with the node credential and explains refusals', async () => {
    const api = http.createServer((req, res) => {
      if (req.headers.authorization !== 'Node good') {
        res.writeHead(401, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            error: { code: 'InvalidNodeCredential', message: 'The node credential is not recognised.' },
          }),
        );
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          listenUrl: 'ws://h/$hc/p?sb-hc-action=listen',
          hybridConnectionPath: 'p',
          token: 'SharedAccessSignature sr=a&sig=b&se=1&skn=c',
          expiresAt: new Date().toISOString(),
        } satisfies RelayListenerConnection),
      );
    });
    await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
    const apiBase = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
    try {
      expect((await fetchRelayConnection({ baseUrl: apiBase, credential: 'good' })).hybridConnectionPath).toBe('p');
      await expect(fetchRelayConnection({ baseUrl: apiBase, credential: 'bad' })).rejects.toThrow(
        'the service refused the relay settings (HTTP 401): The node credential is not recognised.',
      );
    } finally {
      await new Promise((resolve) => api.close(resolve));
    }
  });
});

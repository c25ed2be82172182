import 'reflect-metadata';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import type * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { WebSocket } from 'ws';
import {
  createSasToken,
  type IntegrationRuntimeRelay,
  type RelayListenerConnection,
} from '@purview-emulator/contracts';
import { pollUntil } from '@purview-emulator/testing';
import { createEmulatorApp } from '../app.factory';
import { loadConfig } from '../config/emulator-config';
import { RelayHub } from './relay-hub.service';
import { RelayError } from '@purview-emulator/relay';
import { HybridConnectionEntity } from './hybrid-connection.entity';

/** The parts of Microsoft's hyco-https and hyco-ws (plain JavaScript, no typings) these tests use. */
interface HycoServer {
  on(event: string, listener: (...args: never[]) => void): void;
  once(event: string, listener: (...args: never[]) => void): void;
  listen?: () => void;
  close(callback?: (error?: Error) => void): void;
}
interface HycoHttps {
  createRelayedServer(
    options: { server: string; token: string | (() => string) },
    handler: (req: http.IncomingMessage, res: http.ServerResponse) => void,
  ): HycoServer;
  createRelayToken(uri: string, keyName: string, key: string, expirySeconds?: number): string;
}
interface HycoWs {
  createRelayedServer(
    options: { server: string; token: string | (() => string) },
    onConnection?: (ws: HycoSocket) => void,
  ): HycoServer;
  relayedConnect(address: string, token: string, onOpen?: (ws: HycoSocket) => void): HycoSocket;
  createRelayToken(uri: string, keyName: string, key: string, expirySeconds?: number): string;
}
interface HycoSocket {
  on(event: string, listener: (...args: never[]) => void): void;
  send(data: unknown, options?: { binary?: boolean }): void;
  close(code?: number, reason?: string): void;
  protocol?: string;
  url?: string;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const hycoHttps = require('hyco-https') as HycoHttps;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const hycoWs = require('hyco-ws') as HycoWs;

/**
 * The relay served by the whole emulator app on a real port, driven by Microsoft's own clients from npm
 * (hyco-https as HTTP listener, hyco-ws as WebSocket listener and sender) and by raw `ws` where the protocol's
 * edges (close codes, handshake errors, renewToken) must be seen directly.
 */
describe("relay (Hybrid Connections) with Microsoft's clients", () => {
  let dataDir: string;
  let app: NestFastifyApplication;
  let base: string;
  let token: string;
  let relay: IntegrationRuntimeRelay;
  let upgrades = 0;
  const servers: HycoServer[] = [];
  const sockets: WebSocket[] = [];

  const bearer = () => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' });
  const sendToken = (uri: string, seconds = 600) =>
    hycoHttps.createRelayToken(uri, relay.sasKeyName, relay.sasKey, seconds);
  const relayOf = async (name: string): Promise<IntegrationRuntimeRelay> => {
    const response = await fetch(`${base}/_emulator/integrationruntimes/${name}/relay`, { headers: bearer() });
    expect(response.status).toBe(200);
    return (await response.json()) as IntegrationRuntimeRelay;
  };
  const createRuntime = async (name: string) => {
    const response = await fetch(`${base}/scan/integrationruntimes/${name}?api-version=2023-09-01`, {
      method: 'PUT',
      headers: bearer(),
      body: JSON.stringify({ kind: 'SelfHosted' }),
    });
    expect([200, 201]).toContain(response.status);
  };
  /** A raw listener; resolves once open, or with the handshake status when refused. */
  const rawListen = (
    url: string,
    headers: Record<string, string>,
  ): Promise<{ ws?: WebSocket; status?: number; reason?: string }> =>
    new Promise((resolve) => {
      const ws = new WebSocket(url, { headers, perMessageDeflate: false });
      sockets.push(ws);
      ws.on('open', () => resolve({ ws }));
      ws.on('unexpected-response', (_req, res) => {
        resolve({ status: res.statusCode, reason: res.statusMessage });
        res.resume();
        ws.terminate();
      });
      ws.on('error', () => undefined);
    });
  const closeOf = (ws: WebSocket): Promise<{ code: number; reason: string }> =>
    new Promise((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'relay-http-'));
    app = await createEmulatorApp(
      loadConfig({
        PURVIEW_DATA_DIR: dataDir,
        PURVIEW_EMULATOR_PORT: '0',
        AZURITE_BLOB_PORT: '1',
        AZURITE_QUEUE_PORT: '1',
      }),
      { logger: false },
    );
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    app.getHttpServer().prependListener('upgrade', () => upgrades++);
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: 'purview-emulator',
      client_secret: 'purview-emulator-secret',
      scope: 'https://purview.azure.net/.default',
    });
    token = (
      (await (
        await fetch(`${base}/00000000-0000-0000-0000-000000000000/oauth2/v2.0/token`, { method: 'POST', body: form })
      ).json()) as { access_token: string }
    ).access_token;
    await createRuntime('relay-ir');
    relay = await relayOf('relay-ir');
  });

  afterEach(() => {
    for (const server of servers.splice(0)) server.close(() => undefined);
    for (const ws of sockets.splice(0)) ws.terminate();
  });

  afterAll(async () => {
    await app.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("describes an IR's hybrid connection to admins only, with URLs from the caller's host", async () => {
    expect(relay).toEqual({
      listenUrl: `${base.replace('http', 'ws')}/$hc/${relay.hybridConnectionPath}?sb-hc-action=listen`,
      sendUrl: `${base.replace('http', 'ws')}/$hc/${relay.hybridConnectionPath}?sb-hc-action=connect`,
      httpUrl: `${base}/${relay.hybridConnectionPath}`,
      hybridConnectionPath: expect.stringMatching(/^[0-9a-f-]{36}$/),
      sasKeyName: 'RootManageSharedAccessKey',
      sasKey: expect.stringMatching(/^[A-Za-z0-9+/]{43}=$/),
      enabled: true,
      listeners: 0,
    });
    expect((await fetch(`${base}/_emulator/integrationruntimes/relay-ir/relay`)).status).toBe(401);
    expect((await fetch(`${base}/_emulator/integrationruntimes/nope/relay`, { headers: bearer() })).status).toBe(404);
    // The same key on every call: it is persisted, not minted per request.
    expect((await relayOf('relay-ir')).sasKey).toBe(relay.sasKey);
  });

  it('keeps hybrid connections in a table that matches its entity (migration 1764300000003)', async () => {
    const db = app.get(DataSource);
    const meta = db.getMetadata(HybridConnectionEntity);
    const columns = (
      await db.query<{ name: string; type: string; notnull: number; pk: number }[]>(
        `PRAGMA table_info("${meta.tableName}")`,
      )
    )
      .map((c) => ({
        name: c.name,
        type: c.type.toLowerCase(),
        nullable: c.notnull === 0 && c.pk === 0,
        primary: c.pk > 0,
      }))
      .sort((a, b) => a.name.localeCompare(b.name));
    expect(columns).toEqual(
      meta.columns
        .map((c) => ({
          name: c.databaseName,
          type: db.driver.normalizeType(c).toLowerCase(),
          nullable: c.isNullable,
          primary: c.isPrimary,
        }))
        .sort((a, b) => a.name.localeCompare(b.name)),
    );
    const indexes = (
      await db.query<{ name: string; unique: number }[]>(`PRAGMA index_list("${meta.tableName}")`)
    ).filter((i) => !i.name.startsWith('sqlite_autoindex_'));
    expect(indexes.map((i) => [i.name, i.unique])).toEqual(meta.indices.map((i) => [i.name, i.isUnique ? 1 : 0]));
  });

  it('relays HTTP through a hyco-https listener: small and 100 KiB bodies both ways, headers, query, reason phrase', async () => {
    const seen: { url?: string; method?: string; headers: http.IncomingHttpHeaders }[] = [];
    const big = Buffer.alloc(100 * 1024, 'x');
    const server = hycoHttps.createRelayedServer(
      { server: relay.listenUrl, token: () => sendToken(relay.listenUrl) },
      (req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          const body = Buffer.concat(chunks);
          seen.push({ url: req.url, method: req.method, headers: req.headers });
          if (req.url?.includes('/empty')) {
            res.writeHead(204);
            res.end();
            return;
          }
          if (req.url?.includes('/big')) {
            res.setHeader('content-type', 'application/octet-stream');
            res.end(big);
            return;
          }
          res.setHeader('content-type', 'application/json');
          res.writeHead(201, 'Custom Reason');
          res.end(JSON.stringify({ length: body.length, sha: createHash('sha256').update(body).digest('hex') }));
        });
      },
    );
    server.on('error', () => undefined);
    servers.push(server);
    const listening = new Promise<void>((resolve) => server.once('listening', () => resolve()));
    server.listen!();
    await listening;

    const sender = { ServiceBusAuthorization: sendToken(relay.httpUrl), 'X-Custom': 'hello' };
    const small = await fetch(`${relay.httpUrl}/echo?x=1&sb-hc-id=abc`, {
      method: 'POST',
      headers: { ...sender, 'content-type': 'text/plain' },
      body: 'ping',
    });
    expect(small.status).toBe(201);
    expect(small.statusText).toBe('Custom Reason');
    expect(small.headers.get('via')).toBe(`1.1 ${new URL(base).host}`);
    expect(await small.json()).toEqual({ length: 4, sha: createHash('sha256').update('ping').digest('hex') });
    expect(seen[0]).toEqual(
      expect.objectContaining({ url: `/${relay.hybridConnectionPath}/echo?x=1`, method: 'POST' }),
    );
    expect(seen[0].headers['x-custom']).toBe('hello');
    expect(seen[0].headers.servicebusauthorization).toBeUndefined();

    // 204 and HEAD: hyco-https sends body:false and then a stray empty binary frame, which must not derail the channel.
    expect((await fetch(`${relay.httpUrl}/empty`, { headers: sender })).status).toBe(204);
    expect((await fetch(`${relay.httpUrl}/echo`, { method: 'HEAD', headers: sender })).status).toBe(201);
    expect((await fetch(`${relay.httpUrl}/echo`, { method: 'POST', headers: sender, body: 'again' })).status).toBe(201);

    // 100 KiB request: delivered over a rendezvous WebSocket; the answer comes back on it.
    const upload = Buffer.alloc(100 * 1024, 7);
    const large = await fetch(`${relay.httpUrl}/upload`, { method: 'POST', headers: sender, body: upload });
    expect(large.status).toBe(201);
    expect(await large.json()).toEqual({
      length: upload.length,
      sha: createHash('sha256').update(upload).digest('hex'),
    });

    // 100 KiB response: the listener opens the rendezvous itself.
    const download = await fetch(`${relay.httpUrl}/big`, { headers: sender });
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer()).equals(big)).toBe(true);

    // The emulator's own sender (for interactive authoring) goes through the same protocol.
    const hub = app.get(RelayHub);
    const viaHub = await hub.request(
      'relay-ir',
      { method: 'POST', path: '/hub?y=2', headers: { 'content-type': 'text/plain' }, body: upload },
      { timeoutMs: 10_000 },
    );
    expect(viaHub.status).toBe(201);
    expect(JSON.parse(viaHub.body.toString())).toEqual({
      length: upload.length,
      sha: createHash('sha256').update(upload).digest('hex'),
    });
    expect(seen.at(-1)?.url).toBe(`/${relay.hybridConnectionPath}/hub?y=2`);
  });

  it('refuses senders and listeners with bad tokens: 401 forged or expired, 403 wrong right or entity, 404 no such path', async () => {
    const forged = createSasToken(relay.httpUrl, relay.sasKeyName, 'not-the-key', Math.floor(Date.now() / 1000) + 600);
    const refused = await fetch(`${relay.httpUrl}/x`, { headers: { ServiceBusAuthorization: forged } });
    expect(refused.status).toBe(401);
    expect(await refused.text()).toMatch(/^<Error><Code>401<\/Code><Detail>.*signature does not match.*TrackingId:/);
    expect((await fetch(`${relay.httpUrl}/x`)).status).toBe(401);
    const expired = createSasToken(relay.httpUrl, relay.sasKeyName, relay.sasKey, Math.floor(Date.now() / 1000) - 1);
    expect((await fetch(`${relay.httpUrl}/x?sb-hc-token=${encodeURIComponent(expired)}`)).status).toBe(401);

    const other = (await createRuntime('relay-other'), await relayOf('relay-other'));
    const wrongEntity = createSasToken(
      `http://127.0.0.1/${other.hybridConnectionPath}`,
      relay.sasKeyName,
      relay.sasKey,
      Math.floor(Date.now() / 1000) + 600,
    );
    expect((await rawListen(relay.listenUrl, { ServiceBusAuthorization: wrongEntity })).status).toBe(403);
    expect((await rawListen(relay.listenUrl, { ServiceBusAuthorization: forged })).status).toBe(401);
    const unknown = await rawListen(relay.listenUrl.replace(relay.hybridConnectionPath, 'no-such-hc'), {
      ServiceBusAuthorization: sendToken(relay.listenUrl),
    });
    expect(unknown.status).toBe(404);
    expect(unknown.reason).toMatch(/TrackingId:/);

    // A node's token is of a listen-only rule: it cannot send.
    const keys = (await (
      await fetch(`${base}/scan/integrationruntimes/relay-ir:listAuthKeys?api-version=2023-09-01`, {
        method: 'POST',
        headers: bearer(),
      })
    ).json()) as { authKey1: string };
    const registered = (await (
      await fetch(`${base}/_emulator/runtime/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          authKey: keys.authKey1,
          nodeName: 'relay-node',
          machineName: 'm',
          version: '5.40.9000.1',
          cores: 2,
          memoryMb: 4096,
        }),
      })
    ).json()) as { nodeCredential: string };
    const connection = (await (
      await fetch(`${base}/_emulator/runtime/relay`, {
        headers: { authorization: `Node ${registered.nodeCredential}` },
      })
    ).json()) as RelayListenerConnection;
    expect(connection.listenUrl).toBe(`${relay.listenUrl}&sb-hc-id=relay-node`);
    expect(connection.token).not.toContain(relay.sasKey);
    expect((await fetch(`${relay.httpUrl}/x`, { headers: { ServiceBusAuthorization: connection.token } })).status).toBe(
      403,
    );
    const node = await rawListen(connection.listenUrl, { ServiceBusAuthorization: connection.token });
    expect(node.ws).toBeDefined();
    await pollUntil(
      async () => ((await app.get(RelayHub).listeningNodes('relay-ir')).includes('relay-node') ? true : undefined),
      { description: 'the node listening', timeoutMs: 5000 },
    );
    node.ws!.close();
    expect((await fetch(`${base}/_emulator/runtime/relay`)).status).toBe(401);
  });

  it('answers a hyco-ws listener with a rejected token cheaply and logs the storm once', async () => {
    const hub = app.get(RelayHub);
    const warn = jest.spyOn((hub as unknown as { logger: { warn(m: string): void } }).logger, 'warn');
    await createRuntime('relay-storm');
    const storm = await relayOf('relay-storm');
    const before = upgrades;
    const bad = hycoWs.createRelayedServer({
      server: storm.listenUrl,
      token: createSasToken(storm.httpUrl, storm.sasKeyName, 'wrong', Math.floor(Date.now() / 1000) + 600),
    });
    let errors = 0;
    bad.on('error', () => errors++);
    servers.push(bad);
    // hyco-ws reconnects with no delay at all (relay.md: 3,615 attempts in 4 s).
    await pollUntil(() => (upgrades - before >= 300 ? true : undefined), {
      description: '300 reconnect attempts',
      timeoutMs: 20_000,
    });
    // Meanwhile a good sender is served at once (502: nobody listens).
    const started = Date.now();
    expect(
      (await fetch(`${relay.httpUrl}/x`, { headers: { ServiceBusAuthorization: sendToken(relay.httpUrl) } })).status,
    ).toBe(502);
    expect(Date.now() - started).toBeLessThan(1000);
    bad.close();
    expect(errors).toBeGreaterThan(100);
    const refusals = warn.mock.calls.filter(([m]) => /refused listener/.test(String(m)));
    expect(refusals.length).toBeLessThanOrEqual(2);
    expect(String(refusals[0][0])).toMatch(/401 The token's signature does not match/);
    warn.mockRestore();
  });

  it('connects a hyco-ws sender to a hyco-ws listener: text, binary, subprotocol, suffix and query, close codes', async () => {
    const accepted: { url?: string; protocol?: string }[] = [];
    const listener = hycoWs.createRelayedServer(
      { server: relay.listenUrl, token: () => sendToken(relay.listenUrl) },
      (ws) => {
        accepted.push({ url: ws.url, protocol: ws.protocol });
        ws.on('message', (data: string | Buffer, flags: { binary?: boolean }) =>
          ws.send(data, { binary: !!flags?.binary }),
        );
        ws.on('close', () => undefined);
      },
    );
    listener.on('error', () => undefined);
    servers.push(listener);
    await new Promise<void>((resolve) => listener.once('listening', () => resolve()));

    const sender = hycoWs.relayedConnect(relay.sendUrl, sendToken(relay.sendUrl));
    sender.on('error', () => undefined);
    const replies: unknown[] = [];
    sender.on('message', (data: unknown) => replies.push(data));
    await new Promise<void>((resolve) => sender.on('open', () => resolve()));
    sender.send('hello');
    sender.send(Buffer.from([1, 2, 3]), { binary: true });
    await pollUntil(() => (replies.length === 2 ? true : undefined), { description: 'two echoes', timeoutMs: 5000 });
    expect(replies[0]).toBe('hello');
    expect(Buffer.from(replies[1] as Buffer)).toEqual(Buffer.from([1, 2, 3]));
    sender.close();

    // A generic ws@8 sender: subprotocols, a suffix and application query reach the listener; 4000 goes across.
    const url = `${relay.sendUrl.replace('?', '/sub/path?foo=bar&')}&sb-hc-id=my-trace`;
    const generic = new WebSocket(url, ['chat.v1', 'chat.v2'], {
      headers: { ServiceBusAuthorization: sendToken(relay.sendUrl) },
    });
    sockets.push(generic);
    await new Promise<void>((resolve, reject) => {
      generic.once('open', () => resolve());
      generic.once('error', reject);
    });
    expect(generic.protocol).toBe('chat.v1');
    const echoed = new Promise<string>((resolve) => generic.once('message', (d) => resolve(d.toString())));
    generic.send('over ws8');
    expect(await echoed).toBe('over ws8');
    expect(accepted.at(-1)?.url).toContain(
      `/$hc/${relay.hybridConnectionPath}/sub/path?foo=bar&sb-hc-action=accept&sb-hc-id=my-trace`,
    );
    const closed = closeOf(generic);
    generic.close(4000, 'bye');
    expect((await closed).code).toBe(4000);
  });

  it('refuses a WebSocket sender when nobody listens (404)', async () => {
    const result = await rawListen(relay.sendUrl, { ServiceBusAuthorization: sendToken(relay.sendUrl) });
    expect(result.status).toBe(404);
    await expect(app.get(RelayHub).request('relay-ir', { method: 'GET', path: '/' })).rejects.toThrow(
      /No node of integration runtime 'relay-ir' is connected to the relay/,
    );
    await expect(app.get(RelayHub).request('relay-ir', { method: 'GET', path: '/' })).rejects.toBeInstanceOf(
      RelayError,
    );
  });

  it('closes the control channel with 1008 when the token expires, keeps it on a valid renewToken, closes it on a bad one', async () => {
    const short = await rawListen(relay.listenUrl, { ServiceBusAuthorization: sendToken(relay.listenUrl, 1) });
    expect(short.ws).toBeDefined();
    expect(await closeOf(short.ws!)).toEqual({ code: 1008, reason: 'Token expired' });

    const firstToken = sendToken(relay.listenUrl, 1);
    const firstExpiry = Number(/se=(\d+)/.exec(firstToken)![1]);
    const renewed = await rawListen(relay.listenUrl, { ServiceBusAuthorization: firstToken });
    renewed.ws!.send(JSON.stringify({ renewToken: { token: sendToken(relay.listenUrl, 600) } }));
    // After the first token's expiry the channel still serves requests.
    renewed.ws!.on('message', (data, isBinary) => {
      if (isBinary) return;
      const message = JSON.parse(data.toString()) as { request?: { id: string } };
      if (message.request)
        renewed.ws!.send(
          JSON.stringify({ response: { requestId: message.request.id, statusCode: '204', body: false } }),
        );
    });
    await pollUntil(
      async () => {
        const response = await app
          .get(RelayHub)
          .request('relay-ir', { method: 'GET', path: '/renewed' }, { timeoutMs: 2000 });
        return response.status === 204 && Date.now() / 1000 > firstExpiry + 0.5 ? true : undefined;
      },
      { description: 'an answer after the first token expired', timeoutMs: 5000 },
    );
    const badRenewal = closeOf(renewed.ws!);
    renewed.ws!.send(JSON.stringify({ renewToken: { token: 'SharedAccessSignature sr=x&sig=y&se=1&skn=z' } }));
    expect((await badRenewal).code).toBe(1008);
  });

  it("ignores a listener's text frames that are JSON but no object (null, 5) and keeps serving it", async () => {
    const listener = await rawListen(`${relay.listenUrl}&sb-hc-id=odd-frames`, {
      ServiceBusAuthorization: sendToken(relay.listenUrl),
    });
    listener.ws!.on('message', (data, isBinary) => {
      if (isBinary) return;
      const message = JSON.parse(data.toString()) as { request?: { id: string } };
      if (message.request)
        listener.ws!.send(
          JSON.stringify({ response: { requestId: message.request.id, statusCode: 204, body: false } }),
        );
    });
    listener.ws!.send('null');
    listener.ws!.send('5');
    const response = await app
      .get(RelayHub)
      .request('relay-ir', { method: 'GET', path: '/after-odd-frames' }, { timeoutMs: 2000, nodeName: 'odd-frames' });
    expect(response.status).toBe(204);
  });

  it('closes listeners with 1001 when the hybrid connection is disabled or its IR deleted, and refuses them (404) meanwhile', async () => {
    await createRuntime('relay-gone');
    const gone = await relayOf('relay-gone');
    const token = () => hycoHttps.createRelayToken(gone.listenUrl, gone.sasKeyName, gone.sasKey);
    const first = await rawListen(gone.listenUrl, { ServiceBusAuthorization: token() });
    const disabled = closeOf(first.ws!);
    const put = await fetch(`${base}/_emulator/integrationruntimes/relay-gone/relay`, {
      method: 'PUT',
      headers: bearer(),
      body: JSON.stringify({ enabled: false }),
    });
    expect(((await put.json()) as IntegrationRuntimeRelay).enabled).toBe(false);
    expect((await disabled).code).toBe(1001);
    expect((await rawListen(gone.listenUrl, { ServiceBusAuthorization: token() })).status).toBe(404);
    await fetch(`${base}/_emulator/integrationruntimes/relay-gone/relay`, {
      method: 'PUT',
      headers: bearer(),
      body: JSON.stringify({ enabled: true }),
    });

    const second = await rawListen(gone.listenUrl, { ServiceBusAuthorization: token() });
    expect(second.ws).toBeDefined();
    const deleted = closeOf(second.ws!);
    expect(
      (
        await fetch(`${base}/scan/integrationruntimes/relay-gone?api-version=2023-09-01`, {
          method: 'DELETE',
          headers: bearer(),
        })
      ).status,
    ).toBeLessThan(300);
    expect((await deleted).code).toBe(1001);
    expect((await rawListen(gone.listenUrl, { ServiceBusAuthorization: token() })).status).toBe(404);
  });

  it("forgets an IR's hybrid connection as the DELETE of the IR answers, not at some later sweep", async () => {
    await createRuntime('relay-deleted');
    const doomed = await relayOf('relay-deleted');
    const token = () => hycoHttps.createRelayToken(doomed.listenUrl, doomed.sasKeyName, doomed.sasKey);
    const listening = await rawListen(doomed.listenUrl, { ServiceBusAuthorization: token() });
    expect(listening.ws).toBeDefined();
    const closed = closeOf(listening.ws!);
    expect(
      (
        await fetch(`${base}/scan/integrationruntimes/relay-deleted?api-version=2023-09-01`, {
          method: 'DELETE',
          headers: bearer(),
        })
      ).status,
    ).toBeLessThan(300);
    // Straight after the answer: a listener is refused at once and the connected one is being closed (1001).
    expect((await rawListen(doomed.listenUrl, { ServiceBusAuthorization: token() })).status).toBe(404);
    expect(await closed).toEqual({ code: 1001, reason: 'The hybrid connection was deleted' });
  });
});

import { ContainerClient } from '@azure/storage-blob';
import { QueueClient } from '@azure/storage-queue';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import WebSocket, { WebSocketServer } from 'ws';
import { RuntimeClient } from '../client/runtime-client';
import { UnreachableError } from '../client/errors';
import { azureIngestionSinkWith } from '../host-service/ingestion-sink';
import { FakeEmulator } from '../testing/fake-emulator';
import { ProxyRoutingDispatcher } from './dispatcher';
import { explainNetworkError } from './errors';
import { NetworkContext } from './network-context';
import { probeUrl } from './probes';
import { proxyPlan } from './proxy-settings';
import { explainUpgradeRefusal } from './ws-agents';
import { SquidProxy, squidSkipReason } from './testing/squid';

/**
 * The runtime's connections through a real, stock Squid (Debian's squid 5.7, its default access rules: CONNECT only
 * to port 443). Plain http:// goes as absolute-form requests, https:// with CONNECT; refusals say what they mean.
 */
const skip = squidSkipReason();
if (skip) process.stderr.write(`\n[squid.spec] ${skip}\n\n`);
const describeSquid = skip ? describe.skip : describe;
jest.setTimeout(30_000);

const listen = async <T extends http.Server>(server: T): Promise<T> => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
};
const portOf = (server: http.Server | WebSocketServer) => (server.address() as AddressInfo).port;
const failure = (work: Promise<unknown>) =>
  work.then(
    () => undefined,
    (error: unknown) => error,
  );

describeSquid('through a stock Squid', () => {
  let squid: SquidProxy;
  let target: http.Server;
  let targetUrl = '';
  const plan = () => proxyPlan({ mode: 'custom', address: '127.0.0.1', port: squid.port, bypass: [] }, {});

  beforeAll(async () => {
    squid = await SquidProxy.start();
    target = await listen(http.createServer((req, res) => res.end(`hello ${req.url}`)));
    targetUrl = `http://127.0.0.1:${portOf(target)}`;
  });
  afterAll(async () => {
    await squid?.stop();
    await new Promise((resolve) => target?.close(resolve));
  });

  it('sends http:// requests in absolute form (no CONNECT, which stock Squid denies to port ≠ 443)', async () => {
    const dispatcher = new ProxyRoutingDispatcher(plan());
    try {
      const response = await fetch(`${targetUrl}/via-squid?x=1`, { dispatcher });
      expect([response.status, await response.text()]).toEqual([200, 'hello /via-squid?x=1']);
      expect(await squid.logged('GET', `${targetUrl}/via-squid`, /TCP_MISS\/200/)).toHaveLength(1);
      expect(squid.seen('CONNECT', new URL(targetUrl).host)).toEqual([]);
    } finally {
      await dispatcher.close();
    }
  });

  it('says what a refusal means instead of "Request was cancelled": CONNECT to a port other than 443, a denied port', async () => {
    const dispatcher = new ProxyRoutingDispatcher(plan());
    try {
      const tunnel = await failure(fetch('https://127.0.0.1:8443/x', { dispatcher }));
      const explained = explainNetworkError(tunnel);
      expect(explained).toBe(
        `The proxy ${squid.url} refused the request (HTTP 403 Forbidden): its access rules deny this destination or method; 127.0.0.1:8443 is reached with CONNECT (https:// and wss://), which a stock Squid allows only to port 443: serve it on port 443, have the proxy allow CONNECT to port 8443 (Squid: 'acl SSL_ports port 8443'), or add 127.0.0.1:8443 to the bypass list ('shir proxy set … --bypass 127.0.0.1:8443').`,
      );
      expect(await squid.logged('CONNECT', '127.0.0.1:8443', /TCP_DENIED\/403/)).toHaveLength(1);

      // Port 278 is not one of Squid's "safe" ports: the forwarded request is refused by the proxy, not the target.
      const forwarded = await failure(fetch('http://127.0.0.1:278/x', { dispatcher }));
      expect(explainNetworkError(forwarded)).toMatch(
        /^The proxy .* refused the request \(HTTP 403 Forbidden, ERR_ACCESS_DENIED 0\): its access rules deny this destination or method; have the proxy allow requests to 127.0.0.1:278/,
      );
    } finally {
      await dispatcher.close();
    }
  });

  it('gives storage SDK clients the proxy: uploads and messages are forwarded by Squid', async () => {
    const fake = await FakeEmulator.start();
    const network = new NetworkContext(undefined, {}, plan());
    try {
      const container = new ContainerClient(fake.containerSasUrl, undefined, {
        ...network.storagePipelineOptions(fake.containerSasUrl),
        retryOptions: { maxTries: 1 },
      });
      await container.getBlockBlobClient('batch-1.json').upload('{}', 2);
      const queue = new QueueClient(fake.queueSasUrl, undefined, {
        ...network.storagePipelineOptions(fake.queueSasUrl),
        retryOptions: { maxTries: 1 },
      });
      await queue.sendMessage('hello');
      expect(fake.blobs.get('batch-1.json')).toBe('{}');
      expect(await squid.logged('PUT', `127.0.0.1:${fake.port}`, /\/201/)).toHaveLength(1);
      expect(await squid.logged('POST', `127.0.0.1:${fake.port}`, /\/201/)).toHaveLength(1);
    } finally {
      await network.close();
      await fake.close();
    }
  });

  it('names the proxy refusal to the emulator client and to ingestion storage, not a service error', async () => {
    const network = new NetworkContext(undefined, {}, plan());
    try {
      // Port 278 is not one of Squid's safe ports: Squid answers 403 itself, for the client's call and for storage.
      const client = new RuntimeClient({
        baseUrl: 'http://127.0.0.1:278',
        dispatcher: network.dispatcher,
        timeoutMs: 5000,
      });
      const refused = await failure(client.register({ nodeName: 'n', authKey: 'IR@x@y@key' } as never));
      expect(refused).toBeInstanceOf(UnreachableError);
      expect((refused as Error).message).toMatch(
        /^The integration service at http:\/\/127\.0\.0\.1:278 is unreachable \(The proxy .* refused the request \(HTTP 403 Forbidden, ERR_ACCESS_DENIED 0\): its access rules deny this destination or method/,
      );

      const sink = azureIngestionSinkWith((url) => network.storagePipelineOptions(url))({
        containerSasUrl: 'http://127.0.0.1:278/devstoreaccount1/ingestion?sv=x&sig=secret',
        queueSasUrl: 'http://127.0.0.1:278/devstoreaccount1/q?sv=x&sig=secret',
        blobPrefix: 'runs/',
      });
      const upload = await failure(sink.uploadBatch('batch-1.json', '{}', new AbortController().signal));
      expect((upload as Error).message).toMatch(
        /^Cannot upload batch blob 'batch-1.json' to .*: The proxy in use refused the request \(HTTP 403 Forbidden, ERR_ACCESS_DENIED 0\): its access rules deny this destination or method; have the proxy allow requests to 127.0.0.1:278/,
      );
    } finally {
      await network.close();
    }
  });

  it('probes an http:// URL through Squid, and names the proxy refusal of an https:// one on port ≠ 443', async () => {
    const ok = await probeUrl(`${targetUrl}/health`, { plan: plan() });
    expect(ok.steps.map((s) => [s.step, s.ok])).toEqual([
      ['dns', true],
      ['tcp', true],
      ['proxy', true],
      ['tls', null],
      ['http', true],
    ]);
    expect(ok.steps.find((s) => s.step === 'proxy')!.detail).toMatch(
      /^forwarded to 127\.0\.0\.1:\d+ \(absolute-form request, no tunnel\)/,
    );

    const denied = await probeUrl('https://127.0.0.1:8443/', { plan: plan() });
    expect(denied).toEqual(
      expect.objectContaining({
        ok: false,
        failedStep: 'proxy',
        reason: expect.stringMatching(
          /^The proxy .* refused the request \(HTTP 403 Forbidden\): its access rules deny this destination or method; 127.0.0.1:8443 is reached with CONNECT/,
        ),
      }),
    );
  });

  describe('WebSocket (the relay)', () => {
    let wss: WebSocketServer;
    let server: http.Server;
    let wsUrl = '';
    let upgradedVia: string | undefined;
    beforeAll(async () => {
      wss = new WebSocketServer({ noServer: true });
      wss.on('connection', (socket) => socket.on('message', (data) => socket.send(`echo ${String(data)}`)));
      server = await listen(http.createServer((_req, res) => res.writeHead(404).end('no such page')));
      server.on('upgrade', (req, socket, head) => {
        upgradedVia = req.headers.via;
        wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
      });
      wsUrl = `ws://127.0.0.1:${portOf(server)}/relay`;
    });
    afterAll(async () => {
      wss.close();
      await new Promise((resolve) => server.close(resolve));
    });

    const open = async (proxy: SquidProxy) => {
      const network = new NetworkContext(
        undefined,
        {},
        proxyPlan({ mode: 'custom', address: '127.0.0.1', port: proxy.port, bypass: [] }, {}),
      );
      const agent = network.wsAgent(wsUrl);
      const ws = new WebSocket(wsUrl, { agent });
      const outcome = await new Promise<string>((resolve) => {
        ws.once('open', () => resolve('open'));
        ws.once('unexpected-response', (_req, res) => {
          resolve(explainUpgradeRefusal(agent, res, wsUrl) ?? `HTTP ${res.statusCode}`);
          res.resume();
          ws.terminate();
        });
        ws.once('error', (error) => resolve(explainNetworkError(error)));
      });
      return { ws, outcome, network };
    };

    it('sends ws:// as an absolute-form upgrade: stock Squid drops the Upgrade header, and the error says so', async () => {
      const { outcome, network } = await open(squid);
      await network.close();
      expect(outcome).toMatch(
        new RegExp(
          `^The WebSocket upgrade to ${wsUrl.replace(/[/.]/g, '\\$&')} came back as HTTP 404 Not Found through the proxy ${squid.url.replace(/[/.]/g, '\\$&')}: the proxy passed the request on without its Upgrade header\\. Stock Squid 5 does that unless 'http_upgrade_request_protocols websocket allow all' is set`,
        ),
      );
      expect(squid.seen('CONNECT', new URL(wsUrl).host)).toEqual([]);
    });

    it('works through a Squid that allows WebSocket upgrades', async () => {
      const upgrading = await SquidProxy.start({ extraConfig: 'http_upgrade_request_protocols websocket allow all' });
      try {
        const { ws, outcome, network } = await open(upgrading);
        expect(outcome).toBe('open');
        const echoed = new Promise<string>((resolve) => ws.once('message', (d) => resolve(String(d))));
        ws.send('ping');
        expect(await echoed).toBe('echo ping');
        ws.close();
        await network.close();
        expect(upgradedVia).toMatch(/squid/);
      } finally {
        await upgrading.stop();
      }
    });
  });

  it('tunnels wss:// with CONNECT, and a refusal of a port other than 443 is explained', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shir-squid-tls-'));
    try {
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'rsa:2048',
          '-nodes',
          '-days',
          '1',
          '-subj',
          '/CN=localhost',
          '-keyout',
          path.join(dir, 'key.pem'),
          '-out',
          path.join(dir, 'cert.pem'),
        ],
        { stdio: 'ignore' },
      );
      const server = await listen(
        https.createServer({
          key: fs.readFileSync(path.join(dir, 'key.pem')),
          cert: fs.readFileSync(path.join(dir, 'cert.pem')),
        }),
      );
      const port = portOf(server);
      const url = `wss://127.0.0.1:${port}/relay`;
      const network = new NetworkContext(undefined, {}, plan());
      const error = await new Promise<unknown>((resolve) =>
        new WebSocket(url, { agent: network.wsAgent(url), rejectUnauthorized: false }).once('error', resolve),
      ).catch((e: unknown) => e);
      await network.close();
      await new Promise((resolve) => server.close(resolve));
      expect(explainNetworkError(error)).toMatch(
        /refused the request \(HTTP 403 Forbidden\): .* is reached with CONNECT \(https:\/\/ and wss:\/\/\), which a stock Squid allows only to port 443/,
      );
      expect(await squid.logged('CONNECT', `127.0.0.1:${port}`, /TCP_DENIED\/403/)).toHaveLength(1);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

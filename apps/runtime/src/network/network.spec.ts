import { ContainerClient } from '@azure/storage-blob';
import { QueueClient } from '@azure/storage-queue';
import * as fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import WebSocket, { WebSocketServer } from 'ws';
import { FakeEmulator } from '../testing/fake-emulator';
import { isBypassed, invalidBypassEntry, parseBypassList } from './bypass';
import { ProxyRoutingDispatcher } from './dispatcher';
import { explainNetworkError } from './errors';
import { NetworkContext } from './network-context';
import { probeUrl } from './probes';
import {
  clearProxySettings,
  describeProxySettings,
  proxyPlan,
  type ProxySettings,
  proxySettingsFile,
  readProxySettings,
  saveProxySettings,
} from './proxy-settings';
import { ForwardProxy } from './testing/forward-proxy';

const PASSWORD = 'Pr0xy-Secret-Passw0rd!';
const custom = (port: number, extra: Partial<ProxySettings> = {}): ProxySettings => ({
  mode: 'custom',
  address: '127.0.0.1',
  port,
  bypass: [],
  ...extra,
});

let home: string;
beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'shir-net-'));
});
afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

describe('bypass list', () => {
  const bypassed = (url: string, list: string) => isBypassed(new URL(url), parseBypassList(list));

  it('matches hosts, .domains, *.domains, ports, IPv4 ranges, * and <local>', () => {
    expect(bypassed('https://acct.blob.core.windows.net/', '*.core.windows.net')).toBe(true);
    expect(bypassed('https://core.windows.net/', '.core.windows.net')).toBe(true);
    expect(bypassed('https://evilcore.windows.net/', '.core.windows.net')).toBe(false);
    expect(bypassed('http://127.0.0.1:10000/x', '127.0.0.1:10000')).toBe(true);
    expect(bypassed('http://127.0.0.1:10001/x', '127.0.0.1:10000')).toBe(false);
    expect(bypassed('http://10.1.2.3/', '10.0.0.0/8')).toBe(true);
    expect(bypassed('http://11.1.2.3/', '10.0.0.0/8')).toBe(false);
    expect(bypassed('http://anything.example/', '*')).toBe(true);
    expect(bypassed('http://localhost:5380/', '<local>')).toBe(true);
    expect(bypassed('http://buildbox/', '<local>')).toBe(true);
    expect(bypassed('http://example.com/', '<local>')).toBe(false);
    expect(bypassed('http://Example.COM/', 'a.org; example.com')).toBe(true);
  });

  it('says which entry is wrong', () => {
    expect(invalidBypassEntry('host_name.example')).toBeUndefined();
    expect(invalidBypassEntry('10.0.0.0/40')).toMatch(/not a valid IPv4 range/);
    expect(invalidBypassEntry('exa$mple')).toMatch(/is not a host name/);
    expect(invalidBypassEntry('x:99999')).toMatch(/invalid port/);
  });
});

describe('proxy settings', () => {
  it('default to the system proxy and read HTTPS_PROXY / HTTP_PROXY / NO_PROXY plus the bypass list', () => {
    expect(readProxySettings(home, {})).toEqual({ mode: 'system', bypass: [] });
    const env = {
      HTTPS_PROXY: 'http://user:pa%3Ass@proxy.corp:3128',
      http_proxy: 'http://proxy.corp:8080',
      NO_PROXY: '.internal,localhost',
    };
    const plan = proxyPlan({ mode: 'system', bypass: ['*.blob.core.windows.net'] }, env);
    expect(plan.routeFor('https://x.purview.azure.com/').proxy).toEqual({
      url: 'http://proxy.corp:3128',
      host: 'proxy.corp',
      port: 3128,
      username: 'user',
      password: 'pa:ss',
    });
    expect(plan.routeFor('http://x.purview.azure.com/').proxy?.url).toBe('http://proxy.corp:8080');
    expect(plan.routeFor('https://db.internal/').proxy).toBeUndefined();
    expect(plan.routeFor('https://acct.blob.core.windows.net/').description).toBe('direct (NO_PROXY / bypass list)');
    expect(plan.secrets).toEqual(['pa:ss']);
    expect(proxyPlan({ mode: 'system', bypass: [] }, {}).routeFor('https://a/').description).toMatch(
      /HTTPS_PROXY not set/,
    );
    expect(proxyPlan({ mode: 'none', bypass: [] }, env).routeFor('https://a/').proxy).toBeUndefined();
  });

  it('stores a custom proxy with the password sealed, never in clear, and shows only that one is set', () => {
    saveProxySettings(
      home,
      custom(3128, { username: 'shir', password: PASSWORD, bypass: ['*.internal', '<local>'] }),
      {},
    );
    const text = fs.readFileSync(proxySettingsFile(home), 'utf8');
    expect(text).not.toContain(PASSWORD);
    expect(fs.statSync(proxySettingsFile(home)).mode & 0o777).toBe(0o600);
    const stored = JSON.parse(text);
    expect(Object.keys(stored.password).sort()).toEqual(['algorithm', 'ciphertext', 'iv', 'keySource', 'tag']);
    const settings = readProxySettings(home, {});
    expect(settings).toEqual(
      expect.objectContaining({
        mode: 'custom',
        address: '127.0.0.1',
        port: 3128,
        username: 'shir',
        password: PASSWORD,
        bypass: ['*.internal', '<local>'],
      }),
    );
    const shown = describeProxySettings(settings);
    expect(JSON.stringify(shown)).not.toContain(PASSWORD);
    expect(shown).toEqual(expect.objectContaining({ passwordSet: true, user: 'shir' }));
    clearProxySettings(home);
    expect(readProxySettings(home, {}).mode).toBe('system');
  });

  it('rejects incomplete or contradictory settings with what to fix', () => {
    expect(() => saveProxySettings(home, { mode: 'custom', bypass: [] }, {})).toThrow(/needs its address: --address/);
    expect(() => saveProxySettings(home, { mode: 'custom', address: 'proxy', bypass: [] }, {})).toThrow(
      /needs its port: --port/,
    );
    expect(() => saveProxySettings(home, custom(70000), {})).toThrow(/from 1 to 65535/);
    expect(() => saveProxySettings(home, custom(8080, { password: 'x' }), {})).toThrow(/needs a user name: add --user/);
    expect(() => saveProxySettings(home, { mode: 'none', address: 'p', bypass: [] }, {})).toThrow(
      /belong to --mode custom/,
    );
    expect(() => saveProxySettings(home, custom(1, { address: 'https://p:1' }), {})).toThrow(
      /must be an http:\/\/ proxy/,
    );
    expect(() => saveProxySettings(home, custom(1, { bypass: ['10.0.0.0/99'] }), {})).toThrow(/Invalid bypass entry/);
    expect(saveProxySettings(home, { mode: 'custom', address: 'http://proxy.corp:8080', bypass: [] }, {})).toEqual(
      expect.objectContaining({ address: 'proxy.corp', port: 8080 }),
    );
  });
});

describe('through a real forwarding proxy on loopback', () => {
  let proxy: ForwardProxy;
  let target: http.Server;
  let targetUrl = '';

  beforeAll(async () => {
    proxy = await ForwardProxy.start({ username: 'shir', password: PASSWORD });
    target = http.createServer((req, res) => res.end(`hello ${req.url}`));
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await proxy.close();
    await new Promise((resolve) => target.close(resolve));
  });

  it('sends fetch through the proxy with Proxy-Authorization, and direct when bypassed', async () => {
    const before = proxy.seen().length;
    const dispatcher = new ProxyRoutingDispatcher(
      proxyPlan(custom(proxy.port, { username: 'shir', password: PASSWORD }), {}),
    );
    const response = await fetch(`${targetUrl}/via-proxy`, { dispatcher });
    expect(await response.text()).toBe('hello /via-proxy');
    expect(proxy.seen().length).toBeGreaterThan(before);
    // Plain http:// is forwarded in absolute form (no CONNECT: stock Squid denies it to ports other than 443).
    expect(proxy.seen().at(-1)).toEqual({
      method: 'GET',
      target: new URL(targetUrl).host,
      path: '/via-proxy',
      authorized: true,
    });
    await dispatcher.close();

    const count = proxy.requests.length;
    const bypassing = new ProxyRoutingDispatcher(
      proxyPlan(custom(proxy.port, { username: 'shir', password: PASSWORD, bypass: ['127.0.0.1'] }), {}),
    );
    expect(await (await fetch(`${targetUrl}/direct`, { dispatcher: bypassing })).text()).toBe('hello /direct');
    expect(proxy.requests.length).toBe(count);
    await bypassing.close();
  });

  it('turns a wrong proxy password into a clear 407 message, without the password', async () => {
    const dispatcher = new ProxyRoutingDispatcher(
      proxyPlan(custom(proxy.port, { username: 'shir', password: 'wrong-password' }), {}),
    );
    const error = await fetch(`${targetUrl}/x`, { dispatcher }).then(
      () => undefined,
      (e: unknown) => e,
    );
    await dispatcher.close();
    const message = explainNetworkError(error, proxy.url);
    expect(message).toMatch(
      /requires authentication \(HTTP 407 Proxy Authentication Required\).*user name or password is missing or wrong/,
    );
    expect(message).not.toContain('wrong-password');
    expect(proxy.requests.some((r) => !r.authorized)).toBe(true);
  });

  it('gives the storage SDK clients proxy options: uploads and messages go through the proxy (HTTP forward)', async () => {
    const fake = await FakeEmulator.start();
    try {
      const network = new NetworkContext(
        undefined,
        {},
        proxyPlan(custom(proxy.port, { username: 'shir', password: PASSWORD }), {}),
      );
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
      const forwarded = proxy.seen(`127.0.0.1:${fake.port}`).filter((r) => r.method !== 'CONNECT');
      expect(forwarded.map((r) => r.method).sort()).toEqual(['POST', 'PUT']);
      await network.close();
      const bypassing = new NetworkContext(undefined, {}, proxyPlan(custom(proxy.port, { bypass: ['<local>'] }), {}));
      expect(bypassing.storagePipelineOptions(fake.containerSasUrl)).toEqual({});
      await bypassing.close();
    } finally {
      await fake.close();
    }
  });

  it('sends ws:// (relay) connections through the proxy as an absolute-form upgrade', async () => {
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise((resolve) => wss.once('listening', resolve));
    wss.on('connection', (socket) => socket.on('message', (data) => socket.send(`echo ${String(data)}`)));
    const url = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/relay`;
    const network = new NetworkContext(
      undefined,
      {},
      proxyPlan(custom(proxy.port, { username: 'shir', password: PASSWORD }), {}),
    );
    try {
      const ws = new WebSocket(url, { agent: network.wsAgent(url) });
      await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
      const echoed = new Promise<string>((resolve) => ws.once('message', (d) => resolve(String(d))));
      ws.send('ping');
      expect(await echoed).toBe('echo ping');
      ws.close();
      expect(proxy.seen(new URL(url).host).map((r) => [r.method, r.path])).toEqual([['GET', '/relay']]);
    } finally {
      await network.close();
      await new Promise((resolve) => wss.close(resolve));
    }
  });

  it('says what a proxy refusing a forwarded request means (its own 502, marked with Proxy-Status)', async () => {
    const closed = await new Promise<number>((resolve) => {
      const s = http.createServer().listen(0, '127.0.0.1', () => {
        const port = (s.address() as AddressInfo).port;
        s.close(() => resolve(port));
      });
    });
    const dispatcher = new ProxyRoutingDispatcher(
      proxyPlan(custom(proxy.port, { username: 'shir', password: PASSWORD }), {}),
    );
    const error = await fetch(`http://127.0.0.1:${closed}/x`, { dispatcher }).then(
      () => undefined,
      (e: unknown) => e,
    );
    await dispatcher.close();
    expect(explainNetworkError(error)).toBe(
      `The proxy ${proxy.url} could not reach 127.0.0.1:${closed} (HTTP 502 Bad Gateway, destination_unavailable): the target is down, or the proxy cannot reach it (name, route or firewall on the proxy's side).`,
    );
  });

  it('probes DNS, TCP, the proxy (forwarded request) and HTTP, and names the failed step', async () => {
    const plan = proxyPlan(custom(proxy.port, { username: 'shir', password: PASSWORD }), {});
    const ok = await probeUrl(targetUrl, { plan });
    expect(ok.ok).toBe(true);
    expect(ok.steps.map((s) => [s.step, s.ok])).toEqual([
      ['dns', true],
      ['tcp', true],
      ['proxy', true],
      ['tls', null],
      ['http', true],
    ]);
    expect(ok.route).toBe(`proxy ${proxy.url} (custom)`);

    const denied = await probeUrl(targetUrl, {
      plan: proxyPlan(custom(proxy.port, { username: 'shir', password: 'nope-nope' }), {}),
    });
    expect(denied).toEqual(
      expect.objectContaining({ ok: false, failedStep: 'proxy', reason: expect.stringMatching(/HTTP 407/) }),
    );
    expect(denied.steps.at(-1)).toEqual(expect.objectContaining({ step: 'http', ok: null }));

    const direct = proxyPlan({ mode: 'none', bypass: [] }, {});
    const closedPort = await new Promise<number>((resolve) => {
      const s = http.createServer().listen(0, '127.0.0.1', () => {
        const port = (s.address() as AddressInfo).port;
        s.close(() => resolve(port));
      });
    });
    const refused = await probeUrl(`http://127.0.0.1:${closedPort}/`, { plan: direct });
    expect(refused).toEqual(
      expect.objectContaining({
        ok: false,
        failedStep: 'tcp',
        reason: expect.stringMatching(/^Unable to connect to the remote server: .*ECONNREFUSED/),
      }),
    );

    const unknown = await probeUrl('https://no-such-host.invalid/', { plan: direct });
    expect(unknown).toEqual(
      expect.objectContaining({
        ok: false,
        failedStep: 'dns',
        reason: expect.stringMatching(/The remote name could not be resolved: 'no-such-host.invalid'/),
      }),
    );
  });
});

/** A self-signed certificate for 127.0.0.1 / localhost, made with openssl (the TLS probe test needs one). */
function selfSignedCertificate(dir: string): { key: string; cert: string } | undefined {
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
        '-addext',
        'subjectAltName=DNS:localhost,IP:127.0.0.1',
        '-keyout',
        path.join(dir, 'key.pem'),
        '-out',
        path.join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    return {
      key: fs.readFileSync(path.join(dir, 'key.pem'), 'utf8'),
      cert: fs.readFileSync(path.join(dir, 'cert.pem'), 'utf8'),
    };
  } catch {
    return undefined;
  }
}

describe('TLS probe', () => {
  it('says "Could not establish trust relationship" for an untrusted certificate, direct and through the proxy', async () => {
    const material = selfSignedCertificate(home);
    if (!material) return; // no openssl on this machine
    const server = https.createServer(material, (_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `https://localhost:${(server.address() as AddressInfo).port}/`;
    const proxy = await ForwardProxy.start();
    try {
      const direct = await probeUrl(url, { plan: proxyPlan({ mode: 'none', bypass: [] }, {}) });
      expect(direct).toEqual(
        expect.objectContaining({
          ok: false,
          failedStep: 'tls',
          reason: expect.stringMatching(
            /^Could not establish trust relationship for the SSL\/TLS secure channel \(DEPTH_ZERO_SELF_SIGNED_CERT\)/,
          ),
        }),
      );
      const viaProxy = await probeUrl(url, { plan: proxyPlan(custom(proxy.port), {}) });
      expect(viaProxy.steps.map((s) => [s.step, s.ok])).toEqual([
        ['dns', true],
        ['tcp', true],
        ['proxy', true],
        ['tls', false],
        ['http', null],
      ]);
      expect(viaProxy.reason).toMatch(
        /a proxy that inspects TLS must have its root certificate trusted \(NODE_EXTRA_CA_CERTS\)/,
      );
    } finally {
      await proxy.close();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('network context', () => {
  it('reloads when proxy.json changes and routes new connections the new way', async () => {
    const network = NetworkContext.forHome(home, {});
    expect(network.describeRoute('https://a.example/')).toMatch(/system proxy/);
    const changed = new Promise<string>((resolve) =>
      network.onSettingsChanged((plan) => resolve(plan.settings.mode), 50),
    );
    const before = network.dispatcher;
    saveProxySettings(home, { mode: 'custom', address: '127.0.0.1', port: 3128, bypass: [] }, {});
    expect(await changed).toBe('custom');
    expect(network.dispatcher).not.toBe(before);
    expect(network.describeRoute('https://a.example/')).toBe('proxy http://127.0.0.1:3128 (custom)');
    await network.close();
  });
});

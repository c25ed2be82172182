import Fastify, { type FastifyInstance } from 'fastify';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { registerRequestId } from './request-id';
import { RequestLog, type RequestLogEntry } from './request-log';

/** The logger boundary: what the request log hands to Nest's Logger, by level. */
function sink() {
  const lines: { level: 'debug' | 'error'; message: unknown }[] = [];
  return {
    lines,
    debug: (message: unknown) => void lines.push({ level: 'debug', message }),
    error: (message: unknown) => void lines.push({ level: 'error', message }),
  };
}

describe('request log on Fastify', () => {
  let fastify: FastifyInstance;

  const build = async (json: boolean, debugShown = true) => {
    const lines = sink();
    fastify = Fastify();
    registerRequestId(fastify);
    new RequestLog(json, lines, debugShown).register(fastify);
    fastify.get('/scan/datasources', async () => ({ value: [] }));
    fastify.get('/boom', async () => {
      throw new Error('broken');
    });
    await fastify.ready();
    return lines;
  };

  afterEach(async () => fastify.close());

  it('with debug lines not shown, hands over only answers of 500 and above', async () => {
    const lines = await build(false, false);
    await fastify.inject({ url: '/scan/datasources' });
    await fastify.inject({ url: '/boom' });
    expect(lines.lines.map((l) => [l.level, String(l.message).split(' ').slice(0, 3).join(' ')])).toEqual([
      ['error', 'GET /boom 500'],
    ]);
  });

  it('writes one debug line per request: method, path with secrets masked, status, ms, request id and client request id', async () => {
    const lines = await build(false);
    const response = await fastify.inject({
      url: '/scan/datasources?api-version=2023-09-01&sig=S3cretSignature%3D&code=AuthCode',
      headers: { 'x-ms-client-request-id': 'call-42' },
    });
    expect(response.statusCode).toBe(200);
    expect(lines.lines).toHaveLength(1);
    const { level, message } = lines.lines[0];
    expect(level).toBe('debug');
    expect(message).toMatch(
      new RegExp(
        `^GET /scan/datasources\\?api-version=2023-09-01&sig=\\*\\*\\*&code=\\*\\*\\* 200 \\d+(\\.\\d)?ms request-id=${response.headers['x-ms-request-id']} client-request-id=call-42$`,
      ),
    );
    expect(String(message)).not.toContain('S3cret');
  });

  it('writes answers of 500 and above at error', async () => {
    const lines = await build(false);
    expect((await fastify.inject({ url: '/boom' })).statusCode).toBe(500);
    expect(lines.lines.map((l) => l.level)).toEqual(['error']);
    expect(lines.lines[0].message).toMatch(/^GET \/boom 500 /);
  });

  it('hands JSON records to the logger in JSON mode', async () => {
    const lines = await build(true);
    const response = await fastify.inject({
      url: '/scan/datasources?sb-hc-token=SharedAccessSignature%20sr%3Dx%26sig%3Dy',
    });
    expect(lines.lines[0].message).toEqual({
      method: 'GET',
      path: '/scan/datasources?sb-hc-token=***',
      status: 200,
      ms: expect.any(Number),
      requestId: response.headers['x-ms-request-id'],
      clientRequestId: undefined,
    });
  });
});

describe('x-ms-client-request-id', () => {
  let fastify: FastifyInstance;
  beforeAll(async () => {
    fastify = Fastify();
    registerRequestId(fastify);
    fastify.get('/x', async () => ({}));
    await fastify.ready();
  });
  afterAll(async () => fastify.close());

  it('comes back unchanged when sent, as Azure services echo it', async () => {
    const response = await fastify.inject({
      url: '/x',
      headers: { 'x-ms-client-request-id': '9C4D50EE-2D56-4CD3-8152-34347DC9F2B0' },
    });
    expect(response.headers['x-ms-client-request-id']).toBe('9C4D50EE-2D56-4CD3-8152-34347DC9F2B0');
    expect(response.headers['x-ms-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('is not echoed when absent, longer than 1024 characters or not visible ASCII', async () => {
    expect((await fastify.inject({ url: '/x' })).headers['x-ms-client-request-id']).toBeUndefined();
    expect(
      (await fastify.inject({ url: '/x', headers: { 'x-ms-client-request-id': 'a'.repeat(1025) } })).headers[
        'x-ms-client-request-id'
      ],
    ).toBeUndefined();
    expect(
      (await fastify.inject({ url: '/x', headers: { 'x-ms-client-request-id': 'a'.repeat(1024) } })).headers[
        'x-ms-client-request-id'
      ],
    ).toBe('a'.repeat(1024));
    expect(
      (await fastify.inject({ url: '/x', headers: { 'x-ms-client-request-id': 'tab\there' } })).headers[
        'x-ms-client-request-id'
      ],
    ).toBeUndefined();
  });
});

describe('request log around listeners that bypass Fastify (the relay)', () => {
  const servers: http.Server[] = [];
  afterEach(() => servers.splice(0).forEach((s) => s.close()));

  /** A server whose own listeners answer directly, as the relay does: HTTP senders, and upgrades refused or accepted. */
  const serve = async () => {
    const entries: RequestLogEntry[] = [];
    const server = http.createServer((_req, res) => res.writeHead(401).end());
    server.on('upgrade', (req: http.IncomingMessage, socket: import('node:stream').Duplex) => {
      if (req.url?.includes('sb-hc-action=listen'))
        socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n');
      else socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    });
    const log = new RequestLog(true, {
      debug: (m: unknown) => void entries.push(m as RequestLogEntry),
      error: (m: unknown) => void entries.push(m as RequestLogEntry),
    });
    const unlog = log.attach(server);
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { entries, server, unlog, port: (server.address() as AddressInfo).port };
  };
  const upgrade = (port: number, path: string) =>
    new Promise<number>((resolve) => {
      const req = http.request({
        port,
        host: '127.0.0.1',
        path,
        headers: { connection: 'Upgrade', upgrade: 'websocket', 'x-ms-client-request-id': 'up-1' },
      });
      req.on('upgrade', (res, socket) => (socket.destroy(), resolve(res.statusCode ?? 0)));
      req.on('response', (res) => (res.resume(), resolve(res.statusCode ?? 0)));
      req.end();
    });
  const until = async (check: () => boolean) => {
    for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setImmediate(r));
    expect(check()).toBe(true);
  };

  it('logs HTTP senders and upgrades (accepted and refused) with their relay tokens masked', async () => {
    const { entries, server, port } = await serve();
    expect(server.listenerCount('upgrade')).toBe(1);
    await fetch(`http://127.0.0.1:${port}/ir1/interactive?sb-hc-token=SharedAccessSignature%20sr%3Dx%26sig%3DSECRET`, {
      method: 'POST',
      body: 'x',
    });
    expect(await upgrade(port, '/$hc/ir1?sb-hc-action=listen&sb-hc-token=SharedAccessSignature%20sig%3DSECRET')).toBe(
      101,
    );
    expect(await upgrade(port, '/$hc/nope?sb-hc-action=connect&sb-hc-token=SECRET')).toBe(404);
    await until(() => entries.length === 3);
    expect(entries).toEqual(
      expect.arrayContaining([
        { method: 'POST', path: '/ir1/interactive?sb-hc-token=***', status: 401, ms: expect.any(Number) },
        {
          method: 'GET',
          path: '/$hc/ir1?sb-hc-action=listen&sb-hc-token=***',
          status: 101,
          ms: expect.any(Number),
          clientRequestId: 'up-1',
          upgrade: true,
        },
        {
          method: 'GET',
          path: '/$hc/nope?sb-hc-action=connect&sb-hc-token=***',
          status: 404,
          ms: expect.any(Number),
          clientRequestId: 'up-1',
          upgrade: true,
        },
      ]),
    );
    expect(JSON.stringify(entries)).not.toContain('SECRET');
  });

  it('puts the original listeners back when detached', async () => {
    const { entries, server, unlog, port } = await serve();
    const wrapped = server.listeners('upgrade')[0];
    unlog();
    expect(server.listeners('upgrade')).toHaveLength(1);
    expect(server.listeners('upgrade')[0]).not.toBe(wrapped);
    await fetch(`http://127.0.0.1:${port}/ir1`);
    expect(entries).toEqual([]);
  });
});

import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as net from 'node:net';

/** One request the proxy saw: a forwarded request (`GET http://host/…`) or a tunnel (`CONNECT host:port`). */
export interface ProxiedRequest {
  method: string;
  /** `host:port` of the target. */
  target: string;
  /** Path and query of a forwarded request (a CONNECT tunnel has none: it is encrypted or opaque). */
  path?: string;
  /** Whether the request carried the right Proxy-Authorization (always true when the proxy needs none). */
  authorized: boolean;
}

/**
 * A small real forwarding proxy on 127.0.0.1 for tests: HTTP forward (absolute-URI requests, WebSocket upgrades
 * included) and CONNECT tunnels, optionally requiring `Proxy-Authorization: Basic` (407 with Proxy-Authenticate
 * otherwise). Its own error answers carry RFC 9209's Proxy-Status, as Squid's carry X-Squid-Error. Records every request.
 */
const PROXY_STATUS = 'Proxy-Status';
export class ForwardProxy {
  readonly requests: ProxiedRequest[] = [];
  port = 0;
  private readonly server: http.Server;
  private readonly sockets = new Set<net.Socket>();

  private constructor(private readonly credentials?: { username: string; password: string }) {
    this.server = http.createServer((req, res) => this.forward(req, res));
    this.server.on('connect', (req: http.IncomingMessage, socket: net.Socket, head: Buffer) =>
      this.tunnel(req, socket, head),
    );
    this.server.on('upgrade', (req: http.IncomingMessage, socket: net.Socket, head: Buffer) =>
      this.upgrade(req, socket, head),
    );
    this.server.on('connection', (socket: net.Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  static async start(credentials?: { username: string; password: string }): Promise<ForwardProxy> {
    const proxy = new ForwardProxy(credentials);
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    proxy.port = (proxy.server.address() as AddressInfo).port;
    return proxy;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Requests to a target `host:port` (or all), authorized ones only unless `all`. */
  seen(target?: string, options: { includeRefused?: boolean } = {}): ProxiedRequest[] {
    return this.requests.filter((r) => (!target || r.target === target) && (options.includeRefused || r.authorized));
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private authorized(req: http.IncomingMessage): boolean {
    if (!this.credentials) return true;
    const header = req.headers['proxy-authorization'] ?? '';
    const expected = `Basic ${Buffer.from(`${this.credentials.username}:${this.credentials.password}`).toString('base64')}`;
    return header === expected;
  }

  private forward(req: http.IncomingMessage, res: http.ServerResponse): void {
    let target: URL;
    try {
      target = new URL(req.url ?? '');
    } catch {
      res.writeHead(400).end('This is a proxy: send absolute-URI requests or CONNECT.');
      return;
    }
    const authorized = this.authorized(req);
    this.requests.push({
      method: req.method ?? 'GET',
      target: `${target.hostname}:${target.port || 80}`,
      path: `${target.pathname}${target.search}`,
      authorized,
    });
    if (!authorized) {
      res
        .writeHead(407, {
          'proxy-authenticate': 'Basic realm="test-proxy"',
          [PROXY_STATUS]: 'test-proxy; error=http_request_denied',
          connection: 'close',
        })
        .end('Proxy Authentication Required');
      return;
    }
    const headers = { ...req.headers };
    delete headers['proxy-authorization'];
    delete headers['proxy-connection'];
    const upstream = http.request(
      {
        host: target.hostname,
        port: target.port || 80,
        method: req.method,
        path: `${target.pathname}${target.search}`,
        headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', (error) => {
      if (!res.headersSent)
        res
          .writeHead(502, { [PROXY_STATUS]: 'test-proxy; error=destination_unavailable' })
          .end(`Bad gateway: ${error.message}`);
      else res.destroy();
    });
    req.pipe(upstream);
  }

  /** An absolute-form upgrade (ws:// through the proxy): replay it to the target and join the two sockets. */
  private upgrade(req: http.IncomingMessage, socket: net.Socket, head: Buffer): void {
    socket.on('error', () => undefined);
    let target: URL;
    try {
      target = new URL(req.url ?? '');
    } catch {
      socket.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      return;
    }
    const authorized = this.authorized(req);
    this.requests.push({
      method: req.method ?? 'GET',
      target: `${target.hostname}:${target.port || 80}`,
      path: `${target.pathname}${target.search}`,
      authorized,
    });
    if (!authorized) {
      socket.end(
        'HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test-proxy"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n',
      );
      return;
    }
    const upstream = net.connect({ host: target.hostname, port: Number(target.port || 80) }, () => {
      const lines = [`${req.method} ${target.pathname}${target.search} HTTP/1.1`];
      for (let i = 0; i < req.rawHeaders.length; i += 2) {
        if (!/^proxy-/i.test(req.rawHeaders[i])) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      }
      upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (head.length) upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('close', () => upstream.destroy());
    this.sockets.add(upstream);
    upstream.on('close', () => this.sockets.delete(upstream));
  }

  private tunnel(req: http.IncomingMessage, socket: net.Socket, head: Buffer): void {
    const [host, portText] = (req.url ?? '').replace(/^\[([^\]]+)\]/, '$1').split(/:(?=\d+$)/);
    const authorized = this.authorized(req);
    this.requests.push({ method: 'CONNECT', target: `${host}:${portText}`, authorized });
    socket.on('error', () => undefined);
    if (!authorized) {
      socket.end(
        'HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test-proxy"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n',
      );
      return;
    }
    let established = false;
    const upstream = net.connect({ host, port: Number(portText) }, () => {
      established = true;
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on('error', () => {
      if (established) socket.destroy();
      else if (!established && socket.writable)
        socket.end('HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
    });
    socket.on('close', () => upstream.destroy());
    this.sockets.add(upstream);
    upstream.on('close', () => this.sockets.delete(upstream));
  }
}

import * as http from 'node:http';
import * as net from 'node:net';
import type { Duplex } from 'node:stream';
import * as tls from 'node:tls';
import { ProxyRefusedError } from './proxy-refusal';
import type { ProxyEndpoint } from './proxy-settings';

export { proxyAuthMessage } from './proxy-refusal';

/** The Proxy-Authorization header value for a proxy with a user, or undefined. */
export function proxyAuthorization(proxy: ProxyEndpoint): string | undefined {
  if (!proxy.username) return undefined;
  return `Basic ${Buffer.from(`${proxy.username}:${proxy.password ?? ''}`).toString('base64')}`;
}

/** A proxy's answer to CONNECT that is not 200: the status says what went wrong (407: authentication; 403: its rules). */
export class ProxyConnectError extends ProxyRefusedError {
  override name = 'ProxyConnectError';
  constructor(statusCode: number, statusText: string, proxyUrl: string, target: string) {
    super(statusCode, statusText, proxyUrl, target, 'CONNECT');
  }
}

/**
 * Opens a TCP connection to `proxy` and asks it for a tunnel to host:port (CONNECT). Resolves with the socket once the
 * proxy answered 200; rejects with ProxyConnectError (407 and the like) or the socket error.
 */
export function connectThroughProxy(
  proxy: ProxyEndpoint,
  host: string,
  port: number,
  options: { timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: proxy.host, port: proxy.port });
    let settled = false;
    const finish = (error?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      socket.removeListener('data', onData);
      if (error) {
        socket.destroy();
        reject(error);
      } else {
        socket.setTimeout(0);
        resolve(socket);
      }
    };
    const onAbort = () =>
      finish(options.signal?.reason instanceof Error ? options.signal.reason : new Error('aborted'));
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(
      () =>
        finish(
          Object.assign(new Error(`The proxy ${proxy.url} did not answer CONNECT in time`), { code: 'ETIMEDOUT' }),
        ),
      options.timeoutMs ?? 15_000,
    );
    const target = `${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${port}`;
    let buffer = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      const end = buffer.indexOf('\r\n\r\n');
      if (end < 0) {
        if (buffer.length > 16_384) finish(new Error(`The proxy ${proxy.url} sent an oversized answer to CONNECT`));
        return;
      }
      const statusLine = buffer.subarray(0, buffer.indexOf('\r\n')).toString('latin1');
      const match = /^HTTP\/1\.[01] (\d{3}) ?(.*)$/.exec(statusLine);
      if (!match) return finish(new Error(`The proxy ${proxy.url} sent an answer to CONNECT that is not HTTP`));
      const status = Number(match[1]);
      if (status !== 200) return finish(new ProxyConnectError(status, match[2], proxy.url, target));
      const rest = buffer.subarray(end + 4);
      if (rest.length > 0) socket.unshift(rest);
      finish();
    };
    socket.on('data', onData);
    socket.once('error', (error) => finish(error));
    socket.once('close', () => finish(new Error(`The proxy ${proxy.url} closed the connection during CONNECT`)));
    socket.once('connect', () => {
      const auth = proxyAuthorization(proxy);
      socket.write(
        `CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n${auth ? `Proxy-Authorization: ${auth}\r\n` : ''}\r\n`,
      );
    });
  });
}

/**
 * An http.Agent whose connections are CONNECT tunnels through a proxy (TLS on top for https/wss): for `ws` (the relay)
 * and any node http(s) client. `secure` selects TLS to the target.
 */
export class TunnelAgent extends http.Agent {
  constructor(
    private readonly proxy: ProxyEndpoint,
    private readonly secure: boolean,
    private readonly tlsOptions: tls.ConnectionOptions = {},
  ) {
    super({ keepAlive: true });
    // https.request (wss://) refuses an agent whose protocol is not https:.
    (this as unknown as { protocol: string }).protocol = secure ? 'https:' : 'http:';
  }

  override createConnection(
    options: http.ClientRequestArgs,
    done?: (error: Error | null, socket: Duplex) => void,
  ): undefined {
    const callback = (error: Error | null, socket?: net.Socket) => done?.(error, socket as Duplex);
    const host = String(options.host ?? options.hostname ?? 'localhost').replace(/^\[|\]$/g, '');
    const port = Number(options.port ?? (this.secure ? 443 : 80));
    connectThroughProxy(this.proxy, host, port).then(
      (socket) => {
        if (!this.secure) return callback(null, socket);
        let called = false;
        const once = (error: Error | null, result?: net.Socket) => {
          if (called) return;
          called = true;
          callback(error, result);
        };
        const secured = tls.connect({
          ...this.tlsOptions,
          socket,
          servername: (options as tls.ConnectionOptions).servername ?? (net.isIP(host) ? undefined : host),
        });
        secured.once('secureConnect', () => once(null, secured));
        secured.once('error', (error: Error) => once(error));
      },
      (error: Error) => callback(error),
    );
    return undefined;
  }
}

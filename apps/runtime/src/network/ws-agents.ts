import type { Agent, IncomingMessage } from 'node:http';
import { STATUS_CODES } from 'node:http';
import { HttpProxyAgent } from 'http-proxy-agent';
import { hostPort, proxyErrorMark, ProxyRefusedError } from './proxy-refusal';
import type { ProxyEndpoint } from './proxy-settings';
import { proxyAuthorization, TunnelAgent } from './tunnel';

/**
 * ws:// through a forward proxy: the upgrade request goes in absolute form (`GET http://host:port/path` with
 * `Upgrade: websocket`), like every plain http:// request, so it needs no CONNECT (which stock Squid allows only to
 * port 443). The proxy must pass the upgrade on (Squid 5: `http_upgrade_request_protocols websocket allow all`).
 */
export class ForwardUpgradeAgent extends HttpProxyAgent<string> {
  constructor(readonly endpoint: ProxyEndpoint) {
    const token = proxyAuthorization(endpoint);
    super(endpoint.url, { keepAlive: false, ...(token ? { headers: { 'Proxy-Authorization': token } } : {}) });
  }
}

/** The agent for a WebSocket to `url` through `proxy`: wss:// tunnels with CONNECT (TLS end to end), ws:// is forwarded. */
export function wsProxyAgent(proxy: ProxyEndpoint, url: URL): Agent {
  const secure = url.protocol === 'wss:' || url.protocol === 'https:';
  return secure ? new TunnelAgent(proxy, true) : new ForwardUpgradeAgent(proxy);
}

/**
 * Why a WebSocket upgrade sent through a forward proxy came back without switching protocols (101), or undefined
 * when `agent` is not one (the answer is then the server's own). The proxy's own refusal names its status; a plain
 * answer from the target means the proxy passed the request on without its Upgrade header.
 */
export function explainUpgradeRefusal(agent: Agent | undefined, res: IncomingMessage, url: string): string | undefined {
  if (!(agent instanceof ForwardUpgradeAgent)) return undefined;
  const target = new URL(url);
  const status = res.statusCode ?? 0;
  const text = res.statusMessage || STATUS_CODES[status] || '';
  const mark = proxyErrorMark((name) => {
    const value = res.headers[name];
    return Array.isArray(value) ? value.join(', ') : value;
  });
  if (mark || status === 407)
    return new ProxyRefusedError(status, text, agent.endpoint.url, hostPort(target), 'forward', mark).message;
  return (
    `The WebSocket upgrade to ${url.replace(/\?.*$/, '')} came back as HTTP ${status} ${text} through the proxy ${agent.endpoint.url}: ` +
    `the proxy passed the request on without its Upgrade header. Stock Squid 5 does that unless 'http_upgrade_request_protocols websocket allow all' is set ` +
    `(and it allows CONNECT, the other way, only to port 443). Have the proxy pass WebSocket upgrades, serve the relay over wss:// on port 443, ` +
    `or add ${hostPort(target)} to the bypass list ('shir proxy set … --bypass ${hostPort(target)}'). If the proxy does pass upgrades, HTTP ${status} is the relay's own answer`
  );
}

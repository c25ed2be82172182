import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import { EmulatorConfig, httpsHostsOf, withHttpsPort } from '../config/emulator-config';
import { TlsMaterial, ensureTlsMaterial } from './tls-material';

export interface HttpsListener {
  server: https.Server;
  port: number;
  tls: TlsMaterial;
}

/**
 * Serves the same Fastify app over HTTPS: a second server whose requests go through Fastify's own routing entry
 * (URL rewrite, hooks, Nest guards and filters all included), so every route exists on both listeners. Closed
 * with the app. Upgrade handlers (the relay) attach to `server` like to the HTTP one.
 */
export async function listenHttps(app: NestFastifyApplication, config: EmulatorConfig): Promise<HttpsListener> {
  const tls = ensureTlsMaterial(config.dataDir, httpsHostsOf(config));
  const fastify = app.getHttpAdapter().getInstance();
  const server = https.createServer({ key: tls.keyPem, cert: tls.certPem }, (req, res) => fastify.routing(req, res));
  // Same keep-alive behaviour as Fastify's own server, so SDK connection pools are not cut mid-request.
  server.keepAliveTimeout = fastify.server.keepAliveTimeout;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.httpsPort, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  // Port 0 means "any free port" (tests); everything that advertises the HTTPS address must see the real one.
  if (config.httpsPort === 0) Object.assign(config, withHttpsPort(config, port));
  // Fastify takes no hooks once ready and Nest's app object is a proxy that ignores a wrapped close(), but the
  // adapter awaits fastify.close(): the HTTPS server goes down there, before the HTTP one and the database.
  const closeFastify = fastify.close.bind(fastify);
  const closeBoth = async (): Promise<undefined> => {
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
    return closeFastify();
  };
  fastify.close = closeBoth as unknown as FastifyInstance['close'];
  return { server, port, tls };
}

import type { INestApplication } from '@nestjs/common';
import type * as http from 'node:http';
import type * as https from 'node:https';
import { EMULATOR_CONFIG, type EmulatorConfig } from '../config/emulator-config';
import { RequestLog } from '../common/request-log';
import { RelayHub } from './relay-hub.service';

/**
 * Serves the relay on `server` (the app's HTTP server, or an HTTPS server in front of the same app): WebSocket
 * upgrades under /$hc/ and HTTP senders on hybrid connection paths. They bypass Fastify, so the request log wraps
 * them here (tokens masked). Returns the detach function.
 */
export function attachRelay(app: INestApplication, server: http.Server | https.Server): () => void {
  const detach = app.get(RelayHub).attach(server);
  const unlog = new RequestLog(app.get<EmulatorConfig>(EMULATOR_CONFIG).log.format === 'json').attach(server);
  return () => {
    unlog();
    detach();
  };
}

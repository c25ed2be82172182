import type { INestApplication } from '@nestjs/common';
import type * as http from 'node:http';
import type * as https from 'node:https';
import { RelayHub } from './relay-hub.service';

/**
 * Serves the relay on `server` (the app's HTTP server, or an HTTPS server in front of the same app): WebSocket
 * upgrades under /$hc/ and HTTP senders on hybrid connection paths. Returns the detach function.
 */
export function attachRelay(app: INestApplication, server: http.Server | https.Server): () => void {
  return app.get(RelayHub).attach(server);
}

import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfigError, loadConfig } from './config/emulator-config';
import { createEmulatorApp } from './app.factory';
import { listenHttps } from './tls/https-listener';
import { attachRelay } from './relay/attach-relay';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      // Nothing has started yet: say what to fix (every problem, one per line) and stop.
      process.stderr.write(`purview-emulator: not starting: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const app = await createEmulatorApp(config);
  await app.listen(config.port, config.host);
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  new Logger('PurviewEmulator').log(
    `Purview emulator for account '${config.accountName}' listening on http://${config.host}:${port} (${config.inMemory ? 'data in memory (PURVIEW_IN_MEMORY): gone when it stops' : `data in ${config.dataDir}`})`,
  );
  const https = await listenHttps(app, config);
  attachRelay(app, https.server);
  new Logger('PurviewEmulator').log(
    `HTTPS on https://${config.host}:${https.port} (${config.publicHttpsUrl}); trust it with NODE_EXTRA_CA_CERTS=${https.tls.caPath}`,
  );
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`purview-emulator: ${error.message}\n`);
    process.exit(1);
  }
  process.stderr.write(`purview-emulator failed to start: ${(error as Error)?.stack ?? String(error)}\n`);
  process.exit(1);
});

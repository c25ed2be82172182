import { NestFactory } from '@nestjs/core';
import fastifyMultipart from '@fastify/multipart';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import type { LoggerService, LogLevel } from '@nestjs/common';
import { AppModule } from './app.module';
import { EmulatorConfig } from './config/emulator-config';
import { rewriteUrl } from './common/url-rewrite';
import { registerRequestId } from './common/request-id';
import { createEmulatorLogger } from './common/quiet-logger';
import { RequestLog } from './common/request-log';
import { MAX_BODY_BYTES, registerBodyParsers } from './common/body-parsers';
import { attachRelay } from './relay/attach-relay';
import { openDataDirectory } from './database/data-directory';

/** Builds the whole emulator on Fastify; shared by `main.ts` and the tests. */
export async function createEmulatorApp(
  config: EmulatorConfig,
  options: { logger?: LogLevel[] | false | LoggerService } = {},
): Promise<NestFastifyApplication> {
  // Before Nest: a data directory that cannot be made private, or a missing or wrong key, is a ConfigError to report as such.
  openDataDirectory(config);
  const adapter = new FastifyAdapter({
    rewriteUrl: (req: { url?: string }) => rewriteUrl(req.url ?? '/'),
    bodyLimit: MAX_BODY_BYTES,
    // Atlas lookups repeat query keys (?guid=a&guid=b) and use keys like attr:qualifiedName.
    routerOptions: { ignoreTrailingSlash: true, ignoreDuplicateSlashes: true },
  });
  registerRequestId(adapter.getInstance());
  new RequestLog(config.log.format === 'json').register(adapter.getInstance());
  registerBodyParsers(adapter.getInstance());
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, {
    logger: options.logger ?? createEmulatorLogger(config.log),
    bufferLogs: false,
    bodyParser: false,
  });
  app.enableShutdownHooks();
  // Multipart uploads (the data map's business metadata CSV import): one file, no larger than any other body.
  await app.register(fastifyMultipart, { limits: { fileSize: MAX_BODY_BYTES, files: 1 } });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  // The relay (Hybrid Connections) shares the emulator's port: WebSocket upgrades and HTTP senders bypass Fastify.
  attachRelay(app, app.getHttpServer());
  return app;
}

import { NestFactory } from '@nestjs/core';
import fastifyMultipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import type { DynamicModule, LoggerService, LogLevel, NestApplicationOptions } from '@nestjs/common';
import { AppModule } from './app.module';
import { EmulatorConfig, LOG_LEVELS } from './config/emulator-config';
import { rewriteUrl } from './common/url-rewrite';
import { registerRequestId } from './common/request-id';
import { createEmulatorLogger } from './common/quiet-logger';
import { RequestLog } from './common/request-log';
import { MAX_BODY_BYTES, registerBodyParsers } from './common/body-parsers';
import { attachRelay } from './relay/attach-relay';
import { openDataDirectory } from './database/data-directory';
import { SeedService } from './seed/seed.service';
import { registerApiDocs } from './api-docs/api-docs';
import { recordRoutes } from './api-docs/registered-routes';
import { portalDirectory } from './portal/portal-files';

export interface EmulatorAppOptions {
  logger?: LogLevel[] | false | LoggerService;
  /**
   * Makes the Nest application from the root module (NestFactory.create by default). Tests pass one that overrides a
   * boundary provider (src/testing/test-app.ts); the adapter, parsers, limits, guards and relay stay the same.
   */
  create?: (
    module: DynamicModule,
    adapter: FastifyAdapter,
    options: NestApplicationOptions,
  ) => Promise<NestFastifyApplication>;
}

/** Builds the whole emulator on Fastify; shared by `main.ts` and the tests. */
export async function createEmulatorApp(
  config: EmulatorConfig,
  options: EmulatorAppOptions = {},
): Promise<NestFastifyApplication> {
  // Before Nest: a data directory that cannot be made private, or a missing or wrong key, is a ConfigError to report as such.
  openDataDirectory(config);
  const adapter = new FastifyAdapter({
    rewriteUrl: (req: { url?: string }) => rewriteUrl(req.url ?? '/'),
    bodyLimit: MAX_BODY_BYTES,
    // Atlas lookups repeat query keys (?guid=a&guid=b) and use keys like attr:qualifiedName.
    routerOptions: { ignoreTrailingSlash: true, ignoreDuplicateSlashes: true },
  });
  recordRoutes(adapter.getInstance());
  registerRequestId(adapter.getInstance());
  // Request lines sit at debug: with the emulator's own logger below debug, none is formatted only to be dropped.
  const debugShown =
    options.logger !== undefined || LOG_LEVELS.indexOf(config.log.level) <= LOG_LEVELS.indexOf('debug');
  new RequestLog(config.log.format === 'json', undefined, debugShown).register(adapter.getInstance());
  registerBodyParsers(adapter.getInstance());
  const create =
    options.create ??
    ((module, httpAdapter, appOptions) => NestFactory.create<NestFastifyApplication>(module, httpAdapter, appOptions));
  const app = await create(AppModule.forRoot(config), adapter, {
    logger: options.logger ?? createEmulatorLogger(config.log),
    bufferLogs: false,
    bodyParser: false,
  });
  app.enableShutdownHooks();
  // Multipart uploads (the data map's business metadata CSV import): one file, no larger than any other body.
  await app.register(fastifyMultipart, { limits: { fileSize: MAX_BODY_BYTES, files: 1 } });
  // reply.sendFile for the portal's files (portal/portal.controller.ts routes them; no routes of its own here).
  await app.register(fastifyStatic, { root: portalDirectory(), serve: false });
  try {
    await registerApiDocs(app, config);
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    // Through the API itself, once every route is there; an entry the API refuses stops the start, naming it.
    await app.get(SeedService).applyConfigured();
  } catch (error) {
    // A half-started app still holds the database and timers: release them, so a test that fails here can exit.
    await app.close().catch(() => undefined);
    throw error;
  }
  // The relay (Hybrid Connections) shares the emulator's port: WebSocket upgrades and HTTP senders bypass Fastify.
  attachRelay(app, app.getHttpServer());
  return app;
}

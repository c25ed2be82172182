import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { PURVIEW_SCOPE, WELL_KNOWN_CLIENT_ID, WELL_KNOWN_CLIENT_SECRET } from '@purview-emulator/contracts';
import type { EmulatorConfig } from '../config/emulator-config';
import { buildOpenApiDocument } from './openapi-document';
import { routeCatalog } from './route-catalog';

export const API_DOCS_PREFIX = '/_emulator/docs';

const VERSION = (JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')) as { version: string })
  .version;

/**
 * `/_emulator/docs`: Swagger UI over the document generated from the app's own routes (`/_emulator/docs/json`,
 * `/_emulator/docs/yaml`). Public, like `/_emulator/health`: these are Fastify routes outside Nest's guards, and they
 * serve nothing but the description of the API. Registered before `init`, once Nest knows every controller.
 */
export async function registerApiDocs(app: NestFastifyApplication, config: EmulatorConfig): Promise<void> {
  const document = buildOpenApiDocument(routeCatalog(app), VERSION);
  // The Authorize dialog comes filled in with the well-known client only while it has its well-known secret.
  const client = config.clients.find((c) => c.clientId.toLowerCase() === WELL_KNOWN_CLIENT_ID);
  const clientSecret = client?.clientSecret === WELL_KNOWN_CLIENT_SECRET ? WELL_KNOWN_CLIENT_SECRET : undefined;
  await app.register(fastifySwagger, { mode: 'static', specification: { document: document as never } });
  await app.register(fastifySwaggerUi, {
    routePrefix: API_DOCS_PREFIX,
    uiConfig: { persistAuthorization: true, docExpansion: 'none', deepLinking: true, tryItOutEnabled: false },
    initOAuth: { clientId: WELL_KNOWN_CLIENT_ID, ...(clientSecret ? { clientSecret } : {}), scopes: [PURVIEW_SCOPE] },
  });
}

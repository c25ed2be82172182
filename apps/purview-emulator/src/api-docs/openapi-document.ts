import { KEY_VAULT_RESOURCE, PURVIEW_SCOPE, WELL_KNOWN_TENANT_ID } from '@purview-emulator/contracts';
import { API_VERSION_RULES } from '../common/api-version.guard';
import { ARM_RESOURCE } from '../identity/token.service';
import type { CatalogRoute } from './route-catalog';
import type { JsonSchema } from './json-schema';
import { errorSchema, responseDoc, responseSchema } from './response-schemas';
import { requestBodySchema } from './request-schemas';

export const SCANNING_SPEC_URL =
  'https://github.com/Azure/azure-rest-api-specs/blob/main/specification/purview/data-plane/Azure.Analytics.Purview.Scanning/stable/2023-09-01/scanningService.json';
export const DATAMAP_SPEC_URL =
  'https://github.com/Azure/azure-rest-api-specs/blob/main/specification/purview/data-plane/Azure.Analytics.Purview.DataMap/stable/2023-09-01/purviewdatamap.json';

const ARM_SCOPE = `${ARM_RESOURCE}.default`;
const KEY_VAULT_SCOPE = `${KEY_VAULT_RESOURCE}/.default`;

interface Tag {
  name: string;
  description: string;
  matches: (path: string) => boolean;
}

/** Groups, first match wins. */
const TAGS: Tag[] = [
  {
    name: 'Emulator: runtime protocol',
    description: 'How `shir` nodes talk to the emulator (node credential, `Authorization: Node …`). Not real Purview.',
    matches: (p) => p.startsWith('/_emulator/runtime'),
  },
  {
    name: 'Emulator',
    description: 'Health, info, reset, clock, faults, metrics and other `/_emulator/*` extensions. Not real Purview.',
    matches: (p) => p.startsWith('/_emulator/'),
  },
  {
    name: 'Scanning',
    description: `Purview Scanning 2023-09-01 (the contract: ${SCANNING_SPEC_URL}).`,
    matches: (p) => p.startsWith('/scan/'),
  },
  {
    name: 'Data Map',
    description: `Purview Data Map 2023-09-01 (the contract: ${DATAMAP_SPEC_URL}); \`/catalog/api\` is the older spelling.`,
    matches: (p) => /^\/(datamap|catalog)\/api\//.test(p) || p.startsWith('/account/collections'),
  },
  {
    name: 'Account',
    description: 'The Purview account: its data-plane view and the Azure Resource Manager resource.',
    matches: (p) => p === '/account' || p.startsWith('/subscriptions/'),
  },
  {
    name: 'Identity (Entra ID)',
    description: 'Token endpoints (client credentials flow), signing keys and OpenID configuration.',
    matches: (p) => p.startsWith('/:tenantId/'),
  },
  {
    name: 'Key Vault',
    description:
      "Key Vault secrets. The vault is named by the request's host (`{vault}.vault.localhost`), so these calls are " +
      'made by the Key Vault SDK against that host, not from this page.',
    matches: (p) => p.startsWith('/secrets'),
  },
];

/** `/scan/x/:name/-/listAuthKeys` → `/scan/x/{name}:listAuthKeys`, as Purview's documents spell actions. */
export function openApiPath(routePath: string): string {
  return routePath.replace(/\/:([A-Za-z]+)/g, '/{$1}').replace(/\/-\/([A-Za-z]+)$/, ':$1');
}

function tagOf(path: string): string {
  return TAGS.find((t) => t.matches(path))?.name ?? 'Other';
}

function parametersOf(route: CatalogRoute): JsonSchema[] {
  const params: JsonSchema[] = [...route.path.matchAll(/\/:([A-Za-z]+)/g)].map((m) => ({
    name: m[1],
    in: 'path',
    required: true,
    schema: m[1] === 'tenantId' ? { type: 'string', default: WELL_KNOWN_TENANT_ID } : { type: 'string' },
  }));
  const rule = API_VERSION_RULES.find((r) => route.path.startsWith(r.prefix));
  if (rule) {
    params.push({
      name: 'api-version',
      in: 'query',
      required: rule.required?.test(route.path) ?? false,
      schema: { type: 'string', enum: [...rule.versions], default: rule.versions[0] },
    });
  } else if (route.path.startsWith('/subscriptions/')) {
    params.push({
      name: 'api-version',
      in: 'query',
      required: true,
      schema: { type: 'string', default: '2021-07-01' },
    });
  }
  return params;
}

function securityOf(route: CatalogRoute): JsonSchema[] | undefined {
  switch (route.auth) {
    case 'public':
      return [];
    case 'node':
      return [{ nodeCredential: [] }];
    case 'keyVault':
      return [{ wellKnownClient: [KEY_VAULT_SCOPE] }, { bearerToken: [] }];
    case 'arm':
      // ARM takes tokens for management.azure.com, not Purview's.
      return [{ wellKnownClient: [ARM_SCOPE] }, { bearerToken: [] }];
    default:
      return [{ wellKnownClient: [PURVIEW_SCOPE] }, { bearerToken: [] }];
  }
}

function responsesOf(route: CatalogRoute): JsonSchema {
  const known = responseDoc(route.controller, route.handler);
  const status = String(known?.status ?? route.successStatus);
  const success: JsonSchema = { description: known?.description ?? 'Success' };
  const schema = known && responseSchema(known);
  if (known?.text) success.content = { 'text/plain': { schema: { type: 'string' } } };
  else if (schema) success.content = { 'application/json': { schema } };
  else if (!known && route.successStatus !== 204) success.content = { 'application/json': { schema: {} } };
  const responses: JsonSchema = { [status]: success };
  if (known?.alsoStatus) responses[String(known.alsoStatus)] = success;
  const error = { 'application/json': { schema: errorSchema(route.path) } };
  if (route.auth !== 'public') responses['401'] = { description: 'No or a bad credential', content: error };
  if (route.permission)
    responses['403'] = { description: `Needs one of: ${route.permission.roles.join(', ')}`, content: error };
  responses.default = { description: "An error, in the route family's error shape", content: error };
  return responses;
}

/**
 * The OpenAPI 3 document of every route the emulator serves, generated from the routes themselves (catalog),
 * with request and response bodies from libs/contracts' zod schemas (request-schemas, response-schemas).
 */
export function buildOpenApiDocument(routes: CatalogRoute[], version: string): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const route of routes) {
    const path = openApiPath(route.path);
    const body = requestBodySchema(route.controller, route.handler);
    const operation: JsonSchema = {
      tags: [tagOf(route.path)],
      operationId: `${route.controller.replace(/Controller$/, '')}_${route.handler}`,
      ...(route.permission
        ? { description: `Purview roles: ${route.permission.roles.join(' or ')} (${route.permission.purpose}).` }
        : {}),
      parameters: parametersOf(route),
      responses: responsesOf(route),
    };
    if (body) operation.requestBody = { required: true, content: { 'application/json': { schema: body } } };
    else if (['POST', 'PUT', 'PATCH'].includes(route.method) && route.auth !== 'public')
      operation.requestBody = { required: false, content: { 'application/json': { schema: {} } } };
    const security = securityOf(route);
    if (security) operation.security = security;
    paths[path] ??= {};
    // Two spellings of one route (datamap and catalog) are two paths; one path has one operation per method.
    paths[path][route.method.toLowerCase()] = operation;
  }
  const tokenUrl = `/${WELL_KNOWN_TENANT_ID}/oauth2/v2.0/token`;
  return {
    openapi: '3.0.3',
    info: {
      title: 'Purview Emulator',
      version,
      description:
        'Every route this emulator serves, generated from its own routes. Purview routes follow the public ' +
        `2023-09-01 documents ([Scanning](${SCANNING_SPEC_URL}), [Data Map](${DATAMAP_SPEC_URL})), which stay the ` +
        'contract. **Authorize** with `wellKnownClient`: the client id and secret are filled in (the well-known ' +
        'client, as `GET /_emulator/info` shows them); the page fetches a token from the emulator itself.',
    },
    tags: TAGS.map(({ name, description }) => ({ name, description })),
    paths,
    components: {
      securitySchemes: {
        wellKnownClient: {
          type: 'oauth2',
          description: "Entra ID's client credentials flow against the emulator's token endpoint.",
          flows: {
            clientCredentials: {
              tokenUrl,
              scopes: {
                [PURVIEW_SCOPE]: 'Purview data plane',
                [ARM_SCOPE]: 'Azure Resource Manager (the account)',
                [KEY_VAULT_SCOPE]: 'Key Vault',
              },
            },
          },
        },
        bearerToken: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'A token you already have (e.g. `az account get-access-token`-style output of the emulator).',
        },
        nodeCredential: {
          type: 'apiKey',
          in: 'header',
          name: 'Authorization',
          description: 'A registered node: `Node <nodeCredential>` from `POST /_emulator/runtime/register`.',
        },
      },
    },
  };
}

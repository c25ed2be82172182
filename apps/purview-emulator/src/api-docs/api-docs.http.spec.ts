import 'reflect-metadata';
import { createTestApp, type TestApp } from '../testing/test-app';
import { API_DOCS_PREFIX } from './api-docs';
import { openApiPath } from './openapi-document';
import { registeredRoutes } from './registered-routes';
import { DOCUMENTED_BODY_HANDLERS } from './request-schemas';
import { DOCUMENTED_RESPONSE_HANDLERS } from './response-schemas';
import { routeCatalog } from './route-catalog';
import type { OpenApiDocument } from './testing/openapi-conformance';

const V = '?api-version=2023-09-01';

describe('API docs (/_emulator/docs)', () => {
  let emulator: TestApp;
  let doc: OpenApiDocument;

  beforeAll(async () => {
    emulator = await createTestApp();
    doc = (await emulator.http.get(`${API_DOCS_PREFIX}/json`).expect(200)).body as OpenApiDocument;
  });
  afterAll(() => emulator.close());

  it('serves Swagger UI and the generated OpenAPI 3 document without a token', async () => {
    // `/_emulator/docs/` arrives without its trailing slash (common/url-rewrite): the page then links its assets
    // absolutely, so both spellings work in a browser.
    const page = await emulator.http.get(`${API_DOCS_PREFIX}/`).expect(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.text).toContain(`${API_DOCS_PREFIX}/static/swagger-ui-bundle.js`);
    await emulator.http.get(`${API_DOCS_PREFIX}/static/swagger-ui-bundle.js`).expect(200);
    // The page's initializer points at the document and fills in the well-known client for Authorize.
    const init = await emulator.http.get(`${API_DOCS_PREFIX}/static/swagger-initializer.js`).expect(200);
    expect(init.text).toContain('purview-emulator');
    expect(doc.openapi).toBe('3.0.3');
    const yaml = await emulator.http.get(`${API_DOCS_PREFIX}/yaml`).expect(200);
    expect(yaml.text).toMatch(/^openapi: 3\.0\.3/m);
  });

  it('documents every route the server routes (and nothing it does not)', () => {
    const fastify = emulator.app.getHttpAdapter().getInstance();
    const served = registeredRoutes(fastify)
      .filter((r) => r.method !== 'HEAD' && !r.url.startsWith(API_DOCS_PREFIX))
      .map((r) => `${r.method.toLowerCase()} ${openApiPath(r.url.replace(/(.)\/$/, '$1'))}`);
    const documented = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m} ${p}`));
    expect(served.length).toBeGreaterThan(100);
    expect([...new Set(served)].sort()).toEqual([...documented].sort());
  });

  it('groups operations, documents api-version where the API takes it, and how each route authenticates', () => {
    const op = (p: string, m: string) => doc.paths[p]?.[m];
    expect(op('/scan/integrationruntimes/{name}:listAuthKeys', 'post')?.tags).toEqual(['Scanning']);
    const status = op('/scan/integrationruntimes/{name}/status', 'get');
    expect(status?.parameters).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'name', in: 'path', required: true }),
        expect.objectContaining({ name: 'api-version', in: 'query', required: false }),
      ]),
    );
    expect(status?.security).toEqual([
      { wellKnownClient: ['https://purview.azure.net/.default'] },
      { bearerToken: [] },
    ]);
    const arm = Object.entries(doc.paths).find(([p]) => p.startsWith('/subscriptions/'))?.[1];
    expect(Object.values(arm ?? {})[0]?.security).toEqual([
      { wellKnownClient: ['https://management.azure.com/.default'] },
      { bearerToken: [] },
    ]);
    const search = op('/datamap/api/search/query', 'post');
    expect(search?.tags).toEqual(['Data Map']);
    expect(search?.parameters).toContainEqual(expect.objectContaining({ name: 'api-version', required: true }));
    expect(op('/secrets/{name}', 'get')?.security).toEqual([
      { wellKnownClient: ['https://vault.azure.net/.default'] },
      { bearerToken: [] },
    ]);
    expect(op('/_emulator/health', 'get')?.security).toEqual([]);
    expect(op('/_emulator/runtime/heartbeat', 'post')?.security).toEqual([{ nodeCredential: [] }]);
    expect(op('/_emulator/faults', 'post')?.tags).toEqual(['Emulator']);
    expect(op('/{tenantId}/oauth2/v2.0/token', 'post')?.tags).toEqual(['Identity (Entra ID)']);
    // Bodies come from the contracts' zod schemas: the heartbeat's required fields are the ones the API requires.
    const heartbeat = op('/_emulator/runtime/heartbeat', 'post')?.requestBody?.content['application/json'].schema;
    expect(heartbeat).toMatchObject({ type: 'object', required: ['version', 'runningJobs'] });
    expect(doc.components.securitySchemes.wellKnownClient.flows?.clientCredentials.tokenUrl).toBe(
      '/00000000-0000-0000-0000-000000000000/oauth2/v2.0/token',
    );
  });

  it('names real handlers for every documented request and response body', () => {
    const handlers = new Set(routeCatalog(emulator.app).map((r) => `${r.controller}.${r.handler}`));
    expect(DOCUMENTED_BODY_HANDLERS.filter((h) => !handlers.has(h))).toEqual([]);
    expect(DOCUMENTED_RESPONSE_HANDLERS.filter((h) => !handlers.has(h))).toEqual([]);
  });

  it("'Try it out' works as the page does it: a token by client_secret_basic from the token endpoint, then a call", async () => {
    const basic = Buffer.from('purview-emulator:purview-emulator-secret').toString('base64');
    const token = await emulator.http
      .post(doc.components.securitySchemes.wellKnownClient.flows!.clientCredentials.tokenUrl)
      .set('authorization', `Basic ${basic}`)
      .type('form')
      .send({ grant_type: 'client_credentials', scope: 'https://purview.azure.net/.default' })
      .expect(200);
    await emulator.http
      .get(`/scan/integrationruntimes${V}`)
      .set('authorization', `Bearer ${token.body.access_token as string}`)
      .expect(200);
    const wrong = Buffer.from('purview-emulator:wrong').toString('base64');
    await emulator.http
      .post('/00000000-0000-0000-0000-000000000000/oauth2/v2.0/token')
      .set('authorization', `Basic ${wrong}`)
      .type('form')
      .send({ grant_type: 'client_credentials', scope: 'https://purview.azure.net/.default' })
      .expect(401);
  });
});

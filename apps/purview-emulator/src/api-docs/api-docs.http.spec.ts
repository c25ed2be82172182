import 'reflect-metadata';
import Ajv from 'ajv';
import type { Response } from 'supertest';
import { createTestApp, type TestApp } from '../testing/test-app';
import { API_DOCS_PREFIX } from './api-docs';
import { openApiPath } from './openapi-document';
import { registeredRoutes } from './registered-routes';
import { DOCUMENTED_BODY_HANDLERS } from './request-schemas';
import { routeCatalog } from './route-catalog';

type Schema = Record<string, unknown>;
interface Operation {
  tags: string[];
  operationId: string;
  parameters: { name: string; in: string; required: boolean }[];
  security?: Record<string, unknown>[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<string, { content?: Record<string, { schema: Schema }> }>;
}
interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: {
    securitySchemes: Record<string, { type: string; flows?: { clientCredentials: { tokenUrl: string } } }>;
  };
}

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

  it('names real handlers for every documented request body', () => {
    const handlers = new Set(routeCatalog(emulator.app).map((r) => `${r.controller}.${r.handler}`));
    expect(DOCUMENTED_BODY_HANDLERS.filter((h) => !handlers.has(h))).toEqual([]);
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

  describe('contract: every /_emulator/* route answers as documented', () => {
    const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });
    const checked = new Set<string>();

    /** Checks `response` against the document's schema for its success status, and notes the route as covered. */
    const conforms = (method: string, path: string, response: Response) => {
      const op = doc.paths[path]?.[method];
      expect(op).toBeDefined();
      const documented = op.responses[String(response.status)];
      expect({ route: `${method} ${path}`, status: response.status, documented: documented !== undefined }).toEqual({
        route: `${method} ${path}`,
        status: response.status,
        documented: true,
      });
      const media = documented.content ? Object.keys(documented.content)[0] : undefined;
      if (media === 'application/json') {
        const validate = ajv.compile(documented.content![media].schema);
        const ok = validate(response.body);
        expect({ route: `${method} ${path}`, errors: ok ? null : validate.errors }).toEqual({
          route: `${method} ${path}`,
          errors: null,
        });
      } else if (media === 'text/plain') {
        expect(response.headers['content-type']).toMatch(/^text\/plain/);
      } else {
        expect(response.status).toBe(204);
      }
      checked.add(`${method} ${path}`);
    };

    it('covers each route with a real call', async () => {
      const { http, api } = emulator;
      const ir = 'docs-ir';
      // A runtime with a registered node, a scan on it with a run for the node to lease.
      await api.put(`/scan/integrationruntimes/${ir}${V}`).send({ kind: 'SelfHosted' }).expect(201);
      const keys = (await api.post(`/scan/integrationruntimes/${ir}:listAuthKeys${V}`).expect(200)).body;
      await api
        .put(`/scan/datasources/docs-ds${V}`)
        .send({ kind: 'AzureStorage', properties: { endpoint: 'https://devstoreaccount1.blob.core.windows.net/' } })
        .expect(201);
      await api
        .put(`/scan/datasources/docs-ds/scans/docs-scan${V}`)
        .send({ kind: 'AzureStorageMsi', properties: { connectedVia: { referenceName: ir } } })
        .expect(201);

      conforms('get', '/_emulator/health', await http.get('/_emulator/health'));
      conforms('get', '/_emulator/info', await http.get('/_emulator/info').expect(200));
      conforms('get', '/_emulator/metrics', await http.get('/_emulator/metrics').expect(200));
      conforms('get', '/_emulator/clock', await http.get('/_emulator/clock').expect(200));
      conforms('put', '/_emulator/clock', await api.put('/_emulator/clock').send({ offsetSeconds: 0 }).expect(200));
      conforms('delete', '/_emulator/clock', await api.delete('/_emulator/clock').expect(200));
      conforms('get', '/_emulator/classifications', await api.get('/_emulator/classifications').expect(200));
      conforms('get', '/_emulator/search/index', await api.get('/_emulator/search/index').expect(200));
      conforms(
        'post',
        '/_emulator/search/index:rebuild',
        await api.post('/_emulator/search/index:rebuild').expect(200),
      );
      conforms(
        'get',
        '/_emulator/integrationruntimes/{name}/serviceUrls',
        await api.get(`/_emulator/integrationruntimes/${ir}/serviceUrls`).expect(200),
      );
      conforms(
        'get',
        '/_emulator/integrationruntimes/{name}/relay',
        await api.get(`/_emulator/integrationruntimes/${ir}/relay`).expect(200),
      );
      conforms(
        'put',
        '/_emulator/integrationruntimes/{name}/relay',
        await api.put(`/_emulator/integrationruntimes/${ir}/relay`).send({ enabled: true }).expect(200),
      );

      const fault = await api
        .post('/_emulator/faults')
        .send({ kind: 'http', path: '/scan/nothing-here', status: 503, count: 1 })
        .expect(201);
      conforms('post', '/_emulator/faults', fault);
      conforms('get', '/_emulator/faults', await api.get('/_emulator/faults').expect(200));
      conforms(
        'get',
        '/_emulator/faults/{id}',
        await api.get(`/_emulator/faults/${fault.body.id as string}`).expect(200),
      );
      conforms(
        'delete',
        '/_emulator/faults/{id}',
        await api.delete(`/_emulator/faults/${fault.body.id as string}`).expect(204),
      );
      conforms('delete', '/_emulator/faults', await api.delete('/_emulator/faults').expect(204));

      const registered = await http
        .post('/_emulator/runtime/register')
        .send({
          authKey: keys.authKey1,
          nodeName: 'n1',
          machineName: 'h1',
          version: '5.40.9000.1',
          cores: 2,
          memoryMb: 4096,
        })
        .expect(200);
      conforms('post', '/_emulator/runtime/register', registered);
      const node = { authorization: `Node ${registered.body.nodeCredential as string}` };
      conforms(
        'post',
        '/_emulator/runtime/heartbeat',
        await http
          .post('/_emulator/runtime/heartbeat')
          .set(node)
          .send({ version: '5.40.9000.1', runningJobs: 0 })
          .expect(200),
      );
      conforms('get', '/_emulator/runtime/node', await http.get('/_emulator/runtime/node').set(node).expect(200));
      conforms(
        'put',
        '/_emulator/runtime/node/remote-access',
        await http.put('/_emulator/runtime/node/remote-access').set(node).send({ enabled: false }).expect(200),
      );
      conforms(
        'put',
        '/_emulator/runtime/auto-update',
        await http.put('/_emulator/runtime/auto-update').set(node).send({ autoUpdate: 'Off' }).expect(200),
      );
      conforms('get', '/_emulator/runtime/relay', await http.get('/_emulator/runtime/relay').set(node).expect(200));

      await api
        .post(`/scan/datasources/docs-ds/scans/docs-scan:run${V}&runId=${'1'.repeat(8)}-0000-4000-8000-000000000000`)
        .expect(202);
      const lease = await http.post('/_emulator/runtime/jobs/lease').set(node).send({ maxJobs: 1 }).expect(200);
      conforms('post', '/_emulator/runtime/jobs/lease', lease);
      const job = (lease.body as { jobs: { jobId: string; leaseId: string }[] }).jobs[0];
      expect(job).toBeDefined();
      conforms(
        'post',
        '/_emulator/runtime/jobs/{jobId}/renew',
        await http.post(`/_emulator/runtime/jobs/${job.jobId}/renew`).set(node).send({ leaseId: job.leaseId }),
      );
      conforms(
        'post',
        '/_emulator/runtime/jobs/{jobId}/progress',
        await http
          .post(`/_emulator/runtime/jobs/${job.jobId}/progress`)
          .set(node)
          .send({ leaseId: job.leaseId, assetsDiscovered: 1, assetsClassified: 0, batchesUploaded: 0 }),
      );
      conforms(
        'post',
        '/_emulator/runtime/jobs/{jobId}/complete',
        await http
          .post(`/_emulator/runtime/jobs/${job.jobId}/complete`)
          .set(node)
          .send({
            leaseId: job.leaseId,
            status: 'Failed',
            assetsDiscovered: 1,
            assetsClassified: 0,
            batchCount: 0,
            error: { code: 'Test', message: 'contract test' },
          }),
      );
      conforms('delete', '/_emulator/runtime/node', await http.delete('/_emulator/runtime/node').set(node));
      // Last: it empties the account.
      conforms('post', '/_emulator/reset', await api.post('/_emulator/reset').expect(200));

      const emulatorRoutes = Object.entries(doc.paths)
        .filter(([p]) => p.startsWith('/_emulator/'))
        .flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m} ${p}`));
      expect(emulatorRoutes.filter((r) => !checked.has(r))).toEqual([]);
    }, 60_000);
  });
});

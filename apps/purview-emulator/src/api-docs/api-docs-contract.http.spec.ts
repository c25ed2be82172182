import 'reflect-metadata';
import { createTestApp, registerTestNode, type TestApp } from '../testing/test-app';
import { API_DOCS_PREFIX } from './api-docs';
import { Conformance, type OpenApiDocument } from './testing/openapi-conformance';

const V = '?api-version=2023-09-01';
const IR = 'docs-ir';

/**
 * The contract test of the generated document: real calls to every route it gives a response schema (all of
 * `/_emulator/*` and the Purview routes with zod answers), each answer checked against the document by ajv.
 */
describe('API docs contract: routes answer as documented', () => {
  let emulator: TestApp;
  let doc: OpenApiDocument;
  let conformance: Conformance;

  beforeAll(async () => {
    emulator = await createTestApp();
    doc = (await emulator.http.get(`${API_DOCS_PREFIX}/json`).expect(200)).body as OpenApiDocument;
    conformance = new Conformance(doc);
  });
  afterAll(() => emulator.close());

  it('Purview routes with documented answers, and their errors', async () => {
    const { api, http } = emulator;
    const check = (method: string, path: string, response: Parameters<Conformance['check']>[2]) =>
      conformance.check(method, path, response);
    check(
      'put',
      '/scan/integrationruntimes/{name}',
      await api.put(`/scan/integrationruntimes/${IR}${V}`).send({ kind: 'SelfHosted' }).expect(201),
    );
    check(
      'put',
      '/scan/integrationruntimes/{name}',
      await api
        .put(`/scan/integrationruntimes/${IR}${V}`)
        .send({ kind: 'SelfHosted', properties: { description: 'd' } })
        .expect(200),
    );
    check('get', '/scan/integrationruntimes', await api.get(`/scan/integrationruntimes${V}`).expect(200));
    check('get', '/scan/integrationruntimes/{name}', await api.get(`/scan/integrationruntimes/${IR}${V}`).expect(200));
    check(
      'get',
      '/scan/integrationruntimes/{name}/status',
      await api.get(`/scan/integrationruntimes/${IR}/status${V}`).expect(200),
    );
    const keys = await api.post(`/scan/integrationruntimes/${IR}:listAuthKeys${V}`).expect(200);
    check('post', '/scan/integrationruntimes/{name}:listAuthKeys', keys);
    check(
      'post',
      '/scan/integrationruntimes/{name}:regenerateAuthKey',
      await api.post(`/scan/integrationruntimes/${IR}:regenerateAuthKey${V}`).send({ keyName: 'authKey2' }).expect(200),
    );
    // A registered node, so status, node and monitoring answers carry a node.
    const { node } = await registerTestNode(http, keys.body.authKey1 as string);
    await http
      .post('/_emulator/runtime/heartbeat')
      .set(node)
      .send({ version: '5.40.9000.1', runningJobs: 0, availableMemoryMb: 1024, cpuUtilization: 5 })
      .expect(200);
    check(
      'get',
      '/scan/integrationruntimes/{name}/status',
      await api.get(`/scan/integrationruntimes/${IR}/status${V}`).expect(200),
    );
    check(
      'get',
      '/scan/integrationruntimes/{name}/nodes/{nodeName}',
      await api.get(`/scan/integrationruntimes/${IR}/nodes/n1${V}`).expect(200),
    );
    check(
      'get',
      '/scan/integrationruntimes/{name}/monitoringData',
      await api.get(`/scan/integrationruntimes/${IR}/monitoringData${V}`).expect(200),
    );
    check(
      'post',
      '/scan/integrationruntimes/{name}/monitoringData',
      await api.post(`/scan/integrationruntimes/${IR}/monitoringData${V}`).expect(200),
    );

    const ds = { kind: 'AzureStorage', properties: { endpoint: 'https://devstoreaccount1.blob.core.windows.net/' } };
    check(
      'put',
      '/scan/datasources/{dataSourceName}',
      await api.put(`/scan/datasources/docs-ds${V}`).send(ds).expect(201),
    );
    check(
      'put',
      '/scan/datasources/{dataSourceName}',
      await api.put(`/scan/datasources/docs-ds${V}`).send(ds).expect(200),
    );
    check('get', '/scan/datasources', await api.get(`/scan/datasources${V}`).expect(200));
    check('get', '/scan/datasources/{dataSourceName}', await api.get(`/scan/datasources/docs-ds${V}`).expect(200));
    const scan = { kind: 'AzureStorageMsi', properties: { connectedVia: { referenceName: IR } } };
    const scanPath = '/scan/datasources/{dataSourceName}/scans/{scanName}';
    check('put', scanPath, await api.put(`/scan/datasources/docs-ds/scans/docs-scan${V}`).send(scan).expect(201));
    check('put', scanPath, await api.put(`/scan/datasources/docs-ds/scans/docs-scan${V}`).send(scan).expect(200));
    check(
      'get',
      '/scan/datasources/{dataSourceName}/scans',
      await api.get(`/scan/datasources/docs-ds/scans${V}`).expect(200),
    );
    check('get', scanPath, await api.get(`/scan/datasources/docs-ds/scans/docs-scan${V}`).expect(200));
    for (const name of ['docs-scan-b', 'docs-scan-c'])
      await api.put(`/scan/datasources/docs-ds/scans/${name}${V}`).send(scan).expect(201);
    check('post', `${scanPath}:run`, await api.post(`/scan/datasources/docs-ds/scans/docs-scan:run${V}`).expect(202));
    check(
      'post',
      `${scanPath}/run`,
      await api.post(`/scan/datasources/docs-ds/scans/docs-scan-b/run${V}`).send({}).expect(202),
    );
    check(
      'put',
      `${scanPath}/runs/{runId}`,
      await api
        .put(`/scan/datasources/docs-ds/scans/docs-scan-c/runs/${'2'.repeat(8)}-0000-4000-8000-000000000000${V}`)
        .expect(202),
    );

    const coll = '/account/collections/{name}';
    check(
      'put',
      coll,
      await api
        .put(`/account/collections/docs-c${V.replace('2023-09-01', '2019-11-01-preview')}`)
        .send({ friendlyName: 'Docs' })
        .expect(200),
    );
    const cv = '?api-version=2019-11-01-preview';
    check('get', '/account/collections', await api.get(`/account/collections${cv}`).expect(200));
    check('get', coll, await api.get(`/account/collections/docs-c${cv}`).expect(200));
    check(
      'get',
      `${coll}/getChildCollectionNames`,
      await api.get(`/account/collections/docs-c/getChildCollectionNames${cv}`).expect(200),
    );
    check(
      'get',
      `${coll}/getCollectionPath`,
      await api.get(`/account/collections/docs-c/getCollectionPath${cv}`).expect(200),
    );
    // Both spellings of the data map (`/datamap/api` and the older `/catalog/api`) are documented and answer alike.
    for (const family of ['/datamap/api', '/catalog/api']) {
      for (const path of ['/atlas/v2/types/typedefs', '/atlas/v2/types/typedefs/headers'])
        check('get', `${family}${path}`, await api.get(`${family}${path}${V}`).expect(200));
    }

    // Errors: each family's documented error shape (scanning's envelope, Atlas' own), for 404, 400 and 401.
    check('get', '/scan/integrationruntimes/{name}', await api.get(`/scan/integrationruntimes/none${V}`).expect(404));
    check(
      'put',
      '/scan/datasources/{dataSourceName}',
      await api.put(`/scan/datasources/bad-ds${V}`).send({ kind: 7 }).expect(400),
    );
    check('get', '/scan/datasources', await http.get(`/scan/datasources${V}`).expect(401));
    check(
      'get',
      '/datamap/api/atlas/v2/types/typedef/name/{name}',
      await api.get(`/datamap/api/atlas/v2/types/typedef/name/none${V}`).expect(404),
    );
    check('get', '/_emulator/faults/{id}', await api.get('/_emulator/faults/none').expect(404));

    expect(conformance.mismatches).toEqual([]);
  }, 60_000);

  it('every /_emulator/* route, with a real call each', async () => {
    const check = (method: string, path: string, response: Parameters<Conformance['check']>[2]) =>
      conformance.check(method, path, response);
    const { http, api } = emulator;
    const ir = 'docs-ir-2';
    // A runtime with a registered node, a scan on it with a run for the node to lease.
    await api.put(`/scan/integrationruntimes/${ir}${V}`).send({ kind: 'SelfHosted' }).expect(201);
    const keys = (await api.post(`/scan/integrationruntimes/${ir}:listAuthKeys${V}`).expect(200)).body;
    await api
      .put(`/scan/datasources/docs-ds-2${V}`)
      .send({ kind: 'AzureStorage', properties: { endpoint: 'https://devstoreaccount1.blob.core.windows.net/' } })
      .expect(201);
    await api
      .put(`/scan/datasources/docs-ds-2/scans/docs-scan${V}`)
      .send({ kind: 'AzureStorageMsi', properties: { connectedVia: { referenceName: ir } } })
      .expect(201);

    check('get', '/_emulator/health', await http.get('/_emulator/health'));
    check('get', '/_emulator/info', await http.get('/_emulator/info').expect(200));
    check('get', '/_emulator/metrics', await http.get('/_emulator/metrics').expect(200));
    check('get', '/_emulator/clock', await http.get('/_emulator/clock').expect(200));
    check('put', '/_emulator/clock', await api.put('/_emulator/clock').send({ offsetSeconds: 0 }).expect(200));
    check('delete', '/_emulator/clock', await api.delete('/_emulator/clock').expect(200));
    check('get', '/_emulator/classifications', await api.get('/_emulator/classifications').expect(200));
    check('get', '/_emulator/search/index', await api.get('/_emulator/search/index').expect(200));
    check('post', '/_emulator/search/index:rebuild', await api.post('/_emulator/search/index:rebuild').expect(200));
    check(
      'get',
      '/_emulator/integrationruntimes/{name}/serviceUrls',
      await api.get(`/_emulator/integrationruntimes/${ir}/serviceUrls`).expect(200),
    );
    check(
      'get',
      '/_emulator/integrationruntimes/{name}/relay',
      await api.get(`/_emulator/integrationruntimes/${ir}/relay`).expect(200),
    );
    check(
      'put',
      '/_emulator/integrationruntimes/{name}/relay',
      await api.put(`/_emulator/integrationruntimes/${ir}/relay`).send({ enabled: true }).expect(200),
    );

    const fault = await api
      .post('/_emulator/faults')
      .send({ kind: 'http', path: '/scan/nothing-here', status: 503, count: 1 })
      .expect(201);
    check('post', '/_emulator/faults', fault);
    check('get', '/_emulator/faults', await api.get('/_emulator/faults').expect(200));
    check('get', '/_emulator/faults/{id}', await api.get(`/_emulator/faults/${fault.body.id as string}`).expect(200));
    check(
      'delete',
      '/_emulator/faults/{id}',
      await api.delete(`/_emulator/faults/${fault.body.id as string}`).expect(204),
    );
    check('delete', '/_emulator/faults', await api.delete('/_emulator/faults').expect(204));

    const { response: registered, node } = await registerTestNode(http, keys.authKey1 as string);
    check('post', '/_emulator/runtime/register', registered);
    check(
      'post',
      '/_emulator/runtime/heartbeat',
      await http
        .post('/_emulator/runtime/heartbeat')
        .set(node)
        .send({ version: '5.40.9000.1', runningJobs: 0 })
        .expect(200),
    );
    check('get', '/_emulator/runtime/node', await http.get('/_emulator/runtime/node').set(node).expect(200));
    check(
      'put',
      '/_emulator/runtime/node/remote-access',
      await http.put('/_emulator/runtime/node/remote-access').set(node).send({ enabled: false }).expect(200),
    );
    check(
      'put',
      '/_emulator/runtime/auto-update',
      await http.put('/_emulator/runtime/auto-update').set(node).send({ autoUpdate: 'Off' }).expect(200),
    );
    check('get', '/_emulator/runtime/relay', await http.get('/_emulator/runtime/relay').set(node).expect(200));

    await api
      .post(`/scan/datasources/docs-ds-2/scans/docs-scan:run${V}&runId=${'1'.repeat(8)}-0000-4000-8000-000000000000`)
      .expect(202);
    const lease = await http.post('/_emulator/runtime/jobs/lease').set(node).send({ maxJobs: 1 }).expect(200);
    check('post', '/_emulator/runtime/jobs/lease', lease);
    const job = (lease.body as { jobs: { jobId: string; leaseId: string }[] }).jobs[0];
    expect(job).toBeDefined();
    check(
      'post',
      '/_emulator/runtime/jobs/{jobId}/renew',
      await http.post(`/_emulator/runtime/jobs/${job.jobId}/renew`).set(node).send({ leaseId: job.leaseId }),
    );
    check(
      'post',
      '/_emulator/runtime/jobs/{jobId}/known-etags',
      await http
        .post(`/_emulator/runtime/jobs/${job.jobId}/known-etags`)
        .set(node)
        .send({ leaseId: job.leaseId, qualifiedNames: ['https://devstoreaccount1.blob.core.windows.net/c/a.csv'] }),
    );
    check(
      'post',
      '/_emulator/runtime/jobs/{jobId}/progress',
      await http
        .post(`/_emulator/runtime/jobs/${job.jobId}/progress`)
        .set(node)
        .send({ leaseId: job.leaseId, assetsDiscovered: 1, assetsClassified: 0, batchesUploaded: 0 }),
    );
    check(
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
    check('delete', '/_emulator/runtime/node', await http.delete('/_emulator/runtime/node').set(node));
    // Last: it empties the account.
    check('post', '/_emulator/reset', await api.post('/_emulator/reset').expect(200));

    expect(conformance.mismatches).toEqual([]);
  }, 60_000);

  it('called every /_emulator/* operation and every operation the document gives a success body schema', () => {
    const hasSchema = (op: OpenApiDocument['paths'][string][string]) =>
      Object.entries(op.responses).some(
        ([status, r]) => /^2/.test(status) && Object.keys(Object.values(r.content ?? {})[0]?.schema ?? {}).length > 0,
      );
    const expected = Object.entries(doc.paths).flatMap(([p, ops]) =>
      Object.entries(ops)
        .filter(([, op]) => p.startsWith('/_emulator/') || hasSchema(op))
        .map(([m]) => `${m} ${p}`),
    );
    expect(expected.length).toBeGreaterThan(50);
    expect(expected.filter((r) => !conformance.covered.has(r))).toEqual([]);
  });
});

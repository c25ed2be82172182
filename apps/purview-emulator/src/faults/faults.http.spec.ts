import { randomUUID } from 'node:crypto';
import { tempDir } from '@purview-emulator/testing';
import { createTestApp, TestApp } from '../testing/test-app';

const V = '?api-version=2023-09-01';
const ENDPOINT = 'https://devstoreaccount1.blob.core.windows.net/';

describe('/_emulator/faults', () => {
  let test: TestApp;
  const dir = tempDir('faults-http-');
  const env = { PURVIEW_DATA_DIR: dir.path };

  beforeAll(async () => {
    test = await createTestApp({ env });
  });

  afterAll(async () => {
    await test.close();
    dir.remove();
  });

  afterEach(async () => {
    await test.api.delete('/_emulator/faults').expect(204);
  });

  const inject = async (fault: Record<string, unknown>): Promise<{ id: string }> =>
    (await test.api.post('/_emulator/faults').send(fault).expect(201)).body as { id: string };

  it('refuses a fault that says nothing it can do, naming what to fix; needs an admin token', async () => {
    const unknown = await test.api.post('/_emulator/faults').send({ kind: 'meteor' }).expect(400);
    expect(unknown.body.error.message).toContain('kind must be one of http, scanRunFailure');
    const aimless = await test.api.post('/_emulator/faults').send({ kind: 'http', path: '/scan' }).expect(400);
    expect(aimless.body.error.message).toContain('needs a status (429, 500, 502, 503, 504) or a delayMs');
    const badStatus = await test.api
      .post('/_emulator/faults')
      .send({ kind: 'http', path: '/scan', status: 404 })
      .expect(400);
    expect(badStatus.body.error.message).toContain('status');
    await test.http.post('/_emulator/faults').send({ kind: 'http', path: '/scan', status: 429 }).expect(401);
    await test.api.get(`/_emulator/faults/${randomUUID()}`).expect(404);
  });

  it('throttles matching requests with 429 and Retry-After for `count` calls, in the route family shape', async () => {
    const fault = await inject({
      kind: 'http',
      method: 'get',
      path: '/scan/integrationruntimes',
      status: 429,
      retryAfterSeconds: 3,
      count: 2,
    });
    expect(fault).toEqual(expect.objectContaining({ kind: 'http', method: 'GET', remaining: 2, fired: 0 }));
    for (let i = 0; i < 2; i++) {
      const throttled = await test.api.get(`/scan/integrationruntimes${V}`).expect(429);
      expect(throttled.headers['retry-after']).toBe('3');
      expect(throttled.body).toEqual({
        error: { code: 'TooManyRequests', message: 'Rate limit is exceeded. Try again in 3 seconds.' },
      });
    }
    await test.api.get(`/scan/integrationruntimes${V}`).expect(200);
    // Used up, it is gone; other methods and paths were never hit.
    expect((await test.api.get('/_emulator/faults').expect(200)).body).toEqual({ value: [], count: 0 });

    await inject({ kind: 'http', path: '/datamap/api/atlas', status: 503, count: 1 });
    await test.api.put(`/scan/integrationruntimes/not-hit${V}`).send({ kind: 'SelfHosted' }).expect(201);
    const unavailable = await test.api.get('/datamap/api/atlas/v2/types/typedefs/headers?api-version=2023-09-01');
    expect(unavailable.status).toBe(503);
    expect(unavailable.headers['retry-after']).toBe('1');
    expect(unavailable.body).toEqual({
      requestId: expect.any(String),
      errorCode: expect.any(String),
      errorMessage: expect.stringContaining('ServiceUnavailable'),
    });
  });

  it('slows matching responses by delayMs, and lasts durationSeconds on the emulator clock', async () => {
    const slow = await inject({ kind: 'http', path: '/scan/integrationruntimes', delayMs: 300, durationSeconds: 60 });
    expect(slow).toEqual(expect.objectContaining({ remaining: null, expiresAt: expect.any(String) }));
    const started = performance.now();
    await test.api.get(`/scan/integrationruntimes${V}`).expect(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    await test.api.put('/_emulator/clock').send({ advanceSeconds: 61 }).expect(200);
    expect((await test.api.get('/_emulator/faults').expect(200)).body.count).toBe(0);
    await test.api.delete('/_emulator/clock').expect((r) => expect(r.status).toBeLessThan(300));
  });

  it('fails the next runs of a scan with the given error, then lets runs through', async () => {
    await test.api.put(`/scan/integrationruntimes/fault-ir${V}`).send({ kind: 'SelfHosted' }).expect(201);
    await test.api
      .put(`/scan/datasources/fault-ds${V}`)
      .send({ kind: 'AzureStorage', properties: { endpoint: ENDPOINT } })
      .expect(201);
    await test.api
      .put(`/scan/datasources/fault-ds/scans/fault-scan${V}`)
      .send({ kind: 'AzureStorageMsi', properties: { connectedVia: { referenceName: 'fault-ir' } } })
      .expect(201);
    await inject({
      kind: 'scanRunFailure',
      dataSource: 'FAULT-DS',
      scan: 'fault-scan',
      errorCode: 'DataSourceUnreachable',
      message: 'The storage account did not answer.',
      count: 1,
    });
    const run = async (): Promise<{ status: string; error?: { code: string; message: string } }> => {
      const id = randomUUID();
      await test.api.put(`/scan/datasources/fault-ds/scans/fault-scan/runs/${id}${V}`).expect(202);
      return (await test.api.get(`/scan/datasources/fault-ds/scans/fault-scan/runs/${id}${V}`).expect(200)).body;
    };
    const failed = await run();
    expect(failed.status).toBe('Failed');
    expect(failed.error).toEqual(
      expect.objectContaining({ code: 'DataSourceUnreachable', message: 'The storage account did not answer.' }),
    );
    expect((await run()).status).toBe('Queued');
  });

  it("ignores a node's heartbeats while it lasts: the node goes Offline, then Online again once cleared", async () => {
    await test.api.put(`/scan/integrationruntimes/hb-ir${V}`).send({ kind: 'SelfHosted' }).expect(201);
    const keys = (await test.api.post(`/scan/integrationruntimes/hb-ir/-/listAuthKeys${V}`).expect(200)).body;
    const registered = await test.http
      .post('/_emulator/runtime/register')
      .send({
        authKey: keys.authKey1,
        nodeName: 'node-1',
        machineName: 'h',
        version: '5.40.9000.1',
        cores: 2,
        memoryMb: 4096,
      })
      .expect(200);
    const heartbeat = async (): Promise<{ nodeStatus: string }> =>
      (
        await test.http
          .post('/_emulator/runtime/heartbeat')
          .set('authorization', `Node ${registered.body.nodeCredential as string}`)
          .send({ version: '5.40.9000.1', runningJobs: 0 })
          .expect(200)
      ).body;
    const status = async (): Promise<string> =>
      (await test.api.get(`/scan/integrationruntimes/hb-ir/status${V}`).expect(200)).body.properties.typeProperties
        .nodes[0].status;
    expect((await heartbeat()).nodeStatus).toBe('Online');

    await inject({ kind: 'nodeHeartbeatsIgnored', integrationRuntime: 'hb-ir', node: 'NODE-1' });
    await test.api
      .put('/_emulator/clock')
      .send({ advanceSeconds: test.config.nodeOfflineAfterSeconds + 1 })
      .expect(200);
    expect((await heartbeat()).nodeStatus).toBe('Offline');
    expect(await status()).toBe('Offline');
    const [fault] = (await test.api.get('/_emulator/faults').expect(200)).body.value;
    expect(fault.fired).toBe(1);

    await test.api.delete(`/_emulator/faults/${fault.id as string}`).expect(204);
    expect((await heartbeat()).nodeStatus).toBe('Online');
    expect(await status()).toBe('Online');
    await test.api.delete('/_emulator/clock').expect((r) => expect(r.status).toBeLessThan(300));
  });

  it('keeps faults across a restart', async () => {
    const fault = await inject({ kind: 'http', path: '/scan/datasources', status: 503, count: 5 });
    await test.api.get(`/scan/datasources${V}`).expect(503);
    await test.close();
    test = await createTestApp({ env });
    const listed = (await test.api.get(`/_emulator/faults/${fault.id}`).expect(200)).body;
    expect(listed).toEqual(expect.objectContaining({ remaining: 4, fired: 1 }));
    await test.api.get(`/scan/datasources${V}`).expect(503);
  });
});

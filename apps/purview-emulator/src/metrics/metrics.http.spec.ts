import { randomUUID } from 'node:crypto';
import { createTestApp, TestApp } from '../testing/test-app';

const V = '?api-version=2023-09-01';

/** `name{labels} value` lines of a Prometheus text scrape, as a map from `name{labels}` to the value. */
function samples(text: string): Map<string, number> {
  const map = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    map.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return map;
}

describe('GET /_emulator/metrics', () => {
  let test: TestApp;

  beforeAll(async () => {
    test = await createTestApp();
  });

  afterAll(async () => {
    await test.close();
  });

  const scrape = async (): Promise<Map<string, number>> => {
    const response = await test.http.get('/_emulator/metrics').expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    return samples(response.text);
  };

  it('is public and counts requests by route pattern and status, with their latency', async () => {
    await test.api.put(`/scan/integrationruntimes/metrics-ir${V}`).send({ kind: 'SelfHosted', properties: {} });
    await test.api.get(`/scan/integrationruntimes/metrics-ir/status${V}`).expect(200);
    await test.api.get(`/scan/integrationruntimes/METRICS-IR/status${V}`).expect(200);
    await test.api.get(`/scan/integrationruntimes/no-such-ir/status${V}`).expect(404);
    await test.http.get(`/scan/integrationruntimes/metrics-ir/status${V}`).expect(401);
    await test.http.get('/no/such/route/a1b2c3').expect(404);

    const metrics = await scrape();
    const status = 'route="/scan/integrationruntimes/:name/status"';
    expect(metrics.get(`purview_emulator_http_requests_total{method="GET",${status},status="200"}`)).toBe(2);
    expect(metrics.get(`purview_emulator_http_requests_total{method="GET",${status},status="404"}`)).toBe(1);
    expect(metrics.get(`purview_emulator_http_requests_total{method="GET",${status},status="401"}`)).toBe(1);
    // Unmatched paths share one series: a scan of random URLs does not add one per URL.
    expect(metrics.get('purview_emulator_http_requests_total{method="GET",route="(unmatched)",status="404"}')).toBe(1);
    expect([...metrics.keys()].some((k) => k.includes('a1b2c3'))).toBe(false);
    expect(metrics.get(`purview_emulator_http_request_duration_seconds_count{method="GET",${status}}`)).toBe(4);
    expect(metrics.get(`purview_emulator_http_request_duration_seconds_bucket{le="+Inf",method="GET",${status}}`)).toBe(
      4,
    );
    // Node.js process figures come along (prefixed), e.g. the event loop's lag and the heap.
    expect(metrics.has('purview_emulator_nodejs_eventloop_lag_seconds')).toBe(true);
  });

  it('reports scan runs, their jobs and nodes by status, as the API shows them', async () => {
    const before = await scrape();
    expect(before.get('purview_emulator_integration_runtime_nodes{status="Online"}')).toBe(0);

    await test.api.put(`/scan/integrationruntimes/scan-ir${V}`).send({ kind: 'SelfHosted', properties: {} });
    const keys = await test.api.post(`/scan/integrationruntimes/scan-ir/-/listAuthKeys${V}`).expect(200);
    await test.http
      .post('/_emulator/runtime/register')
      .send({
        authKey: keys.body.authKey1,
        nodeName: 'node-1',
        machineName: 'host-1',
        version: '5.40.9000.1',
        cores: 2,
        memoryMb: 4096,
      })
      .expect((r) => expect(r.status).toBeLessThan(300));
    await test.api
      .put(`/scan/datasources/metrics-ds${V}`)
      .send({ kind: 'AzureStorage', properties: { endpoint: 'https://devstoreaccount1.blob.core.windows.net/' } })
      .expect(201);
    await test.api
      .put(`/scan/datasources/metrics-ds/scans/metrics-scan${V}`)
      .send({ kind: 'AzureStorageMsi', properties: { connectedVia: { referenceName: 'scan-ir' } } })
      .expect(201);
    const runId = randomUUID();
    await test.api.put(`/scan/datasources/metrics-ds/scans/metrics-scan/runs/${runId}${V}`).expect(202);

    const after = await scrape();
    // Registered, its host service not started yet: Initializing, as /status says.
    const status = await test.api.get(`/scan/integrationruntimes/scan-ir/status${V}`).expect(200);
    expect(status.body.properties.typeProperties.nodes[0].status).toBe('Initializing');
    expect(after.get('purview_emulator_integration_runtime_nodes{status="Initializing"}')).toBe(1);
    expect(after.get('purview_emulator_scan_runs{status="Queued"}')).toBe(1);
    expect(after.get('purview_emulator_scan_runs{status="Succeeded"}')).toBe(0);
    expect(after.get('purview_emulator_scan_jobs{status="Queued"}')).toBe(1);
    expect(after.get('purview_emulator_scan_job_requeues')).toBe(0);
    expect(after.get('purview_emulator_ingestion_batches{outcome="ingested"}')).toBe(0);
    expect(after.get('purview_emulator_ingestion_lag_seconds_count')).toBe(0);
    // No Azurite behind this test app: ingestion storage is not ready.
    expect(after.get('purview_emulator_ingestion_storage_ready')).toBe(0);

    await test.api.post(`/scan/datasources/metrics-ds/scans/metrics-scan/runs/${runId}:cancel${V}`).expect(202);
    const canceled = await scrape();
    expect(canceled.get('purview_emulator_scan_runs{status="Queued"}')).toBe(0);
    expect(canceled.get('purview_emulator_scan_runs{status="Canceled"}')).toBe(1);
  });
});

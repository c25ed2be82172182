import { randomUUID } from 'node:crypto';
import type { ScanResultWithIngestion } from '@purview-emulator/contracts';
import { contractViolations, RUN_UNDECLARED, SCANNING_2023_09_01 } from '@purview-emulator/testing';
import { createTestApp, TestApp } from '../testing/test-app';

const SCAN = '/scan/datasources/storage-c/scans/scan-c';

/** Runs as the 2023-09-01 spec declares them: ScanResult_RunScan, ScanResult_GetScanStatus, ScanResult_ListScanHistory. */
describe('scan runs against the 2023-09-01 definitions', () => {
  let emulator: TestApp;
  let http: TestApp['api'];

  beforeAll(async () => {
    emulator = await createTestApp();
    http = emulator.api;
    await http
      .put('/scan/datasources/storage-c?api-version=2023-09-01')
      .send({ kind: 'AzureStorage', properties: { endpoint: 'https://devstoreaccount1.blob.core.windows.net/' } })
      .expect(201);
    // No integration runtime: every run fails at once (IntegrationRuntimeRequired), so the next may start.
    await http.put(`${SCAN}?api-version=2023-09-01`).send({ kind: 'AzureStorageMsi', properties: {} }).expect(201);
  });

  afterAll(() => emulator.close());

  it('POST {scan}:run?runId=&scanLevel= answers 202 OperationResponse with Operation-Location (ScanResult_RunScan)', async () => {
    const runId = randomUUID();
    const response = await http.post(`${SCAN}:run?api-version=2023-09-01&runId=${runId}&scanLevel=Full`).expect(202);
    expect(response.body).toEqual({
      scanResultId: runId,
      startTime: expect.any(String),
      endTime: null,
      status: 'Accepted',
      error: null,
    });
    expect(contractViolations(SCANNING_2023_09_01, 'OperationResponse', response.body)).toEqual([]);
    expect(response.headers['operation-location']).toMatch(
      new RegExp(`/scan/datasources/storage-c/scans/scan-c/runs/${runId}\\?api-version=2023-09-01$`),
    );
    // The operation's status URL is the run.
    const path = new URL(response.headers['operation-location']).pathname;
    const run = (await http.get(`${path}?api-version=2023-09-01`).expect(200)).body as ScanResultWithIngestion;
    expect(run).toMatchObject({ id: runId, scanLevelType: 'Full', runType: 'Manual', webScanResults: null });
  });

  it('history items and a run read carry every ScanResultWithIngestion field, in its types and enums', async () => {
    await http.put(`${SCAN}/runs/${randomUUID()}?api-version=2023-09-01&scanLevel=Incremental`).expect(202);
    const history = (await http.get(`${SCAN}/runs?api-version=2023-09-01`).expect(200)).body as {
      value: ScanResultWithIngestion[];
      count: number;
    };
    expect(history.count).toBeGreaterThanOrEqual(1);
    const declared = Object.keys(
      (SCANNING_2023_09_01.ScanResultWithIngestion as { properties: Record<string, string> }).properties,
    );
    for (const item of history.value) {
      expect(Object.keys(item)).toEqual(expect.arrayContaining(declared));
      expect(
        contractViolations(SCANNING_2023_09_01, 'ScanResultWithIngestion', item, { undeclared: RUN_UNDECLARED }),
      ).toEqual([]);
    }
    const one = (await http.get(`${SCAN}/runs/${history.value[0].id}?api-version=2023-09-01`).expect(200)).body;
    expect(
      contractViolations(SCANNING_2023_09_01, 'ScanResultWithIngestion', one, { undeclared: RUN_UNDECLARED }),
    ).toEqual([]);
  });
});

import type { DataSourceEntity } from './data-source.entity';
import type { ScanEntity } from './scan.entity';
import type { ScanRunEntity } from './scan-run.entity';
import {
  applyCancel,
  applyIngestedBatch,
  applyIngestionFailure,
  finishIfIngested,
  isFinal,
  newRun,
  normalizeRunId,
} from './scan-run.state';

const T0 = '2026-01-01T00:00:00.000Z';
const T1 = '2026-01-01T00:00:10.000Z';
const BATCH = { assetsSucceeded: 2, assetsFailed: 0, relationships: 1 };

function run(): ScanRunEntity {
  const dataSource = {
    id: 'ds',
    name: 'ds',
    kind: 'AzureStorage',
    properties: { endpoint: 'https://a.blob.core.windows.net/' },
  } as unknown as DataSourceEntity;
  const scan = {
    id: 's',
    name: 's',
    scanRulesetName: 'AzureStorage',
    scanRulesetType: 'System',
    integrationRuntimeName: 'ir',
  } as unknown as ScanEntity;
  return newRun({ id: 'r', seq: 1, dataSource, scan, scanLevel: 'Full', now: T0 });
}

describe('scan run state machine', () => {
  it('normalizes run ids (braces, case)', () => {
    expect(normalizeRunId('{138301E4-F4F9-4AB5-B734-BAC446B236E7}')).toBe('138301e4-f4f9-4ab5-b734-bac446b236e7');
  });

  it('starts Queued with no node, attempt 1 and nothing counted', () => {
    expect(run()).toEqual(
      expect.objectContaining({
        status: 'Queued',
        discoveryStatus: 'Queued',
        ingestionStatus: 'Queued',
        attempt: 1,
        startTime: null,
        nodes: [],
        batchCount: null,
      }),
    );
  });

  it('finishes when ingested batches catch up with batchCount, whichever comes first', () => {
    const r = run();
    r.status = 'InProgress';
    r.discoveryStatus = 'Succeeded';
    applyIngestedBatch(r, BATCH, T0);
    finishIfIngested(r, T1);
    expect(r.status).toBe('InProgress'); // batchCount unknown until every part completed
    r.batchCount = 2;
    applyIngestedBatch(r, BATCH, T1);
    expect(r).toEqual(
      expect.objectContaining({
        status: 'Succeeded',
        ingestionStatus: 'Succeeded',
        endTime: T1,
        batchesIngested: 2,
        ingestedAssetsSucceeded: 4,
      }),
    );
  });

  it('fails a run whose batch can never be ingested, cancelling discovery still running', () => {
    const r = run();
    r.status = 'InProgress';
    r.discoveryStatus = 'Running';
    applyIngestionFailure(r, 'poison', T1);
    expect(r).toEqual(
      expect.objectContaining({
        status: 'Failed',
        discoveryStatus: 'Cancelled',
        ingestionStatus: 'Failed',
        errorCode: 'IngestionFailed',
        errorMessage: 'poison',
      }),
    );
  });

  it('counts batches of a finished run without changing its outcome', () => {
    const r = run();
    applyCancel(r, T0);
    applyIngestedBatch(r, BATCH, T1);
    expect(r).toEqual(
      expect.objectContaining({
        status: 'Canceled',
        ingestionStatus: 'Canceled',
        batchesIngested: 1,
        ingestedAssetsSucceeded: 2,
      }),
    );
    expect(isFinal(r)).toBe(true);
  });

  it('keeps discovery Succeeded when a run waiting for ingestion is canceled', () => {
    const r = run();
    r.status = 'InProgress';
    r.discoveryStatus = 'Succeeded';
    r.batchCount = 3;
    applyCancel(r, T1);
    expect(r).toEqual(
      expect.objectContaining({ status: 'Canceled', discoveryStatus: 'Succeeded', ingestionStatus: 'Canceled' }),
    );
  });
});

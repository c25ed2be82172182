import type { DataSourceEntity } from './data-source.entity';
import type { ScanEntity } from './scan.entity';
import type { ScanRunEntity } from './scan-run.entity';
import { MAX_ATTEMPTS, applyCancel, applyCompletion, applyIngestedBatch, checkLease, expireLease, isFinal, leaseRun, newRun, normalizeRunId } from './scan-run.state';

const T0 = '2026-01-01T00:00:00.000Z';
const T1 = '2026-01-01T00:00:10.000Z';
const T2 = '2026-01-01T00:01:00.000Z';
const NODE = { nodeId: 'n-1', nodeName: 'node1' };
const BATCH = { assetsSucceeded: 2, assetsFailed: 0, relationships: 1 };

function run(): ScanRunEntity {
  const dataSource = { id: 'ds', name: 'ds', kind: 'AzureStorage', properties: { endpoint: 'https://a.blob.core.windows.net/' } } as unknown as DataSourceEntity;
  const scan = { id: 's', name: 's', scanRulesetName: 'AzureStorage', scanRulesetType: 'System', integrationRuntimeName: 'ir' } as unknown as ScanEntity;
  return newRun({ id: 'r', seq: 1, dataSource, scan, scanLevel: 'Full', now: T0 });
}

describe('scan run state machine', () => {
  it('normalizes run ids (braces, case)', () => {
    expect(normalizeRunId('{138301E4-F4F9-4AB5-B734-BAC446B236E7}')).toBe('138301e4-f4f9-4ab5-b734-bac446b236e7');
  });

  it('starts Queued, then a lease makes it InProgress with start times that later attempts keep', () => {
    const r = run();
    expect(r).toEqual(expect.objectContaining({ status: 'Queued', discoveryStatus: 'Queued', ingestionStatus: 'Queued', attempt: 1, startTime: null }));
    leaseRun(r, NODE, 'l1', T0, T1);
    expect(r).toEqual(expect.objectContaining({ status: 'InProgress', discoveryStatus: 'Running', startTime: T0, leaseId: 'l1', nodes: ['node1'] }));
    expect(expireLease(r, T2, 30)).toBe('requeued');
    leaseRun(r, NODE, 'l2', T2, T2);
    expect(r).toEqual(expect.objectContaining({ startTime: T0, attempt: 2, nodes: ['node1'] }));
  });

  it('fails on the last attempt instead of re-queueing', () => {
    const r = run();
    for (let i = 1; i < MAX_ATTEMPTS; i++) {
      leaseRun(r, NODE, `l${i}`, T0, T1);
      expect(expireLease(r, T2, 30)).toBe('requeued');
    }
    leaseRun(r, NODE, 'last', T0, T1);
    expect(expireLease(r, T2, 30)).toBe('failed');
    expect(r).toEqual(expect.objectContaining({ status: 'Failed', attempt: MAX_ATTEMPTS, leaseId: null, errorCode: 'IntegrationRuntimeNodeUnresponsive' }));
  });

  it('checks leases: right id and node only, and reports expiry for the caller to apply', () => {
    const r = run();
    leaseRun(r, NODE, 'l1', T0, T1);
    expect(checkLease(r, NODE, 'l1', T0)).toEqual({ ok: true });
    expect(checkLease(r, { nodeId: 'other' }, 'l1', T0)).toEqual(expect.objectContaining({ ok: false, expired: false }));
    expect(checkLease(r, NODE, 'l1', T2)).toEqual(expect.objectContaining({ ok: false, expired: true }));
    expect(checkLease(r, NODE, 'zz', T0)).toEqual(expect.objectContaining({ ok: false, expired: false, message: expect.stringContaining('leased again') }));
  });

  it('finishes when ingested batches catch up with batchCount, whichever comes first', () => {
    const early = run();
    leaseRun(early, NODE, 'l1', T0, T1);
    applyIngestedBatch(early, BATCH, T0);
    applyIngestedBatch(early, BATCH, T0);
    applyCompletion(early, { leaseId: 'l1', status: 'Succeeded', assetsDiscovered: 4, assetsClassified: 0, assetsFailed: 0, batchCount: 2 }, T1);
    expect(early).toEqual(expect.objectContaining({ status: 'Succeeded', ingestionStatus: 'Succeeded', endTime: T1, completedLeaseId: 'l1', leaseId: null }));

    const late = run();
    leaseRun(late, NODE, 'l1', T0, T1);
    applyCompletion(late, { leaseId: 'l1', status: 'Succeeded', assetsDiscovered: 4, assetsClassified: 0, assetsFailed: 0, batchCount: 1 }, T0);
    expect(late).toEqual(expect.objectContaining({ status: 'InProgress', discoveryStatus: 'Succeeded', ingestionStatus: 'InProgress', endTime: null }));
    applyIngestedBatch(late, BATCH, T1);
    expect(late).toEqual(expect.objectContaining({ status: 'Succeeded', endTime: T1 }));
  });

  it('counts batches of a finished run without changing its outcome', () => {
    const r = run();
    applyCancel(r, T0);
    applyIngestedBatch(r, BATCH, T1);
    expect(r).toEqual(expect.objectContaining({ status: 'Canceled', ingestionStatus: 'Canceled', batchesIngested: 1, ingestedAssetsSucceeded: 2 }));
    expect(isFinal(r)).toBe(true);
  });

  it('keeps discovery Succeeded when a run waiting for ingestion is canceled', () => {
    const r = run();
    leaseRun(r, NODE, 'l1', T0, T1);
    applyCompletion(r, { leaseId: 'l1', status: 'Succeeded', assetsDiscovered: 1, assetsClassified: 0, assetsFailed: 0, batchCount: 3 }, T0);
    applyCancel(r, T1);
    expect(r).toEqual(expect.objectContaining({ status: 'Canceled', discoveryStatus: 'Succeeded', ingestionStatus: 'Canceled' }));
  });
});

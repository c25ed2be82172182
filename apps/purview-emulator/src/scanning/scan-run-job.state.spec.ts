import { ScanNotificationCode } from '@purview-emulator/contracts';
import type { DataSourceEntity } from './data-source.entity';
import type { ScanEntity } from './scan.entity';
import { MAX_ATTEMPTS, applyIngestedBatch, newRun } from './scan-run.state';
import {
  MAX_PARTS,
  RunParts,
  applyPartCompletion,
  applyPartProgress,
  cancelRunParts,
  checkPartLease,
  expirePartLease,
  leasePart,
  newJobs,
  partCountFor,
  pickParts,
  retryDelaySeconds,
} from './scan-run-job.state';

const T0 = '2026-01-01T00:00:00.000Z';
const T1 = '2026-01-01T00:00:10.000Z';
const T2 = '2026-01-01T00:01:00.000Z';
const A = { nodeId: 'n-a', nodeName: 'node-a' };
const B = { nodeId: 'n-b', nodeName: 'node-b' };
const BATCH = { assetsSucceeded: 2, assetsFailed: 0, relationships: 1 };

function runOf(parts: number, id = 'r', seq = 1): RunParts {
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
  const run = newRun({ id, seq, dataSource, scan, scanLevel: 'Full', now: T0 });
  return {
    run,
    jobs: newJobs(
      run,
      Array.from({ length: parts }, (_, i) => `${id}-j${i}`),
      T0,
    ),
  };
}

const done = (leaseId: string, assets: number, batchCount: number) => ({
  leaseId,
  status: 'Succeeded' as const,
  assetsDiscovered: assets,
  assetsClassified: 1,
  assetsFailed: 0,
  batchCount,
});

describe('scan run parts', () => {
  it('spreads storage scans over the accepting nodes (1 to 4 parts); other kinds get one part', () => {
    expect(partCountFor('AzureStorage', 0)).toBe(1);
    expect(partCountFor('AzureStorage', 2)).toBe(2);
    expect(partCountFor('AdlsGen2', 9)).toBe(MAX_PARTS);
    expect(partCountFor('AzureSqlDatabase', 3)).toBe(1);
    const { jobs } = runOf(3);
    expect(jobs.map((j) => [j.partIndex, j.partCount, j.status, j.attempt])).toEqual([
      [0, 3, 'Queued', 1],
      [1, 3, 'Queued', 1],
      [2, 3, 'Queued', 1],
    ]);
  });

  it('makes the run InProgress at the first lease, sums counts, and ends discovery when every part completed', () => {
    const parts = runOf(2);
    const [p0, p1] = parts.jobs;
    leasePart(parts, p0, A, 'l0', T0, T1);
    expect(parts.run).toEqual(
      expect.objectContaining({ status: 'InProgress', discoveryStatus: 'Running', startTime: T0, nodes: ['node-a'] }),
    );
    leasePart(parts, p1, B, 'l1', T1, T2);
    expect(parts.run.startTime).toBe(T0);
    applyPartProgress(parts, p0, { leaseId: 'l0', assetsDiscovered: 3, assetsClassified: 1, batchesUploaded: 1 }, T1);
    applyPartProgress(parts, p1, { leaseId: 'l1', assetsDiscovered: 4, assetsClassified: 0, batchesUploaded: 2 }, T1);
    expect(parts.run).toEqual(
      expect.objectContaining({ assetsDiscovered: 7, assetsClassified: 1, batchesUploaded: 3 }),
    );

    applyPartCompletion(parts, p0, done('l0', 5, 2), T1);
    expect(parts.run).toEqual(
      expect.objectContaining({ status: 'InProgress', discoveryStatus: 'Running', batchCount: null }),
    );
    applyPartCompletion(parts, p1, done('l1', 6, 3), T2);
    expect(parts.run).toEqual(
      expect.objectContaining({
        discoveryStatus: 'Succeeded',
        discoveryEndTime: T2,
        ingestionStatus: 'InProgress',
        batchCount: 5,
        assetsDiscovered: 11,
        assetsClassified: 2,
        nodes: ['node-a', 'node-b'],
      }),
    );
    for (let i = 0; i < 5; i++) applyIngestedBatch(parts.run, BATCH, T2);
    expect(parts.run.status).toBe('Succeeded');
  });

  it('re-queues an expired part for any node while the other part runs on, and the run still succeeds', () => {
    const parts = runOf(2);
    const [p0, p1] = parts.jobs;
    leasePart(parts, p0, A, 'l0', T0, T1);
    leasePart(parts, p1, B, 'l1', T0, T1);
    expect(expirePartLease(parts, p1, T2, 30)).toBe('requeued');
    expect(p1).toEqual(expect.objectContaining({ status: 'Queued', attempt: 2, leaseId: null }));
    expect(parts.run).toEqual(expect.objectContaining({ status: 'InProgress', attempt: 2 }));
    expect(parts.run.notifications[0]).toEqual({
      code: ScanNotificationCode.LeaseExpired,
      message: expect.stringContaining("Node 'node-b' stopped renewing its lease on part 2 of 2 of this run"),
    });
    leasePart(parts, p1, A, 'l2', T2, T2);
    applyPartCompletion(parts, p0, done('l0', 1, 0), T2);
    applyPartCompletion(parts, p1, done('l2', 1, 0), T2);
    expect(parts.run).toEqual(expect.objectContaining({ status: 'Succeeded', nodes: ['node-a', 'node-b'] }));
    expect(p1.nodes).toEqual(['node-b', 'node-a']);
  });

  it('goes back to Queued when its only leased part expires, and fails the run on the last attempt', () => {
    const parts = runOf(1);
    const [p] = parts.jobs;
    for (let i = 1; i < MAX_ATTEMPTS; i++) {
      leasePart(parts, p, A, `l${i}`, T0, T1);
      expect(expirePartLease(parts, p, T2, 30)).toBe('requeued');
      expect(parts.run).toEqual(
        expect.objectContaining({ status: 'Queued', discoveryStatus: 'Queued', startTime: T0 }),
      );
    }
    leasePart(parts, p, B, 'last', T0, T1);
    expect(expirePartLease(parts, p, T2, 30)).toBe('failed');
    expect(p).toEqual(expect.objectContaining({ status: 'Failed', attempt: MAX_ATTEMPTS, leaseId: null }));
    expect(parts.run).toEqual(
      expect.objectContaining({
        status: 'Failed',
        discoveryStatus: 'Failed',
        errorCode: 'IntegrationRuntimeNodeUnresponsive',
        errorMessage: expect.stringContaining("'node-a', 'node-b'"),
      }),
    );
  });

  it('fails the run when one part fails, and cancels the others so their nodes stop', () => {
    const parts = runOf(3);
    const [p0, p1, p2] = parts.jobs;
    leasePart(parts, p0, A, 'l0', T0, T1);
    leasePart(parts, p1, B, 'l1', T0, T1);
    applyPartCompletion(
      parts,
      p0,
      { ...done('l0', 2, 0), status: 'Failed', error: { code: 'SourceUnreachable', message: 'no route' } },
      T1,
    );
    expect(parts.run).toEqual(
      expect.objectContaining({ status: 'Failed', errorCode: 'SourceUnreachable', errorMessage: 'no route' }),
    );
    expect([p0.status, p1.status, p2.status]).toEqual(['Failed', 'Canceled', 'Canceled']);
    expect(checkPartLease(parts, p1, B, 'l1', T1)).toEqual({
      ok: false,
      expired: false,
      message: expect.stringContaining('ended as Failed (no route)'),
    });
    expect(checkPartLease(parts, p0, A, 'l0', T1)).toEqual({
      ok: false,
      expired: false,
      message: expect.stringContaining('already completed with this lease'),
    });
  });

  it('re-queues a part whose node failed it as retryable (storage unreachable), and fails the run only on the last attempt', () => {
    const parts = runOf(2);
    const [p0, p1] = parts.jobs;
    const uploadFailed = {
      code: 'IngestionUploadFailed',
      message: 'Cannot upload batch blob: ECONNREFUSED',
      retryable: true,
    };
    leasePart(parts, p0, A, 'l0', T0, T1);
    leasePart(parts, p1, B, 'l1', T0, T1);
    applyPartCompletion(parts, p1, { ...done('l1', 2, 0), status: 'Failed', error: uploadFailed }, T1);
    expect(p1).toEqual(expect.objectContaining({ status: 'Queued', attempt: 2, leaseId: null }));
    expect([p0.status, parts.run.status]).toEqual(['Leased', 'InProgress']);
    expect(parts.run.notifications).toEqual([
      {
        code: ScanNotificationCode.JobRetried,
        message: expect.stringMatching(
          /^Node 'node-b' could not finish part 2 of 2 of this run: Cannot upload batch blob: ECONNREFUSED Part 2 of 2 went back to the queue as attempt 2 of 3\.$/,
        ),
      },
    ]);
    // The same lease completing again changes nothing.
    expect(checkPartLease(parts, p1, B, 'l1', T1)).toEqual(
      expect.objectContaining({ ok: false, message: expect.stringContaining('already completed with this lease') }),
    );
    for (let attempt = 2; attempt <= MAX_ATTEMPTS; attempt++) {
      leasePart(parts, p1, A, `retry${attempt}`, T1, T2);
      applyPartCompletion(parts, p1, { ...done(`retry${attempt}`, 2, 0), status: 'Failed', error: uploadFailed }, T2);
    }
    expect(p1).toEqual(expect.objectContaining({ status: 'Failed', attempt: MAX_ATTEMPTS }));
    expect(parts.run).toEqual(
      expect.objectContaining({
        status: 'Failed',
        errorCode: 'IngestionUploadFailed',
        errorMessage: uploadFailed.message,
      }),
    );
    expect(parts.run.notifications.map((n) => n.code)).toEqual([
      ScanNotificationCode.JobRetried,
      ScanNotificationCode.JobRetried,
      ScanNotificationCode.IngestionUploadFailed,
    ]);
  });

  it('holds a part re-queued after a retryable failure for a while (15 s, then 30 s), unlike one whose lease expired', () => {
    const parts = runOf(2);
    const [p0, p1] = parts.jobs;
    const listingFailed = { code: 'ScanFailed', message: 'Cannot list blobs: ECONNREFUSED', retryable: true };
    leasePart(parts, p0, A, 'l0', T0, T1);
    leasePart(parts, p1, B, 'l1', T0, T1);
    applyPartCompletion(parts, p1, { ...done('l1', 0, 0), status: 'Failed', error: listingFailed }, T1);
    expect(p1).toEqual(
      expect.objectContaining({ status: 'Queued', attempt: 2, notBefore: '2026-01-01T00:00:25.000Z' }),
    );
    leasePart(parts, p1, A, 'l2', T2, T2);
    expect(p1.notBefore).toBeNull();
    applyPartCompletion(parts, p1, { ...done('l2', 0, 0), status: 'Failed', error: listingFailed }, T2);
    expect(p1).toEqual(
      expect.objectContaining({ status: 'Queued', attempt: 3, notBefore: '2026-01-01T00:01:30.000Z' }),
    );
    expect([retryDelaySeconds(2), retryDelaySeconds(3)]).toEqual([15, 30]);
    // A node that vanished is no reason to wait: its part goes to another node at once.
    expect(expirePartLease(parts, p0, T2, 30)).toBe('requeued');
    expect(p0.notBefore).toBeNull();
  });

  it('fails the run at once on a failure that is not retryable', () => {
    const parts = runOf(1);
    leasePart(parts, parts.jobs[0], A, 'l0', T0, T1);
    applyPartCompletion(
      parts,
      parts.jobs[0],
      { ...done('l0', 2, 0), status: 'Failed', error: { code: 'ScanFailed', message: '403' } },
      T1,
    );
    expect(parts.run).toEqual(expect.objectContaining({ status: 'Failed', attempt: 1 }));
    expect(parts.run.notifications).toEqual([{ code: ScanNotificationCode.ScanFailed, message: '403' }]);
  });

  it('ends discovery CompletedWithExceptions when files failed, naming the first files and counting the rest', () => {
    const parts = runOf(2);
    const [p0, p1] = parts.jobs;
    leasePart(parts, p0, A, 'l0', T0, T1);
    leasePart(parts, p1, B, 'l1', T0, T1);
    const files = (n: number, part: number) =>
      Array.from({ length: n }, (_, i) => ({
        qualifiedName: `https://a.blob.core.windows.net/c/p${part}-${i}.csv`,
        reason: 'ECONNREFUSED',
      }));
    applyPartCompletion(parts, p0, { ...done('l0', 40, 1), assetsFailed: 30, failures: files(8, 0) }, T1);
    applyPartCompletion(parts, p1, { ...done('l1', 10, 1), assetsFailed: 6, failures: files(6, 1) }, T2);
    expect(parts.run).toEqual(
      expect.objectContaining({
        status: 'InProgress',
        discoveryStatus: 'CompletedWithExceptions',
        assetsFailed: 36,
        batchCount: 2,
      }),
    );
    const notes = parts.run.notifications;
    // Ten files named in all (8 of part 1, 2 of part 2), then how many more of each part.
    expect(notes.filter((n) => n.code === ScanNotificationCode.FileNotRead)).toHaveLength(10);
    expect(notes[0]).toEqual({
      code: ScanNotificationCode.FileNotRead,
      message: "Could not read https://a.blob.core.windows.net/c/p0-0.csv (part 1 of 2, node 'node-a'): ECONNREFUSED",
    });
    expect(notes.filter((n) => n.code === ScanNotificationCode.MoreFilesNotRead).map((n) => n.message)).toEqual([
      expect.stringMatching(/^22 more file\(s\) of part 1 of 2 of this run could not be read/),
      expect.stringMatching(/^4 more file\(s\) of part 2 of 2 of this run could not be read/),
    ]);
    applyIngestedBatch(parts.run, BATCH, T2);
    applyIngestedBatch(parts.run, { ...BATCH, assetsSucceeded: 1 }, T2);
    // The run itself succeeds (the top-level status has no partial value); discovery keeps saying so.
    expect(parts.run).toEqual(
      expect.objectContaining({
        status: 'Succeeded',
        ingestionStatus: 'Succeeded',
        discoveryStatus: 'CompletedWithExceptions',
      }),
    );
  });

  it('keeps discovery Succeeded when no file failed', () => {
    const parts = runOf(1);
    leasePart(parts, parts.jobs[0], A, 'l0', T0, T1);
    applyPartCompletion(parts, parts.jobs[0], done('l0', 3, 0), T1);
    expect(parts.run).toEqual(
      expect.objectContaining({ status: 'Succeeded', discoveryStatus: 'Succeeded', notifications: [] }),
    );
  });

  it('cancels every open part with the run, keeping completed ones', () => {
    const parts = runOf(2);
    const [p0, p1] = parts.jobs;
    leasePart(parts, p0, A, 'l0', T0, T1);
    applyPartCompletion(parts, p0, done('l0', 1, 1), T1);
    leasePart(parts, p1, B, 'l1', T1, T2);
    cancelRunParts(parts, T2);
    expect(parts.run.status).toBe('Canceled');
    expect([p0.status, p1.status]).toEqual(['Completed', 'Canceled']);
    expect(checkPartLease(parts, p1, B, 'l1', T1)).toEqual({
      ok: false,
      expired: false,
      message: expect.stringContaining('was canceled'),
    });
  });

  it('checks leases per part: right id and node only, and reports expiry for the caller to apply', () => {
    const parts = runOf(2);
    const [p0, p1] = parts.jobs;
    leasePart(parts, p0, A, 'l0', T0, T1);
    expect(checkPartLease(parts, p0, A, 'l0', T0)).toEqual({ ok: true });
    expect(checkPartLease(parts, p0, B, 'l0', T0)).toEqual(expect.objectContaining({ ok: false, expired: false }));
    expect(checkPartLease(parts, p1, A, 'l0', T0)).toEqual(
      expect.objectContaining({ ok: false, message: expect.stringContaining('queued again') }),
    );
    expect(checkPartLease(parts, p0, A, 'l0', T2)).toEqual(expect.objectContaining({ ok: false, expired: true }));
  });

  describe('picking parts for a lease call', () => {
    const nodes = [
      { nodeId: 'n-a', acceptsJobs: true, concurrentJobsLimit: 4 },
      { nodeId: 'n-b', acceptsJobs: true, concurrentJobsLimit: 4 },
    ];

    it('leaves parts of a spread run to the other node while it has room', () => {
      const { jobs } = runOf(2);
      expect(pickParts({ nodeId: 'n-a', maxJobs: 4, nodes, leased: [], queued: jobs }).map((j) => j.partIndex)).toEqual(
        [0],
      );
      expect(
        pickParts({
          nodeId: 'n-b',
          maxJobs: 4,
          nodes,
          leased: [{ leaseNodeId: 'n-a', runId: 'r' }],
          queued: jobs.slice(1),
        }).map((j) => j.partIndex),
      ).toEqual([1]);
      // Node b is full: node a may take every part.
      const full = [nodes[0], { ...nodes[1], concurrentJobsLimit: 1 }];
      expect(
        pickParts({
          nodeId: 'n-a',
          maxJobs: 4,
          nodes: full,
          leased: [{ leaseNodeId: 'n-b', runId: 'other' }],
          queued: jobs,
        }),
      ).toHaveLength(2);
    });

    it('never gives a node more than its concurrentJobsLimit, whatever it asks for', () => {
      const queued = [...runOf(1, 'r1', 1).jobs, ...runOf(1, 'r2', 2).jobs, ...runOf(1, 'r3', 3).jobs];
      const limited = [{ nodeId: 'n-a', acceptsJobs: true, concurrentJobsLimit: 2 }];
      expect(pickParts({ nodeId: 'n-a', maxJobs: 8, nodes: limited, leased: [], queued }).map((j) => j.runId)).toEqual([
        'r1',
        'r2',
      ]);
      expect(
        pickParts({
          nodeId: 'n-a',
          maxJobs: 8,
          nodes: limited,
          leased: [{ leaseNodeId: 'n-a', runId: 'r1' }],
          queued: queued.slice(1),
        }).map((j) => j.runId),
      ).toEqual(['r2']);
      expect(
        pickParts({
          nodeId: 'n-a',
          maxJobs: 8,
          nodes: limited,
          leased: [
            { leaseNodeId: 'n-a', runId: 'r1' },
            { leaseNodeId: 'n-a', runId: 'r2' },
          ],
          queued: queued.slice(2),
        }),
      ).toEqual([]);
    });

    it('gives nothing to a node that does not accept jobs or is unknown', () => {
      const { jobs } = runOf(1);
      expect(
        pickParts({
          nodeId: 'n-a',
          maxJobs: 4,
          nodes: [{ nodeId: 'n-a', acceptsJobs: false, concurrentJobsLimit: 4 }],
          leased: [],
          queued: jobs,
        }),
      ).toEqual([]);
      expect(pickParts({ nodeId: 'n-x', maxJobs: 4, nodes, leased: [], queued: jobs })).toEqual([]);
    });
  });
});

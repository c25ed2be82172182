import {
  type IngestionBatch,
  type IngestionMessage,
  MAX_REPORTED_FILE_FAILURES,
  storageSourceOf,
} from '@purview-emulator/contracts';
import { ConnectorError } from '@purview-emulator/scan-engine';
import { RuntimeClient } from '../client/runtime-client';
import { createLogger } from '../log';
import { FakeEmulator, SAS, sampleJob } from '../testing/fake-emulator';
import { pollUntil } from '@purview-emulator/testing';
import { asset, stubScanner } from '../testing/stub-scanner';
import { batchIdFor } from './batch-names';
import { azureIngestionSink } from './ingestion-sink';
import { type JobRunnerDeps, runScanJob } from './job-runner';

const CREDENTIAL = '0b6f3a52-5d0e-4c8b-9a0e-0d2c9f1e7a11.bm9kZS1jcmVkZW50aWFsLXNlY3JldC12YWx1ZS0xMjM0NQ';
const SIG = /SuperSecretSignature/;

let fake: FakeEmulator;
let lines: string[];
beforeEach(async () => {
  fake = await FakeEmulator.start();
  lines = [];
});
afterEach(() => fake.close());

function deps(overrides: Partial<JobRunnerDeps> = {}): JobRunnerDeps {
  return {
    client: new RuntimeClient({ baseUrl: fake.url, credential: CREDENTIAL }),
    scanner: stubScanner({ assets: [] }),
    ingestion: azureIngestionSink,
    logger: createLogger({ write: (l) => lines.push(l) }),
    batchLimits: { maxAssets: 3, maxBytes: 1 << 20 },
    retry: { initialMs: 10, maxMs: 20 },
    ...overrides,
  };
}

const assets = Array.from({ length: 7 }, (_, i) => asset(i, { classified: i % 3 === 0 }));

describe('runScanJob', () => {
  it('runs one part of a spread run: its own job id, blob folder and batch ids, the run id in every batch, the partition to the scanner', async () => {
    const base = sampleJob(fake);
    const job = sampleJob(fake, {
      jobId: 'job-part-2',
      source: { ...storageSourceOf(base), partition: { index: 1, count: 2 } },
      ingestion: { ...base.ingestion, blobPrefix: 'runs/run-1/parts/1/' },
    });
    let partition: unknown;
    const scanner = stubScanner({ assets: assets.slice(0, 4) });
    const outcome = await runScanJob(
      job,
      deps({
        scanner: (source, options) => ((partition = storageSourceOf({ source }).partition), scanner(source, options)),
      }),
      new AbortController().signal,
    );

    expect(outcome).toEqual(expect.objectContaining({ status: 'Succeeded', assetsDiscovered: 4, batchCount: 2 }));
    expect(partition).toEqual({ index: 1, count: 2 });
    expect([...fake.blobs.keys()]).toEqual([
      'runs/run-1/parts/1/job-part-2-00001.json',
      'runs/run-1/parts/1/job-part-2-00002.json',
    ]);
    const batches = [...fake.blobs.values()].map((b) => JSON.parse(b) as IngestionBatch);
    expect(batches.map((b) => [b.runId, b.jobId, b.batchId])).toEqual([
      ['run-1', 'job-part-2', batchIdFor('job-part-2', 1)],
      ['run-1', 'job-part-2', batchIdFor('job-part-2', 2)],
    ]);
    // Another part of the same run never reuses these ids.
    expect(batchIdFor('job-part-1', 1)).not.toBe(batchIdFor('job-part-2', 1));
    expect(fake.calls('complete').map((c) => c.jobId)).toEqual(['job-part-2']);
    expect(lines[0]).toMatch(/ INFO Scan run run-1 part 2\/2 started \(ds\/scan\)$/);
    expect(lines.at(-1)).toMatch(/ INFO Scan run run-1 part 2\/2 Succeeded: 4 assets discovered/);
  });

  it("hands the scanner the job's scan rule set and filter", async () => {
    const scanRuleset = {
      name: 'hr-rules',
      type: 'Custom' as const,
      version: 2,
      fileExtensions: ['CSV'],
      customFileExtensions: [],
      excludedSystemClassifications: ['MICROSOFT.PERSONAL.EMAIL'],
      customRules: [],
    };
    const filter = { includeUriPrefixes: [], excludeUriPrefixes: ['https://a.blob.core.windows.net/c/archive/'] };
    const seen: unknown[] = [];
    const scanner = stubScanner({ assets: assets.slice(0, 1) });
    const outcome = await runScanJob(
      sampleJob(fake, { scanRuleset, filter }),
      deps({
        scanner: (source, options) => (seen.push([options.scanRuleset, options.filter]), scanner(source, options)),
      }),
      new AbortController().signal,
    );
    expect(outcome.status).toBe('Succeeded');
    expect(seen).toEqual([[scanRuleset, filter]]);
  });

  it('scans, uploads batches (blob, then queue message), reports progress and completes', async () => {
    const outcome = await runScanJob(
      sampleJob(fake),
      deps({ scanner: stubScanner({ assets }) }),
      new AbortController().signal,
    );

    expect(outcome).toEqual({
      status: 'Succeeded',
      assetsDiscovered: 7,
      assetsClassified: 3,
      assetsFailed: 0,
      batchCount: 3,
    });
    expect([...fake.blobs.keys()]).toEqual([
      'runs/run-1/run-1-00001.json',
      'runs/run-1/run-1-00002.json',
      'runs/run-1/run-1-00003.json',
    ]);
    const batches = [...fake.blobs.values()].map((b) => JSON.parse(b) as IngestionBatch);
    expect(batches.map((b) => [b.sequence, b.assets.length, b.batchId])).toEqual([
      [1, 3, batchIdFor('run-1', 1)],
      [2, 3, batchIdFor('run-1', 2)],
      [3, 1, batchIdFor('run-1', 3)],
    ]);
    expect(batches.flatMap((b) => b.assets)).toEqual(assets);
    expect(batches.every((b) => b.version === 1 && b.runId === 'run-1' && b.jobId === 'run-1')).toBe(true);

    const messages = fake.messages.map((m) => JSON.parse(m) as IngestionMessage);
    expect(messages).toEqual(
      batches.map((b, i) => ({
        version: 1,
        runId: 'run-1',
        jobId: 'run-1',
        batchId: b.batchId,
        sequence: b.sequence,
        blobName: [...fake.blobs.keys()][i],
        assetCount: b.assets.length,
      })),
    );
    // Each message follows its blob.
    const storage = fake.requests.filter((r) => r.route === 'blob' || r.route === 'queue').map((r) => r.route);
    expect(storage).toEqual(['blob', 'queue', 'blob', 'queue', 'blob', 'queue']);

    const progress = fake.calls('progress');
    expect(progress.length).toBeGreaterThanOrEqual(1);
    expect(progress.length).toBeLessThanOrEqual(2); // at most once a second
    expect(progress[0].json).toEqual(expect.objectContaining({ leaseId: 'lease-1' }));
    expect(progress[0].headers.authorization).toBe(`Node ${CREDENTIAL}`);

    const [complete] = fake.calls('complete');
    expect(complete.jobId).toBe('run-1');
    expect(complete.json).toEqual({
      leaseId: 'lease-1',
      status: 'Succeeded',
      assetsDiscovered: 7,
      assetsClassified: 3,
      assetsFailed: 0,
      batchCount: 3,
    });

    expect(lines[0]).toMatch(/ INFO Scan run run-1 started \(ds\/scan\)$/);
    expect(lines.at(-1)).toMatch(/ INFO Scan run run-1 Succeeded: 7 assets discovered, 3 classified, 3 batches$/);
    expect(lines.join('\n')).not.toMatch(SIG);
  });

  it('completes a scan with no assets with zero batches', async () => {
    const outcome = await runScanJob(sampleJob(fake), deps(), new AbortController().signal);
    expect(outcome).toEqual(expect.objectContaining({ status: 'Succeeded', batchCount: 0 }));
    expect(fake.blobs.size).toBe(0);
    expect(fake.calls('complete')[0].json).toEqual(expect.objectContaining({ status: 'Succeeded', batchCount: 0 }));
  });

  it('reports a scanner failure as Failed with the reason, never a secret', async () => {
    const failWith = new Error(
      `Cannot list containers of http://127.0.0.1:10000/devstoreaccount1?${SAS}: 403 AuthenticationFailed`,
    );
    const outcome = await runScanJob(
      sampleJob(fake),
      deps({ scanner: stubScanner({ assets: assets.slice(0, 4), failWith }) }),
      new AbortController().signal,
    );

    expect(outcome.status).toBe('Failed');
    const [complete] = fake.calls('complete');
    expect(complete.json).toEqual(
      expect.objectContaining({
        status: 'Failed',
        assetsDiscovered: 4,
        batchCount: 1,
        error: { code: 'ScanFailed', message: expect.stringContaining('403 AuthenticationFailed') },
      }),
    );
    expect(complete.body).not.toMatch(SIG);
    expect(lines.at(-1)).toMatch(
      / ERROR Scan run run-1 Failed: The scan of https:\/\/devstoreaccount1.blob.core.windows.net\/ failed: Cannot list containers of http:\/\/127.0.0.1:10000\/devstoreaccount1: 403/,
    );
    expect(lines.join('\n')).not.toMatch(SIG);
  });

  it('reports a listing that storage never answered as a retryable failure (a later attempt may succeed)', async () => {
    const failWith = new ConnectorError(
      'Cannot list blobs of http://127.0.0.1:10000/devstoreaccount1/c: ECONNREFUSED (connect ECONNREFUSED 127.0.0.1:10000)',
      undefined,
      'ECONNREFUSED',
    );
    const outcome = await runScanJob(
      sampleJob(fake),
      deps({ scanner: stubScanner({ assets: assets.slice(0, 2), failWith }) }),
      new AbortController().signal,
    );
    expect(outcome).toEqual(
      expect.objectContaining({
        status: 'Failed',
        error: expect.objectContaining({ code: 'ScanFailed', retryable: true }),
      }),
    );
    expect(fake.calls('complete')[0].json.error).toEqual({
      code: 'ScanFailed',
      message: expect.stringContaining('ECONNREFUSED'),
      retryable: true,
    });
  });

  it('reports an ingestion upload failure as Failed (IngestionUploadFailed), retryable', async () => {
    fake.storageFailure = (kind) => (kind === 'blob' ? { status: 403, body: { error: 'denied' } } : undefined);
    const outcome = await runScanJob(
      sampleJob(fake),
      deps({ scanner: stubScanner({ assets }) }),
      new AbortController().signal,
    );
    expect(outcome.status).toBe('Failed');
    const [complete] = fake.calls('complete');
    expect(complete.json.error.code).toBe('IngestionUploadFailed');
    // Storage that stays unreachable through every retry may come back: the emulator gives the part another attempt.
    expect(complete.json.error.retryable).toBe(true);
    expect(complete.json.error.message).toMatch(
      /Cannot upload batch blob 'runs\/run-1\/run-1-00001.json' to http:\/\/127.0.0.1:\d+\/devstoreaccount1\/ingest: 403/,
    );
    expect(complete.json.batchCount).toBe(0);
    expect(complete.body + lines.join('\n')).not.toMatch(SIG);
  });

  it('removes the blob of a batch whose message could not be queued before it reports the failure', async () => {
    fake.storageFailure = (kind) =>
      kind === 'queue' && fake.messages.length === 1 ? { status: 403, body: { error: 'denied' } } : undefined;
    const outcome = await runScanJob(
      sampleJob(fake),
      deps({ scanner: stubScanner({ assets }) }),
      new AbortController().signal,
    );
    expect(outcome).toEqual(
      expect.objectContaining({
        status: 'Failed',
        batchCount: 1,
        error: expect.objectContaining({ code: 'IngestionUploadFailed', retryable: true }),
      }),
    );
    // Batch 1 is announced and stays; batch 2's blob had no message, so it is gone — before the completion was sent.
    expect([...fake.blobs.keys()]).toEqual(['runs/run-1/run-1-00001.json']);
    const order = fake.requests
      .filter((r) => r.method === 'DELETE' || r.route === 'complete')
      .map((r) => `${r.method} ${r.route}`);
    expect(order).toEqual(['DELETE blob', 'POST complete']);
  });

  it('names the first files it could not read in its completion (bounded, without secrets)', async () => {
    const failures = Array.from({ length: 12 }, (_, i) => ({
      qualifiedName: `https://devstoreaccount1.blob.core.windows.net/c/bad-${i}.csv`,
      reason: `Cannot read http://127.0.0.1:10000/devstoreaccount1/c/bad-${i}.csv?${SAS}: ECONNREFUSED`,
    }));
    const outcome = await runScanJob(
      sampleJob(fake),
      deps({ scanner: stubScanner({ assets: assets.slice(0, 2), failures }) }),
      new AbortController().signal,
    );
    expect(outcome).toEqual(expect.objectContaining({ status: 'Succeeded', assetsFailed: 12 }));
    const [complete] = fake.calls('complete');
    expect(complete.json.assetsFailed).toBe(12);
    expect(complete.json.failures).toHaveLength(MAX_REPORTED_FILE_FAILURES);
    expect(complete.json.failures[0]).toEqual({
      qualifiedName: failures[0].qualifiedName,
      reason: expect.stringContaining('ECONNREFUSED'),
    });
    expect(complete.body).not.toMatch(SIG);
  });

  it('renews the lease every leaseSeconds/3 and stops work, without completing, once the lease is lost', async () => {
    const seen: { aborted?: boolean } = {};
    const job = sampleJob(fake, { leaseSeconds: 0.3 });
    const running = runScanJob(
      job,
      deps({ scanner: stubScanner({ assets, hangAfter: 2 }, seen) }),
      new AbortController().signal,
    );
    await pollUntil(() => (fake.calls('renew').length >= 2 ? true : undefined), { description: 'two lease renewals' });
    expect(fake.calls('renew')[0].json).toEqual({ leaseId: 'lease-1' });

    fake.handlers.renew = () => ({
      status: 409,
      body: { error: { code: 'LeaseLost', message: 'The lease is no longer valid.' } },
    });
    const outcome = await running;
    expect(outcome).toEqual({
      status: 'Abandoned',
      reason: 'LeaseLost',
      message: expect.stringContaining('lost its lease'),
    });
    expect(seen.aborted).toBe(true);
    expect(fake.calls('complete')).toHaveLength(0);
    expect(lines.at(-1)).toMatch(
      /WARN Scan run run-1 lost its lease \(The lease is no longer valid.\); stopped working on it/,
    );
  });

  it('renews a lease whose third is not a whole number of ms (a 10 s lease: every 3333 ms)', async () => {
    const stop = new AbortController();
    const job = sampleJob(fake, { leaseSeconds: 0.5 });
    const running = runScanJob(job, deps({ scanner: stubScanner({ assets, hangAfter: 2 }) }), stop.signal);
    try {
      await pollUntil(() => fake.calls('renew').length >= 2, { description: 'two lease renewals', timeoutMs: 3000 });
    } finally {
      stop.abort();
      await running;
    }
    expect(lines.join('\n')).not.toMatch(/could not renew the lease/);
  });

  it('stops without completing when the host service shuts down', async () => {
    const stop = new AbortController();
    const seen: { aborted?: boolean } = {};
    const running = runScanJob(
      sampleJob(fake),
      deps({ scanner: stubScanner({ assets, hangAfter: 5 }, seen) }),
      stop.signal,
    );
    await pollUntil(() => (fake.blobs.size >= 1 ? true : undefined), { description: 'the first batch' });
    stop.abort();
    expect(await running).toEqual(expect.objectContaining({ status: 'Abandoned', reason: 'Stopped' }));
    expect(seen.aborted).toBe(true);
    expect(fake.calls('complete')).toHaveLength(0);
  });

  it('retries completion while the service is unavailable, and gives up on a lost lease', async () => {
    let answers = [503, 502];
    fake.handlers.complete = () => {
      const status = answers.shift();
      return status
        ? { status, body: { error: { code: 'ServiceUnavailable', message: 'restarting' } } }
        : { status: 204 };
    };
    expect(
      (await runScanJob(sampleJob(fake), deps({ scanner: stubScanner({ assets }) }), new AbortController().signal))
        .status,
    ).toBe('Succeeded');
    expect(fake.calls('complete')).toHaveLength(3);

    answers = [];
    fake.handlers.complete = () => ({ status: 409, body: { error: { code: 'LeaseLost', message: 'leased again' } } });
    expect(
      await runScanJob(sampleJob(fake), deps({ scanner: stubScanner({ assets }) }), new AbortController().signal),
    ).toEqual(expect.objectContaining({ status: 'Abandoned', reason: 'LeaseLost' }));
  });

  it('treats a lost lease on a progress report like a lost renewal', async () => {
    fake.handlers.progress = () => ({
      status: 404,
      body: { error: { code: 'JobNotFound', message: "Job 'run-1' was not found." } },
    });
    const outcome = await runScanJob(
      sampleJob(fake),
      deps({ scanner: stubScanner({ assets, hangAfter: 4 }) }),
      new AbortController().signal,
    );
    expect(outcome).toEqual(expect.objectContaining({ status: 'Abandoned', reason: 'LeaseLost' }));
    expect(fake.calls('complete')).toHaveLength(0);
  });
});

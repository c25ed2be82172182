import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { NodeStatus, ScanRunStatus } from '@purview-emulator/contracts';
import { IntegrationRuntimeDirectory } from '../integration-runtimes/integration-runtime-directory';
import { ScanRunsService } from '../scanning/scan-runs.service';
import { IngestionService } from '../ingestion/ingestion.service';

const PREFIX = 'purview_emulator_';
/** Every status is reported, 0 included, so a dashboard's series exist before the first run or node. */
const RUN_STATUSES: ScanRunStatus[] = [
  'Queued',
  'InProgress',
  'Succeeded',
  'Failed',
  'Canceled',
  'CompletedWithExceptions',
];
const JOB_STATUSES = ['Queued', 'Leased', 'Completed', 'Failed', 'Canceled'];
const NODE_STATUSES: NodeStatus[] = ['Initializing', 'Online', 'Limited', 'Offline', 'Upgrading'];
/** Requests the router did not match share one label, so a scanner of random URLs cannot grow the series. */
const UNMATCHED = '(unmatched)';

/**
 * The emulator's Prometheus metrics, in a registry of its own (several emulators may share a process in tests):
 * requests by route pattern and status with a latency histogram, read from Fastify's own route match; scan runs,
 * their parts (jobs) and nodes by status, and ingestion counts, read from their owners when scraped; ingestion lag as
 * batches are ingested.
 */
@Injectable()
export class EmulatorMetrics implements OnModuleInit {
  readonly registry = new Registry();
  private readonly requests = new Counter({
    name: `${PREFIX}http_requests_total`,
    help: 'HTTP requests answered, by method, route pattern and status code.',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });
  private readonly latency = new Histogram({
    name: `${PREFIX}http_request_duration_seconds`,
    help: 'Time from request to response, by method and route pattern (search latency is the search routes).',
    labelNames: ['method', 'route'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly runtimes: IntegrationRuntimeDirectory,
    private readonly runs: ScanRunsService,
    private readonly ingestion: IngestionService,
  ) {
    collectDefaultMetrics({ register: this.registry, prefix: PREFIX });
    this.stateGauges();
    const lag = new Histogram({
      name: `${PREFIX}ingestion_lag_seconds`,
      help: 'Time from a runtime queueing a result batch to its assets being in the data map.',
      buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900],
      registers: [this.registry],
    });
    ingestion.onIngested((seconds) => lag.observe(seconds));
  }

  /** Before the server is ready, so the hook covers every route Nest registers. */
  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.addHook('onResponse', (request, reply, done) => {
      const route = request.routeOptions.url ?? UNMATCHED;
      this.requests.inc({ method: request.method, route, status: String(reply.statusCode) });
      this.latency.observe({ method: request.method, route }, reply.elapsedTime / 1000);
      done();
    });
  }

  /** The text a Prometheus server scrapes, and its content type. */
  async scrape(): Promise<{ contentType: string; text: string }> {
    return { contentType: this.registry.contentType, text: await this.registry.metrics() };
  }

  private stateGauges(): void {
    const registers = [this.registry];
    const setAll = (gauge: Gauge<'status'>, known: string[], counts: Record<string, number>): void => {
      gauge.reset();
      for (const status of new Set([...known, ...Object.keys(counts)])) gauge.set({ status }, counts[status] ?? 0);
    };
    const runs = this.runs;
    new Gauge({
      name: `${PREFIX}scan_runs`,
      help: 'Scan runs by status.',
      labelNames: ['status'] as const,
      registers,
      collect: async function (this: Gauge<'status'>) {
        setAll(this, RUN_STATUSES, (await runs.counts()).runs);
      },
    });
    new Gauge({
      name: `${PREFIX}scan_jobs`,
      help: 'Parts of scan runs (the jobs nodes lease) by status.',
      labelNames: ['status'] as const,
      registers,
      collect: async function (this: Gauge<'status'>) {
        setAll(this, JOB_STATUSES, (await runs.counts()).jobs);
      },
    });
    new Gauge({
      name: `${PREFIX}scan_job_requeues`,
      help: 'Times a part went back to the queue for another attempt (its lease expired or it failed retryably).',
      registers,
      collect: async function (this: Gauge) {
        this.set((await runs.counts()).requeues);
      },
    });
    const runtimes = this.runtimes;
    new Gauge({
      name: `${PREFIX}integration_runtime_nodes`,
      help: 'Self-hosted integration runtime nodes by the status /status shows.',
      labelNames: ['status'] as const,
      registers,
      collect: async function (this: Gauge<'status'>) {
        setAll(this, NODE_STATUSES, await runtimes.nodeStatusCounts());
      },
    });
    const ingestion = this.ingestion;
    new Gauge({
      name: `${PREFIX}ingestion_batches`,
      help: 'Result batches since start: ingested into the data map, or moved to the poison queue.',
      labelNames: ['outcome'] as const,
      registers,
      collect: function (this: Gauge<'outcome'>) {
        const { ingested, poisoned } = ingestion.counts();
        this.set({ outcome: 'ingested' }, ingested);
        this.set({ outcome: 'poisoned' }, poisoned);
      },
    });
    new Gauge({
      name: `${PREFIX}ingestion_storage_ready`,
      help: '1 while the ingestion queue and container in Azurite answer, 0 otherwise.',
      registers,
      collect: function (this: Gauge) {
        this.set(ingestion.health().state === 'Ready' ? 1 : 0);
      },
    });
  }
}

import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HeartbeatResponse, NodeView, RemoteAccessSettings, ScanJob } from '@purview-emulator/contracts';

/**
 * A stand-in for the emulator's runtime protocol and for the ingestion blob container and queue, on a real socket
 * (127.0.0.1, a free port). Tests script answers per route and read back what the runtime sent.
 */
export interface RecordedRequest {
  route: Route | 'blob' | 'queue' | 'unknown';
  method: string;
  path: string;
  query: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  json?: any;
  jobId?: string;
}

export interface Reply {
  status: number;
  body?: unknown;
}

export type Route =
  | 'register'
  | 'heartbeat'
  | 'lease'
  | 'renew'
  | 'progress'
  | 'complete'
  | 'node'
  | 'unregister'
  | 'remote-access'
  | 'auto-update';
export type Handler = (request: RecordedRequest) => Reply | Promise<Reply>;

export const ACCOUNT_PATH = '/devstoreaccount1';
export const CONTAINER = 'ingest';
export const QUEUE = 'ingest-queue';
/** A fake SAS; tests check that it never shows up in logs. */
export const SAS =
  'sv=2024-08-04&ss=bq&srt=sco&sp=rwac&se=2099-01-01T00%3A00%3A00Z&sig=SuperSecretSignature0123456789abcdef%3D';

export const DEFAULT_HEARTBEAT: HeartbeatResponse = {
  nodeStatus: 'Online',
  integrationRuntimeState: 'Online',
  concurrentJobsLimit: 8,
  heartbeatIntervalSeconds: 0.1,
  offlineAfterSeconds: 2,
  isActiveDispatcher: true,
  versionStatus: 'UpToDate',
  autoUpdate: 'On',
  latestVersion: '5.40.9000.1',
  pushedVersion: '5.40.9000.1',
};

/** The node GET /_emulator/runtime/node describes by default (the fixture node of node-fixtures.ts). */
export function sampleNodeView(overrides: Partial<NodeView> = {}): NodeView {
  return {
    accountName: 'acct',
    integrationRuntime: {
      name: 'my-shir',
      id: '6f1c2f0e-1f2b-4c1e-9a61-0d4c7b5e2a10',
      state: 'Online',
      autoUpdate: 'On',
      latestVersion: '5.40.9000.1',
      pushedVersion: '5.40.9000.1',
      nodeCount: 1,
    },
    node: {
      nodeName: 'node1',
      machineName: 'machine',
      status: 'Online',
      capabilities: {
        serviceBusConnected: 'True',
        httpsPortEnabled: 'True',
        credentialInSync: 'True',
        connectedToResourceManager: 'True',
        nodeEnabled: 'True',
      },
      versionStatus: 'UpToDate',
      version: '5.40.9000.1',
      registerTime: '2026-11-27T00:00:00.000Z',
      lastConnectTime: '2026-11-27T00:00:05.000Z',
      lastUpdateResult: 'None',
      isActiveDispatcher: true,
      concurrentJobsLimit: 8,
      maxConcurrentJobs: 20,
    },
    remoteAccess: { enabled: false, port: 8060, internalChannelEncryption: 'NotSet' },
    serviceEndpoints: [],
    ...overrides,
  };
}

export class FakeEmulator {
  readonly requests: RecordedRequest[] = [];
  /** Blob name inside the container → body. */
  readonly blobs = new Map<string, string>();
  /** Queue message texts, in arrival order. */
  readonly messages: string[] = [];
  readonly handlers: Partial<Record<Route, Handler>> = {};
  /** Answers a storage call instead of storing (to simulate storage failures). */
  storageFailure?: (kind: 'blob' | 'queue') => Reply | undefined;
  /** What GET /_emulator/runtime/node answers (PUT remote-access and auto-update change it). */
  nodeView: NodeView = sampleNodeView();
  port = 0;
  private server?: http.Server;
  private readonly queued: ScanJob[] = [];
  private readonly leaseWaiters = new Set<() => void>();

  static async start(): Promise<FakeEmulator> {
    const fake = new FakeEmulator();
    await fake.listen();
    return fake;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get containerSasUrl(): string {
    return `${this.url}${ACCOUNT_PATH}/${CONTAINER}?${SAS}`;
  }

  get queueSasUrl(): string {
    return `${this.url}${ACCOUNT_PATH}/${QUEUE}?${SAS}`;
  }

  calls(route: RecordedRequest['route']): RecordedRequest[] {
    return this.requests.filter((r) => r.route === route);
  }

  /** Makes a job available to the next lease call (waking a waiting long poll). */
  queueJob(job: ScanJob): void {
    this.queued.push(job);
    for (const wake of [...this.leaseWaiters]) wake();
  }

  /** Opens the server (again, on the same port after `close`). */
  async listen(): Promise<void> {
    const server = http.createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /** Stops answering: open connections are cut, as when the emulator goes down. */
  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const wake of [...this.leaseWaiters]) wake();
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const [path, query = ''] = (req.url ?? '').split('?');
    const request: RecordedRequest = {
      route: 'unknown',
      method: req.method ?? '',
      path,
      query,
      headers: req.headers,
      body,
    };
    try {
      request.json = body && (req.headers['content-type'] ?? '').includes('json') ? JSON.parse(body) : undefined;
    } catch {
      request.json = undefined;
    }
    const route = (
      {
        'GET /_emulator/runtime/node': 'node',
        'DELETE /_emulator/runtime/node': 'unregister',
        'PUT /_emulator/runtime/node/remote-access': 'remote-access',
        'PUT /_emulator/runtime/auto-update': 'auto-update',
      } as Record<string, Route>
    )[`${req.method} ${path}`];
    if (route) {
      request.route = route;
      this.requests.push(request);
      const reply = await (this.handlers[route] ?? ((r: RecordedRequest) => this.defaultReply(r)))(request);
      return this.send(res, reply);
    }
    const runtime =
      /^\/_emulator\/runtime\/(register|heartbeat|jobs\/lease|jobs\/([^/]+)\/(renew|progress|complete))$/.exec(path);
    if (runtime && req.method === 'POST') {
      request.route = (runtime[3] ?? (runtime[1] === 'jobs/lease' ? 'lease' : runtime[1])) as Route;
      request.jobId = runtime[2] ? decodeURIComponent(runtime[2]) : undefined;
      this.requests.push(request);
      const reply = await (this.handlers[request.route] ?? ((r: RecordedRequest) => this.defaultReply(r)))(request);
      return this.send(res, reply);
    }
    if (path.startsWith(`${ACCOUNT_PATH}/${CONTAINER}/`) && req.method === 'PUT') {
      request.route = 'blob';
      this.requests.push(request);
      const failure = this.storageFailure?.('blob');
      if (failure) return this.send(res, failure);
      this.blobs.set(decodeURIComponent(path.slice(`${ACCOUNT_PATH}/${CONTAINER}/`.length)), body);
      res.writeHead(201, {
        etag: '"0x1"',
        'last-modified': new Date().toUTCString(),
        'x-ms-request-id': 'fake',
        'x-ms-version': '2025-01-05',
        'x-ms-request-server-encrypted': 'true',
      });
      res.end();
      return;
    }
    if (path.startsWith(`${ACCOUNT_PATH}/${CONTAINER}/`) && req.method === 'DELETE') {
      request.route = 'blob';
      this.requests.push(request);
      const name = decodeURIComponent(path.slice(`${ACCOUNT_PATH}/${CONTAINER}/`.length));
      if (!this.blobs.delete(name)) return this.send(res, { status: 404, body: { error: 'BlobNotFound' } });
      res.writeHead(202, {
        'x-ms-request-id': 'fake',
        'x-ms-version': '2025-01-05',
        'x-ms-delete-type-permanent': 'true',
      });
      res.end();
      return;
    }
    if (path === `${ACCOUNT_PATH}/${QUEUE}/messages` && req.method === 'POST') {
      request.route = 'queue';
      this.requests.push(request);
      const failure = this.storageFailure?.('queue');
      if (failure) return this.send(res, failure);
      const text = /<MessageText>([\s\S]*)<\/MessageText>/.exec(body)?.[1] ?? '';
      this.messages.push(unescapeXml(text));
      const now = new Date().toUTCString();
      res.writeHead(201, {
        'content-type': 'application/xml',
        'x-ms-request-id': 'fake',
        'x-ms-version': '2025-01-05',
      });
      res.end(
        `<?xml version="1.0" encoding="utf-8"?><QueueMessagesList><QueueMessage><MessageId>${this.messages.length}</MessageId><InsertionTime>${now}</InsertionTime><ExpirationTime>${now}</ExpirationTime><PopReceipt>pop</PopReceipt><TimeNextVisible>${now}</TimeNextVisible></QueueMessage></QueueMessagesList>`,
      );
      return;
    }
    this.requests.push(request);
    this.send(res, {
      status: 404,
      body: { error: { code: 'NotFound', message: `No operation matches ${req.method} ${path}.` } },
    });
  }

  private async defaultReply(request: RecordedRequest): Promise<Reply> {
    switch (request.route) {
      case 'heartbeat':
        return { status: 200, body: DEFAULT_HEARTBEAT };
      case 'lease':
        return {
          status: 200,
          body: { jobs: await this.nextJobs(request.json?.maxJobs ?? 1, request.json?.waitSeconds ?? 0) },
        };
      case 'renew':
        return { status: 200, body: { leaseExpiresAt: new Date(Date.now() + 30_000).toISOString() } };
      case 'progress':
      case 'complete':
      case 'unregister':
        return { status: 204 };
      case 'node':
        return { status: 200, body: this.nodeView };
      case 'remote-access': {
        const settings: RemoteAccessSettings = {
          enabled: request.json?.enabled === true,
          port: request.json?.port ?? 8060,
          internalChannelEncryption: request.json?.enabled ? 'NotEncrypted' : 'NotSet',
        };
        this.nodeView = { ...this.nodeView, remoteAccess: settings };
        return { status: 200, body: settings };
      }
      case 'auto-update':
        this.nodeView = {
          ...this.nodeView,
          integrationRuntime: { ...this.nodeView.integrationRuntime, autoUpdate: request.json?.autoUpdate },
        };
        return { status: 200, body: { autoUpdate: request.json?.autoUpdate } };
      default:
        return { status: 404, body: { error: { code: 'NotFound', message: 'not scripted' } } };
    }
  }

  private async nextJobs(maxJobs: number, waitSeconds: number): Promise<ScanJob[]> {
    const deadline = Date.now() + waitSeconds * 1000;
    while (this.queued.length === 0 && Date.now() < deadline && this.server) {
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          this.leaseWaiters.delete(done);
          resolve();
        };
        const timer = setTimeout(done, deadline - Date.now());
        this.leaseWaiters.add(done);
      });
    }
    return this.queued.splice(0, maxJobs);
  }

  private send(res: http.ServerResponse, reply: Reply): void {
    if (res.destroyed) return;
    if (reply.body === undefined) {
      res.writeHead(reply.status);
      res.end();
      return;
    }
    res.writeHead(reply.status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(reply.body));
  }
}

function unescapeXml(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&#x([0-9a-f]+);/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)))
    .replace(/&amp;/g, '&');
}

/** A job as the emulator would lease it, with ingestion pointing at `fake`. */
export function sampleJob(fake: FakeEmulator, overrides: Partial<ScanJob> = {}): ScanJob {
  return {
    jobId: 'run-1',
    leaseId: 'lease-1',
    leaseExpiresAt: new Date(Date.now() + 30_000).toISOString(),
    leaseSeconds: 30,
    attempt: 1,
    scanRun: {
      runId: 'run-1',
      dataSourceName: 'ds',
      scanName: 'scan',
      scanLevel: 'Full',
      scanRulesetName: 'AzureStorage',
    },
    source: {
      kind: 'AzureStorage',
      endpoint: 'https://devstoreaccount1.blob.core.windows.net/',
      accountName: 'devstoreaccount1',
      qualifiedNameBase: 'https://devstoreaccount1.blob.core.windows.net',
      serviceUrl: `${fake.url}${ACCOUNT_PATH}`,
      sasToken: SAS,
    },
    ingestion: { containerSasUrl: fake.containerSasUrl, queueSasUrl: fake.queueSasUrl, blobPrefix: 'runs/run-1/' },
    ...overrides,
  };
}

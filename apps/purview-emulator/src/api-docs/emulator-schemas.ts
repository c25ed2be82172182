/**
 * OpenAPI 3.0 schemas of what the `/_emulator/*` routes answer (no public document covers them: they are ours). The
 * docs contract test checks real answers against them, so a response that changes shape fails it until this changes
 * too. Properties listed in `required` must be there; others may be added (a client must tolerate new fields).
 */
export type JsonSchema = Record<string, unknown>;

const string: JsonSchema = { type: 'string' };
const dateTime: JsonSchema = { type: 'string', format: 'date-time' };
const integer: JsonSchema = { type: 'integer' };
const number: JsonSchema = { type: 'number' };
const boolean: JsonSchema = { type: 'boolean' };
const nullable = (schema: JsonSchema): JsonSchema => ({ ...schema, nullable: true });
const enumOf = (...values: string[]): JsonSchema => ({ type: 'string', enum: values });
const array = (items: JsonSchema): JsonSchema => ({ type: 'array', items });
const map = (values: JsonSchema): JsonSchema => ({ type: 'object', additionalProperties: values });

/** An object whose properties are all required except those named in `optional`. */
function object(properties: Record<string, JsonSchema>, optional: string[] = []): JsonSchema {
  const required = Object.keys(properties).filter((k) => !optional.includes(k));
  return { type: 'object', properties, ...(required.length ? { required } : {}) };
}

const componentHealth = object({ state: enumOf('Ready', 'Starting', 'Unavailable'), detail: string }, ['detail']);
const autoUpdate = enumOf('On', 'Off');
const nodeStatus = enumOf(
  'NeedRegistration',
  'Initializing',
  'Online',
  'Limited',
  'Offline',
  'Upgrading',
  'InitializeFailed',
);
const fault = object(
  {
    id: string,
    kind: enumOf('http', 'scanRunFailure', 'nodeHeartbeatsIgnored', 'relayDrop', 'ingestion'),
    remaining: nullable(integer),
    expiresAt: nullable(dateTime),
    createdAt: dateTime,
    fired: integer,
  },
  [],
);
const remoteAccess = object({ enabled: boolean, port: integer, internalChannelEncryption: string });
const serviceEndpoint = object({ purpose: string, url: string });
const searchIndex = object({
  table: string,
  tokenizer: enumOf('trigram'),
  state: enumOf('current', 'stale'),
  indexedRows: integer,
  entityRows: integer,
  activeEntities: integer,
  lastRebuild: nullable(object({ at: dateTime, rows: integer, durationMs: number, reason: string })),
});
const clock = object({ now: dateTime, offsetSeconds: number });
const relay = object({
  listenUrl: string,
  sendUrl: string,
  httpUrl: string,
  hybridConnectionPath: string,
  sasKeyName: string,
  sasKey: string,
  enabled: boolean,
  listeners: integer,
});

/** Response schemas of the emulator's own routes, by `METHOD path` as the catalog spells routes. */
export const EMULATOR_RESPONSES: Record<
  string,
  { description: string; schema?: JsonSchema; text?: true; alsoStatus?: number }
> = {
  'GET /_emulator/health': {
    description: 'Ready (200) or not yet / no longer (503), with each component',
    alsoStatus: 503,
    schema: object({
      status: enumOf('Healthy', 'Starting', 'Unhealthy'),
      account: string,
      version: string,
      components: object({ database: componentHealth, ingestionStorage: componentHealth, runtimes: componentHealth }),
    }),
  },
  'GET /_emulator/info': {
    description: 'Endpoints, the well-known client, runtime timings and row counts by table',
    schema: object(
      {
        account: string,
        version: string,
        endpoint: string,
        scanEndpoint: string,
        dataMapEndpoint: string,
        tokenEndpoint: string,
        inMemory: boolean,
        wellKnownCredentials: object({ tenantId: string, clientId: string, clientSecret: string, scope: string }, [
          'clientSecret',
        ]),
        runtime: object({ heartbeatIntervalSeconds: number, nodeOfflineAfterSeconds: number, jobLeaseSeconds: number }),
        rows: map(integer),
      },
      [],
    ),
  },
  'GET /_emulator/metrics': { description: 'Prometheus text exposition format', text: true },
  'GET /_emulator/clock': { description: 'The emulator clock', schema: clock },
  'PUT /_emulator/clock': { description: 'The clock, moved', schema: clock },
  'DELETE /_emulator/clock': { description: 'The clock, back on real time', schema: clock },
  'POST /_emulator/reset': {
    description: 'What was kept, rows deleted by table, modules that could not start over',
    schema: object({ kept: array(string), deleted: map(integer), problems: array(string) }),
  },
  'POST /_emulator/faults': { description: 'The fault, in force', schema: fault },
  'GET /_emulator/faults': {
    description: 'Faults in force',
    schema: object({ value: array(fault), count: integer }),
  },
  'GET /_emulator/faults/:id': { description: 'One fault', schema: fault },
  'DELETE /_emulator/faults/:id': { description: 'Cleared' },
  'DELETE /_emulator/faults': { description: 'All cleared' },
  'GET /_emulator/classifications': {
    description: 'The system classification rules the scan engine applies',
    schema: object({
      value: array(
        object({
          classificationName: string,
          kind: enumOf('System'),
          minimumPercentageMatch: number,
          structuredOnly: boolean,
          columnNameRequired: boolean,
        }),
      ),
      count: integer,
    }),
  },
  'GET /_emulator/search/index': { description: 'The search index', schema: searchIndex },
  'POST /_emulator/search/index/-/rebuild': { description: 'The search index, rebuilt', schema: searchIndex },
  'GET /_emulator/integrationruntimes/:name/serviceUrls': {
    description: 'Every address a node of this runtime must reach',
    schema: object({ integrationRuntime: string, serviceUrls: array(string), endpoints: array(serviceEndpoint) }),
  },
  'GET /_emulator/integrationruntimes/:name/relay': {
    description: "The runtime's hybrid connection (emulator extension)",
    schema: relay,
  },
  'PUT /_emulator/integrationruntimes/:name/relay': { description: 'The hybrid connection, updated', schema: relay },
  'POST /_emulator/runtime/register': {
    description: 'The node, registered; its credential is shown once',
    schema: object({
      accountName: string,
      integrationRuntime: object({ name: string, id: string }),
      node: object({ name: string, id: string }),
      nodeCredential: string,
      heartbeatIntervalSeconds: number,
      offlineAfterSeconds: number,
    }),
  },
  'POST /_emulator/runtime/heartbeat': {
    description: "The node's status as the service sees it",
    schema: object(
      {
        nodeStatus: nodeStatus,
        integrationRuntimeState: enumOf('NeedRegistration', 'Online', 'Limited', 'Offline'),
        concurrentJobsLimit: integer,
        heartbeatIntervalSeconds: number,
        offlineAfterSeconds: number,
        isActiveDispatcher: boolean,
        versionStatus: enumOf('UpToDate', 'UpdateAvailable', 'Expiring', 'Expired'),
        statusReason: string,
        autoUpdate,
        latestVersion: string,
        pushedVersion: string,
        updateTo: string,
      },
      ['statusReason', 'updateTo'],
    ),
  },
  'GET /_emulator/runtime/node': {
    description: 'What `shir status` shows from the service side',
    schema: object(
      {
        accountName: string,
        integrationRuntime: object({ name: string, id: string, state: string, nodeCount: integer }),
        node: object({ nodeName: string, status: nodeStatus, version: string, concurrentJobsLimit: integer }),
        statusReason: string,
        remoteAccess,
        serviceEndpoints: array(serviceEndpoint),
      },
      ['statusReason'],
    ),
  },
  'DELETE /_emulator/runtime/node': { description: 'The node, unregistered' },
  'PUT /_emulator/runtime/node/remote-access': { description: 'Remote access settings', schema: remoteAccess },
  'PUT /_emulator/runtime/auto-update': { description: 'Auto-update setting', schema: object({ autoUpdate }) },
  'POST /_emulator/runtime/jobs/lease': {
    description: 'Scan jobs leased to the node (possibly none)',
    schema: object({
      jobs: array(
        object({
          jobId: string,
          leaseId: string,
          leaseExpiresAt: dateTime,
          leaseSeconds: number,
          attempt: integer,
          scanRun: object({ runId: string, dataSourceName: string, scanName: string }),
          source: { type: 'object' },
          ingestion: object({ containerSasUrl: string, queueSasUrl: string, blobPrefix: string }),
        }),
      ),
    }),
  },
  'POST /_emulator/runtime/jobs/:jobId/renew': {
    description: 'The lease, renewed',
    schema: object({ leaseExpiresAt: dateTime }),
  },
  'POST /_emulator/runtime/jobs/:jobId/progress': { description: 'Progress recorded' },
  'POST /_emulator/runtime/jobs/:jobId/complete': { description: 'The job, completed' },
  'GET /_emulator/runtime/relay': {
    description: "What the node needs to listen on its runtime's hybrid connection",
    schema: object({ listenUrl: string, hybridConnectionPath: string, token: string, expiresAt: dateTime }),
  },
};

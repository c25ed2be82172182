import type { ZodTypeAny } from 'zod';
import {
  AtlasErrorResponseSchema,
  AtlasTypeDefHeaderSchema,
  AtlasTypesDefSchema,
  AutoUpdateSettingsSchema,
  ClockStateSchema,
  CollectionListSchema,
  CollectionNameListSchema,
  CollectionPathSchema,
  CollectionSchema,
  DataSourceSchema,
  EmulatorClassificationSchema,
  EmulatorInfoSchema,
  ErrorResponseModelSchema,
  FaultViewSchema,
  HealthReportSchema,
  HeartbeatResponseSchema,
  IntegrationRuntimeAuthKeysSchema,
  IntegrationRuntimeMonitoringDataSchema,
  IntegrationRuntimeRelaySchema,
  IntegrationRuntimeSchema,
  LeaseJobsResponseSchema,
  NodeViewSchema,
  OperationResponseSchema,
  RegisterNodeResponseSchema,
  RelayListenerConnectionSchema,
  RemoteAccessSettingsSchema,
  RenewLeaseResponseSchema,
  KnownEtagsResponseSchema,
  ResetReportSchema,
  ScanSchema,
  SearchIndexStateSchema,
  SelfHostedIntegrationRuntimeNodeSchema,
  SelfHostedIntegrationRuntimeStatusSchema,
  ServiceUrlEndpointSchema,
  emulatorListOf,
  pagedListOf,
} from '@purview-emulator/contracts';
import { z } from 'zod';
import { toOpenApi } from './request-schemas';
import type { JsonSchema } from './json-schema';

/** What one handler answers on success: a zod schema from libs/contracts, plain text, or nothing (204). */
export interface ResponseDoc {
  description: string;
  schema?: ZodTypeAny;
  text?: true;
  /** A second status that carries the same body (health's 503). */
  alsoStatus?: number;
  /** The success status when the handler sets it itself (202 of a run, 201 of a created resource), not by `@HttpCode`. */
  status?: number;
}

/**
 * Success bodies by `Controller.handler`: every `/_emulator/*` route (the emulator's own API, checked by the docs
 * contract test with a real call each) and the Purview routes whose answers libs/contracts has as zod schemas (the
 * same test calls each of these too). Other Purview routes keep Microsoft's documents as their contract.
 */
const RESPONSES: Record<string, ResponseDoc> = {
  'EmulatorControlController.health': {
    description: 'Ready (200) or not yet / no longer (503), with each component',
    schema: HealthReportSchema,
    alsoStatus: 503,
  },
  'EmulatorControlController.info': {
    description: 'Endpoints, the well-known client, runtime timings and row counts by table',
    schema: EmulatorInfoSchema,
  },
  'EmulatorControlController.reset': {
    description: 'What was kept, rows deleted by table, modules that could not start over',
    schema: ResetReportSchema,
  },
  'EmulatorControlController.getClock': { description: 'The emulator clock', schema: ClockStateSchema },
  'EmulatorControlController.setClock': { description: 'The clock, moved', schema: ClockStateSchema },
  'EmulatorControlController.resetClock': { description: 'The clock, back on real time', schema: ClockStateSchema },
  'MetricsController.metricsText': { description: 'Prometheus text exposition format', text: true },
  'FaultsController.add': { description: 'The fault, in force', schema: FaultViewSchema },
  'FaultsController.list': { description: 'Faults in force', schema: emulatorListOf(FaultViewSchema) },
  'FaultsController.get': { description: 'One fault', schema: FaultViewSchema },
  'FaultsController.remove': { description: 'Cleared' },
  'FaultsController.clear': { description: 'All cleared' },
  'EmulatorClassificationsController.list': {
    description: 'The system classification rules the scan engine applies',
    schema: emulatorListOf(EmulatorClassificationSchema),
  },
  'SearchIndexController.state': { description: 'The search index', schema: SearchIndexStateSchema },
  'SearchIndexController.rebuild': { description: 'The search index, rebuilt', schema: SearchIndexStateSchema },
  'ServiceUrlsController.serviceUrls': {
    description: 'Every address a node of this runtime must reach',
    schema: z.object({
      integrationRuntime: z.string(),
      serviceUrls: z.array(z.string()),
      endpoints: z.array(ServiceUrlEndpointSchema),
    }),
  },
  'RelayController.get': {
    description: "The runtime's hybrid connection (emulator extension)",
    schema: IntegrationRuntimeRelaySchema,
  },
  'RelayController.update': { description: 'The hybrid connection, updated', schema: IntegrationRuntimeRelaySchema },
  'RuntimeRelayController.get': {
    description: "What the node needs to listen on its runtime's hybrid connection",
    schema: RelayListenerConnectionSchema,
  },
  'RuntimeGatewayController.register': {
    description: 'The node, registered; its credential is shown once',
    schema: RegisterNodeResponseSchema,
  },
  'RuntimeGatewayController.heartbeat': {
    description: "The node's status as the service sees it",
    schema: HeartbeatResponseSchema,
  },
  'RuntimeGatewayController.node': {
    description: 'What `shir status` shows from the service side',
    schema: NodeViewSchema,
  },
  'RuntimeGatewayController.unregister': { description: 'The node, unregistered' },
  'RuntimeGatewayController.remoteAccess': {
    description: 'Remote access settings',
    schema: RemoteAccessSettingsSchema,
  },
  'RuntimeGatewayController.autoUpdate': { description: 'Auto-update setting', schema: AutoUpdateSettingsSchema },
  'RuntimeGatewayController.lease': {
    description: 'Scan jobs leased to the node (possibly none)',
    schema: LeaseJobsResponseSchema,
  },
  'RuntimeGatewayController.renew': { description: 'The lease, renewed', schema: RenewLeaseResponseSchema },
  'RuntimeGatewayController.knownEtags': {
    description: 'The ETags earlier runs recorded for those blobs',
    schema: KnownEtagsResponseSchema,
  },
  'RuntimeGatewayController.progress': { description: 'Progress recorded' },
  'RuntimeGatewayController.complete': { description: 'The job, completed' },

  // Purview routes whose answers libs/contracts has as zod schemas.
  'IntegrationRuntimesController.list': {
    description: 'Integration runtimes',
    schema: pagedListOf(IntegrationRuntimeSchema),
  },
  'IntegrationRuntimesController.get': { description: 'The integration runtime', schema: IntegrationRuntimeSchema },
  'IntegrationRuntimesController.createOrReplace': {
    description: 'The integration runtime (201 created, 200 replaced)',
    schema: IntegrationRuntimeSchema,
    status: 201,
    alsoStatus: 200,
  },
  'IntegrationRuntimesController.status': {
    description: 'The runtime with its nodes and their live status',
    schema: SelfHostedIntegrationRuntimeStatusSchema,
  },
  'IntegrationRuntimesController.listAuthKeys': { description: 'Auth keys', schema: IntegrationRuntimeAuthKeysSchema },
  'IntegrationRuntimesController.regenerateAuthKey': {
    description: 'Auth keys, one regenerated',
    schema: IntegrationRuntimeAuthKeysSchema,
  },
  'IntegrationRuntimesController.getNode': { description: 'The node', schema: SelfHostedIntegrationRuntimeNodeSchema },
  'IntegrationRuntimesController.monitoringData': {
    description: 'Live figures of each node',
    schema: IntegrationRuntimeMonitoringDataSchema,
  },
  'IntegrationRuntimesController.monitoringDataPost': {
    description: 'Live figures of each node',
    schema: IntegrationRuntimeMonitoringDataSchema,
  },
  'DataSourcesController.list': { description: 'Data sources', schema: pagedListOf(DataSourceSchema) },
  'DataSourcesController.get': { description: 'The data source', schema: DataSourceSchema },
  'DataSourcesController.createOrReplace': {
    description: 'The data source (201 created, 200 replaced)',
    schema: DataSourceSchema,
    status: 201,
    alsoStatus: 200,
  },
  'ScansController.list': { description: 'Scans of the data source', schema: pagedListOf(ScanSchema) },
  'ScansController.get': { description: 'The scan', schema: ScanSchema },
  'ScansController.createOrReplace': {
    description: 'The scan (201 created, 200 replaced)',
    schema: ScanSchema,
    status: 201,
    alsoStatus: 200,
  },
  'ScanRunsController.run': { description: 'The run, accepted', schema: OperationResponseSchema, status: 202 },
  'ScanRunsController.runAction': { description: 'The run, accepted', schema: OperationResponseSchema, status: 202 },
  'ScanRunsController.runWithId': { description: 'The run, accepted', schema: OperationResponseSchema, status: 202 },
  'AccountCollectionsController.list': { description: 'Collections', schema: CollectionListSchema },
  'AccountCollectionsController.get': { description: 'The collection', schema: CollectionSchema },
  'AccountCollectionsController.createOrUpdate': { description: 'The collection', schema: CollectionSchema },
  'AccountCollectionsController.childNames': { description: 'Child collections', schema: CollectionNameListSchema },
  'AccountCollectionsController.path': { description: 'Path from the root', schema: CollectionPathSchema },
  'TypeDefsController.list': { description: 'Type definitions', schema: AtlasTypesDefSchema },
  'TypeDefsController.headers': { description: 'Type definition headers', schema: z.array(AtlasTypeDefHeaderSchema) },
};

/** The documented success body of a handler, or undefined when the document leaves it open. */
export function responseDoc(controller: string, handler: string): ResponseDoc | undefined {
  return RESPONSES[`${controller}.${handler}`];
}

/** The success body's schema in OpenAPI 3.0 terms. */
export function responseSchema(doc: ResponseDoc): JsonSchema | undefined {
  return doc.schema ? toOpenApi(doc.schema) : undefined;
}

/** The error body of a route family: Atlas' own for the data map, `{ error: { code, message } }` for the rest. */
export function errorSchema(path: string): JsonSchema {
  return toOpenApi(/^\/(datamap|catalog)\/api\//.test(path) ? AtlasErrorResponseSchema : ErrorResponseModelSchema);
}

/** `Controller.handler` of every documented response (the docs test checks each is a real route). */
export const DOCUMENTED_RESPONSE_HANDLERS: readonly string[] = Object.keys(RESPONSES);

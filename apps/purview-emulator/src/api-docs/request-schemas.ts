import type { ZodTypeAny } from 'zod';
import { zodToJsonSchema } from 'zod-to-json-schema';
import {
  AutoUpdateRequestSchema,
  AzureKeyVaultBodySchema,
  BrowseRequestSchema,
  ClassificationRuleBodySchema,
  CollectionInputSchema,
  CompleteJobRequestSchema,
  FAULT_SCHEMAS,
  GlossaryCategoryInputSchema,
  GlossaryInputSchema,
  GlossaryTermInputSchema,
  HeartbeatRequestSchema,
  InteractiveQueryRequestSchema,
  JobProgressRequestSchema,
  LeaseJobsRequestSchema,
  PreviewSchemaRequestSchema,
  RegisterNodeRequestSchema,
  RemoteAccessRequestSchema,
  RenewLeaseRequestSchema,
  ScanFilterBodySchema,
  ScanRulesetBodySchema,
  SecretSetParametersSchema,
  SecretUpdateParametersSchema,
  TestConnectionRequestSchema,
  TriggerSchema,
  UpdateIntegrationRuntimeRelaySchema,
} from '@purview-emulator/contracts';
import type { JsonSchema } from './json-schema';

/**
 * The zod schema (libs/contracts) each handler reads its body with, by `Controller.handler`: the docs show the
 * same rules the API enforces. Handlers not listed take a body the API validates in code (shown as any object).
 */
const REQUEST_BODIES: Record<string, ZodTypeAny | ZodTypeAny[]> = {
  'FaultsController.add': Object.values(FAULT_SCHEMAS),
  'RuntimeGatewayController.register': RegisterNodeRequestSchema,
  'RuntimeGatewayController.heartbeat': HeartbeatRequestSchema,
  'RuntimeGatewayController.remoteAccess': RemoteAccessRequestSchema,
  'RuntimeGatewayController.autoUpdate': AutoUpdateRequestSchema,
  'RuntimeGatewayController.lease': LeaseJobsRequestSchema,
  'RuntimeGatewayController.renew': RenewLeaseRequestSchema,
  'RuntimeGatewayController.progress': JobProgressRequestSchema,
  'RuntimeGatewayController.complete': CompleteJobRequestSchema,
  'RelayController.update': UpdateIntegrationRuntimeRelaySchema,
  'InteractiveQueryController.enable': InteractiveQueryRequestSchema,
  'DataSourceAuthoringController.testConnection': TestConnectionRequestSchema,
  'DataSourceAuthoringController.browse': BrowseRequestSchema,
  'DataSourceAuthoringController.previewSchema': PreviewSchemaRequestSchema,
  'ScanFiltersController.createOrReplace': ScanFilterBodySchema,
  'ScanRulesetsController.createOrReplace': ScanRulesetBodySchema,
  'ClassificationRulesController.createOrReplace': ClassificationRuleBodySchema,
  'ScanTriggersController.createOrReplace': TriggerSchema,
  'AzureKeyVaultsController.createOrReplace': AzureKeyVaultBodySchema,
  'AccountCollectionsController.createOrUpdate': CollectionInputSchema,
  'GlossaryController.create': GlossaryInputSchema,
  'GlossaryController.update': GlossaryInputSchema,
  'GlossaryController.createCategory': GlossaryCategoryInputSchema,
  'GlossaryController.updateCategory': GlossaryCategoryInputSchema,
  'TermsController.create': GlossaryTermInputSchema,
  'TermsController.update': GlossaryTermInputSchema,
  'KeyVaultController.set': SecretSetParametersSchema,
  'KeyVaultController.update': SecretUpdateParametersSchema,
};

/** A zod schema in OpenAPI 3.0 terms, inlined (Swagger UI shows it without chasing references). */
export function toOpenApi(schema: ZodTypeAny): JsonSchema {
  // Through a plain function type: zodToJsonSchema's generic signature is too deep for tsc on these schemas.
  const convert = zodToJsonSchema as unknown as (s: ZodTypeAny, o: object) => JsonSchema;
  const json = convert(schema, { target: 'openApi3', $refStrategy: 'none' });
  delete json.$schema;
  return json;
}

/** The handler's request body schema in OpenAPI 3.0 terms, or undefined when none is declared. */
export function requestBodySchema(controller: string, handler: string): JsonSchema | undefined {
  const schema = REQUEST_BODIES[`${controller}.${handler}`];
  if (schema === undefined) return undefined;
  return Array.isArray(schema) ? { oneOf: schema.map(toOpenApi) } : toOpenApi(schema);
}

/** `Controller.handler` of every handler with a documented body (the docs test checks each is a real route). */
export const DOCUMENTED_BODY_HANDLERS: readonly string[] = Object.keys(REQUEST_BODIES);

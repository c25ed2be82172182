import { createHash } from 'node:crypto';
import { WELL_KNOWN_CLIENT_ID, WELL_KNOWN_TENANT_ID } from '@purview-emulator/contracts';
import type { EmulatorConfig } from '../config/emulator-config';
import type { ArmApiVersion } from './arm-errors';

type Config = Pick<EmulatorConfig, 'accountName' | 'publicHttpsUrl' | 'storage' | 'account'>;

/** Where an ARM request addressed the account: any subscription and resource group name reach it. */
export interface ArmScope {
  subscriptionId: string;
  resourceGroup: string;
}

/** A stable GUID per purpose, so the account's identity and creator ids survive restarts. */
export function stableGuid(purpose: string): string {
  const h = createHash('sha1').update(`purview-emulator-account:${purpose}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16], 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * The `Microsoft.Purview/accounts` resource in the shape of the requested api-version: `guardian` endpoint until
 * 2021-12-01, `accountStatus` from 2021-12-01, `ingestionStorage` and `managedEventHubState` from 2023-05-01-preview.
 * Storage follows the configured mode: a managed storage account (accounts created before 2023-12-15) or
 * ingestion storage (later ones), both served by the Azurite account the runtime uploads scan results to.
 */
export function accountResource(config: Config, scope: ArmScope, apiVersion: ArmApiVersion): Record<string, unknown> {
  const { accountName: name, account } = config;
  const managed = account.storageMode === 'managed';
  const managedRg = `managed-rg-${name}`;
  const managedRgId = `/subscriptions/${scope.subscriptionId}/resourceGroups/${managedRg}`;
  const endpoint = config.publicHttpsUrl;
  const since = (version: string): boolean => apiVersion >= version;
  const createdByObjectId = stableGuid(`client:${WELL_KNOWN_CLIENT_ID}`);
  const properties: Record<string, unknown> = {
    cloudConnectors: {},
    createdAt: account.createdAt,
    createdBy: WELL_KNOWN_CLIENT_ID,
    createdByObjectId,
    // The legacy per-service hosts, as the emulator's prefixes: clients append `/api/atlas/v2/...` or `/datasources`.
    endpoints: {
      catalog: `${endpoint}/catalog`,
      ...(since('2023-05-01-preview') ? {} : { guardian: `${endpoint}/guardian` }),
      scan: `${endpoint}/scan`,
    },
    friendlyName: name,
    managedResourceGroupName: managedRg,
    managedResources: managed
      ? {
          resourceGroup: managedRgId,
          storageAccount: `${managedRgId}/providers/Microsoft.Storage/storageAccounts/${config.storage.ingestionAccount}`,
        }
      : {},
    privateEndpointConnections: [],
    provisioningState: 'Succeeded',
    publicNetworkAccess: 'Enabled',
  };
  if (since('2021-12-01')) {
    properties.accountStatus = { accountProvisioningState: 'Succeeded', errorDetails: {} };
    properties.managedResourcesPublicNetworkAccess = managed ? 'Enabled' : 'NotSpecified';
  }
  if (since('2023-05-01-preview')) {
    properties.managedEventHubState = 'Disabled';
    if (!managed) {
      properties.ingestionStorage = {
        primaryEndpoint: `${config.storage.blobEndpoint}/${config.storage.ingestionAccount}/`,
        publicNetworkAccess: 'Enabled',
      };
    }
  }
  return {
    id: `/subscriptions/${scope.subscriptionId}/resourceGroups/${scope.resourceGroup}/providers/Microsoft.Purview/accounts/${name}`,
    name,
    type: 'Microsoft.Purview/accounts',
    location: account.location,
    tags: {},
    identity: { type: 'SystemAssigned', principalId: stableGuid(`identity:${name}`), tenantId: WELL_KNOWN_TENANT_ID },
    sku: { name: 'Standard', capacity: 1 },
    systemData: {
      createdBy: WELL_KNOWN_CLIENT_ID,
      createdByType: 'Application',
      createdAt: account.createdAt,
      lastModifiedBy: WELL_KNOWN_CLIENT_ID,
      lastModifiedByType: 'Application',
      lastModifiedAt: account.createdAt,
    },
    properties,
  };
}

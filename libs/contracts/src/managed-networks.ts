/** Managed virtual networks and their managed private endpoints (Scanning 2023-09-01 shapes). */
import { z } from 'zod';

/** `managedVirtualNetworkName`: the spec restricts it to these two names "for now". */
export const MANAGED_VIRTUAL_NETWORK_NAMES = ['default', 'defaultv2'] as const;

/** `managedPrivateEndpointName` pattern (1–127 characters). */
export const MANAGED_PRIVATE_ENDPOINT_NAME_PATTERN = /^([_A-Za-z0-9]|([_A-Za-z0-9][-_A-Za-z0-9]{0,125}[_A-Za-z0-9]))$/;

export interface ManagedVirtualNetwork {
  id: string; // relative: managedvirtualnetworks/{name}
  name: string;
  properties: { vNetId: string; alias: string };
}

export interface ConnectionStateProperties {
  actionsRequired: string;
  description: string;
  status: string;
}

export interface ManagedPrivateEndpoint {
  id: string; // relative: managedvirtualnetworks/{vnet}/managedprivateendpoints/{name}
  name: string;
  properties: {
    connectionState: ConnectionStateProperties;
    fqdns: string[];
    groupId: string;
    privateLinkResourceId: string;
    provisioningState: string;
  };
}

/** PUT body of a managed virtual network: its properties are all read-only, so an empty object (or none) will do. */
export const ManagedVirtualNetworkBodySchema = z
  .object({ properties: z.object({}).passthrough().nullable().optional() })
  .passthrough();

/** PUT body of a managed private endpoint: the resource it reaches and which of its sub-resources (groupId). */
export const ManagedPrivateEndpointBodySchema = z
  .object({
    properties: z
      .object({
        privateLinkResourceId: z
          .string({
            required_error:
              'properties.privateLinkResourceId is required, e.g. /subscriptions/…/storageAccounts/contoso',
          })
          .min(1, 'properties.privateLinkResourceId must not be empty'),
        groupId: z
          .string({ required_error: 'properties.groupId is required, e.g. blob' })
          .min(1, 'properties.groupId must not be empty'),
        fqdns: z.array(z.string()).nullable().optional(),
      })
      .passthrough(),
  })
  .passthrough();
export type ManagedPrivateEndpointBody = z.infer<typeof ManagedPrivateEndpointBodySchema>;

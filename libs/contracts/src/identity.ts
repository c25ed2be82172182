/**
 * Identity: the emulator's Entra ID stand-in. Like Azurite's devstoreaccount1, the defaults are public and
 * fixed so that scripts work without configuration.
 */
export const WELL_KNOWN_TENANT_ID = '00000000-0000-0000-0000-000000000000';
export const WELL_KNOWN_CLIENT_ID = 'purview-emulator';
export const WELL_KNOWN_CLIENT_SECRET = 'purview-emulator-secret';
export const PURVIEW_RESOURCE = 'https://purview.azure.net';
export const PURVIEW_SCOPE = 'https://purview.azure.net/.default';

/** Purview data-plane roles (collection-level role assignments). */
export const PURVIEW_ROLES = ['Collection Admin', 'Data Source Admin', 'Data Curator', 'Data Reader'] as const;
export type PurviewRole = (typeof PURVIEW_ROLES)[number];

/** Entra ID token endpoint response (client credentials grant). */
export interface TokenResponse {
  token_type: 'Bearer';
  expires_in: number;
  ext_expires_in: number;
  access_token: string;
}

/** Entra ID OAuth error body. */
export interface OAuthErrorResponse {
  error: string;
  error_description: string;
  error_codes?: number[];
  timestamp?: string;
  trace_id?: string;
  correlation_id?: string;
}

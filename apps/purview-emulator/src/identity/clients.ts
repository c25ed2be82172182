import {
  PURVIEW_ROLES,
  PurviewRole,
  WELL_KNOWN_CLIENT_ID,
  WELL_KNOWN_CLIENT_SECRET,
} from '@purview-emulator/contracts';

/** An application registration the token endpoint accepts (client credentials). */
export interface ClientRegistration {
  clientId: string;
  clientSecret: string;
  roles: readonly PurviewRole[];
}

/** The well-known client has every Purview role, like Azurite's devstoreaccount1 has every permission. */
export const WELL_KNOWN_CLIENT: ClientRegistration = {
  clientId: WELL_KNOWN_CLIENT_ID,
  clientSecret: WELL_KNOWN_CLIENT_SECRET,
  roles: PURVIEW_ROLES,
};

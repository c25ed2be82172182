import type { PurviewRole } from '@contracts/identity';

/** What each Purview role allows, as the emulator checks it (README, "Clients and roles"). */
export interface Permissions {
  manageSources: boolean;
  readSources: boolean;
  readCatalog: boolean;
  curate: boolean;
  controlEmulator: boolean;
}

export function permissionsOf(roles: readonly PurviewRole[]): Permissions {
  const has = (...wanted: PurviewRole[]): boolean => wanted.some((r) => roles.includes(r));
  return {
    manageSources: has('Data Source Admin'),
    readSources: has('Data Source Admin', 'Data Curator', 'Data Reader'),
    readCatalog: has('Data Curator', 'Data Reader'),
    curate: has('Data Curator'),
    controlEmulator: has('Collection Admin', 'Data Source Admin'),
  };
}

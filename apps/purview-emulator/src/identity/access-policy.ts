import type { PurviewRole } from '@purview-emulator/contracts';

/** What an operation needs: any one of `roles`, and the words 403 messages use for the operation. */
export interface Permission {
  roles: readonly PurviewRole[];
  purpose: string;
}

/**
 * Who may do what, from Purview's permissions guide: Data Source Admins manage data sources, scans and (the
 * SHIR guide's prerequisite) integration runtimes; Data Curators create, modify and delete data map assets;
 * Data Readers read; Collection Admins assign roles. Reading scanning resources is open to every role that works
 * with them; reading assets is not open to a Data Source Admin alone, as in Purview, where that role does not see
 * the catalog. Moving the emulator clock (emulator-only) takes an admin: Collection Admin or Data Source Admin.
 */
export const ACCESS = {
  manageIntegrationRuntimes: {
    roles: ['Data Source Admin'],
    purpose: 'managing integration runtimes, their keys and nodes',
  },
  readIntegrationRuntimes: {
    roles: ['Data Reader', 'Data Curator', 'Data Source Admin'],
    purpose: 'reading integration runtimes and their status',
  },
  manageScanning: { roles: ['Data Source Admin'], purpose: 'managing data sources, scans and scan runs' },
  readScanning: {
    roles: ['Data Reader', 'Data Curator', 'Data Source Admin'],
    purpose: 'reading data sources, scans and scan runs',
  },
  manageClassificationRules: {
    roles: ['Data Curator', 'Data Source Admin'],
    purpose: 'managing custom classification rules',
  },
  writeDataMap: { roles: ['Data Curator'], purpose: 'creating, updating and deleting data map entities' },
  readDataMap: { roles: ['Data Reader', 'Data Curator'], purpose: 'reading and searching the data map' },
  writeGlossary: {
    roles: ['Data Curator'],
    purpose: 'creating, updating and deleting glossaries, terms and assignments',
  },
  readGlossary: { roles: ['Data Reader', 'Data Curator'], purpose: 'reading the business glossary' },
  writeTypeDefs: { roles: ['Data Curator'], purpose: 'creating, updating and deleting type definitions' },
  readTypeDefs: { roles: ['Data Reader', 'Data Curator'], purpose: 'reading type definitions' },
  manageCollections: { roles: ['Collection Admin'], purpose: 'creating, updating and deleting collections' },
  readCollections: {
    roles: ['Collection Admin', 'Data Source Admin', 'Data Curator', 'Data Reader'],
    purpose: 'reading collections',
  },
  // Key Vault (a separate service in Azure, RBAC role Key Vault Secrets Officer): here the admin who sets up credentials.
  manageKeyVaultSecrets: { roles: ['Data Source Admin'], purpose: 'reading and writing Key Vault secrets' },
  // Emulator-only: moving the clock expires every token and every node.
  controlEmulator: {
    roles: ['Collection Admin', 'Data Source Admin'],
    purpose: 'changing the emulator clock or its faults',
  },
} as const satisfies Record<string, Permission>;

/** The 403 message: names the client, the missing role(s), the operation, and the roles the client has. */
export function forbiddenMessage(clientId: string, has: readonly string[], permission: Permission): string {
  const { roles, purpose } = permission;
  const missing =
    roles.length === 1
      ? `does not have the ${roles[0]} role, which ${purpose} requires`
      : `has none of the roles ${roles.slice(0, -1).join(', ')} or ${roles[roles.length - 1]}, one of which ${purpose} requires`;
  return `The client '${clientId}' ${missing}. Roles it has: ${has.length > 0 ? has.join(', ') : 'none'}.`;
}

export function isAllowed(has: readonly string[], permission: Permission): boolean {
  return permission.roles.some((role) => has.includes(role));
}

import * as fs from 'node:fs';
import * as path from 'node:path';
import { ClientSecretCredential } from '@azure/identity';
import { SecretClient } from '@azure/keyvault-secrets';
import { WELL_KNOWN_CLIENT_ID, WELL_KNOWN_CLIENT_SECRET, WELL_KNOWN_TENANT_ID } from '@purview-emulator/contracts';
import {
  type DatabaseServer,
  mariadbBinaries,
  seedMysqlSample,
  seedPostgresSample,
  startMariadb,
  startPostgres,
} from '@purview-emulator/testing';
import type { TestStack } from './harness';

/** A PostgreSQL and (where installed) a MariaDB in the stack's directory, each holding the sample database. */
export async function startSampleServers(
  stack: TestStack,
  passwords: { postgres: string; mariadb: string },
): Promise<{ postgres: DatabaseServer; mariadb?: DatabaseServer }> {
  const postgres = await startPostgres({ dir: path.join(stack.dataDir, 'pg'), password: passwords.postgres });
  await seedPostgresSample(postgres);
  if (!mariadbBinaries()) return { postgres };
  const mariadb = await startMariadb({ dir: path.join(stack.dataDir, 'maria'), password: passwords.mariadb });
  await seedMysqlSample(mariadb);
  return { postgres, mariadb };
}

/** What the database e2e files share: Microsoft's SecretClient on the emulator's Key Vault, and SqlAuth credentials. */
export function secretClientOf(stack: TestStack): SecretClient {
  const ca = fs.readFileSync(path.join(stack.dataDir, 'tls', 'ca.pem'), 'utf8');
  const origin = `https://localhost:${stack.ports.https}`;
  const credential = new ClientSecretCredential(WELL_KNOWN_TENANT_ID, WELL_KNOWN_CLIENT_ID, WELL_KNOWN_CLIENT_SECRET, {
    authorityHost: origin,
    disableInstanceDiscovery: true,
    tlsOptions: { ca },
  });
  return new SecretClient(origin, credential, { disableChallengeResourceVerification: true, tlsOptions: { ca } });
}

/** The Key Vault connection `vault` to the emulator's own vault. */
export async function putKeyVaultConnection(stack: TestStack, vault: string): Promise<void> {
  await stack.client.scan('PUT', `/azureKeyVaults/${vault}`, {
    properties: { baseUrl: `https://localhost:${stack.ports.https}/` },
  });
}

/** A SqlAuth credential whose password is the Key Vault secret `secretName` of connection `vault`. */
export async function putSqlCredential(
  stack: TestStack,
  name: string,
  secretName: string,
  user: string,
  vault: string,
): Promise<void> {
  await stack.client.scan('PUT', `/credentials/${name}`, {
    kind: 'SqlAuth',
    properties: {
      typeProperties: {
        user,
        password: {
          type: 'AzureKeyVaultSecret',
          secretName,
          store: { referenceName: vault, type: 'LinkedServiceReference' },
        },
      },
    },
  });
}

import * as path from 'node:path';
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

/** What the database e2e files share: the Key Vault connection and SqlAuth credentials. */
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

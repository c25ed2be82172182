import * as os from 'node:os';
import * as path from 'node:path';
import { BlobServiceClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import { DEVSTORE_ACCOUNT, DEVSTORE_KEY } from '@purview-emulator/contracts';
import { sampleFiles } from '@purview-emulator/scan-engine';
import { PurviewClient } from './purview-client';
import { runShir, shirEnv } from './stack';

export const SAMPLE_CONTAINER = 'samples';
const CONTENT_TYPES: Record<string, string> = { '.csv': 'text/csv', '.json': 'application/json' };

export function devstoreBlobService(blobPort: number): BlobServiceClient {
  return new BlobServiceClient(
    `http://127.0.0.1:${blobPort}/${DEVSTORE_ACCOUNT}`,
    new StorageSharedKeyCredential(DEVSTORE_ACCOUNT, DEVSTORE_KEY),
  );
}

/** Uploads the sample files (CSVs with emails and card numbers, a Parquet and a JSON file) to Azurite; returns the blob names. Idempotent. */
export async function uploadSamples(blobPort: number, container = SAMPLE_CONTAINER): Promise<string[]> {
  const client = devstoreBlobService(blobPort).getContainerClient(container);
  await client.createIfNotExists();
  const names: string[] = [];
  for (const file of sampleFiles()) {
    const name = `sample-data/${path.basename(file)}`;
    await client.getBlockBlobClient(name).uploadFile(file, {
      blobHTTPHeaders: { blobContentType: CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream' },
    });
    names.push(name);
  }
  return names;
}

/** Creates the IR if needed (PUT is create-or-replace) and returns authKey1. */
export async function ensureIntegrationRuntime(
  client: PurviewClient,
  name: string,
  description: string,
): Promise<string> {
  await client.scan('PUT', `/integrationruntimes/${name}`, { kind: 'SelfHosted', properties: { description } });
  const keys = await client.scan<{ authKey1: string }>('POST', `/integrationruntimes/${name}:listAuthKeys`);
  return keys.authKey1;
}

/** Registers a node in `home` unless that home already holds one. */
export async function ensureRegistered(
  home: string,
  authKey: () => Promise<string>,
  nodeName = os.hostname(),
  options: { force?: boolean } = {},
): Promise<'registered' | 'already'> {
  if (!options.force) {
    const status = await runShir(['status', '--home', home, '--json'], shirEnv(home));
    if (status.code === 0) return 'already';
  }
  const result = await runShir(
    [
      'register',
      '--key',
      await authKey(),
      '--home',
      home,
      '--node-name',
      sanitizeNodeName(nodeName),
      ...(options.force ? ['--force'] : []),
    ],
    shirEnv(home),
  );
  if (result.code !== 0) throw new Error(`shir register failed:\n${result.stdout}${result.stderr}`);
  return 'registered';
}

export function sanitizeNodeName(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9_.-]/g, '-').replace(/^[^A-Za-z0-9]+/, '');
  return cleaned.slice(0, 150) || 'node1';
}

/** A data source over devstoreaccount1 and a scan through the given IR. */
export async function ensureSampleScan(
  client: PurviewClient,
  options: { dataSource: string; scan: string; integrationRuntime: string },
): Promise<void> {
  await client.scan('PUT', `/datasources/${options.dataSource}`, {
    kind: 'AzureStorage',
    properties: { endpoint: `https://${DEVSTORE_ACCOUNT}.blob.core.windows.net/` },
  });
  await client.scan('PUT', `/datasources/${options.dataSource}/scans/${options.scan}`, {
    kind: 'AzureStorageMsi',
    properties: {
      scanRulesetName: 'AzureStorage',
      scanRulesetType: 'System',
      connectedVia: { referenceName: options.integrationRuntime },
    },
  });
}

/**
 * Integration test against a real Azurite (the shared test launcher), kept on disk so an outage test can restart it.
 */
import { DEVSTORE_ACCOUNT, DEVSTORE_KEY } from '@purview-emulator/contracts';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  AccountSASPermissions,
  AccountSASResourceTypes,
  AccountSASServices,
  BlobServiceClient,
  generateAccountSASQueryParameters,
  SASProtocol,
  StorageSharedKeyCredential,
} from '@azure/storage-blob';
import type { AzureStorageScanSource, ScannedAsset } from '@purview-emulator/contracts';
import { type Azurite, freePort, startAzurite, type TempDir, tempDir } from '@purview-emulator/testing';
import { CREDIT_CARD_CLASSIFICATION, EMAIL_CLASSIFICATION } from '../classifiers';
import { scanAzureStorage } from '../pipeline';
import { sampleFiles } from '../samples';
import { AzureBlobConnector } from './azure-blob.connector';
import { type BlobInfo, ConnectorError } from './connector';
import { isTransientStorageFailure } from './storage-retry';

jest.setTimeout(60_000);

const ACCOUNT = DEVSTORE_ACCOUNT;
// Azurite's well-known devstoreaccount1 key (the one in Azurite's own constants and README).
const KEY = DEVSTORE_KEY;
const BASE = `https://${ACCOUNT}.blob.core.windows.net`;

function accountSas(permissions: string, key = KEY): string {
  return generateAccountSASQueryParameters(
    {
      expiresOn: new Date(Date.now() + 60 * 60 * 1000),
      permissions: AccountSASPermissions.parse(permissions),
      services: AccountSASServices.parse('b').toString(),
      resourceTypes: AccountSASResourceTypes.parse('sco').toString(),
      protocol: SASProtocol.HttpsAndHttp,
    },
    new StorageSharedKeyCredential(ACCOUNT, key),
  ).toString();
}

async function collect(iterable: AsyncIterable<ScannedAsset>): Promise<ScannedAsset[]> {
  const out: ScannedAsset[] = [];
  for await (const asset of iterable) out.push(asset);
  return out;
}

describe('AzureBlobConnector and scanAzureStorage against Azurite', () => {
  let azurite: Azurite;
  let serviceUrl: string;
  let sasToken: string;

  let dataDir: TempDir;

  /** The outage test stops Azurite and starts it again on the same ports over the same data. */
  const restartAzurite = async (): Promise<void> => {
    azurite = await startAzurite({ dir: dataDir.path, ports: azurite.ports });
  };

  beforeAll(async () => {
    dataDir = tempDir('scan-engine-azurite-');
    azurite = await startAzurite({ dir: dataDir.path });
    serviceUrl = azurite.endpoints.blob;
    sasToken = accountSas('rl');

    const admin = new BlobServiceClient(serviceUrl, new StorageSharedKeyCredential(ACCOUNT, KEY));
    const samples = admin.getContainerClient('samples');
    await samples.create();
    for (const file of sampleFiles()) {
      await samples
        .getBlockBlobClient(`sample-data/${path.basename(file)}`)
        .uploadFile(file, { blobHTTPHeaders: { blobContentType: 'text/csv' } });
    }
    const other = admin.getContainerClient('archive');
    await other.create();
    await other.getBlockBlobClient('2024/notes.txt').uploadData(Buffer.from('not a table'));
    for (let i = 0; i < 5; i++) await other.getBlockBlobClient(`paged/p${i}.csv`).uploadData(Buffer.from('a,b\n1,2\n'));
    await admin.getContainerClient('purview-ingestion').create();
  });

  afterAll(async () => {
    await azurite?.stop();
    dataDir?.remove();
  });

  const source = (overrides: Partial<AzureStorageScanSource> = {}): AzureStorageScanSource => ({
    kind: 'AzureStorage',
    endpoint: `${BASE}/`,
    accountName: ACCOUNT,
    qualifiedNameBase: BASE,
    serviceUrl,
    sasToken,
    excludeContainers: ['purview-ingestion'],
    ...overrides,
  });

  it('scans the account through an account SAS: schema, classifications, stats', async () => {
    const run = scanAzureStorage(source(), { concurrency: 2 });
    const assets = await collect(run);
    const qns = assets.map((a) => a.attributes.qualifiedName);

    expect(qns.slice(0, 3)).toEqual([`https://${ACCOUNT}.core.windows.net`, BASE, `${BASE}/archive`]);
    expect(qns).toContain(`${BASE}/samples`);
    expect(qns.some((q) => q.includes('purview-ingestion'))).toBe(false);

    const customers = assets.find((a) => a.attributes.qualifiedName === `${BASE}/samples/sample-data/customers.csv`)!;
    expect(customers).toMatchObject({
      typeName: 'azure_blob_path',
      attributes: {
        name: 'customers.csv',
        path: '/samples/sample-data/customers.csv',
        contentType: 'text/csv',
        isFile: true,
      },
      classifications: [{ typeName: EMAIL_CLASSIFICATION }, { typeName: CREDIT_CARD_CLASSIFICATION }],
    });
    expect(customers.attributes.size).toBe(fs.statSync(sampleFiles().find((f) => f.endsWith('customers.csv'))!).size);
    expect(typeof customers.attributes.modifiedTime).toBe('number');
    const email = assets.find(
      (a) => a.attributes.qualifiedName === `${BASE}/samples/sample-data/customers.csv#__tabular_schema//email`,
    );
    expect(email?.classifications).toEqual([{ typeName: EMAIL_CLASSIFICATION }]);
    const country = assets.find(
      (a) => a.attributes.qualifiedName === `${BASE}/samples/sample-data/customers.csv#__tabular_schema//country`,
    );
    expect(country?.classifications).toEqual([]);

    const orders = assets.find((a) => a.attributes.qualifiedName === `${BASE}/samples/sample-data/orders.csv`)!;
    expect(orders.classifications).toEqual([]);
    expect(orders.relationshipAttributes?.tabular_schema).toBeDefined();

    // Typed formats keep their types: Parquet read by byte ranges through the SAS, JSON lines flattened.
    const columns = (file: string) =>
      assets
        .filter(
          (a) =>
            a.typeName === 'column' &&
            String(a.attributes.qualifiedName).startsWith(`${BASE}/samples/sample-data/${file}#`),
        )
        .map((a) => `${a.attributes.name}:${a.attributes.type}`);
    expect(columns('products.parquet')).toEqual([
      'sku:UTF8',
      'name:UTF8',
      'price:DOUBLE',
      'stock:INT32',
      'active:BOOLEAN',
      'updated:TIMESTAMP_MILLIS',
    ]);
    expect(columns('events.json')).toEqual([
      'event_id:integer',
      'type:string',
      'at:string',
      'device.os:string',
      'device.version:string',
      'items:array',
    ]);

    // archive/2024/notes.txt and archive/paged/p0…p4.csv match built-in patterns: two resource sets, one asset each.
    const paged = assets.find((a) => a.attributes.qualifiedName === `${BASE}/archive/paged/p{N}.csv`)!;
    expect(paged).toMatchObject({
      typeName: 'azure_blob_resource_set',
      attributes: { name: 'p', partitionCount: 5, totalSizeBytes: 5 * 8, schemaCount: 1 },
    });
    expect(assets.find((a) => a.attributes.qualifiedName === `${BASE}/archive/{N}/notes.txt`)?.typeName).toBe(
      'azure_blob_resource_set',
    );
    const files = sampleFiles().length + 1 + 5;
    expect(run.stats).toMatchObject({
      assetsDiscovered: 2 + 2 + sampleFiles().length + 2,
      assetsClassified: 1,
      assetsFailed: 0,
      containersListed: 2,
      blobsListed: files,
      resourceSets: 2,
    });
    expect(run.stats.bytesRead).toBeGreaterThan(0);
  });

  it('lists page by page', async () => {
    const connector = new AzureBlobConnector({ serviceUrl, sasToken, pageSize: 2 });
    const names: string[] = [];
    for await (const blob of connector.listBlobs('archive')) names.push(blob.name);
    expect(names).toEqual([
      '2024/notes.txt',
      'paged/p0.csv',
      'paged/p1.csv',
      'paged/p2.csv',
      'paged/p3.csv',
      'paged/p4.csv',
    ]);
  });

  it('reads a byte range', async () => {
    const connector = new AzureBlobConnector({ serviceUrl: `${serviceUrl}/`, sasToken: `?${sasToken}` });
    const stream = await connector.openBlob('archive', '2024/notes.txt', { offset: 4, count: 5 });
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).toString()).toBe('a tab');
  });

  it('fails clearly on an authorization failure, without leaking the SAS', async () => {
    const forged = accountSas('rl', Buffer.from('not the account key').toString('base64'));
    const signature = new URLSearchParams(forged).get('sig')!;
    const error: Error = await collect(scanAzureStorage(source({ sasToken: forged }))).then(
      () => {
        throw new Error('the scan should have failed');
      },
      (e: Error) => e,
    );
    expect(error.message).toMatch(
      new RegExp(`^Cannot list containers of ${serviceUrl.replace(/\./g, '\\.')}: 403 \\w+`),
    );
    expect(error.message).not.toContain(signature);
    expect(error.message).not.toContain(encodeURIComponent(signature));
  });

  it('fails clearly when the SAS lacks the list permission, and not as a transient failure', async () => {
    const error = await collect(scanAzureStorage(source({ sasToken: accountSas('r') }))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectorError);
    expect((error as Error).message).toMatch(/^Cannot list containers of .*: 403 /);
    expect(isTransientStorageFailure(error)).toBe(false);
  });

  it('fails clearly, and quickly, when the host is unreachable', async () => {
    const port = await freePort();
    const started = Date.now();
    const run = scanAzureStorage(source({ serviceUrl: `http://127.0.0.1:${port}/${ACCOUNT}` }), {
      connector: { retryOptions: { maxTries: 2, retryDelayInMs: 10, maxRetryDelayInMs: 20 } },
    });
    const error = await collect(run).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(
      new RegExp(`^Cannot list containers of http://127\\.0\\.0\\.1:${port}/${ACCOUNT}: .*ECONNREFUSED`),
    );
    expect(Date.now() - started).toBeLessThan(10_000);
    // Another attempt later may succeed: the runtime reports such a job failure as retryable.
    expect(isTransientStorageFailure(error)).toBe(true);
  });

  it('lists on through a storage restart of a few seconds, each blob once (the default retries)', async () => {
    const connector = new AzureBlobConnector({ serviceUrl, sasToken, pageSize: 1 });
    const names: string[] = [];
    let restarted: Promise<void> | undefined;
    for await (const blob of connector.listBlobs('archive')) {
      names.push(blob.name);
      if (names.length === 2) {
        // Down between two pages: the next page is asked for while Azurite is stopped.
        await azurite.stop();
        restarted = new Promise((resolve) => setTimeout(resolve, 4000)).then(restartAzurite); // the outage itself
      }
    }
    await restarted;
    expect(names).toEqual([
      '2024/notes.txt',
      'paged/p0.csv',
      'paged/p1.csv',
      'paged/p2.csv',
      'paged/p3.csv',
      'paged/p4.csv',
    ]);
  }, 60_000);

  it('marks a blob that vanished between listing and reading as failed, and carries on', async () => {
    const connector = new AzureBlobConnector({ serviceUrl, sasToken });
    await expect(connector.openBlob('archive', 'missing.csv', { offset: 0, count: 10 })).rejects.toThrow(
      /^Cannot read .*\/archive\/missing\.csv: 404 BlobNotFound/,
    );
  });
  it('reads blobs whose names need escaping, byte for byte as the SDK reads them', async () => {
    const admin = new BlobServiceClient(serviceUrl, new StorageSharedKeyCredential(ACCOUNT, KEY));
    const odd = admin.getContainerClient('odd-names');
    await odd.create();
    const names = ['a b/c#d?e.csv', "100%/it's (1).csv", 'ümlaut/日本語+plus&amp.csv', 'x//double.csv'];
    for (const name of names) await odd.getBlockBlobClient(name).uploadData(Buffer.from(`name,len\n${name},1\n`));
    const connector = new AzureBlobConnector({ serviceUrl, sasToken });
    const listed: BlobInfo[] = [];
    for await (const blob of connector.listBlobs('odd-names')) listed.push(blob);
    expect(listed.map((b) => b.name).sort()).toEqual([...names].sort());
    // The same fields as the SDK's own listing gives.
    const fromSdk: BlobInfo[] = [];
    for await (const item of odd.listBlobsFlat())
      fromSdk.push({
        name: item.name,
        size: item.properties.contentLength ?? 0,
        lastModified: item.properties.lastModified,
        contentType: item.properties.contentType || undefined,
        etag: item.properties.etag,
      });
    expect(listed).toEqual(fromSdk);
    for (const name of names) {
      const chunks: Buffer[] = [];
      for await (const chunk of await connector.openBlob('odd-names', name, { offset: 5 }))
        chunks.push(chunk as Buffer);
      const expected = await odd.getBlobClient(name).downloadToBuffer(5);
      expect(Buffer.concat(chunks).toString()).toBe(expected.toString());
    }
  });

  it('fails a read clearly on an authorization failure, without leaking the SAS', async () => {
    const forged = accountSas('rl', Buffer.from('not the account key').toString('base64'));
    const signature = new URLSearchParams(forged).get('sig')!;
    const connector = new AzureBlobConnector({ serviceUrl, sasToken: forged });
    const error = (await connector.openBlob('archive', '2024/notes.txt').catch((e: unknown) => e)) as ConnectorError;
    expect(error).toBeInstanceOf(ConnectorError);
    expect(error.message).toMatch(
      /^Cannot read .*\/archive\/2024\/notes\.txt: 403 \w+ \(Server failed to authenticate/,
    );
    expect(error.message).not.toContain(signature);
    expect(isTransientStorageFailure(error)).toBe(false);
  });
});

import Database from 'better-sqlite3';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type {
  AtlasEntityWithExtInfo,
  QueryResult,
  ScanResultWithIngestion,
  SelfHostedIntegrationRuntimeStatus,
} from '@purview-emulator/contracts';
import { SAMPLES_DIR } from '@purview-emulator/scan-engine';
import { pollUntil } from '@purview-emulator/testing';
import { devstoreBlobService } from '../../scripts/src/stack/seed';
import { TestStack } from './harness';

/**
 * The foundation flow on real parts: create an IR, list keys, register one node with each key, both Online,
 * upload CSVs (and a Parquet and a JSON file) to Azurite, data source + scan, run → Succeeded with the right counts,
 * assets and the email column's classification found through search and entity GET; typed columns keep their
 * format's types; bad keys, missing tokens, and a restart.
 */
const QN = 'https://devstoreaccount1.blob.core.windows.net';
const luhn = (digits: string): string => {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) d *= 2;
    if (d > 9) d -= 9;
    sum += d;
  }
  return `${digits}${(10 - (sum % 10)) % 10}`;
};
const customersCsv = ['id,full_name,email,card_number,country']
  .concat(
    Array.from(
      { length: 24 },
      (_, i) =>
        `${i + 1},Person ${i + 1},person${i + 1}@contoso.com,${luhn(`4111111111${String(100000 + i).slice(1)}`)},NL`,
    ),
  )
  .join('\n');
const ordersCsv = ['order_id,amount,status']
  .concat(Array.from({ length: 30 }, (_, i) => `${1000 + i},${(i * 7.5).toFixed(2)},shipped`))
  .join('\r\n');

describe('whole flow: IR → nodes → scan → ingestion → data map', () => {
  const stack = new TestStack();
  let authKey1 = '';
  let authKey2 = '';

  beforeAll(async () => {
    await stack.start();
  });

  afterAll(async () => {
    await stack.stop();
  });

  it("refuses /scan and /datamap without a valid token, in Purview's error shapes", async () => {
    const none = await fetch(`${stack.endpoint}/scan/integrationruntimes?api-version=2023-09-01`);
    expect(none.status).toBe(401);
    expect(((await none.json()) as { error: { code: string } }).error.code).toBe('Unauthorized');
    const bad = await fetch(`${stack.endpoint}/datamap/api/search/query?api-version=2023-09-01`, {
      method: 'POST',
      headers: { authorization: 'Bearer not-a-jwt', 'content-type': 'application/json' },
      body: '{}',
    });
    expect(bad.status).toBe(401);
    expect(await bad.json()).toEqual(
      expect.objectContaining({
        requestId: expect.any(String),
        errorCode: expect.any(String),
        errorMessage: expect.any(String),
      }),
    );
  });

  it('creates an integration runtime that needs registration, with two auth keys in the real format', async () => {
    const created = await stack.client.call('PUT', '/scan/integrationruntimes/e2e-shir?api-version=2023-09-01', {
      kind: 'SelfHosted',
      properties: { description: 'e2e' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toEqual(
      expect.objectContaining({ name: 'e2e-shir', kind: 'SelfHosted', properties: { description: 'e2e' } }),
    );
    const keys = await stack.client.scan<{ authKey1: string; authKey2: string }>(
      'POST',
      '/integrationruntimes/e2e-shir:listAuthKeys',
    );
    const format = new RegExp(
      `^IR@[0-9a-f-]{36}@emulator@ServiceEndpoint=127\\.0\\.0\\.1:${stack.ports.emulator}@[A-Za-z0-9+/]{43}=$`,
    );
    expect(keys.authKey1).toMatch(format);
    expect(keys.authKey2).toMatch(format);
    expect(keys.authKey1).not.toBe(keys.authKey2);
    ({ authKey1, authKey2 } = keys);
    const status = await stack.client.scan<SelfHostedIntegrationRuntimeStatus>(
      'GET',
      '/integrationruntimes/e2e-shir/status',
    );
    expect(status.properties.state).toBe('NeedRegistration');
  });

  it("explains a bad key with the SHIR's own message and a concrete reason", async () => {
    const malformed = await stack.shir(['register', '--key', 'not-a-key'], stack.home('bad'));
    expect(malformed.code).not.toBe(0);
    const text = malformed.stdout + malformed.stderr;
    expect(text).toContain(
      'Failed to register this Integration Runtime node! Confirm that the Authentication key is valid and the integration service host service is running on this machine.',
    );
    expect(text).toMatch(/malformed/i);

    const forged = authKey1.replace(/@[A-Za-z0-9+/]{43}=$/, `@${Buffer.alloc(32, 7).toString('base64')}`);
    const invalid = await stack.shir(['register', '--key', forged], stack.home('bad'));
    expect(invalid.code).not.toBe(0);
    expect(invalid.stdout + invalid.stderr).toMatch(/not valid for any integration runtime/i);
  });

  it('registers one node with each key and shows both Online', async () => {
    for (const [name, key] of [
      ['node1', authKey1],
      ['node2', authKey2],
    ] as const) {
      const result = await stack.shir(['register', '--key', key, '--node-name', name], stack.home(name));
      expect(result).toEqual(expect.objectContaining({ code: 0 }));
      stack.startNode(name);
      // A second node may join only once remote access is enabled on the first.
      if (name === 'node1') expect((await stack.shir(['remote-access', 'enable'], stack.home(name))).code).toBe(0);
    }
    const status = await pollUntil(
      async () => {
        const s = await stack.client.scan<SelfHostedIntegrationRuntimeStatus>(
          'GET',
          '/integrationruntimes/e2e-shir/status',
        );
        return s.properties.state === 'Online' && s.properties.typeProperties.nodes.length === 2 ? s : undefined;
      },
      { timeoutMs: 30_000, description: 'both nodes Online' },
    );
    expect(status.properties.typeProperties.nodes.map((n) => [n.nodeName, n.status]).sort()).toEqual([
      ['node1', 'Online'],
      ['node2', 'Online'],
    ]);
    expect(status.properties.typeProperties.nodes.filter((n) => n.isActiveDispatcher)).toHaveLength(1);
    await pollUntil(
      async () => {
        const cli = JSON.parse((await stack.shir(['status', '--json'], stack.home('node1'))).stdout) as {
          state: string;
        };
        return cli.state === 'Connected' ? cli : undefined;
      },
      { timeoutMs: 20_000, description: 'shir status to say Connected' },
    );
  });

  let runId = '';
  it('scans CSVs in Azurite through the runtime and ingests the results', async () => {
    const container = devstoreBlobService(stack.ports.blob).getContainerClient('e2e-data');
    await container.createIfNotExists();
    await container.getBlockBlobClient('crm/customers.csv').upload(customersCsv, Buffer.byteLength(customersCsv));
    await container.getBlockBlobClient('orders.csv').upload(ordersCsv, Buffer.byteLength(ordersCsv));
    await container.getBlockBlobClient('notes.txt').upload('hello', 5);
    await container
      .getBlockBlobClient('catalog/products.parquet')
      .uploadFile(path.join(SAMPLES_DIR, 'products.parquet'));
    await container
      .getBlockBlobClient('events.json')
      .uploadData(fs.readFileSync(path.join(SAMPLES_DIR, 'events.json')));
    // Three daily partitions of one table: one resource set, not three files.
    for (const day of ['01', '02', '03'])
      await container
        .getBlockBlobClient(`sales/2024/05/${day}/orders.csv`)
        .upload(ordersCsv, Buffer.byteLength(ordersCsv));

    // Last-Modified is kept to the second: start the run in a later second, so that a later incremental run can tell
    // these blobs from ones changed after the run started.
    const uploadedSecond = Math.floor(Date.now() / 1000);
    await pollUntil(async () => (Math.floor(Date.now() / 1000) > uploadedSecond ? true : undefined), {
      timeoutMs: 5_000,
      intervalMs: 50,
      description: 'the next second',
    });

    const ds = await stack.client.call('PUT', '/scan/datasources/e2e-storage?api-version=2023-09-01', {
      kind: 'AzureStorage',
      properties: { endpoint: `${QN}/` },
    });
    expect(ds.status).toBe(201);
    const scan = await stack.client.call('PUT', '/scan/datasources/e2e-storage/scans/e2e-scan?api-version=2023-09-01', {
      kind: 'AzureStorageMsi',
      properties: {
        scanRulesetName: 'AzureStorage',
        scanRulesetType: 'System',
        connectedVia: { referenceName: 'e2e-shir' },
      },
    });
    expect(scan.status).toBe(201);

    runId = '6f1c2f0e-1f2b-4c1e-9a61-0d4c7b5e2a10';
    const accepted = await stack.client.call<{ scanResultId: string; status: string }>(
      'PUT',
      `/scan/datasources/e2e-storage/scans/e2e-scan/runs/${runId}?api-version=2023-09-01`,
    );
    expect(accepted.status).toBe(202);
    expect(accepted.body).toEqual(expect.objectContaining({ scanResultId: runId, status: 'Accepted' }));

    const run = await pollUntil(
      async () => {
        const r = await stack.client.scan<ScanResultWithIngestion>(
          'GET',
          `/datasources/e2e-storage/scans/e2e-scan/runs/${runId}`,
        );
        return ['Succeeded', 'Failed', 'Canceled'].includes(r.status) ? r : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 200, description: 'the scan run to finish' },
    );
    expect(run.status).toBe('Succeeded');
    // account + blob service + container + 5 blobs + 1 resource set; only customers.csv carries classifications.
    expect(run.assetsDiscovered).toBe(9);
    expect(run.assetsClassified).toBe(1);
    expect(run.discoveryExecutionDetails.status).toBe('Succeeded');
    expect(run.ingestionExecutionDetails.status).toBe('Succeeded');

    const history = await stack.client.scan<{ value: ScanResultWithIngestion[]; count: number }>(
      'GET',
      '/datasources/e2e-storage/scans/e2e-scan/runs',
    );
    expect(history.value.map((r) => r.id)).toContain(runId);
  });

  it("finds the blob and its email column's classification through search and entity GET", async () => {
    const search = await stack.client.dataMap<QueryResult>('POST', '/search/query', {
      keywords: 'customers',
      filter: { and: [{ entityType: 'azure_blob_path' }] },
      limit: 10,
    });
    const blob = search.value.find((v) => v.qualifiedName === `${QN}/e2e-data/crm/customers.csv`);
    expect(blob).toBeDefined();
    expect(blob!.classification).toEqual(
      expect.arrayContaining(['MICROSOFT.PERSONAL.EMAIL', 'MICROSOFT.FINANCIAL.CREDIT_CARD_NUMBER']),
    );

    const entity = await stack.client.dataMap<AtlasEntityWithExtInfo>('GET', `/atlas/v2/entity/guid/${blob!.id}`);
    expect(entity.entity.attributes.qualifiedName).toBe(`${QN}/e2e-data/crm/customers.csv`);
    expect(entity.entity.typeName).toBe('azure_blob_path');

    const column = await stack.client.dataMap<AtlasEntityWithExtInfo>(
      'GET',
      `/atlas/v2/entity/uniqueAttribute/type/column?attr:qualifiedName=${encodeURIComponent(`${QN}/e2e-data/crm/customers.csv#__tabular_schema//email`)}`,
    );
    expect(column.entity.classifications.map((c) => c.typeName)).toEqual(['MICROSOFT.PERSONAL.EMAIL']);
    const country = await stack.client.dataMap<AtlasEntityWithExtInfo>(
      'GET',
      `/atlas/v2/entity/uniqueAttribute/type/column?attr:qualifiedName=${encodeURIComponent(`${QN}/e2e-data/crm/customers.csv#__tabular_schema//country`)}`,
    );
    expect(country.entity.classifications).toEqual([]);

    // Typed formats keep their types through the runtime and ingestion (Parquet read by byte ranges).
    const price = await stack.client.dataMap<AtlasEntityWithExtInfo>(
      'GET',
      `/atlas/v2/entity/uniqueAttribute/type/column?attr:qualifiedName=${encodeURIComponent(`${QN}/e2e-data/catalog/products.parquet#__tabular_schema//price`)}`,
    );
    expect(price.entity.attributes).toEqual(expect.objectContaining({ name: 'price', type: 'DOUBLE' }));
    const os = await stack.client.dataMap<AtlasEntityWithExtInfo>(
      'GET',
      `/atlas/v2/entity/uniqueAttribute/type/column?attr:qualifiedName=${encodeURIComponent(`${QN}/e2e-data/events.json#__tabular_schema//device.os`)}`,
    );
    expect(os.entity.attributes).toEqual(expect.objectContaining({ name: 'device.os', type: 'string' }));

    const set = await stack.client.dataMap<AtlasEntityWithExtInfo>(
      'GET',
      `/atlas/v2/entity/uniqueAttribute/type/azure_blob_resource_set?attr:qualifiedName=${encodeURIComponent(`${QN}/e2e-data/sales/{Year}/{Month}/{Day}/orders.csv`)}`,
    );
    expect(set.entity.attributes).toEqual(
      expect.objectContaining({
        name: 'orders',
        partitionCount: 3,
        schemaCount: 1,
        totalSizeBytes: 3 * Buffer.byteLength(ordersCsv),
      }),
    );
    const setColumn = await stack.client.dataMap<AtlasEntityWithExtInfo>(
      'GET',
      `/atlas/v2/entity/uniqueAttribute/type/column?attr:qualifiedName=${encodeURIComponent(`${QN}/e2e-data/sales/{Year}/{Month}/{Day}/orders.csv#__tabular_schema//amount`)}`,
    );
    expect(setColumn.entity.attributes).toEqual(expect.objectContaining({ name: 'amount', type: 'string' }));

    const byClassification = await stack.client.dataMap<QueryResult>('POST', '/search/query', {
      keywords: null,
      filter: { classification: 'MICROSOFT.PERSONAL.EMAIL' },
    });
    expect(byClassification.value.map((v) => v.qualifiedName)).toEqual(
      expect.arrayContaining([`${QN}/e2e-data/crm/customers.csv`]),
    );
  });

  it('keeps IR, keys, nodes, runs and assets across an emulator restart, and running nodes reconnect', async () => {
    const keysBefore = await stack.client.scan('POST', '/integrationruntimes/e2e-shir:listAuthKeys');
    await stack.emulator.stop();
    const db = new Database(path.join(stack.dataDir, 'purview-emulator.sqlite'), { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
    await pollUntil(
      async () => {
        const s = JSON.parse((await stack.shir(['status', '--json'], stack.home('node1'))).stdout) as { state: string };
        return s.state === 'Connecting' ? s : undefined;
      },
      { timeoutMs: 20_000, description: 'node1 to notice the emulator is gone' },
    );
    await stack.startEmulator();
    expect(await stack.client.scan('POST', '/integrationruntimes/e2e-shir:listAuthKeys')).toEqual(keysBefore);
    const run = await stack.client.scan<ScanResultWithIngestion>(
      'GET',
      `/datasources/e2e-storage/scans/e2e-scan/runs/${runId}`,
    );
    expect(run).toEqual(expect.objectContaining({ status: 'Succeeded', assetsDiscovered: 9, assetsClassified: 1 }));
    const blob = await stack.client.dataMap<AtlasEntityWithExtInfo>(
      'GET',
      `/atlas/v2/entity/uniqueAttribute/type/azure_blob_path?attr:qualifiedName=${encodeURIComponent(`${QN}/e2e-data/crm/customers.csv`)}`,
    );
    expect(blob.entity.classifications.map((c) => c.typeName).sort()).toEqual([
      'MICROSOFT.FINANCIAL.CREDIT_CARD_NUMBER',
      'MICROSOFT.PERSONAL.EMAIL',
    ]);
    await pollUntil(
      async () => {
        const s = await stack.client.scan<SelfHostedIntegrationRuntimeStatus>(
          'GET',
          '/integrationruntimes/e2e-shir/status',
        );
        return s.properties.state === 'Online' && s.properties.typeProperties.nodes.length === 2 ? s : undefined;
      },
      { timeoutMs: 30_000, description: 'both nodes to reconnect' },
    );
    for (const node of ['node1', 'node2']) {
      await pollUntil(
        async () => {
          const cli = JSON.parse((await stack.shir(['status', '--json'], stack.home(node))).stdout) as {
            state: string;
          };
          return cli.state === 'Connected' ? cli : undefined;
        },
        { timeoutMs: 20_000, description: `${node} to report Connected again` },
      );
    }
  });

  it('shows a node Offline once its heartbeats stop, with the reason', async () => {
    await stack.nodes.get('node2')!.stop();
    const status = await pollUntil(
      async () => {
        const s = await stack.client.scan<SelfHostedIntegrationRuntimeStatus>(
          'GET',
          '/integrationruntimes/e2e-shir/status',
        );
        return s.properties.state === 'Limited' ? s : undefined;
      },
      { timeoutMs: 20_000, description: 'node2 to go Offline' },
    );
    const node2 = status.properties.typeProperties.nodes.find((n) => n.nodeName === 'node2')!;
    expect(node2.status).toBe('Offline');
    expect(status.emulatorDiagnostics?.nodes.find((n) => n.nodeName === 'node2')?.statusReason).toMatch(/heartbeat/i);
    const cli = JSON.parse((await stack.shir(['status', '--json'], stack.home('node2'))).stdout) as { state: string };
    expect(cli.state).toBe('Disconnected');
  });

  it('runs incrementally after a change: only the changed file is read again, the rest is kept, hand-applied classifications stay', async () => {
    const runAndWait = async (query = ''): Promise<ScanResultWithIngestion> => {
      const id = crypto.randomUUID();
      expect(
        (
          await stack.client.call(
            'PUT',
            `/scan/datasources/e2e-storage/scans/e2e-scan/runs/${id}?api-version=2023-09-01${query}`,
          )
        ).status,
      ).toBe(202);
      return pollUntil(
        async () => {
          const r = await stack.client.scan<ScanResultWithIngestion>(
            'GET',
            `/datasources/e2e-storage/scans/e2e-scan/runs/${id}`,
          );
          return ['Succeeded', 'Failed', 'Canceled'].includes(r.status) ? r : undefined;
        },
        { timeoutMs: 60_000, intervalMs: 200, description: 'the rescan to finish' },
      );
    };
    // A classification applied by hand through Atlas.
    const ordersQn = `${QN}/e2e-data/orders.csv`;
    const manual = await stack.client.call('POST', '/datamap/api/atlas/v2/entity?api-version=2023-09-01', {
      entity: {
        typeName: 'azure_blob_path',
        attributes: { qualifiedName: ordersQn, name: 'orders.csv' },
        classifications: [{ typeName: 'MICROSOFT.PERSONAL.NAME' }],
      },
    });
    expect(manual.status).toBe(200);

    const container = devstoreBlobService(stack.ports.blob).getContainerClient('e2e-data');
    const changed = `${customersCsv.split('\n')[0]},loyalty\n${customersCsv
      .split('\n')
      .slice(1)
      .map((l) => `${l},gold`)
      .join('\n')}`;
    await container.getBlockBlobClient('crm/customers.csv').upload(changed, Buffer.byteLength(changed));

    // No scanLevel: Incremental (the spec's default), from the last Succeeded run.
    const incremental = await runAndWait();
    expect(incremental).toEqual(expect.objectContaining({ status: 'Succeeded', scanLevelType: 'Incremental' }));
    // account + blob service + container, and the one changed file.
    expect(incremental.assetsDiscovered).toBe(4);
    const loyalty = await stack.client.dataMap<AtlasEntityWithExtInfo>(
      'GET',
      `/atlas/v2/entity/uniqueAttribute/type/column?attr:qualifiedName=${encodeURIComponent(`${QN}/e2e-data/crm/customers.csv#__tabular_schema//loyalty`)}`,
    );
    expect(loyalty.entity.attributes.name).toBe('loyalty');
    const orders = await stack.client.dataMap<AtlasEntityWithExtInfo>(
      'GET',
      `/atlas/v2/entity/uniqueAttribute/type/azure_blob_path?attr:qualifiedName=${encodeURIComponent(ordersQn)}`,
    );
    expect(orders.entity.classifications.map((c) => c.typeName)).toEqual(['MICROSOFT.PERSONAL.NAME']);

    // A full rescan reads orders.csv again (no classification of its own) and keeps the hand-applied one.
    const full = await runAndWait('&scanLevel=Full');
    expect(full).toEqual(expect.objectContaining({ status: 'Succeeded', scanLevelType: 'Full', assetsDiscovered: 9 }));
    const again = await stack.client.dataMap<AtlasEntityWithExtInfo>(
      'GET',
      `/atlas/v2/entity/uniqueAttribute/type/azure_blob_path?attr:qualifiedName=${encodeURIComponent(ordersQn)}`,
    );
    expect(again.entity.classifications.map((c) => c.typeName)).toEqual(['MICROSOFT.PERSONAL.NAME']);
  });

  it('never writes a secret into any process output', async () => {
    const output = stack.allOutput();
    const secrets = [authKey1, authKey2, authKey1.split('@').pop()!, authKey2.split('@').pop()!];
    for (const secret of secrets) expect(output).not.toContain(secret);
    expect(output).not.toMatch(/sig=[A-Za-z0-9%]{10,}/);
  });
});

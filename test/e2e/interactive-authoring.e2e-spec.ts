import type { SelfHostedIntegrationRuntimeStatus } from '@purview-emulator/contracts';
import { pollUntil } from '@purview-emulator/testing';
import { PurviewClient } from '../../scripts/src/stack/purview-client';
import { devstoreBlobService } from '../../scripts/src/stack/seed';
import { TestStack } from './harness';

/**
 * Interactive authoring on real parts: emulator → relay → a `shir` node → Azurite, and back. Test connection and
 * browse with good and bad credentials, a schema preview, the 409 while interactive authoring is off, and its
 * auto-termination once the emulator clock moves past it.
 */
const QN = 'https://devstoreaccount1.blob.core.windows.net';
const V = '?api-version=2023-09-01';
const WRONG_KEY = Buffer.from('this is not the key of devstoreaccount1, not at all').toString('base64');
const ordersCsv = ['order_id,amount,paid,ordered_at,email']
  .concat(
    Array.from(
      { length: 20 },
      (_, i) =>
        `${i + 1},${(i * 2.5).toFixed(2)},${i % 2 === 0},2024-01-${String(i + 1).padStart(2, '0')},p${i}@contoso.com`,
    ),
  )
  .join('\n');

type ErrorBody = { error: { code: string; message: string } };

describe('interactive authoring through the relay', () => {
  const stack = new TestStack();
  const post = <T>(path: string, body: unknown = {}) => stack.client.call<T>('POST', `${path}${V}`, body);
  const interactiveQuery = async () =>
    (
      await stack.client.scan<
        SelfHostedIntegrationRuntimeStatus & {
          properties: { typeProperties: { interactiveQuery: { status: string; disabledReason?: string } } };
        }
      >('GET', '/integrationruntimes/ia-shir/status')
    ).properties.typeProperties.interactiveQuery;

  beforeAll(async () => {
    await stack.start();
    await stack.client.scan('PUT', '/integrationruntimes/ia-shir', { kind: 'SelfHosted', properties: {} });
    const { authKey1 } = await stack.client.scan<{ authKey1: string }>(
      'POST',
      '/integrationruntimes/ia-shir:listAuthKeys',
    );
    expect(await stack.shir(['register', '--key', authKey1, '--node-name', 'node1'], stack.home('node1'))).toEqual(
      expect.objectContaining({ code: 0 }),
    );
    stack.startNode('node1');
    await pollUntil(
      async () =>
        (await stack.client.scan<SelfHostedIntegrationRuntimeStatus>('GET', '/integrationruntimes/ia-shir/status'))
          .properties.state === 'Online'
          ? true
          : undefined,
      {
        timeoutMs: 30_000,
        description: 'the node Online',
      },
    );
    const container = devstoreBlobService(stack.ports.blob).getContainerClient('ia-data');
    await container.createIfNotExists();
    await container.getBlockBlobClient('sales/2024/orders.csv').upload(ordersCsv, Buffer.byteLength(ordersCsv));
    await container.getBlockBlobClient('sales/readme.txt').upload('hello', 5);
    expect(
      (
        await stack.client.call('PUT', `/scan/datasources/ia-storage${V}`, {
          kind: 'AzureStorage',
          properties: { endpoint: `${QN}/` },
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await stack.client.call('PUT', `/scan/datasources/ia-storage/scans/ia-scan${V}`, {
          kind: 'AzureStorageMsi',
          properties: { connectedVia: { referenceName: 'ia-shir' } },
        })
      ).status,
    ).toBe(201);
  });

  afterAll(async () => {
    await stack.stop();
  });

  it('refuses with 409 while interactive authoring is off, saying how to enable it', async () => {
    expect((await interactiveQuery()).status).toBe('Disabled');
    const refused = await post<ErrorBody>('/scan/datasources/ia-storage:testConnection');
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('InteractiveAuthoringDisabled');
    expect(refused.body.error.message).toContain('POST /scan/integrationruntimes/ia-shir:enableInteractiveQuery');
  });

  it('tests the connection through the node, with the right and a wrong credential', async () => {
    const enabled = await post('/scan/integrationruntimes/ia-shir:enableInteractiveQuery', {
      autoTerminationMinutes: 15,
    });
    expect(enabled.status).toBe(202);
    expect(await interactiveQuery()).toEqual(
      expect.objectContaining({ status: 'Enabled', autoTerminationMinutes: 15 }),
    );
    // The node's relay listener may still be connecting: wait until a node answers at all.
    const good = await pollUntil(
      async () => {
        const r = await post<
          {
            succeeded: boolean;
            message: string;
            nodeName?: string;
            integrationRuntimeName: string;
          } & Partial<ErrorBody>
        >('/scan/datasources/ia-storage:testConnection');
        return r.status === 409 && r.body.error?.code === 'NoNodeConnected' ? undefined : r;
      },
      { timeoutMs: 30_000, description: 'a node listening on the relay' },
    );
    expect(good.status).toBe(200);
    expect(good.body).toEqual(expect.objectContaining({ succeeded: true, integrationRuntimeName: 'ia-shir' }));
    expect(good.body.message).toMatch(
      /^Connection successful: storage account 'devstoreaccount1' can be read and listed/,
    );

    const container = await post<{ succeeded: boolean }>('/scan/datasources/ia-storage:testConnection', {
      path: 'ia-data/sales/',
    });
    expect(container.body.succeeded).toBe(true);
    const missing = await post<{ succeeded: boolean; code: string }>('/scan/datasources/ia-storage:testConnection', {
      path: 'no-such-container',
    });
    expect(missing.body).toEqual(expect.objectContaining({ succeeded: false, code: 'ContainerNotFound' }));

    const bad = await post<{ succeeded: boolean; code: string; message: string }>(
      '/scan/datasources/ia-storage:testConnection',
      { credential: { accountKey: WRONG_KEY } },
    );
    expect(bad.status).toBe(200);
    expect(bad.body).toEqual(expect.objectContaining({ succeeded: false, code: 'AuthenticationFailed' }));
    expect(bad.body.message).toMatch(/refused the credential \(403 \w+\): the account key or SAS token is wrong/);
  });

  it('browses containers, folders and files, and refuses traversal', async () => {
    const root = await post<{ items: { name: string; type: string }[] }>('/scan/datasources/ia-storage:browse');
    expect(root.status).toBe(200);
    expect(root.body.items.map((i) => i.name)).toContain('ia-data');
    expect(root.body.items.map((i) => i.name)).not.toContain('purview-ingestion');

    const sales = await post<{
      path: string;
      items: { name: string; type: string; path: string; qualifiedName: string; size?: number }[];
    }>('/scan/datasources/ia-storage:browse', { path: 'ia-data/sales/' });
    expect(sales.body.path).toBe('ia-data/sales/');
    expect(sales.body.items).toEqual([
      { name: '2024', type: 'Folder', path: 'ia-data/sales/2024/', qualifiedName: `${QN}/ia-data/sales/2024/` },
      expect.objectContaining({
        name: 'readme.txt',
        type: 'File',
        path: 'ia-data/sales/readme.txt',
        qualifiedName: `${QN}/ia-data/sales/readme.txt`,
        size: 5,
      }),
    ]);

    const badCredential = await post<ErrorBody>('/scan/datasources/ia-storage:browse', {
      path: 'ia-data/',
      credential: { accountKey: WRONG_KEY },
    });
    expect(badCredential.status).toBe(400);
    expect(badCredential.body.error.code).toBe('AuthenticationFailed');

    for (const path of ['../etc', '/ia-data', 'ia-data/%2e%2e/x']) {
      const refused = await post<ErrorBody>('/scan/datasources/ia-storage:browse', { path });
      expect(refused.status).toBe(400);
      expect(refused.body.error.code).toBe('InvalidPath');
    }
  });

  it('previews the schema of a delimited file with column types', async () => {
    const preview = await post<{ format: string; columns: { name: string; type: string }[]; qualifiedName: string }>(
      '/scan/datasources/ia-storage:previewSchema',
      { path: 'ia-data/sales/2024/orders.csv' },
    );
    expect(preview.status).toBe(200);
    expect(preview.body).toEqual(
      expect.objectContaining({ format: 'CSV', qualifiedName: `${QN}/ia-data/sales/2024/orders.csv` }),
    );
    expect(preview.body.columns).toEqual([
      { name: 'order_id', type: 'Int64' },
      { name: 'amount', type: 'Double' },
      { name: 'paid', type: 'Boolean' },
      { name: 'ordered_at', type: 'DateTime' },
      { name: 'email', type: 'String' },
    ]);
  });

  it('switches itself off once the emulator clock passes autoTerminationMinutes', async () => {
    await stack.client.expect('PUT', '/_emulator/clock', { advanceSeconds: 16 * 60 });
    try {
      expect(await interactiveQuery()).toEqual(
        expect.objectContaining({ status: 'Disabled', disabledReason: expect.stringMatching(/switched itself off/) }),
      );
      const refused = await post<ErrorBody>('/scan/datasources/ia-storage:browse');
      expect(refused.status).toBe(409);
      expect(refused.body.error.message).toMatch(/switched itself off.*:enableInteractiveQuery/);
    } finally {
      // A fresh token: the move may have expired the client's.
      await new PurviewClient(stack.endpoint).expect('DELETE', '/_emulator/clock');
    }
  });

  it('logs each request on the node, and never a SAS signature or the tested account key', () => {
    const output = stack.allOutput();
    expect(output).toMatch(/Interactive authoring: testConnection answered 200 in \d+ ms/);
    expect(output).toMatch(/Interactive authoring: browse answered 400 in \d+ ms/);
    expect(output).not.toContain(WRONG_KEY);
    expect(output).not.toMatch(/sig=(?!\*\*\*|<redacted>)[A-Za-z0-9%]/);
  });
});

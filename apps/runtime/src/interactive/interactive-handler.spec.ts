/**
 * The node's interactive-authoring handler against a real Azurite (blob service), real sockets for the
 * unreachable cases: a port nobody listens on, and a host name that cannot resolve.
 */
import {
  AccountSASPermissions,
  AccountSASResourceTypes,
  AccountSASServices,
  BlobServiceClient,
  SASProtocol,
  StorageSharedKeyCredential,
  generateAccountSASQueryParameters,
} from '@azure/storage-blob';
import {
  DEVSTORE_ACCOUNT,
  DEVSTORE_KEY,
  INTERACTIVE_NODE_PATHS,
  type InteractiveStorageSource,
} from '@purview-emulator/contracts';
import { type Azurite, freePort, startAzurite } from '@purview-emulator/testing';
import { type InteractiveRequest, handleInteractiveRequest } from './interactive-handler';

jest.setTimeout(60_000);

const ACCOUNT = DEVSTORE_ACCOUNT;
const BASE = `https://${ACCOUNT}.blob.core.windows.net`;
const WRONG_KEY = Buffer.from('not-the-account-key-not-the-account-key-0123456789').toString('base64');

function accountSas(key: string): string {
  return generateAccountSASQueryParameters(
    {
      expiresOn: new Date(Date.now() + 60 * 60 * 1000),
      permissions: AccountSASPermissions.parse('rl'),
      services: AccountSASServices.parse('b').toString(),
      resourceTypes: AccountSASResourceTypes.parse('sco').toString(),
      protocol: SASProtocol.HttpsAndHttp,
    },
    new StorageSharedKeyCredential(ACCOUNT, key),
  ).toString();
}

describe('handleInteractiveRequest against Azurite', () => {
  let azurite: Azurite;
  let serviceUrl: string;
  let goodSas: string;

  beforeAll(async () => {
    azurite = await startAzurite({ inMemory: true });
    serviceUrl = azurite.endpoints.blob;
    goodSas = accountSas(DEVSTORE_KEY);
    const admin = new BlobServiceClient(serviceUrl, new StorageSharedKeyCredential(ACCOUNT, DEVSTORE_KEY));
    const data = admin.getContainerClient('data');
    await data.create();
    await admin.getContainerClient('archive').create();
    await data
      .getBlockBlobClient('sales/2024/orders.csv')
      .uploadData(
        Buffer.from(
          'order_id,amount,paid,ordered_at,email\n1,9.99,true,2024-01-02,a@example.com\n2,15,false,2024-01-03T10:00:00Z,b@example.com\n',
        ),
        { blobHTTPHeaders: { blobContentType: 'text/csv' } },
      );
    await data.getBlockBlobClient('sales/readme.txt').uploadData(Buffer.from('not a table'));
    await data.getBlockBlobClient('top.tsv').uploadData(Buffer.from('zip\tcity\n01234\tBoston\n'));
    await admin.getContainerClient('archive').getBlockBlobClient('empty.csv').uploadData(Buffer.alloc(0));
    await admin.getContainerClient('purview-ingestion').create();
  });

  afterAll(async () => {
    await azurite?.stop();
  });

  const source = (overrides: Partial<InteractiveStorageSource> = {}): InteractiveStorageSource => ({
    kind: 'AzureStorage',
    endpoint: `${BASE}/`,
    accountName: ACCOUNT,
    qualifiedNameBase: BASE,
    serviceUrl,
    sasToken: goodSas,
    excludeContainers: ['purview-ingestion'],
    ...overrides,
  });
  const call = async (route: string, body: unknown, extra: Partial<InteractiveRequest> = {}) => {
    const response = await handleInteractiveRequest(
      {
        method: 'POST',
        path: route,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        ...extra,
      },
      { nodeName: 'node1' },
    );
    expect(response.headers['content-type']).toMatch(/application\/json/);
    return { status: response.status, body: JSON.parse(response.body) };
  };

  describe('test connection', () => {
    it('succeeds with a working SAS, for the account and for a container', async () => {
      const account = await call(INTERACTIVE_NODE_PATHS.testConnection, { source: source() });
      expect(account).toEqual({
        status: 200,
        body: {
          succeeded: true,
          nodeName: 'node1',
          message:
            "Connection successful: storage account 'devstoreaccount1' can be read and listed from node 'node1'.",
        },
      });
      const folder = await call(INTERACTIVE_NODE_PATHS.testConnection, { source: source(), path: 'data/sales/' });
      expect(folder.body.succeeded).toBe(true);
    });

    it('says the credential is wrong when the account refuses the SAS, without echoing it', async () => {
      const wrongSas = accountSas(WRONG_KEY);
      const response = await call(INTERACTIVE_NODE_PATHS.testConnection, { source: source({ sasToken: wrongSas }) });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ succeeded: false, code: 'AuthenticationFailed' });
      expect(response.body.message).toMatch(
        /refused the credential \(403 (AuthenticationFailed|AuthorizationFailure)\): the account key or SAS token is wrong/,
      );
      expect(JSON.stringify(response.body)).not.toContain(new URLSearchParams(wrongSas).get('sig')!);
    });

    it('says the host is unreachable when nothing listens on the port', async () => {
      const port = await freePort();
      const response = await call(INTERACTIVE_NODE_PATHS.testConnection, {
        source: source({ serviceUrl: `http://127.0.0.1:${port}/${ACCOUNT}` }),
      });
      expect(response.body).toMatchObject({ succeeded: false, code: 'SourceUnreachable' });
      expect(response.body.message).toMatch(
        new RegExp(
          `Cannot connect to the storage endpoint ${BASE}/ \\(served at http://127.0.0.1:${port}/${ACCOUNT}\\) from node 'node1': the connection was refused.*ECONNREFUSED`,
        ),
      );
    });

    it('says the host name does not resolve', async () => {
      const response = await call(INTERACTIVE_NODE_PATHS.testConnection, {
        source: source({ serviceUrl: `http://no-such-host.invalid/${ACCOUNT}` }),
      });
      expect(response.body).toMatchObject({ succeeded: false, code: 'SourceUnreachable' });
      expect(response.body.message).toMatch(/could not be resolved/);
    });

    it('names a missing container or path', async () => {
      const container = await call(INTERACTIVE_NODE_PATHS.testConnection, { source: source(), path: 'missing' });
      expect(container.body).toMatchObject({
        succeeded: false,
        code: 'ContainerNotFound',
        message: "Container 'missing' does not exist in storage account 'devstoreaccount1'.",
      });
      const folder = await call(INTERACTIVE_NODE_PATHS.testConnection, { source: source(), path: 'data/nothing/' });
      expect(folder.body).toMatchObject({ succeeded: false, code: 'PathNotFound' });
    });
  });

  describe('browse', () => {
    it('lists the containers of the account, without the emulator ingestion container', async () => {
      const response = await call(INTERACTIVE_NODE_PATHS.browse, { source: source() });
      expect(response.status).toBe(200);
      expect(
        response.body.items.map((i: { name: string; type: string; path: string; qualifiedName: string }) => [
          i.name,
          i.type,
          i.path,
          i.qualifiedName,
        ]),
      ).toEqual([
        ['archive', 'Container', 'archive/', `${BASE}/archive`],
        ['data', 'Container', 'data/', `${BASE}/data`],
      ]);
    });

    it('lists one folder level with folders and files', async () => {
      const root = await call(INTERACTIVE_NODE_PATHS.browse, { source: source(), path: 'data' });
      expect(root.body.path).toBe('data/');
      expect(root.body.items.map((i: { name: string; type: string }) => `${i.type}:${i.name}`)).toEqual([
        'Folder:sales',
        'File:top.tsv',
      ]);
      const sales = await call(INTERACTIVE_NODE_PATHS.browse, { source: source(), path: 'data/sales' });
      expect(sales.body.items).toEqual([
        { name: '2024', path: 'data/sales/2024/', type: 'Folder', qualifiedName: `${BASE}/data/sales/2024/` },
        expect.objectContaining({
          name: 'readme.txt',
          path: 'data/sales/readme.txt',
          type: 'File',
          size: 11,
          qualifiedName: `${BASE}/data/sales/readme.txt`,
        }),
      ]);
    });

    it('pages with maxItems and continuationToken', async () => {
      const first = await call(INTERACTIVE_NODE_PATHS.browse, { source: source(), path: 'data/', maxItems: 1 });
      expect(first.body.items).toHaveLength(1);
      expect(first.body.continuationToken).toEqual(expect.any(String));
      const second = await call(INTERACTIVE_NODE_PATHS.browse, {
        source: source(),
        path: 'data/',
        maxItems: 1,
        continuationToken: first.body.continuationToken,
      });
      expect(second.body.items.map((i: { name: string }) => i.name)).toEqual(['top.tsv']);
    });

    it('refuses traversal and absolute paths, and explains missing folders, files and containers', async () => {
      expect(await call(INTERACTIVE_NODE_PATHS.browse, { source: source(), path: 'data/../archive' })).toMatchObject({
        status: 400,
        body: { error: { code: 'InvalidPath' } },
      });
      expect(await call(INTERACTIVE_NODE_PATHS.browse, { source: source(), path: '/etc' })).toMatchObject({
        status: 400,
        body: { error: { code: 'InvalidPath' } },
      });
      expect(await call(INTERACTIVE_NODE_PATHS.browse, { source: source(), path: 'data/nothing/' })).toMatchObject({
        status: 404,
        body: { error: { code: 'PathNotFound' } },
      });
      expect(await call(INTERACTIVE_NODE_PATHS.browse, { source: source(), path: 'data/top.tsv' })).toMatchObject({
        status: 400,
        body: { error: { code: 'PathIsAFile' } },
      });
      expect(await call(INTERACTIVE_NODE_PATHS.browse, { source: source(), path: 'missing/' })).toMatchObject({
        status: 404,
        body: { error: { code: 'ContainerNotFound' } },
      });
      expect(await call(INTERACTIVE_NODE_PATHS.browse, { source: source(), path: 'purview-ingestion/' })).toMatchObject(
        { status: 404, body: { error: { code: 'ContainerNotFound' } } },
      );
    });

    it('answers 400 AuthenticationFailed with a wrong credential', async () => {
      const response = await call(INTERACTIVE_NODE_PATHS.browse, {
        source: source({ sasToken: accountSas(WRONG_KEY) }),
        path: 'data/',
      });
      expect(response).toMatchObject({ status: 400, body: { error: { code: 'AuthenticationFailed' } } });
    });
  });

  describe('preview schema', () => {
    it('reads the header and infers column types', async () => {
      const response = await call(INTERACTIVE_NODE_PATHS.previewSchema, {
        source: source(),
        path: 'data/sales/2024/orders.csv',
      });
      expect(response).toEqual({
        status: 200,
        body: {
          path: 'data/sales/2024/orders.csv',
          qualifiedName: `${BASE}/data/sales/2024/orders.csv`,
          format: 'CSV',
          columns: [
            { name: 'order_id', type: 'Int64' },
            { name: 'amount', type: 'Double' },
            { name: 'paid', type: 'Boolean' },
            { name: 'ordered_at', type: 'DateTime' },
            { name: 'email', type: 'String' },
          ],
          sampledRows: 2,
          errorRows: 0,
          status: 'ok',
          nodeName: 'node1',
        },
      });
      const tsv = await call(INTERACTIVE_NODE_PATHS.previewSchema, { source: source(), path: 'data/top.tsv' });
      expect(tsv.body.columns).toEqual([
        { name: 'zip', type: 'String' },
        { name: 'city', type: 'String' },
      ]);
    });

    it('reads an empty file as having no header', async () => {
      const response = await call(INTERACTIVE_NODE_PATHS.previewSchema, {
        source: source(),
        path: 'archive/empty.csv',
      });
      expect(response).toMatchObject({ status: 200, body: { columns: [], status: 'empty', sampledRows: 0 } });
    });

    it('explains files it cannot preview', async () => {
      expect(
        await call(INTERACTIVE_NODE_PATHS.previewSchema, { source: source(), path: 'data/sales/readme.txt' }),
      ).toMatchObject({ status: 400, body: { error: { code: 'UnsupportedFileFormat' } } });
      expect(await call(INTERACTIVE_NODE_PATHS.previewSchema, { source: source(), path: 'data/sales/' })).toMatchObject(
        { status: 400, body: { error: { code: 'InvalidPath' } } },
      );
      expect(
        await call(INTERACTIVE_NODE_PATHS.previewSchema, { source: source(), path: 'data/missing.csv' }),
      ).toMatchObject({
        status: 404,
        body: {
          error: {
            code: 'BlobNotFound',
            message: "There is no file 'missing.csv' in container 'data' of storage account 'devstoreaccount1'.",
          },
        },
      });
    });
  });

  describe('the request envelope', () => {
    it('answers unknown routes, wrong methods and bad bodies with a 4xx, never echoing the SAS', async () => {
      expect((await call('/interactive/nope', {})).status).toBe(404);
      expect((await call(INTERACTIVE_NODE_PATHS.browse, {}, { method: 'GET' })).status).toBe(405);
      expect((await call(INTERACTIVE_NODE_PATHS.browse, {}, { body: '{' })).body.error.code).toBe('InvalidRequestBody');
      const bad = await call(INTERACTIVE_NODE_PATHS.browse, { source: { ...source(), serviceUrl: 'not a url' } });
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toMatch(/source\.serviceUrl/);
      expect(bad.body.error.message).not.toContain(goodSas);
    });

    it('accepts a parsed or binary body as the relay may hand it over', async () => {
      const parsed = await handleInteractiveRequest({
        method: 'POST',
        path: INTERACTIVE_NODE_PATHS.browse,
        body: { source: source() },
      });
      expect(parsed.status).toBe(200);
      const bytes = await handleInteractiveRequest({
        method: 'POST',
        path: `${INTERACTIVE_NODE_PATHS.browse}?x=1`,
        body: Buffer.from(JSON.stringify({ source: source(), path: 'data' })),
      });
      expect(JSON.parse(bytes.body).path).toBe('data/');
    });
  });
});

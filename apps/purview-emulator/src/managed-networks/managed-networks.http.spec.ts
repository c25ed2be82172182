import { tempDir, type TempDir } from '@purview-emulator/testing';
import { createTestApp, type TestApp } from '../testing/test-app';

const V = '?api-version=2023-09-01';
const STORAGE_ID =
  '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/Contoso';

describe('managed virtual networks and managed private endpoints over HTTP', () => {
  let dir: TempDir;
  let emulator: TestApp;
  let http: TestApp['api'];

  const boot = async () => {
    emulator = await createTestApp({ env: { PURVIEW_DATA_DIR: dir.path } });
    http = emulator.api;
  };

  beforeAll(async () => {
    dir = tempDir('managed-networks-http-');
    await boot();
  });

  afterAll(async () => {
    await emulator?.close();
    dir?.remove();
  });

  it('creates the default network (201), keeps its vNetId on replace (200), gets and lists it', async () => {
    expect((await http.get(`/scan/managedvirtualnetworks${V}`).expect(200)).body).toEqual({ value: [], count: 0 });
    const created = await http.put(`/scan/managedvirtualnetworks/default${V}`).send({ properties: {} }).expect(201);
    expect(created.body).toEqual({
      id: 'managedvirtualnetworks/default',
      name: 'default',
      properties: { vNetId: expect.stringMatching(/^[0-9a-f-]{36}$/), alias: expect.stringContaining('default') },
    });
    const replaced = await http.put(`/scan/managedvirtualnetworks/Default${V}`).send({}).expect(200);
    expect(replaced.body).toEqual(created.body);
    expect((await http.get(`/scan/managedvirtualnetworks/default${V}`).expect(200)).body).toEqual(created.body);
    expect((await http.get(`/scan/managedvirtualnetworks${V}`).expect(200)).body).toEqual({
      value: [created.body],
      count: 1,
    });
  });

  it('refuses names the spec does not allow (400) and answers 404 for a network not created', async () => {
    const bad = await http.put(`/scan/managedvirtualnetworks/mynet${V}`).send({}).expect(400);
    expect(bad.body.error).toEqual(expect.objectContaining({ code: 'InvalidName' }));
    expect(bad.body.error.message).toContain('default and defaultv2');
    const missing = await http.get(`/scan/managedvirtualnetworks/defaultv2${V}`).expect(404);
    expect(missing.body.error.code).toBe('ManagedVirtualNetworkNotFound');
    await http.get(`/scan/managedvirtualnetworks/defaultv2/managedprivateendpoints${V}`).expect(404);
    await http
      .put(`/scan/managedvirtualnetworks/defaultv2/managedprivateendpoints/pe-1${V}`)
      .send({ properties: { privateLinkResourceId: STORAGE_ID, groupId: 'blob' } })
      .expect(404);
  });

  it('stores private endpoints in shape, with the fqdns Azure would serve, and deletes them (204)', async () => {
    const url = `/scan/managedvirtualnetworks/default/managedprivateendpoints/pe-blob${V}`;
    const created = await http
      .put(url)
      .send({ properties: { privateLinkResourceId: STORAGE_ID, groupId: 'blob' } })
      .expect(201);
    expect(created.body).toEqual({
      id: 'managedvirtualnetworks/default/managedprivateendpoints/pe-blob',
      name: 'pe-blob',
      properties: {
        connectionState: {
          actionsRequired: 'None',
          description: expect.stringContaining('no network to manage'),
          status: 'Approved',
        },
        fqdns: ['contoso.blob.core.windows.net'],
        groupId: 'blob',
        privateLinkResourceId: STORAGE_ID,
        provisioningState: 'Succeeded',
      },
    });
    const replaced = await http
      .put(url)
      .send({ properties: { privateLinkResourceId: '/x/y', groupId: 'g', fqdns: ['my.host'] } })
      .expect(200);
    expect(replaced.body.properties).toEqual(
      expect.objectContaining({ fqdns: ['my.host'], groupId: 'g', privateLinkResourceId: '/x/y' }),
    );
    const list = (await http.get(`/scan/managedvirtualnetworks/default/managedprivateendpoints${V}`).expect(200)).body;
    expect(list).toEqual({ value: [replaced.body], count: 1 });
    await http.delete(url).expect(204);
    const gone = await http.get(url).expect(404);
    expect(gone.body.error.code).toBe('ManagedPrivateEndpointNotFound');
    await http.delete(url).expect(404);
  });

  it('validates private endpoint bodies and names (400 in the scanning error shape)', async () => {
    const base = `/scan/managedvirtualnetworks/default/managedprivateendpoints`;
    const noResource = await http
      .put(`${base}/pe-2${V}`)
      .send({ properties: { groupId: 'blob' } })
      .expect(400);
    expect(noResource.body.error).toEqual(expect.objectContaining({ code: 'InvalidRequestBody' }));
    expect(noResource.body.error.message).toContain('privateLinkResourceId');
    await http.put(`${base}/pe-2${V}`).send({}).expect(400);
    const badName = await http
      .put(`${base}/-pe${V}`)
      .send({ properties: { privateLinkResourceId: STORAGE_ID, groupId: 'blob' } })
      .expect(400);
    expect(badName.body.error).toEqual(expect.objectContaining({ code: 'InvalidName' }));
  });

  it('keeps networks and endpoints across a restart', async () => {
    await http
      .put(`/scan/managedvirtualnetworks/default/managedprivateendpoints/pe-kept${V}`)
      .send({ properties: { privateLinkResourceId: STORAGE_ID, groupId: 'dfs' } })
      .expect(201);
    const before = (await http.get(`/scan/managedvirtualnetworks/default${V}`).expect(200)).body;
    await emulator.close();
    await boot();
    expect((await http.get(`/scan/managedvirtualnetworks/default${V}`).expect(200)).body).toEqual(before);
    const kept = await http.get(`/scan/managedvirtualnetworks/default/managedprivateendpoints/pe-kept${V}`).expect(200);
    expect(kept.body.properties.fqdns).toEqual(['contoso.dfs.core.windows.net']);
  });
});

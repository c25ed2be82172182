import 'reflect-metadata';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import * as jose from 'jose';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { parseAuthKey } from '@purview-emulator/contracts';
import { createEmulatorApp } from '../app.factory';
import { loadConfig } from '../config/emulator-config';

/**
 * Integration runtimes, their keys and node registration through the whole emulator app (guards, URL rewriting,
 * error filter). Storage is not needed here: Azurite's ports point nowhere and ingestion just keeps waiting.
 */
describe('integration runtimes over HTTP', () => {
  let dataDir: string;
  let app: NestFastifyApplication;
  let http: TestAgent;
  let token: string;
  let node1Credential: string;
  const V = '?api-version=2023-09-01';

  const auth = (): Record<string, string> => ({ authorization: `Bearer ${token}` });
  const newToken = async (): Promise<string> => {
    const response = await http
      .post('/00000000-0000-0000-0000-000000000000/oauth2/v2.0/token')
      .type('form')
      .send({
        grant_type: 'client_credentials',
        client_id: 'purview-emulator',
        client_secret: 'purview-emulator-secret',
        scope: 'https://purview.azure.net/.default',
      })
      .expect(200);
    return response.body.access_token as string;
  };
  const register = (authKey: string, nodeName: string) =>
    http
      .post('/_emulator/runtime/register')
      .send({ authKey, nodeName, machineName: `${nodeName}-host`, version: '5.40.9000.1', cores: 2, memoryMb: 4096 });

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ir-http-'));
    app = await createEmulatorApp(
      loadConfig({
        PURVIEW_DATA_DIR: dataDir,
        PURVIEW_EMULATOR_PORT: '5380',
        AZURITE_BLOB_PORT: '1',
        AZURITE_QUEUE_PORT: '1',
      }),
      { logger: false },
    );
    http = request(app.getHttpServer());
    token = await newToken();
  });

  afterAll(async () => {
    await app.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  describe('token endpoint', () => {
    it('issues tokens that verify against the published JWKS', async () => {
      const openid = await http
        .get('/00000000-0000-0000-0000-000000000000/v2.0/.well-known/openid-configuration')
        .expect(200);
      expect(openid.body.issuer).toBe('http://127.0.0.1:5380/00000000-0000-0000-0000-000000000000/v2.0');
      const jwks = await http.get(new URL(openid.body.jwks_uri).pathname).expect(200);
      const { payload } = await jose.jwtVerify(token, jose.createLocalJWKSet(jwks.body), {
        issuer: openid.body.issuer,
        audience: 'https://purview.azure.net',
      });
      expect(payload.roles).toContain('Data Source Admin');
    });

    it('answers bad requests the way Entra ID does', async () => {
      const form = {
        grant_type: 'client_credentials',
        client_id: 'purview-emulator',
        client_secret: 'wrong',
        scope: 'https://purview.azure.net/.default',
      };
      const badSecret = await http
        .post('/00000000-0000-0000-0000-000000000000/oauth2/v2.0/token')
        .type('form')
        .send(form)
        .expect(401);
      expect(badSecret.body).toEqual(expect.objectContaining({ error: 'invalid_client', error_codes: [7000215] }));
      const badScope = await http
        .post('/00000000-0000-0000-0000-000000000000/oauth2/v2.0/token')
        .type('form')
        .send({ ...form, client_secret: 'purview-emulator-secret', scope: 'openid' })
        .expect(400);
      expect(badScope.body.error).toBe('invalid_scope');
      const badGrant = await http
        .post('/00000000-0000-0000-0000-000000000000/oauth2/v2.0/token')
        .type('form')
        .send({ ...form, grant_type: 'password' })
        .expect(400);
      expect(badGrant.body.error).toBe('unsupported_grant_type');
      const badTenant = await http
        .post('/11111111-1111-1111-1111-111111111111/oauth2/v2.0/token')
        .type('form')
        .send(form)
        .expect(400);
      expect(badTenant.body.error).toBe('invalid_tenant');
    });
  });

  it('needs a bearer token and says how to get one', async () => {
    const response = await http.get(`/scan/integrationruntimes${V}`).expect(401);
    expect(response.headers['www-authenticate']).toMatch(/^Bearer authorization_uri=/);
    expect(response.headers['x-ms-error-code']).toBe('Unauthorized');
    expect(response.body.error.message).toMatch(/oauth2\/v2\.0\/token/);
  });

  it('creates (201) and replaces (200) an integration runtime, and lists it with paging', async () => {
    const created = await http
      .put(`/scan/integrationruntimes/ir-one${V}`)
      .set(auth())
      .send({ kind: 'SelfHosted', properties: { description: 'first' } })
      .expect(201);
    expect(created.headers['x-ms-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.body).toEqual({
      id: 'integrationruntimes/ir-one',
      name: 'ir-one',
      kind: 'SelfHosted',
      properties: { description: 'first' },
    });
    // Clients send read-only fields back; they are ignored, never rejected.
    await http
      .put(`/scan/integrationruntimes/ir-one${V}`)
      .set(auth())
      .send({ id: 'x', name: 'ir-one', kind: 'SelfHosted', properties: { description: 'second' } })
      .expect(200);
    expect(
      (await http.get(`/scan/integrationruntimes/IR-ONE${V}`).set(auth()).expect(200)).body.properties.description,
    ).toBe('second');
    await http.put(`/scan/integrationruntimes/ir-two`).set(auth()).send({ kind: 'SelfHosted' }).expect(201);

    const page1 = await http.get(`/scan/integrationruntimes${V}&$top=1`).set(auth()).expect(200);
    expect(page1.body).toEqual(
      expect.objectContaining({ count: 2, value: [expect.objectContaining({ name: 'ir-one' })] }),
    );
    const next = new URL(page1.body.nextLink);
    const page2 = await http.get(`${next.pathname}${next.search}`).set(auth()).expect(200);
    expect(page2.body.value.map((ir: { name: string }) => ir.name)).toEqual(['ir-two']);
    expect(page2.body.nextLink).toBeUndefined();
  });

  it('rejects bad names, kinds, bodies and api-versions with clear 400s', async () => {
    const badName = await http
      .put(`/scan/integrationruntimes/bad_name${V}`)
      .set(auth())
      .send({ kind: 'SelfHosted' })
      .expect(400);
    expect(badName.body.error).toEqual(expect.objectContaining({ code: 'InvalidName' }));
    await http.put(`/scan/integrationruntimes/ab${V}`).set(auth()).send({ kind: 'SelfHosted' }).expect(400);
    const managed = await http
      .put(`/scan/integrationruntimes/ir-m${V}`)
      .set(auth())
      .send({ kind: 'Managed' })
      .expect(400);
    expect(managed.body.error.message).toMatch(/SelfHosted/);
    await http.put(`/scan/integrationruntimes/ir-x${V}`).set(auth()).send({ properties: {} }).expect(400);
    await http
      .put(`/scan/integrationruntimes/ir-x${V}`)
      .set(auth())
      .set('content-type', 'application/json')
      .send('{"kind":')
      .expect(400);
    const version = await http.get('/scan/integrationruntimes?api-version=2020-01-01').set(auth()).expect(400);
    expect(version.body.error.code).toBe('InvalidApiVersionParameter');
    expect((await http.get('/scan/integrationruntimes/missing').set(auth()).expect(404)).body.error.code).toBe(
      'IntegrationRuntimeNotFound',
    );
  });

  it('lists the same two keys under every URL spelling, in the real key format', async () => {
    const colon = await http
      .post(`/scan/integrationruntimes/ir-one:listAuthKeys${V}`)
      .set(auth())
      .set('content-type', 'application/json')
      .expect(200);
    const slashColon = await http.post(`/scan/integrationruntimes/ir-one/:listAuthKeys${V}`).set(auth()).expect(200);
    expect(slashColon.body).toEqual(colon.body);
    const key1 = parseAuthKey(colon.body.authKey1);
    const key2 = parseAuthKey(colon.body.authKey2);
    expect(key1).toEqual(expect.objectContaining({ accountName: 'emulator', serviceEndpoint: '127.0.0.1:5380' }));
    expect(key2.integrationRuntimeId).toBe(key1.integrationRuntimeId);
    expect(key2.secret).not.toBe(key1.secret);
  });

  const beat = (credential: string, body: Record<string, unknown> = {}) =>
    http
      .post('/_emulator/runtime/heartbeat')
      .set('authorization', `Node ${credential}`)
      .send({ version: '5.40.9000.1', runningJobs: 0, ...body });
  const asNode = (credential: string) => ({ authorization: `Node ${credential}` });

  it('registers nodes with either key; a second node needs remote access on the first; a regenerated key refuses new nodes while registered ones keep working', async () => {
    const keys = (await http.post(`/scan/integrationruntimes/ir-one:listAuthKeys${V}`).set(auth()).expect(200)).body;
    const node1 = (await register(keys.authKey1, 'node1').expect(200)).body;
    node1Credential = node1.nodeCredential;
    expect(node1).toEqual(
      expect.objectContaining({
        integrationRuntime: expect.objectContaining({ name: 'ir-one' }),
        node: expect.objectContaining({ name: 'node1' }),
        heartbeatIntervalSeconds: 5,
        offlineAfterSeconds: 15,
      }),
    );

    const forbidden = (await register(keys.authKey2, 'node2').expect(409)).body.error;
    expect(forbidden.code).toBe('RemoteAccessDisabled');
    expect(forbidden.message).toMatch(
      /^Registration of new node is forbidden when Remote Access is disabled on another node\. To enable it, run 'shir remote-access enable/,
    );
    const remote = (
      await http
        .put('/_emulator/runtime/node/remote-access')
        .set(asNode(node1.nodeCredential))
        .send({ enabled: true })
        .expect(200)
    ).body;
    expect(remote).toEqual({ enabled: true, port: 8060, internalChannelEncryption: 'NotEncrypted' });
    await register(keys.authKey2, 'node2').expect(200);
    const stillNeeded = await http
      .put('/_emulator/runtime/node/remote-access')
      .set(asNode(node1.nodeCredential))
      .send({ enabled: false })
      .expect(409);
    expect(stillNeeded.body.error.code).toBe('RemoteAccessInUse');

    const regenerated = (
      await http
        .post(`/scan/integrationruntimes/ir-one:regenerateAuthKey${V}`)
        .set(auth())
        .send({ keyName: 'authKey1' })
        .expect(200)
    ).body;
    expect(regenerated.authKey2).toBeNull();
    expect(regenerated.authKey1).not.toBe(keys.authKey1);
    const after = (await http.post(`/scan/integrationruntimes/ir-one:listAuthKeys${V}`).set(auth()).expect(200)).body;
    expect(after).toEqual({ authKey1: regenerated.authKey1, authKey2: keys.authKey2 });

    expect((await register(keys.authKey1, 'node3').expect(401)).body.error.code).toBe('InvalidAuthKey');
    await beat(node1.nodeCredential).expect(200);
    await register(regenerated.authKey1, 'node3').expect(200);

    expect((await register(keys.authKey2, 'NODE1').expect(409)).body.error.code).toBe('NodeNameInUse');
    await register(keys.authKey2, 'node4').expect(200);
    expect((await register(keys.authKey2, 'node5').expect(409)).body.error.code).toBe('TooManyNodes');
    await http
      .post(`/scan/integrationruntimes/ir-one:regenerateAuthKey${V}`)
      .set(auth())
      .send({ keyName: 'authKey3' })
      .expect(400);
  });

  it('reports nodes in /status with the reason for each one that is not Online', async () => {
    // node1 has called in (a heartbeat); the others are registered but their host services never started.
    const status = (await http.get(`/scan/integrationruntimes/ir-one/status${V}`).set(auth()).expect(200)).body;
    expect(status.properties.state).toBe('Limited');
    expect(
      status.properties.typeProperties.nodes.map((n: { nodeName: string; status: string }) => [n.nodeName, n.status]),
    ).toEqual([
      ['node1', 'Online'],
      ['node2', 'Initializing'],
      ['node3', 'Initializing'],
      ['node4', 'Initializing'],
    ]);
    expect(status.properties.typeProperties.nodes[0]).toEqual(
      expect.objectContaining({
        isActiveDispatcher: true,
        versionStatus: 'UpToDate',
        hostServiceUri: 'https://node1-host:8050/HostServiceRemote.svc/',
      }),
    );
    expect(status.properties.typeProperties).toEqual(
      expect.objectContaining({
        internalChannelEncryption: 'NotEncrypted',
        autoUpdate: 'On',
        latestVersion: '5.40.9000.1',
      }),
    );
    expect(status.emulatorDiagnostics.nodes[1].statusReason).toMatch(/waiting for its host service/);
    expect(status.emulatorDiagnostics.stateReason).toMatch(/^1 of 4 nodes are online/);
  });

  it('replaces a node with force: the old credential stops working at once', async () => {
    const keys = (await http.post(`/scan/integrationruntimes/ir-two:listAuthKeys${V}`).set(auth()).expect(200)).body;
    const first = (await register(keys.authKey1, 'box').expect(200)).body;
    await beat(first.nodeCredential).expect(200);
    const second = (
      await http
        .post('/_emulator/runtime/register')
        .send({
          authKey: keys.authKey1,
          nodeName: 'BOX',
          machineName: 'box-host',
          version: '5.40.9000.1',
          cores: 2,
          memoryMb: 4096,
          force: true,
        })
        .expect(200)
    ).body;
    expect((await beat(first.nodeCredential).expect(401)).body.error.code).toBe('InvalidNodeCredential');
    await beat(second.nodeCredential).expect(200);
    const view = (await http.get('/_emulator/runtime/node').set(asNode(second.nodeCredential)).expect(200)).body;
    expect(view).toEqual(
      expect.objectContaining({
        accountName: 'emulator',
        integrationRuntime: expect.objectContaining({ name: 'ir-two', state: 'Online', nodeCount: 1 }),
        node: expect.objectContaining({ nodeName: 'BOX', status: 'Online' }),
      }),
    );
    await http.delete('/_emulator/runtime/node').set(asNode(second.nodeCredential)).expect(204);
    await beat(second.nodeCredential).expect(401);
    expect(
      (await http.get(`/scan/integrationruntimes/ir-two/status${V}`).set(auth()).expect(200)).body.properties.state,
    ).toBe('NeedRegistration');
  });

  it('gets, limits, monitors and deletes nodes under the older spellings; concurrentJobsLimit outside 1..max is a 400 with the range', async () => {
    const node = (await http.get(`/scan/integrationruntimes/ir-one/nodes/node1${V}`).set(auth()).expect(200)).body;
    expect(node).toEqual(
      expect.objectContaining({ nodeName: 'node1', status: 'Online', maxConcurrentJobs: 5, concurrentJobsLimit: 5 }),
    );
    const patched = (
      await http
        .patch(`/scan/integrationruntimes/ir-one/nodes/node1${V}`)
        .set(auth())
        .send({ concurrentJobsLimit: 2 })
        .expect(200)
    ).body;
    expect(patched.concurrentJobsLimit).toBe(2);
    for (const bad of [0, 6, 1.5]) {
      const refused = (
        await http
          .patch(`/scan/integrationruntimes/ir-one/nodes/node1${V}`)
          .set(auth())
          .send({ concurrentJobsLimit: bad })
          .expect(400)
      ).body.error;
      expect(refused.message).toMatch(/between 1 and maxConcurrentJobs \(5\)|must be an integer/);
    }
    await beat(node1Credential, { runningJobs: 1, cpuUtilization: 12.4, availableMemoryMb: 2048 }).expect(200);
    const monitoring = (await http.get(`/scan/integrationruntimes/ir-one/monitoringData${V}`).set(auth()).expect(200))
      .body;
    expect(monitoring.nodes[0]).toEqual({
      nodeName: 'node1',
      availableMemoryInMB: 2048,
      cpuUtilization: 12,
      concurrentJobsLimit: 2,
      concurrentJobsRunning: 1,
      maxConcurrentJobs: 5,
    });
    expect(
      (await http.post(`/scan/integrationruntimes/ir-one/monitoringData${V}`).set(auth()).expect(200)).body,
    ).toEqual(monitoring);

    expect(
      (await http.get(`/scan/integrationruntimes/ir-one/nodes/nope${V}`).set(auth()).expect(404)).body.error.code,
    ).toBe('IntegrationRuntimeNodeNotFound');
    expect(
      (await http.delete(`/scan/integrationruntimes/ir-one/nodes/node1${V}`).set(auth()).expect(200)).body,
    ).toEqual({ nodeName: 'node1', machineName: 'node1-host' });
    expect((await beat(node1Credential).expect(401)).body.error.code).toBe('InvalidNodeCredential');
  });

  it('moves the emulator clock, which drives version expiry', async () => {
    expect((await http.get('/_emulator/clock').expect(200)).body.offsetSeconds).toBe(0);
    const moved = (await http.put('/_emulator/clock').set(auth()).send({ advanceSeconds: 86400 }).expect(200)).body;
    expect(moved.offsetSeconds).toBe(86400);
    expect(Date.parse(moved.now) - Date.now()).toBeGreaterThan(86000 * 1000);
    // The move expired the token issued before it.
    await http.put('/_emulator/clock').set(auth()).send({ advanceSeconds: 1 }).expect(401);
    const moverAuth = { authorization: `Bearer ${await newToken()}` };
    expect(
      (await http.put('/_emulator/clock').set(moverAuth).send({ now: 'soon' }).expect(400)).body.error.message,
    ).toMatch(/ISO-8601/);
    await http
      .put('/_emulator/clock')
      .set(moverAuth)
      .send({ now: '2030-01-01T00:00:00Z', advanceSeconds: 1 })
      .expect(400);
    expect(
      (await http.put('/_emulator/clock').set(moverAuth).send({ advanceSeconds: 1e15 }).expect(400)).body.error.message,
    ).toMatch(/must stay between/);
    expect((await http.get('/_emulator/clock').expect(200)).body.offsetSeconds).toBe(86400);
    expect((await http.delete('/_emulator/clock').set(moverAuth).expect(200)).body.offsetSeconds).toBe(0);
  });

  it('refuses to delete an integration runtime that scans use, naming them; deleting an unused one revokes its nodes', async () => {
    await http.put(`/scan/integrationruntimes/ir-three${V}`).set(auth()).send({ kind: 'SelfHosted' }).expect(201);
    await http
      .put(`/scan/datasources/blobs${V}`)
      .set(auth())
      .send({ kind: 'AzureStorage', properties: { endpoint: 'https://devstoreaccount1.blob.core.windows.net/' } })
      .expect(201);
    await http
      .put(`/scan/datasources/blobs/scans/nightly${V}`)
      .set(auth())
      .send({
        kind: 'AzureStorageMsi',
        properties: {
          scanRulesetName: 'AzureStorage',
          scanRulesetType: 'System',
          connectedVia: { referenceName: 'ir-three' },
        },
      })
      .expect(201);
    const inUse = (await http.delete(`/scan/integrationruntimes/ir-three${V}`).set(auth()).expect(409)).body.error;
    expect(inUse).toEqual({ code: 'IntegrationRuntimeInUse', message: expect.stringContaining('blobs/nightly') });
    await http.delete(`/scan/datasources/blobs/scans/nightly${V}`).set(auth()).expect(204);

    const keys = (await http.post(`/scan/integrationruntimes/ir-three:listAuthKeys${V}`).set(auth()).expect(200)).body;
    const node = (await register(keys.authKey1, 'lonely').expect(200)).body;
    await http.delete(`/scan/integrationruntimes/ir-three${V}`).set(auth()).expect(204);
    await http.get(`/scan/integrationruntimes/ir-three${V}`).set(auth()).expect(404);
    await http.delete(`/scan/integrationruntimes/ir-three${V}`).set(auth()).expect(404);
    expect((await beat(node.nodeCredential).expect(401)).body.error.code).toBe('InvalidNodeCredential');
    await http.post('/_emulator/runtime/heartbeat').send({ version: '5.40.9000.1', runningJobs: 0 }).expect(401);
  });

  it('answers a missing integration runtime the same way on every route that names one, whichever module serves it', async () => {
    const missing = { code: 'IntegrationRuntimeNotFound', message: "Integration runtime 'ghost-ir' was not found." };
    const routes: [string, Promise<request.Response>][] = [
      ['status', http.get(`/scan/integrationruntimes/ghost-ir/status${V}`).set(auth())],
      [
        'regenerateAuthKey',
        http.post(`/scan/integrationruntimes/ghost-ir:regenerateAuthKey${V}`).set(auth()).send({ keyName: 'authKey1' }),
      ],
      ['delete node', http.delete(`/scan/integrationruntimes/ghost-ir/nodes/node1${V}`).set(auth())],
      [
        'enableInteractiveQuery',
        http
          .post(`/scan/integrationruntimes/ghost-ir:enableInteractiveQuery${V}`)
          .set(auth())
          .send({ autoTerminationMinutes: 5 }),
      ],
      ['get relay', http.get('/_emulator/integrationruntimes/ghost-ir/relay').set(auth())],
      ['put relay', http.put('/_emulator/integrationruntimes/ghost-ir/relay').set(auth()).send({ enabled: false })],
      ['serviceUrls', http.get('/_emulator/integrationruntimes/ghost-ir/serviceUrls').set(auth())],
    ];
    for (const [route, pending] of routes) {
      const answer = await pending;
      expect([route, answer.status, answer.body.error, answer.headers['x-ms-error-code']]).toEqual([
        route,
        404,
        missing,
        'IntegrationRuntimeNotFound',
      ]);
    }
  });

  it('refuses malformed registrations with the reason', async () => {
    expect((await register('IR@nonsense', 'n').expect(400)).body.error.code).toBe('MalformedAuthKey');
    await http.post('/_emulator/runtime/register').send({ authKey: 'x' }).expect(400);
  });
});

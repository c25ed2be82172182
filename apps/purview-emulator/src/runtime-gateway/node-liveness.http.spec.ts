import 'reflect-metadata';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { DataSource } from 'typeorm';
import { createEmulatorApp } from '../app.factory';
import { loadConfig } from '../config/emulator-config';

/**
 * Node liveness: every node call is a sign of life, but only a heartbeat, a call that makes the node Online again, or
 * one after the last recorded sign of life is older than the write interval writes the node's row. With the defaults
 * (heartbeat 5 s, Offline after 15 s) the interval is 5 s. What is written survives a restart.
 */
describe('node liveness', () => {
  const V = '?api-version=2023-09-01';
  let dataDir: string;
  let app: NestFastifyApplication;
  let http: TestAgent;
  let bearer: Record<string, string>;
  let credential: string;

  const boot = async () => {
    app = await createEmulatorApp(
      loadConfig({
        PURVIEW_DATA_DIR: dataDir,
        PURVIEW_EMULATOR_PORT: '5381',
        AZURITE_BLOB_PORT: '1',
        AZURITE_QUEUE_PORT: '1',
      }),
      { logger: false },
    );
    http = request(app.getHttpServer());
    const token = await http
      .post('/00000000-0000-0000-0000-000000000000/oauth2/v2.0/token')
      .type('form')
      .send({
        grant_type: 'client_credentials',
        client_id: 'purview-emulator',
        client_secret: 'purview-emulator-secret',
        scope: 'https://purview.azure.net/.default',
      })
      .expect(200);
    bearer = { authorization: `Bearer ${token.body.access_token as string}` };
  };
  /** The row as stored: what a restart would find. */
  const stored = async () =>
    (
      await app
        .get(DataSource)
        .query<{ lastConnectMs: number; lastStartTime: string | null; lastStopTime: string | null }[]>(
          'SELECT last_connect_ms AS lastConnectMs, last_start_time AS lastStartTime, last_stop_time AS lastStopTime FROM integration_runtime_nodes',
        )
    )[0];
  const advance = (seconds: number) =>
    http.put('/_emulator/clock').set(bearer).send({ advanceSeconds: seconds }).expect(200);
  const nodeCall = () => http.get('/_emulator/runtime/node').set('authorization', `Node ${credential}`).expect(200);
  const node1 = async () =>
    (await http.get(`/scan/integrationruntimes/live-ir/status${V}`).set(bearer).expect(200)).body.properties
      .typeProperties.nodes[0] as { status: string; lastConnectTime?: string };

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'node-liveness-'));
    await boot();
    await http.put(`/scan/integrationruntimes/live-ir${V}`).set(bearer).send({ kind: 'SelfHosted' }).expect(201);
    const keys = (await http.post(`/scan/integrationruntimes/live-ir:listAuthKeys${V}`).set(bearer).expect(200)).body;
    const registered = await http
      .post('/_emulator/runtime/register')
      .send({
        authKey: keys.authKey1,
        nodeName: 'node1',
        machineName: 'host1',
        version: '5.40.9000.1',
        cores: 2,
        memoryMb: 4096,
      })
      .expect(200);
    credential = registered.body.nodeCredential as string;
  });

  afterAll(async () => {
    await app.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('writes the first call, not the frequent ones after it, and again once the interval has passed', async () => {
    await nodeCall();
    const first = await stored();
    expect(first.lastStartTime).not.toBeNull();
    expect((await node1()).status).toBe('Online');

    await advance(2);
    for (let i = 0; i < 5; i++) await nodeCall();
    expect((await stored()).lastConnectMs).toBe(first.lastConnectMs);
    expect(await node1()).toEqual(
      expect.objectContaining({ status: 'Online', lastConnectTime: new Date(first.lastConnectMs).toISOString() }),
    );

    await advance(4);
    await nodeCall();
    expect((await stored()).lastConnectMs).toBeGreaterThanOrEqual(first.lastConnectMs + 6000);
  });

  it('records every heartbeat, which writes the node row anyway', async () => {
    const before = await stored();
    await advance(1);
    await http
      .post('/_emulator/runtime/heartbeat')
      .set('authorization', `Node ${credential}`)
      .send({ version: '5.40.9000.1', runningJobs: 0 })
      .expect(200);
    expect((await stored()).lastConnectMs).toBeGreaterThanOrEqual(before.lastConnectMs + 1000);
  });

  it('keeps liveness across a restart: Online until the Offline timeout, then a restart of the node is recorded', async () => {
    const before = await stored();
    await app.close();
    await boot();
    expect(await node1()).toEqual(
      expect.objectContaining({ status: 'Online', lastConnectTime: new Date(before.lastConnectMs).toISOString() }),
    );

    await advance(20);
    expect((await node1()).status).toBe('Offline');
    await nodeCall();
    const after = await stored();
    expect(after.lastStopTime).toBe(new Date(before.lastConnectMs).toISOString());
    expect(Date.parse(after.lastStartTime!)).toBe(after.lastConnectMs);
    expect((await node1()).status).toBe('Online');
  });
});

import 'reflect-metadata';
import { WebSocket } from 'ws';
import type { RelayListenerConnection } from '@purview-emulator/contracts';
import { pollUntil } from '@purview-emulator/testing';
import { RelayHub } from '../relay/relay-hub.service';
import { createTestApp, registerTestNode, type TestApp } from '../testing/test-app';

const V = '?api-version=2023-09-01';

type Attempt = { ws: WebSocket } | { status: number } | { error: string };

/**
 * relayDrop: the node's listener connection is cut (no close handshake, as a lost network path cuts it), its
 * attempts to listen again are cut too while the fault lasts, and `/status` shows the node Limited with the reason
 * a relay loss gives. When the fault ends, the node listens again and is Online.
 */
describe('relayDrop fault', () => {
  let test: TestApp;
  let node: Record<string, string>;
  const sockets: WebSocket[] = [];

  /** One listen attempt, as the node makes it; resolves open, refused (status) or cut (error). */
  const listen = async (): Promise<Attempt> => {
    const connection = (await test.http.get('/_emulator/runtime/relay').set(node).expect(200))
      .body as RelayListenerConnection;
    return new Promise((resolve) => {
      const ws = new WebSocket(connection.listenUrl, {
        headers: { ServiceBusAuthorization: connection.token },
        perMessageDeflate: false,
      });
      sockets.push(ws);
      ws.on('open', () => resolve({ ws }));
      ws.on('unexpected-response', (_req, res) => {
        resolve({ status: res.statusCode ?? 0 });
        res.resume();
        ws.terminate();
      });
      ws.on('error', (error) => resolve({ error: error.message }));
    });
  };
  const listening = () => test.app.get(RelayHub).listeningNodes('drop-ir');
  const heartbeat = (relayConnected: boolean) =>
    test.http
      .post('/_emulator/runtime/heartbeat')
      .set(node)
      .send({ version: '5.40.9000.1', runningJobs: 0, relayConnected })
      .expect(200);
  const nodeStatus = async () => {
    const body = (await test.api.get(`/scan/integrationruntimes/drop-ir/status${V}`).expect(200)).body as {
      properties: {
        state: string;
        typeProperties: { nodes: { status: string; capabilities: Record<string, string> }[] };
      };
      emulatorDiagnostics: { nodes: { statusReason?: string }[] };
    };
    const n = body.properties.typeProperties.nodes[0];
    return {
      status: n.status,
      serviceBus: n.capabilities.serviceBusConnected,
      reason: body.emulatorDiagnostics.nodes[0].statusReason,
    };
  };

  beforeAll(async () => {
    test = await createTestApp({ listen: true });
    await test.api.put(`/scan/integrationruntimes/drop-ir${V}`).send({ kind: 'SelfHosted' }).expect(201);
    const keys = (await test.api.post(`/scan/integrationruntimes/drop-ir:listAuthKeys${V}`).expect(200)).body;
    ({ node } = await registerTestNode(test.http, keys.authKey1 as string));
  });

  afterAll(async () => {
    for (const ws of sockets) ws.terminate();
    await test.close();
  });

  it('cuts the listener, refuses it while in force, shows the node Limited, and lets it back when cleared', async () => {
    const first = await listen();
    expect(first).toHaveProperty('ws');
    await pollUntil(async () => (await listening()).includes('n1'), { description: 'n1 listening' });
    await heartbeat(true);
    expect(await nodeStatus()).toMatchObject({ status: 'Online', serviceBus: 'True' });

    const closed = new Promise<number>((resolve) => (first as { ws: WebSocket }).ws.once('close', resolve));
    const fault = (
      await test.api
        .post('/_emulator/faults')
        .send({ kind: 'relayDrop', integrationRuntime: 'DROP-IR', node: 'n1' })
        .expect(201)
    ).body as { id: string };
    // Cut, not closed: no close frame reaches the listener (1006), as when the network path goes.
    expect(await closed).toBe(1006);
    expect(await listening()).not.toContain('n1');
    expect(await listen()).toHaveProperty('error');

    // The node still says it is connected (it has not noticed yet): the service knows better.
    await heartbeat(true);
    const limited = await nodeStatus();
    expect(limited).toMatchObject({ status: 'Limited', serviceBus: 'False' });
    expect(limited.reason).toContain('cannot reach the relay');
    const listed = (await test.api.get(`/_emulator/faults/${fault.id}`).expect(200)).body as { fired: number };
    expect(listed.fired).toBe(2);

    await test.api.delete(`/_emulator/faults/${fault.id}`).expect(204);
    expect(await listen()).toHaveProperty('ws');
    await pollUntil(async () => (await listening()).includes('n1'), { description: 'n1 listening again' });
    await heartbeat(true);
    expect(await nodeStatus()).toMatchObject({ status: 'Online', serviceBus: 'True' });
  });

  it('with a count, cuts that many connections, then the node listens again; other nodes are not touched', async () => {
    await test.api
      .post('/_emulator/faults')
      .send({ kind: 'relayDrop', integrationRuntime: 'drop-ir', node: 'n1', count: 2 })
      .expect(201);
    await pollUntil(async () => !(await listening()).includes('n1'), { description: 'n1 cut' });
    expect(await listen()).toHaveProperty('error');
    expect(await listen()).toHaveProperty('ws');
    expect((await test.api.get('/_emulator/faults').expect(200)).body.count).toBe(0);

    await test.api
      .post('/_emulator/faults')
      .send({ kind: 'relayDrop', integrationRuntime: 'drop-ir', node: 'some-other-node' })
      .expect(201);
    expect(await listen()).toHaveProperty('ws');
    await test.api.delete('/_emulator/faults').expect(204);
  });

  it('refuses a relayDrop without its scope, naming the field', async () => {
    const missing = await test.api.post('/_emulator/faults').send({ kind: 'relayDrop', node: 'n1' }).expect(400);
    expect(JSON.stringify(missing.body)).toContain('integrationRuntime');
  });
});

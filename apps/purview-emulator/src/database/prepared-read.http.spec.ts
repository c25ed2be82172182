import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { IntegrationRuntimesRepository } from '../integration-runtimes/integration-runtimes.repository';
import { InteractiveAuthoringEntity } from '../interactive-authoring/interactive-authoring.entity';
import { InteractiveAuthoringRepository } from '../interactive-authoring/interactive-authoring.repository';
import { createTestApp, type TestApp } from '../testing/test-app';

const V = '?api-version=2023-09-01';

/** The prepared reads give the very entities TypeORM's own queries give (types, nulls, booleans, order). */
describe('PreparedRead', () => {
  let test: TestApp;

  beforeAll(async () => {
    test = await createTestApp();
  });
  afterAll(() => test.close());

  it('reads runtimes, nodes and interactive authoring as TypeORM does', async () => {
    await test.api
      .put(`/scan/integrationruntimes/Prep-IR${V}`)
      .send({ kind: 'SelfHosted', description: 'd' })
      .expect(201);
    const keys = (await test.api.post(`/scan/integrationruntimes/prep-ir:listAuthKeys${V}`).expect(200)).body;
    for (const nodeName of ['b-node', 'a-node']) {
      const registered = await test.http
        .post('/_emulator/runtime/register')
        .send({ authKey: keys.authKey1, nodeName, machineName: 'h', version: '5.40.9000.1', cores: 2, memoryMb: 4096 })
        .expect(200);
      await test.http
        .post('/_emulator/runtime/heartbeat')
        .set('authorization', `Node ${registered.body.nodeCredential as string}`)
        .send({ version: '5.40.9000.1', runningJobs: 0, relayConnected: false, upgrading: false })
        .expect(200);
      // A second node joins only with remote access on the first (high availability).
      await test.http
        .put('/_emulator/runtime/node/remote-access')
        .set('authorization', `Node ${registered.body.nodeCredential as string}`)
        .send({ enabled: true })
        .expect(200);
    }
    await test.api
      .post(`/scan/integrationruntimes/prep-ir/enableInteractiveQuery${V}`)
      .send({ autoTerminationMinutes: 10 })
      .expect(202);

    const manager = test.app.get(DataSource).manager;
    const runtimes = test.app.get(IntegrationRuntimesRepository);
    const prepared = await runtimes.findByName('PREP-ir');
    expect(prepared).not.toBeNull();
    expect(prepared).toEqual(await runtimes.findByName('PREP-ir', manager));
    expect(await runtimes.findByName('nope')).toBeNull();
    const nodes = await runtimes.nodesOf(prepared!.id);
    expect(nodes.map((n) => n.nodeName)).toEqual(['b-node', 'a-node']);
    expect(nodes[0].relayConnected).toBe(false);
    expect(nodes).toEqual(await runtimes.nodesOf(prepared!.id, manager));
    const states = test.app.get(InteractiveAuthoringRepository);
    expect(await states.stateOf(prepared!.id)).toMatchObject({ enabled: true, autoTerminationMinutes: 10 });
    expect(await states.stateOf(prepared!.id)).toEqual(
      await manager.getRepository(InteractiveAuthoringEntity).findOneBy({ integrationRuntimeId: prepared!.id }),
    );
  });
});

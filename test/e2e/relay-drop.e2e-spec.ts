import type { SelfHostedIntegrationRuntimeStatus } from '@purview-emulator/contracts';
import { pollUntil } from '@purview-emulator/testing';
import { TestStack } from './harness';

/**
 * The relayDrop fault against a real `shir` node: its relay listener is cut and kept out while the fault lasts, so
 * `/status` shows the node Limited (serviceBusConnected False) with the relay-loss reason; when the fault is cleared
 * the node's own reconnection brings it back Online, relay connected.
 */
describe('relayDrop fault with a real node', () => {
  const stack = new TestStack();

  beforeAll(async () => {
    await stack.start();
    await stack.startRuntimeNode('drop-shir', 'node1');
    await stack.waitOnline('drop-shir');
  });

  afterAll(async () => {
    await stack.stop();
  });

  const node1 = async () => {
    const status = await stack.client.scan<
      SelfHostedIntegrationRuntimeStatus & { emulatorDiagnostics?: { nodes: { statusReason?: string }[] } }
    >('GET', '/integrationruntimes/drop-shir/status');
    const node = status.properties.typeProperties.nodes[0];
    return {
      status: node.status,
      serviceBusConnected: node.capabilities.serviceBusConnected,
      reason: status.emulatorDiagnostics?.nodes[0]?.statusReason,
    };
  };

  it('shows the node Limited while its relay is cut, and Online once the fault is cleared', async () => {
    await pollUntil(async () => ((await node1()).serviceBusConnected === 'True' ? true : undefined), {
      timeoutMs: 30_000,
      description: 'node1 listening on the relay',
    });
    const fault = await stack.client.expect<{ id: string }>('POST', '/_emulator/faults', {
      kind: 'relayDrop',
      integrationRuntime: 'drop-shir',
      node: 'node1',
    });
    const limited = await pollUntil(
      async () => {
        const n = await node1();
        return n.status === 'Limited' ? n : undefined;
      },
      { timeoutMs: 30_000, description: 'node1 Limited' },
    );
    expect(limited.serviceBusConnected).toBe('False');
    expect(limited.reason).toContain('cannot reach the relay');
    // The node keeps trying: each attempt is cut and counted.
    await pollUntil(
      async () => {
        const listed = await stack.client.expect<{ fired: number }>('GET', `/_emulator/faults/${fault.id}`);
        return listed.fired >= 2 ? true : undefined;
      },
      { timeoutMs: 30_000, description: 'the node trying to listen again' },
    );

    await stack.client.expect('DELETE', `/_emulator/faults/${fault.id}`);
    const back = await pollUntil(
      async () => {
        const n = await node1();
        return n.status === 'Online' && n.serviceBusConnected === 'True' ? n : undefined;
      },
      { timeoutMs: 30_000, description: 'node1 Online with its relay again' },
    );
    expect(back.reason).toBeUndefined();
  });
});

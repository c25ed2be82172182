import {
  createSasToken,
  type IntegrationRuntimeRelay,
  type SelfHostedIntegrationRuntimeStatus,
} from '@purview-emulator/contracts';
import { pollUntil } from '@purview-emulator/testing';
import { TestStack } from './harness';

/**
 * The relay on real processes: a `shir` node listens on its integration runtime's hybrid connection, an HTTP sender
 * reaches it through the emulator, and a cut relay channel makes the node Limited (serviceBusConnected False, with
 * the reason) until it is restored and the node Online again. No SAS key or signature reaches any log.
 */
describe("relay: a node on its integration runtime's hybrid connection", () => {
  const stack = new TestStack();
  let relay: IntegrationRuntimeRelay;

  const status = () =>
    stack.client.scan<SelfHostedIntegrationRuntimeStatus>('GET', '/integrationruntimes/relay-shir/status');
  const nodeOf = (s: SelfHostedIntegrationRuntimeStatus) =>
    s.properties.typeProperties.nodes.find((n) => n.nodeName === 'node1');
  const describeRelay = async () =>
    await stack.client.expect<IntegrationRuntimeRelay>('GET', '/_emulator/integrationruntimes/relay-shir/relay');
  const setEnabled = (enabled: boolean) =>
    stack.client.expect<IntegrationRuntimeRelay>('PUT', '/_emulator/integrationruntimes/relay-shir/relay', { enabled });

  beforeAll(async () => {
    await stack.start();
    await stack.client.scan('PUT', '/integrationruntimes/relay-shir', { kind: 'SelfHosted', properties: {} });
    const keys = await stack.client.scan<{ authKey1: string }>('POST', '/integrationruntimes/relay-shir:listAuthKeys');
    expect(
      (await stack.shir(['register', '--key', keys.authKey1, '--node-name', 'node1'], stack.home('node1'))).code,
    ).toBe(0);
    stack.startNode('node1');
  });

  afterAll(async () => {
    await stack.stop();
  });

  it('brings the node Online with serviceBusConnected True once it listens on the relay', async () => {
    const online = await pollUntil(
      async () => {
        const node = nodeOf(await status());
        return node?.status === 'Online' && node.capabilities?.serviceBusConnected === 'True' ? node : undefined;
      },
      { timeoutMs: 30_000, description: 'node1 Online with serviceBusConnected True' },
    );
    expect(online.status).toBe('Online');
    relay = await pollUntil(
      async () => {
        const r = await describeRelay();
        return r.listeners === 1 ? r : undefined;
      },
      { timeoutMs: 20_000, description: 'one listener on the hybrid connection' },
    );
    expect(relay.listenUrl).toBe(
      `ws://127.0.0.1:${stack.ports.emulator}/$hc/${relay.hybridConnectionPath}?sb-hc-action=listen`,
    );
  });

  it("relays an HTTP sender's request to the node and its answer back", async () => {
    const token = createSasToken(relay.httpUrl, relay.sasKeyName, relay.sasKey, Math.floor(Date.now() / 1000) + 300);
    const response = await fetch(`${relay.httpUrl}/no-such-operation?probe=1`, {
      headers: { ServiceBusAuthorization: token },
    });
    // The node answers (Via says the answer came through the relay); it has no operation at that path.
    expect(response.status).toBe(404);
    expect(response.headers.get('via')).toBe(`1.1 127.0.0.1:${stack.ports.emulator}`);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('NotFound');
    const refused = await fetch(`${relay.httpUrl}/x`, {
      headers: {
        ServiceBusAuthorization: createSasToken(
          relay.httpUrl,
          relay.sasKeyName,
          'wrong',
          Math.floor(Date.now() / 1000) + 300,
        ),
      },
    });
    expect(refused.status).toBe(401);
  });

  it('shows the node Limited, saying why, while its relay channel is cut, and Online again once restored', async () => {
    await setEnabled(false);
    const limited = await pollUntil(
      async () => {
        const s = await status();
        const node = nodeOf(s);
        return node?.status === 'Limited' ? { s, node } : undefined;
      },
      { timeoutMs: 30_000, description: 'node1 Limited' },
    );
    expect(limited.node.capabilities?.serviceBusConnected).toBe('False');
    expect(limited.s.properties.state).toBe('Limited');
    const diagnostics = limited.s.emulatorDiagnostics?.nodes.find((n) => n.nodeName === 'node1');
    expect(diagnostics?.statusReason).toMatch(/cannot reach the relay/);
    await pollUntil(
      () => (stack.nodes.get('node1')!.output.some((l) => /Relay: the channel is down/.test(l)) ? true : undefined),
      { timeoutMs: 10_000, description: 'the node to log the loss' },
    );

    await setEnabled(true);
    await pollUntil(
      async () => {
        const node = nodeOf(await status());
        return node?.status === 'Online' && node.capabilities?.serviceBusConnected === 'True' ? node : undefined;
      },
      { timeoutMs: 30_000, description: 'node1 Online again' },
    );
    expect((await describeRelay()).listeners).toBe(1);
  });

  it('writes no SAS key or signature to any log', () => {
    const output = stack.allOutput();
    expect(output).not.toContain(relay.sasKey);
    expect(output).not.toMatch(/sig=(?!\*\*\*)[A-Za-z0-9%]/);
    expect(output).not.toMatch(/SharedAccessSignature sr=/);
  });
});

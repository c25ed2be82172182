import { RelayError } from '@purview-emulator/relay';
import type { RelayHub } from '../relay/relay-hub.service';
import { InteractiveTransportError } from './interactive-transport';
import { RelayInteractiveTransport } from './relay-interactive-transport';

describe('RelayInteractiveTransport', () => {
  const request = {
    method: 'POST',
    path: '/interactive/browse',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  };
  const over = (relayRequest: RelayHub['request']) =>
    new RelayInteractiveTransport({ request: relayRequest } as RelayHub);

  it('passes the request and the timeout to the relay and returns the node answer', async () => {
    const calls: unknown[] = [];
    const transport = over(async (...args) => {
      calls.push(args);
      return { status: 200, headers: { 'content-type': 'application/json' }, body: Buffer.from('{"items":[]}') };
    });
    const response = await transport.request('shir-a', request, { timeoutMs: 1234 });
    expect(calls).toEqual([['shir-a', request, { timeoutMs: 1234 }]]);
    expect(response.status).toBe(200);
    expect(Buffer.from(response.body as Buffer).toString()).toBe('{"items":[]}');
  });

  it.each([
    ['NoListener', 502, 'NoNodeListening'],
    ['HybridConnectionDisabled', 404, 'NoNodeListening'],
    ['ListenerGone', 502, 'NoNodeListening'],
    ['GatewayTimeout', 504, 'Timeout'],
    ['InvalidResponse', 502, 'Failed'],
  ])('maps the relay error %s to %s', async (code, status, reason) => {
    const transport = over(async () => {
      throw new RelayError(status, code, `relay said ${code}`);
    });
    const error = await transport.request('shir-a', request, { timeoutMs: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InteractiveTransportError);
    expect(error).toMatchObject({ reason, message: `relay said ${code}` });
  });
});

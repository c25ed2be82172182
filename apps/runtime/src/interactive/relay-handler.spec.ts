import { INTERACTIVE_NODE_PATHS } from '@purview-emulator/contracts';
import { createLogger } from '../log';
import { interactiveRelayHandler } from './relay-handler';

describe('interactiveRelayHandler', () => {
  const lines: string[] = [];
  const handler = interactiveRelayHandler({
    nodeName: 'node1',
    logger: createLogger({ write: (line) => lines.push(line) }),
  });
  const relayed = (path: string, body: unknown) => ({
    method: 'POST',
    path,
    target: `/hc${path}`,
    headers: { 'content-type': 'application/json' },
    body: Buffer.from(JSON.stringify(body)),
  });

  it('leaves other paths to the next handler', async () => {
    expect(await handler(relayed('/other', {}))).toBeUndefined();
  });

  it('answers /interactive/* and logs the outcome without the body', async () => {
    const sas = 'sv=2024-01-01&sig=SECRETSIGNATURE';
    const response = await handler(
      relayed(INTERACTIVE_NODE_PATHS.browse, {
        source: {
          kind: 'AzureStorage',
          endpoint: 'x',
          accountName: 'a',
          qualifiedNameBase: 'q',
          serviceUrl: 'http://127.0.0.1:1/a',
          sasToken: sas,
        },
        path: '/etc',
      }),
    );
    expect(response).toMatchObject({ status: 400 });
    expect(JSON.parse(String(response!.body)).error.code).toBe('InvalidPath');
    expect(lines.join('\n')).toMatch(/Interactive authoring: browse answered 400 in \d+ ms/);
    expect(lines.join('\n')).not.toContain('SECRETSIGNATURE');
  });
});

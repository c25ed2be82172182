import { formatAuthKey, parseAuthKey } from '@purview-emulator/contracts';
import { serviceUrlOf } from './service-endpoint';

const SECRET = Buffer.alloc(32, 1).toString('base64');
const key = (serviceEndpoint: string) =>
  formatAuthKey({
    integrationRuntimeId: '6f1c2f0e-1f2b-4c1e-9a61-0d4c7b5e2a10',
    accountName: 'acct',
    serviceEndpoint,
    secret: SECRET,
  });

describe('serviceUrlOf (auth key → emulator base URL)', () => {
  it('turns the ServiceEndpoint host:port into an http URL', () => {
    expect(serviceUrlOf(parseAuthKey(key('127.0.0.1:5380')))).toBe('http://127.0.0.1:5380');
    expect(serviceUrlOf(parseAuthKey(key('purview-emulator:5380')))).toBe('http://purview-emulator:5380');
    expect(serviceUrlOf(parseAuthKey(key('acct.westeurope.purview.azure.net')))).toBe(
      'http://acct.westeurope.purview.azure.net',
    );
  });

  it('keeps an explicit scheme and drops a trailing slash', () => {
    expect(serviceUrlOf({ serviceEndpoint: 'https://emulator.local:8443/' })).toBe('https://emulator.local:8443');
  });

  it('rejects an endpoint that is not a host[:port]', () => {
    expect(() => serviceUrlOf({ serviceEndpoint: 'host:5380/some/path' })).toThrow(
      /malformed: its ServiceEndpoint is not a host\[:port\]/,
    );
    expect(() => serviceUrlOf({ serviceEndpoint: 'host:notaport' })).toThrow(/malformed/);
    expect(() => serviceUrlOf({ serviceEndpoint: 'user:pw@host' })).toThrow(/malformed/);
  });
});

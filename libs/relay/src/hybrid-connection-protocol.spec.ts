import type { IncomingMessage } from 'node:http';
import {
  appQuery,
  escapeXml,
  forwardedHeaders,
  httpEntityPathOf,
  isSendableCloseCode,
  sameEntity,
  sanitizeReason,
  strippedQuery,
  tokenOf,
  upgradeTargetOf,
  usesAuthorizationHeader,
} from './hybrid-connection-protocol';

/** A request as far as these helpers read it: headers (lower-cased, as Node gives them) and raw headers. */
const request = (raw: string[]): IncomingMessage => {
  const headers: Record<string, string> = {};
  for (let i = 0; i < raw.length; i += 2) headers[raw[i].toLowerCase()] = raw[i + 1];
  return { headers, rawHeaders: raw } as unknown as IncomingMessage;
};
const url = (path: string) => new URL(path, 'http://relay');

describe('requestTarget query', () => {
  it("drops sb-hc-…= parameters and keeps everything else as sent (the .NET client's QueryString tests)", () => {
    expect(strippedQuery('/hc/x?sb-hc-token=abc&x=1&sb-hc-id=7')).toBe('?x=1');
    expect(strippedQuery('/hc/x?sb-hc-undefined&a=1&a=2')).toBe('?sb-hc-undefined&a=1&a=2');
    expect(strippedQuery('/hc/x?&&&')).toBe('?&&&');
    expect(strippedQuery('/hc/x?sb-hc-token=abc')).toBe('');
    expect(strippedQuery('/hc/x')).toBe('');
  });

  it("passes a WebSocket sender's own query parameters on to the accept address, ready for the relay's", () => {
    expect(appQuery(url('/$hc/hc?a=1&sb-hc-action=connect&b=x%20y&SB-HC-ID=7'))).toBe('a=1&b=x%20y&');
    expect(appQuery(url('/$hc/hc?sb-hc-action=connect'))).toBe('');
  });
});

describe('upgrade and HTTP sender targets', () => {
  it('finds the entity path and action of an upgrade under /$hc/, also percent-encoded, in any case', () => {
    expect(upgradeTargetOf(url('/$hc/ir-1?sb-hc-action=listen'))).toEqual({ entityPath: 'ir-1', action: 'listen' });
    expect(upgradeTargetOf(url('/%24hc/ir-1/suffix%20x?sb-hc-action=connect'))).toEqual({
      entityPath: 'ir-1/suffix x',
      action: 'connect',
    });
    expect(upgradeTargetOf(url('/$HC//ir-1'))).toEqual({ entityPath: 'ir-1', action: '' });
    expect(upgradeTargetOf(url('/scan/ir-1?sb-hc-action=listen'))).toBeUndefined();
  });

  it('keeps a path that does not decode as it came', () => {
    expect(upgradeTargetOf(url('/$hc/ir-1%E0%A4%A'))).toEqual({ entityPath: 'ir-1%E0%A4%A', action: '' });
  });

  it('leaves / and the $hc space out of HTTP senders', () => {
    expect(httpEntityPathOf(url('/ir-1/interactive?x=1'))).toBe('ir-1/interactive');
    expect(httpEntityPathOf(url('/'))).toBeUndefined();
    expect(httpEntityPathOf(url('/$hc/ir-1'))).toBeUndefined();
  });

  it('lets listeners connect to the path exactly: any case and a trailing slash, no suffix', () => {
    expect(sameEntity('Ir-1', 'ir-1/')).toBe(true);
    expect(sameEntity('ir-1', 'ir-1/more')).toBe(false);
  });
});

describe('tokens and forwarded headers', () => {
  const sas = 'SharedAccessSignature sr=a&sig=b&se=1&skn=c';

  it('takes the token from sb-hc-token, then ServiceBusAuthorization, then a SAS Authorization header', () => {
    const all = request(['ServiceBusAuthorization', 'header-token', 'Authorization', sas]);
    expect(tokenOf(all, url('/hc?sb-hc-token=query-token'))).toBe('query-token');
    expect(tokenOf(all, url('/hc'))).toBe('header-token');
    expect(tokenOf(request(['Authorization', sas]), url('/hc'))).toBe(sas);
    expect(tokenOf(request(['Authorization', 'Bearer xyz']), url('/hc'))).toBeUndefined();
  });

  it('strips Authorization for the listener only when it is the token the relay used', () => {
    expect(usesAuthorizationHeader(request(['Authorization', 'Bearer xyz']), url('/hc'))).toBe(true);
    expect(
      usesAuthorizationHeader(request(['Authorization', 'Bearer xyz', 'ServiceBusAuthorization', sas]), url('/hc')),
    ).toBe(false);
    expect(usesAuthorizationHeader(request(['Authorization', 'Bearer xyz']), url('/hc?sb-hc-token=t'))).toBe(false);
  });

  it('forwards headers in their original case, joins duplicates, drops relay tokens and (for HTTP) hop-by-hop headers', () => {
    const raw = [
      'X-Custom',
      'a',
      'x-custom',
      'b',
      'ServiceBusAuthorization',
      sas,
      'Authorization',
      'Bearer app',
      'Connection',
      'keep-alive',
      'Host',
      'relay',
      'Via',
      '1.1 proxy',
    ];
    expect(forwardedHeaders(request(raw), {})).toEqual({
      'X-Custom': 'a, b',
      Authorization: 'Bearer app',
      Via: '1.1 proxy',
    });
    expect(forwardedHeaders(request(raw), { stripAuthorization: true })).toEqual({
      'X-Custom': 'a, b',
      Via: '1.1 proxy',
    });
    expect(forwardedHeaders(request(raw), { keepConnectionHeaders: true })).toEqual({
      'X-Custom': 'a, b',
      Authorization: 'Bearer app',
      Connection: 'keep-alive',
      Host: 'relay',
      Via: '1.1 proxy',
    });
    expect(forwardedHeaders(request(['Authorization', sas]), {})).toEqual({});
  });
});

describe('close codes and reason phrases', () => {
  it('sends on only close codes a close frame may carry', () => {
    expect([1000, 1001, 1008, 1011, 1014, 3000, 4999].every(isSendableCloseCode)).toBe(true);
    expect([999, 1004, 1005, 1006, 1015, 2000, 5000].some(isSendableCloseCode)).toBe(false);
  });

  it('keeps reason phrases printable ASCII on one bounded line, and error details valid XML', () => {
    expect(sanitizeReason('bad\r\nheader: ü')).toBe('bad  header:  ');
    expect(sanitizeReason('x'.repeat(600))).toHaveLength(512);
    expect(escapeXml('<a & b>')).toBe('&lt;a &amp; b&gt;');
  });
});

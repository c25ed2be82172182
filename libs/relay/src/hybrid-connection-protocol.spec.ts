import { strippedQuery } from './hybrid-connection-protocol';

describe('requestTarget query', () => {
  it('drops sb-hc-…= parameters and keeps everything else as sent (the .NET client\'s QueryString tests)', () => {
    expect(strippedQuery('/hc/x?sb-hc-token=abc&x=1&sb-hc-id=7')).toBe('?x=1');
    expect(strippedQuery('/hc/x?sb-hc-undefined&a=1&a=2')).toBe('?sb-hc-undefined&a=1&a=2');
    expect(strippedQuery('/hc/x?&&&')).toBe('?&&&');
    expect(strippedQuery('/hc/x?sb-hc-token=abc')).toBe('');
    expect(strippedQuery('/hc/x')).toBe('');
  });
});

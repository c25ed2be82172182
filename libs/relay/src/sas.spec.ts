import { createSasToken, sasSignature } from '@purview-emulator/contracts';
import { SasRejected, checkSasToken, entityPathOf, type SasRule } from './sas';

describe('SAS tokens for hybrid connections', () => {
  const rules: SasRule[] = [
    { keyName: 'RootManageSharedAccessKey', key: 'manage-key', rights: ['Listen', 'Send'] },
    { keyName: 'ListenOnly', key: 'listen-key', rights: ['Listen'] },
  ];
  const now = 1_800_000_000;
  const token = (sr: string, keyName = 'RootManageSharedAccessKey', key = 'manage-key', se = now + 60) =>
    createSasToken(sr, keyName, key, se);
  const rejection = (fn: () => unknown): SasRejected => {
    try {
      fn();
    } catch (error) {
      if (error instanceof SasRejected) return error;
      throw error;
    }
    throw new Error('not rejected');
  };

  it("accepts every producer's sr: hyco with :443, .NET with a trailing slash and lower-case escapes, namespace level", () => {
    expect(checkSasToken(token('http://contoso.servicebus.windows.net:443/hc1'), 'hc1', rules, 'Listen', now)).toBe(
      now + 60,
    );
    // .NET's WebUtility.UrlEncode escapes in lower case; the signature covers sr exactly as sent.
    const sr = encodeURIComponent('http://contoso.servicebus.windows.net/hc1/').replace(/%[0-9A-F]{2}/g, (e) =>
      e.toLowerCase(),
    );
    const dotnet = `SharedAccessSignature sr=${sr}&sig=${encodeURIComponent(sasSignature(sr, now + 60, 'manage-key'))}&se=${now + 60}&skn=RootManageSharedAccessKey`;
    expect(checkSasToken(dotnet, 'hc1', rules, 'Send', now)).toBe(now + 60);
    expect(() => checkSasToken(dotnet.replace(sr, sr.toUpperCase()), 'hc1', rules, 'Send', now)).toThrow(
      /signature does not match/,
    );
    expect(checkSasToken(token('http://ns/'), 'HC1', rules, 'Send', now)).toBe(now + 60);
    expect(checkSasToken(token('ws://127.0.0.1:5380/$hc/hc1'), 'hc1', rules, 'Listen', now)).toBe(now + 60);
    expect(checkSasToken(token('http://127.0.0.1:5380/hc1/suffix/x'), 'hc1', rules, 'Send', now)).toBe(now + 60);
  });

  it('refuses with 401 what is missing, malformed, forged, from an unknown rule or expired', () => {
    expect(rejection(() => checkSasToken(undefined, 'hc1', rules, 'Listen', now)).status).toBe(401);
    expect(rejection(() => checkSasToken('Bearer x', 'hc1', rules, 'Listen', now)).message).toMatch(/not a SAS token/);
    expect(
      rejection(() => checkSasToken('SharedAccessSignature sr=a&sig=b', 'hc1', rules, 'Listen', now)).message,
    ).toMatch(/lacks se, skn/);
    expect(
      rejection(() =>
        checkSasToken(token('http://ns/hc1', 'RootManageSharedAccessKey', 'other'), 'hc1', rules, 'Listen', now),
      ).message,
    ).toMatch(/signature does not match/);
    expect(
      rejection(() => checkSasToken(token('http://ns/hc1', 'Nobody', 'x'), 'hc1', rules, 'Listen', now)).message,
    ).toMatch(/not a shared access rule/);
    const expired = rejection(() =>
      checkSasToken(token('http://ns/hc1', undefined, undefined, now - 1), 'hc1', rules, 'Listen', now),
    );
    expect([expired.status, expired.message]).toEqual([401, expect.stringMatching(/expired at/)]);
  });

  it('refuses with 403 a token for another entity or without the right', () => {
    expect(rejection(() => checkSasToken(token('http://ns/hc2'), 'hc1', rules, 'Listen', now)).status).toBe(403);
    expect(rejection(() => checkSasToken(token('http://ns/hc10'), 'hc1', rules, 'Listen', now)).status).toBe(403);
    const listenOnly = rejection(() =>
      checkSasToken(token('http://ns/hc1', 'ListenOnly', 'listen-key'), 'hc1', rules, 'Send', now),
    );
    expect([listenOnly.status, listenOnly.message]).toEqual([403, expect.stringMatching(/grants Listen, not Send/)]);
  });

  it('reads the entity path of an sr', () => {
    expect(entityPathOf('http://ns:443/$hc/My/Path/')).toBe('my/path');
    expect(entityPathOf('ns.servicebus.windows.net/hc')).toBe('hc');
    expect(entityPathOf('http://ns')).toBe('');
  });
});

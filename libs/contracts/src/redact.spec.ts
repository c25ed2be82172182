import { redactSecrets, redactUrl } from './redact';

const SAS = 'sv=2024-08-04&ss=b&srt=sco&sp=rl&se=2099-01-01T00%3A00%3A00Z&sig=AbCdEf0123456789%2BSecret%3D';
const RELAY_TOKEN =
  'SharedAccessSignature%20sr%3Dhttp%253A%252F%252F127.0.0.1%253A5380%252Fir1%26sig%3DQmFzZTY0U2lnbmF0dXJl%26se%3D4102444800%26skn%3DRootManageSharedAccessKey';

describe('redactUrl', () => {
  it('drops the query string (the SAS), the fragment and user info', () => {
    expect(redactUrl(`http://127.0.0.1:10000/devstoreaccount1/purview-ingestion?${SAS}`)).toBe(
      'http://127.0.0.1:10000/devstoreaccount1/purview-ingestion',
    );
    expect(redactUrl('https://user:pass@host.example/path#frag')).toBe('https://host.example/path');
  });

  it('keeps a URL without secrets as it is', () => {
    expect(redactUrl('http://127.0.0.1:5380')).toBe('http://127.0.0.1:5380');
    expect(redactUrl('https://devstoreaccount1.blob.core.windows.net/')).toBe(
      'https://devstoreaccount1.blob.core.windows.net/',
    );
  });
});

describe('redactSecrets', () => {
  it('strips query strings from every URL in a text, keeping punctuation around it', () => {
    const text = `Cannot upload to http://127.0.0.1:10000/acct/c/blob.json?${SAS}. Then (https://x.example/q?sig=abc).`;
    expect(redactSecrets(text)).toBe(
      'Cannot upload to http://127.0.0.1:10000/acct/c/blob.json. Then (https://x.example/q).',
    );
  });

  it('masks loose SAS signatures', () => {
    const out = redactSecrets(`token ${SAS} used`);
    expect(out).not.toContain('AbCdEf0123456789');
    expect(out).toContain('sig=***');
  });

  it('keeps a bare path and its harmless parameters, masking only the secret values', () => {
    expect(redactSecrets(`/acct/c/blob.json?api-version=2023-09-01&${SAS}`)).toBe(
      '/acct/c/blob.json?api-version=2023-09-01&sv=2024-08-04&ss=b&srt=sco&sp=rl&se=2099-01-01T00%3A00%3A00Z&sig=***',
    );
  });

  it('masks relay tokens, OAuth tokens and codes, but not parameters that only look alike', () => {
    expect(redactSecrets(`/$hc/ir1?sb-hc-action=listen&sb-hc-id=node1&sb-hc-token=${RELAY_TOKEN}`)).toBe(
      '/$hc/ir1?sb-hc-action=listen&sb-hc-id=node1&sb-hc-token=***',
    );
    expect(redactSecrets('/cb?code=0.AXoA-secret&state=1')).toBe('/cb?code=***&state=1');
    expect(redactSecrets('/x?access_token=eyJ.a.b&client_secret=s3cr3t&token=abc&x-sig=keep&api-token=keep')).toBe(
      '/x?access_token=***&client_secret=***&token=***&x-sig=keep&api-token=keep',
    );
    expect(redactSecrets('exit code=2')).toBe('exit code=2');
  });

  it('masks account keys and shared access keys in connection strings', () => {
    const out = redactSecrets(
      'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqF+lUw==;BlobEndpoint=x;SharedAccessKey=k3y=',
    );
    expect(out).toBe(
      'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=***;BlobEndpoint=x;SharedAccessKey=***',
    );
  });

  it("masks an auth key's secret but keeps what identifies it", () => {
    const key = `IR@6f1c2f0e-1f2b-4c1e-9a61-0d4c7b5e2a10@acct@ServiceEndpoint=127.0.0.1:5380@${Buffer.alloc(32, 9).toString('base64')}`;
    const out = redactSecrets(`bad key ${key} here`);
    expect(out).toBe('bad key IR@6f1c2f0e-1f2b-4c1e-9a61-0d4c7b5e2a10@acct@ServiceEndpoint=127.0.0.1:5380@*** here');
  });

  it('masks node credentials and Authorization headers, the relay one included', () => {
    const credential = '0b6f3a52-5d0e-4c8b-9a0e-0d2c9f1e7a11.Zm9vYmFyYmF6cXV4cXV1eGZvb2Jhcg_-abc';
    expect(redactSecrets(`credential ${credential}`)).toBe('credential 0b6f3a52-5d0e-4c8b-9a0e-0d2c9f1e7a11.***');
    expect(redactSecrets('authorization: Node abcdef')).toBe('authorization: Node ***');
    expect(redactSecrets('{"Authorization":"Bearer eyJhbGciOi.x.y"}')).toBe('{"Authorization":"Bearer ***"}');
    expect(redactSecrets('ServiceBusAuthorization: SharedAccessSignature sr=a&sig=b')).toBe(
      'ServiceBusAuthorization: SharedAccessSignature ***',
    );
  });

  it('masks given secrets wherever they appear, ignoring ones too short to be secrets', () => {
    expect(redactSecrets('the secret is hunter2-secret!', ['hunter2-secret'])).toBe('the secret is ***!');
    expect(redactSecrets('a b c', ['b'])).toBe('a b c');
  });
});

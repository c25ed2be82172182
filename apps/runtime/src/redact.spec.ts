import { createLogger } from './log';
import { describeError, redactText, redactUrl } from './redact';

const SAS = 'sv=2024-08-04&ss=b&srt=sco&sp=rl&se=2099-01-01T00%3A00%3A00Z&sig=AbCdEf0123456789%2BSecret%3D';

describe('redactUrl', () => {
  it('drops the query string (the SAS), the fragment and user info', () => {
    expect(redactUrl(`http://127.0.0.1:10000/devstoreaccount1/purview-ingestion?${SAS}`)).toBe('http://127.0.0.1:10000/devstoreaccount1/purview-ingestion');
    expect(redactUrl('https://user:pass@host.example/path#frag')).toBe('https://host.example/path');
  });

  it('keeps a URL without secrets as it is', () => {
    expect(redactUrl('http://127.0.0.1:5380')).toBe('http://127.0.0.1:5380');
    expect(redactUrl('https://devstoreaccount1.blob.core.windows.net/')).toBe('https://devstoreaccount1.blob.core.windows.net/');
  });
});

describe('redactText', () => {
  it('strips query strings from every URL in a text, keeping punctuation around it', () => {
    const text = `Cannot upload to http://127.0.0.1:10000/acct/c/blob.json?${SAS}. Then (https://x.example/q?sig=abc).`;
    expect(redactText(text)).toBe('Cannot upload to http://127.0.0.1:10000/acct/c/blob.json. Then (https://x.example/q).');
  });

  it('masks loose SAS signatures', () => {
    const out = redactText(`token ${SAS} used`);
    expect(out).not.toContain('AbCdEf0123456789');
    expect(out).toContain('sig=***');
  });

  it("masks an auth key's secret but keeps what identifies it", () => {
    const key = `IR@6f1c2f0e-1f2b-4c1e-9a61-0d4c7b5e2a10@acct@ServiceEndpoint=127.0.0.1:5380@${Buffer.alloc(32, 9).toString('base64')}`;
    const out = redactText(`bad key ${key} here`);
    expect(out).toBe('bad key IR@6f1c2f0e-1f2b-4c1e-9a61-0d4c7b5e2a10@acct@ServiceEndpoint=127.0.0.1:5380@*** here');
  });

  it('masks node credentials and Authorization headers', () => {
    const credential = '0b6f3a52-5d0e-4c8b-9a0e-0d2c9f1e7a11.Zm9vYmFyYmF6cXV4cXV1eGZvb2Jhcg_-abc';
    expect(redactText(`credential ${credential}`)).toBe('credential 0b6f3a52-5d0e-4c8b-9a0e-0d2c9f1e7a11.***');
    expect(redactText('authorization: Node abcdef')).toBe('authorization: Node ***');
    expect(redactText('{"Authorization":"Bearer eyJhbGciOi.x.y"}')).toBe('{"Authorization":"Bearer ***"}');
  });

  it('masks given secrets wherever they appear', () => {
    expect(redactText('the secret is hunter2-secret!', ['hunter2-secret'])).toBe('the secret is ***!');
  });

  it('describeError keeps the first line only, redacted', () => {
    expect(describeError(new Error(`failed at https://h/p?${SAS}\nstack…`))).toBe('failed at https://h/p');
    expect(describeError('plain')).toBe('plain');
  });
});

describe('logger', () => {
  it('writes plain lines with time and level, redacted', () => {
    const lines: string[] = [];
    const logger = createLogger({ write: (l) => lines.push(l), now: () => new Date('2026-11-27T00:00:00.000Z') });
    logger.addSecret('my-node-credential');
    logger.info(`Connected to http://127.0.0.1:5380?${SAS} with my-node-credential`);
    expect(lines).toEqual(['2026-11-27T00:00:00.000Z INFO Connected to http://127.0.0.1:5380 with ***']);
  });

  it('writes JSON lines with fields, redacted', () => {
    const lines: string[] = [];
    const logger = createLogger({ format: 'json', write: (l) => lines.push(l), now: () => new Date('2026-11-27T00:00:00.000Z') });
    logger.warn('Lost it', { url: `http://h/q?${SAS}`, runningJobs: 2, skipped: undefined });
    expect(JSON.parse(lines[0])).toEqual({ time: '2026-11-27T00:00:00.000Z', level: 'WARN', message: 'Lost it', url: 'http://h/q', runningJobs: 2 });
  });
});

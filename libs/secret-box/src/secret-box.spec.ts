import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { KEY_BYTES, SecretKeyError, SecretOpenError, loadKeyFile, openText, parseKey, sealText } from './index';

describe('secret-box', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'secret-box-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('seals with a fresh IV each time and opens only with the same key and context', () => {
    const key = Buffer.alloc(KEY_BYTES, 1);
    const a = sealText('top secret', key, 'table.column:row-1');
    const b = sealText('top secret', key, 'table.column:row-1');
    expect(a.ciphertext.equals(b.ciphertext)).toBe(false);
    expect(a.ciphertext.includes(Buffer.from('top secret'))).toBe(false);
    expect(openText(a, key, 'table.column:row-1')).toBe('top secret');
    expect(() => openText(a, key, 'table.column:row-2')).toThrow(SecretOpenError);
    expect(() => openText(a, Buffer.alloc(KEY_BYTES, 2), 'table.column:row-1')).toThrow(SecretOpenError);
    const flipped = Buffer.from(a.ciphertext);
    flipped[0] ^= 1;
    expect(() => openText({ ...a, ciphertext: flipped }, key, 'table.column:row-1')).toThrow(SecretOpenError);
    expect(() => openText({ ...a, tag: a.tag.subarray(0, 4) }, key, 'table.column:row-1')).toThrow(SecretOpenError);
  });

  it('takes a key as base64 of 32 bytes and names where a malformed one came from', () => {
    expect(
      parseKey(` ${Buffer.alloc(KEY_BYTES, 7).toString('base64')}\n`, 'X').equals(Buffer.alloc(KEY_BYTES, 7)),
    ).toBe(true);
    for (const bad of [
      '',
      'short',
      Buffer.alloc(16).toString('base64'),
      `${Buffer.alloc(KEY_BYTES).toString('base64')}!`,
    ]) {
      expect(() => parseKey(bad, 'MY_KEY')).toThrow(
        new SecretKeyError('MY_KEY must be 32 bytes in base64 (for example: openssl rand -base64 32).'),
      );
    }
  });

  it('creates a key file with mode 0600 whatever the umask, and reads the same key back', () => {
    const file = path.join(dir, 'key');
    expect(loadKeyFile(file, { create: false })).toBeUndefined();
    const previous = process.umask(0o000);
    let key: Buffer | undefined;
    try {
      key = loadKeyFile(file, { create: true });
    } finally {
      process.umask(previous);
    }
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(key?.length).toBe(KEY_BYTES);
    expect(loadKeyFile(file, { create: true })?.equals(key!)).toBe(true);
    fs.writeFileSync(file, 'garbage');
    expect(() => loadKeyFile(file, { create: true })).toThrow(`${file} must be 32 bytes in base64`);
  });
});

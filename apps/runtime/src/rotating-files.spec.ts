import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RotatingFiles } from './rotating-files';

describe('RotatingFiles with a fixed current file (host-service.out)', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rotating-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const naming = { stem: 'host-service', ext: '.out', current: 'host-service.out' };
  const names = (files: RotatingFiles) => files.files().map((f) => path.basename(f));

  it('writes to the fixed name and renames a full file to the next number, keeping the newest files', () => {
    const files = new RotatingFiles(dir, naming, { maxBytes: 1024, keep: 3 });
    const lines = Array.from({ length: 100 }, (_, i) => `line ${String(i).padStart(3, '0')} ${'x'.repeat(40)}\n`);
    for (const line of lines) expect(files.append(line)).toBe(true);
    expect(names(files)).toEqual(['host-service-000003.out', 'host-service-000004.out', 'host-service.out']);
    for (const file of files.files()) expect(fs.statSync(file).size).toBeLessThanOrEqual(1024);
    // Nothing lost or reordered within what is kept: the kept files end with the last line written.
    const kept = files
      .files()
      .map((f) => fs.readFileSync(f, 'utf8'))
      .join('');
    expect(lines.join('').endsWith(kept)).toBe(true);
    expect(kept.length).toBeGreaterThan(2 * 1024 - 100);
  });

  it('makes room for what is about to be written, so a start can begin with a fresh file', () => {
    const files = new RotatingFiles(dir, naming, { maxBytes: 1024, keep: 5 });
    files.append('a'.repeat(600));
    expect(files.makeRoom(100)).toBe(path.join(dir, 'host-service.out'));
    expect(names(files)).toEqual(['host-service.out']);
    files.makeRoom(512);
    expect(names(files)).toEqual(['host-service-000001.out']);
    expect(fs.readFileSync(path.join(dir, 'host-service-000001.out'), 'utf8')).toBe('a'.repeat(600));
  });

  it('answers false instead of throwing when it cannot write', () => {
    const blocked = path.join(dir, 'blocked');
    fs.writeFileSync(blocked, 'a file where the directory should be');
    expect(new RotatingFiles(path.join(blocked, 'logs'), naming).append('x\n')).toBe(false);
  });
});

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface TempDir {
  readonly path: string;
  /** Deletes the directory and everything in it (no error if it is already gone). */
  remove(): void;
}

/** A new empty directory under the OS temp dir, named `<prefix><random>`. */
export function tempDir(prefix: string): TempDir {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return { path: dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

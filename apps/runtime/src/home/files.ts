import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** A problem with the node's home (unreadable, corrupt, wrong key): the user must act, retrying will not help. */
export class HomeError extends Error {
  override readonly name = 'HomeError';
}

/** Creates the home directory, readable by its owner only, if it does not exist. */
export function ensureHomeDirectory(home: string): void {
  fs.mkdirSync(home, { recursive: true, mode: 0o700 });
}

/** Writes a whole file or nothing (temporary file + rename), with the given mode. */
export function writeFileAtomic(file: string, data: string, mode = 0o600): void {
  const temporary = path.join(
    path.dirname(file),
    `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
  );
  try {
    fs.writeFileSync(temporary, data, { mode });
    fs.chmodSync(temporary, mode);
    fs.renameSync(temporary, file);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw error;
  }
}

/** A file's text, or undefined when it does not exist. */
export function readFileIfExists(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new HomeError(`Cannot read ${file}: ${(error as Error).message}`);
  }
}

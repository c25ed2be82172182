import * as fs from 'node:fs';
import * as path from 'node:path';

/** The directory of the sample data files (same relative place from src/ and dist/). */
export const SAMPLES_DIR = path.resolve(__dirname, '..', 'samples');

/** Absolute paths of the sample data files, sorted by name. */
export function sampleFiles(): string[] {
  return fs
    .readdirSync(SAMPLES_DIR)
    .filter((f) => !f.startsWith('.'))
    .sort()
    .map((f) => path.join(SAMPLES_DIR, f));
}

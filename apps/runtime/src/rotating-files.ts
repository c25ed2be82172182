import * as fs from 'node:fs';
import * as path from 'node:path';
import { readRuntimeEnvironment } from './environment';

/** How a set of rotated files is named: `<stem>-000001<ext>`, `<stem>-000002<ext>`, … and maybe a fixed current name. */
export interface RotatingFilesNaming {
  stem: string;
  ext: string;
  /**
   * The fixed name new text goes to (`host-service.out`, so `tail -F` follows it); a full file is renamed to the next
   * number. Without it the highest number takes new text and a full one is followed by a new number: no process ever
   * renames a file another may be appending to (the event log has several writers).
   */
  current?: string;
}

export interface RotatingFilesOptions {
  /** A file is rotated once it would grow beyond this. */
  maxBytes: number;
  /** Files kept, the current one included. */
  keep: number;
}

export const DEFAULT_ROTATION: RotatingFilesOptions = { maxBytes: 5 * 1024 * 1024, keep: 5 };

/** SHIR_EVENT_LOG_MAX_BYTES and SHIR_EVENT_LOG_FILES when set: the size of every log under <home>/logs (SettingsError when not valid). */
export function rotationFromEnv(env: NodeJS.ProcessEnv): Partial<RotatingFilesOptions> {
  const settings = readRuntimeEnvironment(env);
  return { maxBytes: settings.eventLogMaxBytes, keep: settings.eventLogFiles };
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The numbered files of a set, oldest first (the fixed current file, if any, is not among them). */
export function numberedFiles(directory: string, naming: RotatingFilesNaming): string[] {
  const pattern = new RegExp(`^${escape(naming.stem)}-\\d{6}${escape(naming.ext)}$`);
  let names: string[];
  try {
    names = fs.readdirSync(directory);
  } catch {
    return [];
  }
  return names
    .filter((n) => pattern.test(n))
    .sort()
    .map((n) => path.join(directory, n));
}

/**
 * Size-rotated files in one directory (the runtime's event log, the output of a detached host service): text is
 * appended to the current file until it would grow beyond `maxBytes`, then a new file starts; only the newest `keep`
 * files stay. Appending never throws: a full disk must not stop the runtime.
 */
export class RotatingFiles {
  readonly maxBytes: number;
  private readonly keep: number;
  private broken = false;

  constructor(
    readonly directory: string,
    private readonly naming: RotatingFilesNaming,
    options: Partial<RotatingFilesOptions> = {},
  ) {
    this.maxBytes = Math.max(1024, options.maxBytes ?? DEFAULT_ROTATION.maxBytes);
    this.keep = Math.max(1, options.keep ?? DEFAULT_ROTATION.keep);
  }

  /** Every file of the set, oldest first, the current one last. */
  files(): string[] {
    const numbered = numberedFiles(this.directory, this.naming);
    const current = this.naming.current ? path.join(this.directory, this.naming.current) : undefined;
    return current && fs.existsSync(current) ? [...numbered, current] : numbered;
  }

  /** Appends `text`, rotating first when it would not fit. False when it could not be written. */
  append(text: string): boolean {
    if (this.broken) return false;
    try {
      fs.appendFileSync(this.makeRoom(Buffer.byteLength(text)), text, { mode: 0o600 });
      return true;
    } catch {
      this.broken = true;
      return false;
    }
  }

  /** Rotates when the current file has no room for `bytes` more; returns the file to write to. */
  makeRoom(bytes: number): string {
    fs.mkdirSync(this.directory, { recursive: true, mode: 0o700 });
    const numbered = numberedFiles(this.directory, this.naming);
    const nextName = () => {
      const last = numbered[numbered.length - 1];
      const next = last ? Number(/-(\d{6})[^-]*$/.exec(path.basename(last))![1]) + 1 : 1;
      return path.join(this.directory, `${this.naming.stem}-${String(next).padStart(6, '0')}${this.naming.ext}`);
    };
    const fixed = this.naming.current ? path.join(this.directory, this.naming.current) : undefined;
    let current = fixed ?? numbered[numbered.length - 1];
    const size = current ? sizeOf(current) : 0;
    if (current && (size === 0 || size + bytes <= this.maxBytes)) return current;
    if (fixed) {
      const archive = nextName();
      fs.renameSync(fixed, archive);
      numbered.push(archive, fixed);
    } else {
      current = nextName();
      numbered.push(current);
    }
    for (const old of numbered.slice(0, Math.max(0, numbered.length - this.keep))) fs.rmSync(old, { force: true });
    return fixed ?? current;
  }
}

function sizeOf(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

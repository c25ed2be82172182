import { displayValue } from './display-value';
/**
 * Strict reading of environment variables, shared by the emulator, the runtime and the scripts.
 *
 * Number() and parseInt() accept far too much ('0x1500' is 5376, '1e3' is 1000, ' 5380' is 5380, '5380.5' ends up
 * in a URL), so each kind of value has its own exact grammar. A reader collects every problem instead of stopping
 * at the first, so one start names everything to fix; each problem names the variable, its value and what is
 * allowed. An unset variable takes its default; a variable set to '' is a problem (it is almost always a typo or an
 * empty shell variable, and silently falling back would hide it).
 */

export type Env = Readonly<Record<string, string | undefined>>;

const INTEGER = /^-?(0|[1-9][0-9]*)$/;
const DECIMAL = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?$/;
const HOST_NAME = /^[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?(\.[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?)*$/;
const IPV6 = /^[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*$/;

export const BOOLEAN_VALUES = ['true', 'false', '1', '0'] as const;

/** A value shown in a message: quoted, so '' and ' 5380' are visible as what they are. */
export function quoteEnvValue(value: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is escaped here
  return `'${value.replace(/[\u0000-\u001f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}'`;
}

export class EnvReader {
  private readonly found: string[] = [];

  constructor(private readonly env: Env) {}

  /** Every problem found so far, one sentence each. */
  get problems(): readonly string[] {
    return this.found;
  }

  /** Records a problem found outside the reader (a rule between two variables, a file named by one). */
  problem(message: string): void {
    this.found.push(message);
  }

  /** Runs a check that throws `errorClass` with a message, and records that message instead of stopping. */
  collect<T>(read: () => T, fallback: T, errorClass: abstract new (...args: never[]) => Error): T {
    try {
      return read();
    } catch (error) {
      if (!(error instanceof errorClass)) throw error;
      this.problem(error.message);
      return fallback;
    }
  }

  /** The raw value: undefined when unset; '' when set but empty (then already recorded as a problem). */
  private raw(name: string, allowed: string, fallback: unknown): string | undefined {
    const value = this.env[name];
    if (value === undefined) return undefined;
    if (value === '') {
      const unset = fallback === undefined ? 'unset it' : `unset it for the default (${displayValue(fallback)})`;
      this.invalid(name, value, `${allowed}; ${unset}`);
      return '';
    }
    return value;
  }

  private invalid(name: string, value: string, allowed: string): void {
    this.found.push(`${name}=${quoteEnvValue(value)} is not valid: expected ${allowed}.`);
  }

  /** A whole number in decimal digits, from min to max. */
  integer<D extends number | undefined>(name: string, min: number, max: number, fallback: D): number | D {
    const allowed = `a whole number from ${min} to ${max} (decimal digits only)`;
    const raw = this.raw(name, allowed, fallback);
    if (!raw) return fallback;
    const value = Number(raw);
    if (!INTEGER.test(raw) || !Number.isSafeInteger(value) || value < min || value > max) {
      this.invalid(name, raw, allowed);
      return fallback;
    }
    return value;
  }

  /** A TCP port; `allowZero` when 0 means "any free port". */
  port<D extends number | undefined>(name: string, fallback: D, options: { allowZero?: boolean } = {}): number | D {
    return this.integer(name, options.allowZero ? 0 : 1, 65535, fallback);
  }

  /** A number with an optional decimal fraction (like 0.5), from min to max: durations in seconds. */
  decimal<D extends number | undefined>(name: string, min: number, max: number, fallback: D): number | D {
    const allowed = `a number from ${min} to ${max} (decimal digits, optionally with a fraction like 0.5)`;
    const raw = this.raw(name, allowed, fallback);
    if (!raw) return fallback;
    const value = Number(raw);
    if (!DECIMAL.test(raw) || !Number.isFinite(value) || value < min || value > max) {
      this.invalid(name, raw, allowed);
      return fallback;
    }
    return value;
  }

  /** One of a fixed set of words, exactly as written (case included). */
  oneOf<T extends string, D extends T | undefined>(name: string, values: readonly T[], fallback: D): T | D {
    const allowed = `one of ${values.join(', ')} (exactly, in that case)`;
    const raw = this.raw(name, allowed, fallback);
    if (!raw) return fallback;
    if (!(values as readonly string[]).includes(raw)) {
      this.invalid(name, raw, allowed);
      return fallback;
    }
    return raw as T;
  }

  /** true/false, or 1/0. */
  boolean<D extends boolean | undefined>(name: string, fallback: D): boolean | D {
    const raw = this.oneOf(name, BOOLEAN_VALUES, undefined);
    return raw === undefined ? fallback : raw === 'true' || raw === '1';
  }

  /** An absolute URL with one of the schemes (http and https by default), without trailing slashes. */
  url<D extends string | undefined>(
    name: string,
    fallback: D,
    schemes: readonly string[] = ['http', 'https'],
  ): string | D {
    const allowed = `an absolute URL starting with ${schemes.map((s) => `${s}://`).join(' or ')}, like ${schemes[0]}://host:port`;
    const raw = this.raw(name, allowed, fallback);
    if (!raw) return fallback;
    let url: URL | undefined;
    try {
      url = new URL(raw);
    } catch {
      url = undefined;
    }
    // URL() trims spaces and takes 'localhost:5380' as scheme 'localhost:', so check the text too.
    const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(raw)?.[1]?.toLowerCase();
    if (!url || raw.trim() !== raw || !scheme || !schemes.includes(scheme) || url.hostname === '') {
      this.invalid(name, raw, allowed);
      return fallback;
    }
    return raw.replace(/\/+$/, '');
  }

  /** A host name or an IP address (no scheme, no port). */
  host<D extends string | undefined>(name: string, fallback: D): string | D {
    const allowed = 'a host name or an IP address, without scheme or port (like 127.0.0.1 or localhost)';
    const raw = this.raw(name, allowed, fallback);
    if (!raw) return fallback;
    if (!HOST_NAME.test(raw) && !IPV6.test(raw)) {
      this.invalid(name, raw, allowed);
      return fallback;
    }
    return raw;
  }

  /** A value matching a pattern; `allowed` says what it should look like. */
  matching<D extends string | undefined>(name: string, pattern: RegExp, allowed: string, fallback: D): string | D {
    const raw = this.raw(name, allowed, fallback);
    if (!raw) return fallback;
    if (!pattern.test(raw)) {
      this.invalid(name, raw, allowed);
      return fallback;
    }
    return raw;
  }

  /** Free text (a path, a name): unset or '' gives the fallback. Nothing to check, but read here so every read is in one place. */
  text<D extends string | undefined>(name: string, fallback: D): string | D {
    const raw = this.env[name];
    return raw === undefined || raw === '' ? fallback : raw;
  }
}

/** The message for problems found in the environment: one line when there is one, else a count and a line each. */
export function describeEnvProblems(problems: readonly string[]): string {
  if (problems.length === 1) return problems[0];
  return [`${problems.length} environment variables are not valid:`, ...problems.map((p) => `  ${p}`)].join('\n');
}

import type { ZodType, ZodTypeDef } from 'zod';
import { resourceNameProblem } from '@purview-emulator/contracts';
import { PurviewError } from './errors';

/**
 * Size bounds of a JSON body's content: every string (value or key) and the body as a whole. Scanning resources
 * are small (names, endpoints, references); bounding them keeps one client from making every list huge.
 */
export interface JsonBounds {
  /** Longest string value or object key, in characters. */
  maxString: number;
  /** Longest body, in characters of its JSON. */
  maxJson: number;
}

/** Scanning bodies (integration runtimes, data sources, scans, runs): URLs fit in 2,048 characters, as in browsers. */
export const SCANNING_BODY_BOUNDS: JsonBounds = { maxString: 2048, maxJson: 64 * 1024 };

/** Validates a request body against a contract schema; a failure is a 400 that names each bad field. */
export function parseBody<T>(
  schema: ZodType<T, ZodTypeDef, unknown>,
  body: unknown,
  code = 'InvalidRequestBody',
  bounds?: JsonBounds,
): T {
  if (bounds) assertBounded(body, bounds);
  const result = schema.safeParse(body ?? {});
  if (result.success) return result.data;
  const problems = result.error.issues.map(
    (i) => `${i.path.length ? i.path.join('.') : 'body'}: ${abbreviate(i.message, 300)}`,
  );
  throw PurviewError.badRequest(`The request body is not valid. ${problems.join('; ')}`, code);
}

/** 400 naming the first over-long string, or the body when it is too large as a whole. */
export function assertBounded(body: unknown, bounds: JsonBounds): void {
  const tooLong = overlongString(body, '', bounds.maxString);
  if (tooLong) {
    throw PurviewError.badRequest(
      `${tooLong.path || 'body'} is ${tooLong.length} characters long; at most ${bounds.maxString} are accepted.`,
      'ValueTooLong',
      tooLong.path || undefined,
    );
  }
  const length = body === undefined ? 0 : JSON.stringify(body).length;
  if (length > bounds.maxJson)
    throw PurviewError.badRequest(
      `The request body is ${length} characters of JSON; at most ${bounds.maxJson} are accepted.`,
      'RequestBodyTooLarge',
    );
}

/** Depth is bounded by the body parser (MAX_JSON_DEPTH), so recursion here is safe. */
function overlongString(value: unknown, path: string, max: number): { path: string; length: number } | undefined {
  if (typeof value === 'string') return value.length > max ? { path, length: value.length } : undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = overlongString(value[i], `${path}[${i}]`, max);
      if (found) return found;
    }
    return undefined;
  }
  if (typeof value === 'object' && value !== null) {
    for (const [key, child] of Object.entries(value)) {
      if (key.length > max) return { path: `a key in ${path || 'the body'}`, length: key.length };
      const found = overlongString(child, path ? `${path}.${key}` : key, max);
      if (found) return found;
    }
  }
  return undefined;
}

/** A client's value quoted in a message, cut short so that errors never echo a huge input. */
export function abbreviate(value: string, max = 100): string {
  return value.length <= max ? value : `${value.slice(0, max)}… (${value.length} characters)`;
}

/** Enforces the 2023-09-01 resource name rules (3-63 chars, letters/digits/single hyphens). */
export function assertResourceName(name: string, what: string): void {
  const problem = resourceNameProblem(name, what);
  if (problem) throw PurviewError.badRequest(problem, 'InvalidName', what);
}

import type { FastifyInstance } from 'fastify';
import { parse as parseQueryString } from 'node:querystring';
import { PurviewError } from './errors';

/**
 * Deepest nesting of objects and arrays a JSON body may have: the default MaxDepth of System.Text.Json and
 * Json.NET, which Azure's .NET services parse with. Real Purview bodies nest a few levels; deeper ones would
 * overflow the stack of code that walks them (TypeORM, key sorting), so they are refused before parsing.
 */
export const MAX_JSON_DEPTH = 64;

/** Largest request body (Fastify answers 413 in the route's error shape above it). */
export const MAX_BODY_BYTES = 16 * 1024 * 1024;

/**
 * Whether the JSON text nests objects/arrays deeper than `max`: one pass counting brackets outside strings. It does
 * not validate: JSON.parse does that afterwards, on text known to be shallow.
 */
export function jsonNestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    }
  }
  return false;
}

/**
 * Body parsers as Azure clients need them: action POSTs (`:listAuthKeys`, `:cancel`) are often sent with
 * `Content-Type: application/json` and no body, which Fastify's default parser rejects. An empty JSON body is
 * "no body"; malformed or too deeply nested JSON is a 400 that says so. Form bodies serve the token endpoint.
 */
export function registerBodyParsers(fastify: FastifyInstance): void {
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, undefined);
    if (jsonNestsDeeperThan(text, MAX_JSON_DEPTH)) {
      return done(
        PurviewError.badRequest(
          `The request body nests objects and arrays more than ${MAX_JSON_DEPTH} levels deep; at most ${MAX_JSON_DEPTH} levels are accepted.`,
          'JsonTooDeep',
        ),
        undefined,
      );
    }
    try {
      done(null, JSON.parse(text));
    } catch (error) {
      done(
        PurviewError.badRequest(`The request body is not valid JSON: ${(error as Error).message}`, 'InvalidJson'),
        undefined,
      );
    }
  });
  fastify.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    done(null, parseQueryString(String(body)));
  });
}

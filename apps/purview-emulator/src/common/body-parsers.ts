import type { FastifyInstance } from 'fastify';
import { parse as parseQueryString } from 'node:querystring';
import { PurviewError } from './errors';

/**
 * Body parsers as Azure clients need them: action POSTs (`:listAuthKeys`, `:cancel`) are often sent with
 * `Content-Type: application/json` and no body, which Fastify's default parser rejects. An empty JSON body is
 * "no body"; malformed JSON is a 400 that says so. Form bodies serve the token endpoint.
 */
export function registerBodyParsers(fastify: FastifyInstance): void {
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch (error) {
      done(PurviewError.badRequest(`The request body is not valid JSON: ${(error as Error).message}`, 'InvalidJson'), undefined);
    }
  });
  fastify.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    done(null, parseQueryString(String(body)));
  });
}

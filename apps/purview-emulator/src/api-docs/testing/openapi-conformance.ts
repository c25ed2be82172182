import Ajv, { type ValidateFunction } from 'ajv';
import type { Response } from 'supertest';

export type Schema = Record<string, unknown>;
export interface Operation {
  tags: string[];
  operationId: string;
  parameters: { name: string; in: string; required: boolean }[];
  security?: Record<string, unknown>[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<string, { content?: Record<string, { schema: Schema }> }>;
}
export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: {
    securitySchemes: Record<string, { type: string; flows?: { clientCredentials: { tokenUrl: string } } }>;
  };
}

/** What one real answer got wrong against the document (empty when it conforms). */
export interface Mismatch {
  route: string;
  status: number;
  problem: string;
}

/**
 * Checks real answers against the generated document: the status must be documented for the operation (or fall to
 * `default` when it is an error), and a JSON body must validate against that status's schema (ajv, OpenAPI 3.0's
 * `nullable` included). Records which operations an answer of their own statuses covered.
 */
export class Conformance {
  private readonly ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });
  private readonly compiled = new Map<Schema, ValidateFunction>();
  readonly covered = new Set<string>();
  readonly mismatches: Mismatch[] = [];

  constructor(private readonly doc: OpenApiDocument) {}

  check(method: string, path: string, response: Response): void {
    const route = `${method} ${path}`;
    const miss = (problem: string): void => {
      this.mismatches.push({ route, status: response.status, problem });
    };
    const op = this.doc.paths[path]?.[method];
    if (!op) return miss('not in the document');
    const error = response.status >= 400;
    const documented = op.responses[String(response.status)] ?? (error ? op.responses.default : undefined);
    if (!documented) return miss(`status not documented (has ${Object.keys(op.responses).join(', ')})`);
    const media = documented.content ? Object.keys(documented.content)[0] : undefined;
    if (media === 'application/json') {
      const schema = documented.content![media].schema;
      if (Object.keys(schema).length === 0 && !error) return miss('success body documented as any JSON');
      let validate = this.compiled.get(schema);
      if (!validate) this.compiled.set(schema, (validate = this.ajv.compile(schema)));
      if (!validate(response.body)) return miss(this.ajv.errorsText(validate.errors));
    } else if (media === 'text/plain') {
      if (!/^text\/plain/.test(String(response.headers['content-type']))) return miss('not text/plain');
    } else if (response.status !== 204) {
      return miss(`a ${response.status} with no documented body`);
    }
    // An answer covers its operation when its status is one the operation documents as its own (not 401/403/default).
    if (op.responses[String(response.status)] && ![401, 403].includes(response.status)) this.covered.add(route);
  }
}

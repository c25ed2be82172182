import {
  BrowseNodeRequestSchema,
  DatabaseNodeRequestSchema,
  INTERACTIVE_NODE_PATHS,
  PreviewSchemaNodeRequestSchema,
  TestConnectionNodeRequestSchema,
} from '@purview-emulator/contracts';
import { InteractiveError } from './source-errors';
import { browseDatabase, previewDatabaseSchema, testDatabaseConnection } from './database-authoring';
import { type AuthoringContext, browseStorage, previewStorageSchema, testStorageConnection } from './storage-authoring';

/** An HTTP-style request as the relay listener hands it over. */
export interface InteractiveRequest {
  method: string;
  path: string;
  headers?: Record<string, string | string[] | undefined>;
  /** JSON text, its bytes, or already parsed. */
  body?: unknown;
}

export interface InteractiveResponse {
  status: number;
  headers: Record<string, string>;
  /** JSON text. */
  body: string;
}

function json(status: number, body: unknown): InteractiveResponse {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(body) };
}

function bodyOf(request: InteractiveRequest): unknown {
  const { body } = request;
  if (body === undefined || body === null || body === '') return {};
  if (typeof body === 'string' || body instanceof Uint8Array) {
    const text = typeof body === 'string' ? body : Buffer.from(body).toString('utf8');
    try {
      return JSON.parse(text);
    } catch {
      throw new InteractiveError(400, 'InvalidRequestBody', 'The request body is not JSON.');
    }
  }
  return body;
}

interface Schema<T> {
  safeParse(
    input: unknown,
  ):
    | { success: true; data: T }
    | { success: false; error: { issues: { path: (string | number)[]; message: string }[] } };
}

function parse<T>(schema: Schema<T>, body: unknown): T {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  // Field names only: the body carries a SAS, which must not come back in a message.
  throw new InteractiveError(
    400,
    'InvalidRequestBody',
    `The request body is not valid: ${result.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')}`,
  );
}

/**
 * The node's side of interactive authoring: the relay listener calls this for every request that reaches the
 * node. Never throws: failures come back as `{error:{code,message}}` with a 4xx status, safe to show and to log.
 */
export async function handleInteractiveRequest(
  request: InteractiveRequest,
  context: AuthoringContext = {},
): Promise<InteractiveResponse> {
  try {
    const route = request.path.replace(/[?#].*$/, '').replace(/\/+$/, '');
    const known = Object.values(INTERACTIVE_NODE_PATHS) as string[];
    if (!known.includes(route))
      return json(404, {
        error: {
          code: 'NotFound',
          message: `This node has no interactive operation at '${route}'. Known: ${known.join(', ')}.`,
        },
      });
    if (request.method.toUpperCase() !== 'POST')
      return json(405, { error: { code: 'MethodNotAllowed', message: `Use POST for ${route}.` } });
    const body = bodyOf(request);
    if ((body as { source?: { kind?: unknown } })?.source?.kind === 'Database') {
      // A database source (PostgreSQL, MySQL): its login is in the request, for this request only.
      const { source, path } = parse(DatabaseNodeRequestSchema, body);
      const ctx = { nodeName: context.nodeName };
      switch (route) {
        case INTERACTIVE_NODE_PATHS.testConnection:
          return json(200, await testDatabaseConnection(source, ctx));
        case INTERACTIVE_NODE_PATHS.browse:
          return json(200, await browseDatabase(source, path ?? '', ctx));
        default:
          return json(200, await previewDatabaseSchema(source, path ?? '', ctx));
      }
    }
    switch (route) {
      case INTERACTIVE_NODE_PATHS.testConnection:
        return json(200, await testStorageConnection(parse(TestConnectionNodeRequestSchema, body), context));
      case INTERACTIVE_NODE_PATHS.browse:
        return json(200, await browseStorage(parse(BrowseNodeRequestSchema, body), context));
      default:
        return json(200, await previewStorageSchema(parse(PreviewSchemaNodeRequestSchema, body), context));
    }
  } catch (error) {
    if (error instanceof InteractiveError)
      return json(error.status, { error: { code: error.code, message: error.message } });
    if (context.signal?.aborted)
      return json(408, {
        error: { code: 'RequestTimeout', message: 'The request was cancelled before the node finished it.' },
      });
    return json(500, {
      error: {
        code: 'InternalError',
        message: `The node failed to handle the request: ${(error as Error).message ?? String(error)}`,
      },
    });
  }
}

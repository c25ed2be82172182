import { acquireToken, saveSession, type Session } from './auth';

export const SCAN_API_VERSION = '2023-09-01';

/** An API's refusal with the message it gave (scanning `{error:{code,message}}`, Atlas `{errorCode,errorMessage}`). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

let current: Session | null = null;
let onSessionChange: (session: Session | null) => void = () => undefined;

export function setSession(session: Session | null, notify?: (session: Session | null) => void): void {
  current = session;
  if (notify) onSessionChange = notify;
  saveSession(session);
}

/** A token valid for at least another minute: renewed before expiry, as MSAL does. */
async function token(force = false): Promise<string> {
  if (!current) throw new ApiError(401, 'Unauthorized', 'Not signed in.');
  if (force || current.expiresAt - Date.now() < 60_000) {
    current = await acquireToken(current.clientId, current.clientSecret);
    saveSession(current);
    onSessionChange(current);
  }
  return current.accessToken;
}

async function errorOf(response: Response): Promise<ApiError> {
  const text = await response.text();
  try {
    const body = JSON.parse(text) as {
      error?: { code?: string; message?: string } | string;
      errorCode?: string;
      errorMessage?: string;
      error_description?: string;
    };
    if (typeof body.error === 'object' && body.error)
      return new ApiError(response.status, body.error.code ?? 'Error', body.error.message ?? text);
    if (body.errorCode) return new ApiError(response.status, body.errorCode, body.errorMessage ?? text);
  } catch {
    // not JSON: the text is the message
  }
  return new ApiError(response.status, String(response.status), text || response.statusText);
}

export interface RequestOptions {
  method?: string;
  body?: unknown;
  /** Query parameters; api-version is added for /scan and /datamap paths unless given. */
  query?: Record<string, string | number | undefined>;
}

/** Calls the emulator's public API with the signed-in client's token; a 401 (clock moved, key rolled) retries once. */
export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const url = new URL(path, window.location.origin);
  if (/^\/(scan|datamap)\//.test(path) && !url.searchParams.has('api-version'))
    url.searchParams.set('api-version', SCAN_API_VERSION);
  for (const [k, v] of Object.entries(options.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
  const send = async (bearer: string): Promise<Response> =>
    fetch(url, {
      method: options.method ?? 'GET',
      headers: {
        authorization: `Bearer ${bearer}`,
        ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
    });
  let response = await send(await token());
  if (response.status === 401) response = await send(await token(true));
  if (!response.ok) throw await errorOf(response);
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Unauthenticated emulator routes (health, info, clock). */
export async function publicApi<T>(path: string): Promise<T> {
  const response = await fetch(path);
  const text = await response.text();
  if (!response.ok && !text) throw await errorOf(response);
  return JSON.parse(text) as T;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

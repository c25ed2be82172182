import { randomUUID } from 'node:crypto';
import {
  WELL_KNOWN_CLIENT_ID,
  WELL_KNOWN_CLIENT_SECRET,
  WELL_KNOWN_TENANT_ID,
  PURVIEW_SCOPE,
} from '@purview-emulator/contracts';

export class PurviewHttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    message: string,
  ) {
    super(message);
  }
}

/**
 * A small REST client for scripts and tests: gets a token with the client credentials flow, then speaks the
 * scanning and data map APIs exactly as a user's code would (paths, api-version, bearer token).
 */
export class PurviewClient {
  private token?: { value: string; expiresAt: number };

  constructor(
    readonly endpoint: string,
    private readonly credentials = {
      tenantId: WELL_KNOWN_TENANT_ID,
      clientId: WELL_KNOWN_CLIENT_ID,
      clientSecret: WELL_KNOWN_CLIENT_SECRET,
    },
  ) {}

  async accessToken(): Promise<string> {
    if (this.token && this.token.expiresAt > Date.now() + 60_000) return this.token.value;
    const response = await fetch(`${this.endpoint}/${this.credentials.tenantId}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: this.credentials.clientId,
        client_secret: this.credentials.clientSecret,
        scope: PURVIEW_SCOPE,
      }),
    });
    const body = (await response.json()) as { access_token?: string; expires_in?: number; error_description?: string };
    if (!response.ok || !body.access_token)
      throw new PurviewHttpError(
        response.status,
        body,
        `Token request failed: ${body.error_description ?? response.status}`,
      );
    this.token = { value: body.access_token, expiresAt: Date.now() + (body.expires_in ?? 3600) * 1000 };
    return body.access_token;
  }

  /** Any call; `path` includes the service prefix (/scan/…, /datamap/api/…) and its query. */
  async call<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: T; headers: Headers }> {
    const response = await fetch(`${this.endpoint}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${await this.accessToken()}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    const parsed = (text ? JSON.parse(text) : undefined) as T;
    return { status: response.status, body: parsed, headers: response.headers };
  }

  /** Like `call`, but a non-2xx answer throws with the service's own error message. */
  async expect<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    const result = await this.call<T>(method, path, body);
    if (result.status >= 300) {
      const error = result.body as { error?: { message?: string }; errorMessage?: string } | undefined;
      throw new PurviewHttpError(
        result.status,
        result.body,
        `${method} ${path} → ${result.status}: ${error?.error?.message ?? error?.errorMessage ?? JSON.stringify(result.body)}`,
      );
    }
    return result.body;
  }

  scan<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    return this.expect<T>(method, `/scan${path}${path.includes('?') ? '&' : '?'}api-version=2023-09-01`, body);
  }

  dataMap<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    return this.expect<T>(method, `/datamap/api${path}${path.includes('?') ? '&' : '?'}api-version=2023-09-01`, body);
  }

  /** Starts a scan run and returns its id. */
  async runScan(dataSource: string, scan: string): Promise<string> {
    const runId = randomUUID();
    await this.scan('PUT', `/datasources/${dataSource}/scans/${scan}/runs/${runId}`);
    return runId;
  }
}

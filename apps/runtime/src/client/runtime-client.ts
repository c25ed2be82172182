import {
  type CompleteJobRequest,
  type HeartbeatRequest,
  type HeartbeatResponse,
  type JobProgressRequest,
  type KnownEtagsRequest,
  type KnownEtagsResponse,
  type LeaseJobsRequest,
  type LeaseJobsResponse,
  NODE_AUTH_SCHEME,
  type NodeView,
  type RemoteAccessRequest,
  type RemoteAccessSettings,
  type AutoUpdateRequest,
  type AutoUpdateSettings,
  type RegisterNodeRequest,
  type RegisterNodeResponse,
  type RenewLeaseRequest,
  type RenewLeaseResponse,
  RUNTIME_PROTOCOL_PREFIX,
} from '@purview-emulator/contracts';
import { fetch, type Dispatcher } from 'undici';
import { isProxyAuthError, PROXY_AUTH_CODE } from '../network/errors';
import { proxyRefusalOf } from '../network/proxy-refusal';
import { RUNTIME_VERSION } from '../version';
import { EmulatorError, UnreachableError } from './errors';

export interface RuntimeClientOptions {
  /** The emulator's base URL, e.g. http://127.0.0.1:5380 */
  baseUrl: string;
  /** The node credential; every call but register sends `Authorization: Node <credential>`. */
  credential?: string;
  /** Default deadline of one call (default 15 s). */
  timeoutMs?: number;
  /**
   * The undici dispatcher calls go through (proxy settings: src/network); a function is asked on every call, so the
   * host service can swap it when the proxy settings change. Default: fetch's own (direct).
   */
  dispatcher?: Dispatcher | (() => Dispatcher | undefined);
}

export interface CallOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 15_000;
/** A long poll may legitimately take waitSeconds; this much more is allowed before the call counts as timed out. */
const LONG_POLL_GRACE_MS = 15_000;

/**
 * The runtime protocol (libs/contracts/src/runtime-protocol.ts) over global fetch. Error answers become
 * `EmulatorError { status, code, message }`; connection failures and timeouts become `UnreachableError { url, code }`;
 * an abort through `signal` rejects with the signal's reason.
 */
export class RuntimeClient {
  readonly baseUrl: string;
  private readonly credential?: string;
  private readonly timeoutMs: number;
  private readonly dispatcher?: RuntimeClientOptions['dispatcher'];

  constructor(options: RuntimeClientOptions) {
    this.dispatcher = options.dispatcher;
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.credential = options.credential;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  register(request: RegisterNodeRequest, options?: CallOptions): Promise<RegisterNodeResponse> {
    return this.post<RegisterNodeResponse>('register', request, options, false);
  }

  heartbeat(request: HeartbeatRequest, options?: CallOptions): Promise<HeartbeatResponse> {
    return this.post<HeartbeatResponse>('heartbeat', request, options);
  }

  leaseJobs(request: LeaseJobsRequest, options?: CallOptions): Promise<LeaseJobsResponse> {
    return this.post<LeaseJobsResponse>('jobs/lease', request, {
      timeoutMs: request.waitSeconds * 1000 + LONG_POLL_GRACE_MS,
      ...options,
    });
  }

  renewLease(jobId: string, request: RenewLeaseRequest, options?: CallOptions): Promise<RenewLeaseResponse> {
    return this.post<RenewLeaseResponse>(`jobs/${encodeURIComponent(jobId)}/renew`, request, options);
  }

  /** For an incremental storage job: the ETags its scan recorded for these blobs. */
  knownEtags(jobId: string, request: KnownEtagsRequest, options?: CallOptions): Promise<KnownEtagsResponse> {
    return this.post<KnownEtagsResponse>(`jobs/${encodeURIComponent(jobId)}/known-etags`, request, options);
  }

  async reportProgress(jobId: string, request: JobProgressRequest, options?: CallOptions): Promise<void> {
    await this.post(`jobs/${encodeURIComponent(jobId)}/progress`, request, options);
  }

  async completeJob(jobId: string, request: CompleteJobRequest, options?: CallOptions): Promise<void> {
    await this.post(`jobs/${encodeURIComponent(jobId)}/complete`, request, options);
  }

  /** The node as its integration runtime sees it (status, dispatcher, version status, remote access). */
  getNode(options?: CallOptions): Promise<NodeView> {
    return this.call<NodeView>('GET', 'node', undefined, options);
  }

  /** Removes this node from its integration runtime; its credential stops working. */
  async unregister(options?: CallOptions): Promise<void> {
    await this.call('DELETE', 'node', undefined, options);
  }

  setRemoteAccess(request: RemoteAccessRequest, options?: CallOptions): Promise<RemoteAccessSettings> {
    return this.call<RemoteAccessSettings>('PUT', 'node/remote-access', request, options);
  }

  setAutoUpdate(request: AutoUpdateRequest, options?: CallOptions): Promise<AutoUpdateSettings> {
    return this.call<AutoUpdateSettings>('PUT', 'auto-update', request, options);
  }

  private post<T>(operation: string, body: unknown, options: CallOptions = {}, authenticated = true): Promise<T> {
    return this.call<T>('POST', operation, body, options, authenticated);
  }

  private async call<T>(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    operation: string,
    body: unknown,
    options: CallOptions = {},
    authenticated = true,
  ): Promise<T> {
    const url = `${this.baseUrl}${RUNTIME_PROTOCOL_PREFIX}/${operation}`;
    const headers: Record<string, string> = { accept: 'application/json', 'user-agent': `shir/${RUNTIME_VERSION}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (authenticated) {
      if (!this.credential) throw new Error(`The ${operation} call needs the node credential.`);
      headers.authorization = `${NODE_AUTH_SCHEME} ${this.credential}`;
    }
    const timeout = AbortSignal.timeout(options.timeoutMs ?? this.timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    let status: number;
    let text: string;
    try {
      const dispatcher = typeof this.dispatcher === 'function' ? this.dispatcher() : this.dispatcher;
      const response = await fetch(url, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal,
        ...(dispatcher ? { dispatcher } : {}),
      });
      status = response.status;
      text = await response.text();
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason ?? error;
      if (timeout.aborted) throw new UnreachableError(this.baseUrl, 'ETIMEDOUT');
      throw new UnreachableError(this.baseUrl, connectionErrorCode(error));
    }
    if (status >= 200 && status < 300) {
      if (!text) return undefined as T;
      try {
        return JSON.parse(text) as T;
      } catch {
        throw new EmulatorError(
          502,
          'InvalidResponse',
          `The integration service answered ${operation} with a body that is not JSON.`,
          url,
        );
      }
    }
    throw errorFromResponse(status, text, url);
  }
}

function errorFromResponse(status: number, text: string, url: string): EmulatorError {
  try {
    const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
    if (body?.error && typeof body.error.message === 'string') {
      return new EmulatorError(
        status,
        typeof body.error.code === 'string' ? body.error.code : `HTTP${status}`,
        body.error.message,
        url,
      );
    }
  } catch {
    /* not JSON: use the text */
  }
  const snippet = text.replace(/\s+/g, ' ').trim().slice(0, 200);
  return new EmulatorError(status, `HTTP${status}`, snippet || `HTTP ${status}`, url);
}

/** The system error code behind a failed fetch (undici wraps it in `cause`, sometimes in an AggregateError). */
export function connectionErrorCode(error: unknown): string {
  // A proxy refusing its credentials hides behind UND_ERR_ABORTED: say 407, the one thing to fix.
  if (isProxyAuthError(error)) return PROXY_AUTH_CODE;
  // Any other refusal of the proxy (403 from its access rules, 502/503 when it cannot reach the service): say what it means.
  const refusal = proxyRefusalOf(error);
  if (refusal) return refusal.message;
  const seen = new Set<unknown>();
  let current: unknown = error;
  let innermost: unknown = error;
  while (current && typeof current === 'object' && !seen.has(current)) {
    seen.add(current);
    innermost = current;
    const candidate = current as { code?: unknown; errors?: unknown[]; cause?: unknown };
    if (typeof candidate.code === 'string') return candidate.code;
    const inner = Array.isArray(candidate.errors)
      ? candidate.errors.find((e) => typeof (e as { code?: unknown })?.code === 'string')
      : undefined;
    if (inner) return (inner as { code: string }).code;
    current = candidate.cause;
  }
  // No system code (undici's own refusals, like "bad port"): the innermost message says why.
  const message = innermost instanceof Error ? innermost.message : '';
  return message && message.length <= 80 ? message : 'ECONNFAILED';
}

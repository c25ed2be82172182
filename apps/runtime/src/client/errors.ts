import { redactText, redactUrl } from '../redact';

/** The integration service answered with an error: HTTP status and the `{error:{code,message}}` it sent. */
export class EmulatorError extends Error {
  override readonly name = 'EmulatorError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The URL called, without its query string. */
    readonly url: string,
  ) {
    super(redactText(message));
  }
}

/** The integration service could not be reached: refused, unknown host, reset, timed out. */
export class UnreachableError extends Error {
  override readonly name = 'UnreachableError';
  readonly url: string;
  constructor(
    url: string,
    /** The underlying code: ECONNREFUSED, ENOTFOUND, ECONNRESET, ETIMEDOUT, UND_ERR_SOCKET… */
    readonly code: string,
  ) {
    const safe = redactUrl(url);
    super(`The integration service at ${safe} is unreachable (${code}).`);
    this.url = safe;
  }
}

/** Failures that go away by themselves (the service restarting, a network blip): retry with backoff. */
export function isTransient(error: unknown): boolean {
  if (error instanceof UnreachableError) return true;
  if (error instanceof EmulatorError) return error.status >= 500 || error.status === 408 || error.status === 429;
  return false;
}

/** The job's lease is gone (unknown job, leased again, expired): stop working on it. */
export function isLeaseLost(error: unknown): boolean {
  return error instanceof EmulatorError && (error.status === 404 || error.status === 409 || error.status === 410);
}

/** The node credential is not accepted any more: the node was removed or its integration runtime deleted. */
export function isCredentialRejected(error: unknown): boolean {
  return error instanceof EmulatorError && error.status === 401;
}

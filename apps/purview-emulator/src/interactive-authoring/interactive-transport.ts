/**
 * How the emulator reaches a node of an integration runtime for interactive authoring: an HTTP-style request
 * through the relay. The module depends on this token only, so tests bind a fake and the app binds the relay.
 */
export const INTERACTIVE_TRANSPORT = Symbol('INTERACTIVE_TRANSPORT');

export interface InteractiveHttpRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  /** JSON text. It carries a SAS: transports must never log it. */
  body: string;
}

export interface InteractiveHttpResponse {
  status: number;
  headers?: Record<string, string | string[] | undefined>;
  /** Text, bytes, or a value sent as JSON. */
  body?: unknown;
}

export interface InteractiveTransport {
  request(
    integrationRuntimeName: string,
    request: InteractiveHttpRequest,
    options: { timeoutMs: number },
  ): Promise<InteractiveHttpResponse>;
}

export type InteractiveTransportFailure = 'NoNodeListening' | 'Timeout' | 'Failed';

/** What a transport throws; anything else thrown is treated as `Failed`. */
export class InteractiveTransportError extends Error {
  constructor(
    readonly reason: InteractiveTransportFailure,
    message: string,
  ) {
    super(message);
  }
}

import { Injectable } from '@nestjs/common';
import { RelayError } from '@purview-emulator/relay';
import { RelayHub } from '../relay/relay-hub.service';
import {
  InteractiveHttpRequest,
  InteractiveHttpResponse,
  InteractiveTransport,
  InteractiveTransportError,
  InteractiveTransportFailure,
} from './interactive-transport';

/** Relay failures by what they mean for interactive authoring (RelayHub's codes). */
const FAILURES: Record<string, InteractiveTransportFailure> = {
  NoListener: 'NoNodeListening',
  HybridConnectionDisabled: 'NoNodeListening',
  ListenerGone: 'NoNodeListening',
  GatewayTimeout: 'Timeout',
};

/** Interactive requests over the relay: the IR's hybrid connection carries them to one of its listening nodes. */
@Injectable()
export class RelayInteractiveTransport implements InteractiveTransport {
  constructor(private readonly relay: RelayHub) {}

  async request(
    integrationRuntimeName: string,
    request: InteractiveHttpRequest,
    options: { timeoutMs: number },
  ): Promise<InteractiveHttpResponse> {
    try {
      const response = await this.relay.request(integrationRuntimeName, request, { timeoutMs: options.timeoutMs });
      return { status: response.status, headers: response.headers, body: response.body };
    } catch (error) {
      if (error instanceof RelayError)
        throw new InteractiveTransportError(FAILURES[error.code] ?? 'Failed', error.message);
      throw error;
    }
  }
}

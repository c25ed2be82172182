import type { Logger } from '../log';
import type { RelayRequestHandler } from '../relay/relay-listener';
import { handleInteractiveRequest } from './interactive-handler';
import type { AuthoringContext } from './storage-authoring';

const PREFIX = '/interactive/';

/**
 * Interactive authoring on the node's relay listener (`hostService.relay.onRequest(interactiveRelayHandler(…))`):
 * answers `/interactive/*` requests, leaves the rest to other handlers. Logs one line per request with the
 * outcome, never the body (it carries a SAS).
 */
export function interactiveRelayHandler(options: {
  nodeName: string;
  logger?: Logger;
  storageOptions?: AuthoringContext['storageOptions'];
}): RelayRequestHandler {
  return async (request) => {
    const path = request.path.replace(/[?#].*$/, '');
    if (!path.startsWith(PREFIX)) return undefined;
    const started = Date.now();
    const response = await handleInteractiveRequest(
      { method: request.method, path: request.path, headers: request.headers, body: request.body },
      { nodeName: options.nodeName, storageOptions: options.storageOptions },
    );
    options.logger?.info(
      `Interactive authoring: ${path.slice(PREFIX.length)} answered ${response.status} in ${Date.now() - started} ms`,
    );
    return response;
  };
}

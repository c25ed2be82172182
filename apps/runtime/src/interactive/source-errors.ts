import { proxyRefusalOf } from '../network/proxy-refusal';
import { redactText } from '../redact';

/** A failure the node answers with (HTTP-style status, stable code, a message safe to show and to log). */
export class InteractiveError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** What a message names: the source as registered and where its bytes really are (never a SAS). */
export interface SourceLabel {
  endpoint: string;
  serviceUrl: string;
  accountName: string;
  nodeName?: string;
}

const NETWORK: Record<string, string> = {
  ECONNREFUSED: 'the connection was refused: nothing listens there. Is the storage service running?',
  ECONNRESET: 'the connection was reset by the other side.',
  ETIMEDOUT: 'the connection timed out. Is a firewall or proxy in the way?',
  EHOSTUNREACH: 'the host is unreachable from this machine.',
  ENETUNREACH: 'the network is unreachable from this machine.',
  ENOTFOUND: "the host name could not be resolved (DNS). Check the endpoint and this machine's DNS settings.",
  EAI_AGAIN: "the host name could not be resolved right now (DNS lookup timed out). Check this machine's DNS settings.",
};

/**
 * Turns a storage SDK or connector error into what a person can act on: wrong credentials, unreachable host,
 * missing container or blob. Everything else keeps the service's own code and first line, secrets removed.
 */
export function describeSourceError(
  error: unknown,
  source: SourceLabel,
  target: { container?: string; blob?: string } = {},
): InteractiveError {
  if (error instanceof InteractiveError) return error;
  const e = error as {
    statusCode?: number;
    code?: string;
    message?: string;
    details?: { errorCode?: string };
    cause?: { code?: string };
  };
  const code = e.details?.errorCode ?? e.code ?? e.cause?.code;
  const where = `the storage endpoint ${source.endpoint} (served at ${redactText(source.serviceUrl)})`;
  const from = source.nodeName ? ` from node '${source.nodeName}'` : '';
  // A proxy's own refusal (its 403, its 503 for an unreachable target) is not the storage account's answer.
  const refusal = proxyRefusalOf(error);
  if (refusal)
    return new InteractiveError(400, 'SourceUnreachable', `Cannot connect to ${where}${from}: ${refusal.message}`);
  if (code && NETWORK[code]) {
    return new InteractiveError(
      400,
      'SourceUnreachable',
      `Cannot connect to ${where}${from}: ${NETWORK[code]} (${code})`,
    );
  }
  if (e.statusCode === 403 || code === 'AuthenticationFailed' || code === 'AuthorizationFailure') {
    return new InteractiveError(
      400,
      'AuthenticationFailed',
      `The storage account '${source.accountName}' refused the credential (403 ${code ?? 'Forbidden'}): the account key or SAS token is wrong or expired, or does not allow read and list.`,
    );
  }
  if (e.statusCode === 404 || code === 'ContainerNotFound' || code === 'BlobNotFound') {
    if (code === 'BlobNotFound' && target.blob) {
      return new InteractiveError(
        404,
        'BlobNotFound',
        `There is no file '${target.blob}' in container '${target.container}' of storage account '${source.accountName}'.`,
      );
    }
    if (target.container) {
      return new InteractiveError(
        404,
        'ContainerNotFound',
        `Container '${target.container}' does not exist in storage account '${source.accountName}'.`,
      );
    }
  }
  const firstLine = (e.message ?? String(error)).split('\n')[0].trim();
  return new InteractiveError(
    400,
    code ?? 'SourceError',
    redactText(
      `${where} answered${from}: ${[e.statusCode, code].filter(Boolean).join(' ')} ${firstLine}`
        .replace(/\s+/g, ' ')
        .trim(),
    ),
  );
}

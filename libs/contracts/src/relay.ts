/**
 * The relay: Azure Relay Hybrid Connections, as the emulator serves it (one hybrid connection per integration
 * runtime; its nodes listen on it). The wire protocol is Microsoft's
 * (https://learn.microsoft.com/azure/azure-relay/relay-hybrid-connections-protocol); these are its message shapes,
 * the SAS token format, and the emulator's own relay extensions:
 *
 *   GET /_emulator/runtime/relay                          -> RelayListenerConnection (node credential)
 *   GET /_emulator/integrationruntimes/{name}/relay       -> IntegrationRuntimeRelay (bearer token, Data Source Admin)
 *   PUT /_emulator/integrationruntimes/{name}/relay       { enabled } -> IntegrationRuntimeRelay (disable/enable the HC)
 */
import { createHmac } from 'node:crypto';
import { z } from 'zod';

/** Control channel and WebSocket senders: `ws://{host}/$hc/{hybridConnectionPath}?sb-hc-action=…`. */
export const RELAY_WS_PREFIX = '/$hc/';

/** Every query parameter of the relay itself starts with this; the rest belongs to the application. */
export const RELAY_QUERY_PREFIX = 'sb-hc-';

/** Bodies and request metadata above this travel over a rendezvous WebSocket instead of the control channel. */
export const RELAY_CONTROL_CHANNEL_LIMIT = 64 * 1024;

/** What a node needs to listen on its integration runtime's hybrid connection. */
export const RelayListenerConnectionSchema = z.object({
  /** `ws://{host}/$hc/{path}?sb-hc-action=listen&sb-hc-id={trackingId}`, built from the host the node called. */
  listenUrl: z.string(),
  hybridConnectionPath: z.string(),
  /** A short-lived SAS token of a listen-only rule; never the key itself. */
  token: z.string(),
  /** When the token stops working (ISO 8601); renew it before (`renewToken`). */
  expiresAt: z.string(),
});
export type RelayListenerConnection = z.infer<typeof RelayListenerConnectionSchema>;

/** The emulator extension that lets tools and tests use an integration runtime's hybrid connection. */
export const IntegrationRuntimeRelaySchema = z.object({
  /** `ws://{host}/$hc/{path}?sb-hc-action=listen` */
  listenUrl: z.string(),
  /** `ws://{host}/$hc/{path}?sb-hc-action=connect` (WebSocket senders); HTTP senders use `http://{host}/{path}`. */
  sendUrl: z.string(),
  /** `http://{host}/{path}`: any HTTP client is an HTTP sender. */
  httpUrl: z.string(),
  hybridConnectionPath: z.string(),
  /** A rule with Listen and Send rights on this hybrid connection only. */
  sasKeyName: z.string(),
  sasKey: z.string(),
  /** False while the hybrid connection is disabled: listeners are closed (1001) and refused (404). */
  enabled: z.boolean(),
  /** Listeners connected right now. */
  listeners: z.number().int(),
});
export type IntegrationRuntimeRelay = z.infer<typeof IntegrationRuntimeRelaySchema>;

export const UpdateIntegrationRuntimeRelaySchema = z.object({ enabled: z.boolean() });
export type UpdateIntegrationRuntimeRelay = z.infer<typeof UpdateIntegrationRuntimeRelaySchema>;

// ---- Control channel messages (JSON text frames) ----

export interface RelayRemoteEndpoint {
  address: string;
  port: number;
}

/** Service → listener: a WebSocket sender waits; open `address` to accept, add sb-hc-statusCode to reject. */
export interface RelayAcceptMessage {
  accept: { address: string; id: string; connectHeaders: Record<string, string>; remoteEndpoint?: RelayRemoteEndpoint };
}

/**
 * Service → listener: an HTTP request. Delivered inline it has `method` and `body` (body frames follow when true);
 * delivered by rendezvous it has only `address` and `id`, and the listener must open `address` to read it.
 */
export interface RelayRequestMessage {
  request: {
    address: string;
    id: string;
    requestTarget?: string;
    method?: string;
    remoteEndpoint?: RelayRemoteEndpoint;
    requestHeaders?: Record<string, string>;
    body?: boolean;
  };
}

/** Listener → service: the answer to `request` (a number; the protocol document's example shows a string). */
export interface RelayResponseMessage {
  response: {
    requestId: string;
    statusCode: number | string;
    statusDescription?: string;
    responseHeaders?: Record<string, string>;
    body: boolean;
  };
}

/** Listener → service: a fresh token for the control channel. */
export interface RelayRenewTokenMessage {
  renewToken: { token: string };
}

// ---- SAS tokens ----

export interface SasToken {
  /** The resource URI exactly as it appears in the token (URL-encoded): it is what was signed. */
  resourceRaw: string;
  resource: string;
  signature: string;
  expiresAtSeconds: number;
  keyName: string;
}

const SAS_PREFIX = 'SharedAccessSignature ';

/** `SharedAccessSignature sr=…&sig=…&se=…&skn=…`, signed as Azure Relay and Service Bus do. */
export function createSasToken(resourceUri: string, keyName: string, key: string, expiresAtSeconds: number): string {
  const sr = encodeURIComponent(resourceUri);
  return `${SAS_PREFIX}sr=${sr}&sig=${encodeURIComponent(sasSignature(sr, expiresAtSeconds, key))}&se=${expiresAtSeconds}&skn=${encodeURIComponent(keyName)}`;
}

/** HMAC-SHA256 with the key string's UTF-8 bytes (not base64-decoded) over `{encoded sr}\n{se}`. */
export function sasSignature(resourceRaw: string, expiresAtSeconds: number | string, key: string): string {
  return createHmac('sha256', key).update(`${resourceRaw}\n${expiresAtSeconds}`).digest('base64');
}

/** Parses a SAS token, or throws an Error that says what is wrong (never echoing the signature). */
export function parseSasToken(token: string): SasToken {
  const trimmed = token.trim();
  if (!trimmed.startsWith(SAS_PREFIX))
    throw new Error('the token is not a SAS token: it must start with "SharedAccessSignature ".');
  const fields = new Map<string, string>();
  for (const part of trimmed.slice(SAS_PREFIX.length).split('&')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1));
  }
  const missing = ['sr', 'sig', 'se', 'skn'].filter((f) => !fields.get(f));
  if (missing.length > 0) throw new Error(`the SAS token lacks ${missing.join(', ')}.`);
  const se = Number(fields.get('se'));
  if (!Number.isInteger(se)) throw new Error("the SAS token's se (expiry) is not a whole number of seconds.");
  try {
    return {
      resourceRaw: fields.get('sr')!,
      resource: decodeURIComponent(fields.get('sr')!),
      signature: decodeURIComponent(fields.get('sig')!),
      expiresAtSeconds: se,
      keyName: decodeURIComponent(fields.get('skn')!),
    };
  } catch {
    throw new Error('the SAS token is not correctly URL-encoded.');
  }
}

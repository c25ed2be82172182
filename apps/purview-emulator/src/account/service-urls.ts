import { WELL_KNOWN_TENANT_ID } from '@purview-emulator/contracts';
import type { EmulatorConfig } from '../config/emulator-config';

/** One address a self-hosted integration runtime node must reach, and what for. */
export interface ServiceEndpoint {
  purpose: string;
  url: string;
}

type Config = Pick<EmulatorConfig, 'publicUrl' | 'publicHttpsUrl' | 'storage' | 'account'>;

/**
 * Every address a node talks to, with the emulator's actual (public) host names: what "View Service URLs" lists.
 * The emulator plays the account, token, relay and update services, so several share a host.
 */
export function serviceEndpointsOf(config: Config): ServiceEndpoint[] {
  const ingestion = config.storage.ingestionAccount;
  const storage = config.account.storageMode === 'managed' ? 'Managed storage account' : 'Ingestion storage';
  return [
    { purpose: 'Account endpoint (scanning, data map, runtime protocol)', url: config.publicUrl },
    { purpose: 'Account endpoint over HTTPS', url: config.publicHttpsUrl },
    { purpose: 'Token endpoint', url: `${config.publicHttpsUrl}/${WELL_KNOWN_TENANT_ID}/oauth2/v2.0/token` },
    { purpose: 'Relay (interactive authoring)', url: config.publicHttpsUrl.replace(/^https:/, 'wss:') },
    { purpose: `${storage}: blob`, url: `${config.storage.blobEndpoint}/${ingestion}` },
    { purpose: `${storage}: queue`, url: `${config.storage.queueEndpoint}/${ingestion}` },
    { purpose: 'Update and download', url: `${config.publicUrl}/_emulator/runtime` },
  ];
}

/** The distinct host:port pairs of serviceEndpointsOf, as `/status` typeProperties.serviceUrls lists them. */
export function serviceHostsOf(config: Config): string[] {
  return [...new Set(serviceEndpointsOf(config).map((e) => new URL(e.url).host))];
}

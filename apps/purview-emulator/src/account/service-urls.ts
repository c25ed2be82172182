import { WELL_KNOWN_TENANT_ID, type ServiceUrlEndpoint } from '@purview-emulator/contracts';
import type { EmulatorConfig } from '../config/emulator-config';

export type ServiceEndpoint = ServiceUrlEndpoint;

type Config = Pick<EmulatorConfig, 'publicUrl' | 'storage' | 'account'>;

/**
 * Every address a node talks to, with the emulator's actual (public) host names: what "View Service URLs" lists.
 * Nodes speak plain HTTP to the address in their auth key (the HTTPS listener is for Azure SDK clients), and the
 * emulator plays the account, token, relay and update services, so several share a host.
 */
export function serviceEndpointsOf(config: Config): ServiceEndpoint[] {
  const ingestion = config.storage.ingestionAccount;
  const storage = config.account.storageMode === 'managed' ? 'Managed storage account' : 'Ingestion storage';
  return [
    { purpose: 'Account endpoint (scanning, data map, runtime protocol)', url: config.publicUrl },
    { purpose: 'Token endpoint', url: `${config.publicUrl}/${WELL_KNOWN_TENANT_ID}/oauth2/v2.0/token` },
    { purpose: 'Relay (interactive authoring)', url: `${config.publicUrl.replace(/^http/, 'ws')}/$hc/` },
    { purpose: `${storage}: blob`, url: `${config.storage.blobEndpoint}/${ingestion}` },
    { purpose: `${storage}: queue`, url: `${config.storage.queueEndpoint}/${ingestion}` },
    { purpose: 'Update and download', url: `${config.publicUrl}/_emulator/runtime` },
  ];
}

const HOSTS = new WeakMap<Config, readonly string[]>();

/**
 * The distinct host:port pairs of serviceEndpointsOf, as `/status` typeProperties.serviceUrls lists them. Worked out
 * once per configuration (it does not change while the emulator runs): every `/status` answer carries them.
 */
export function serviceHostsOf(config: Config): string[] {
  let hosts = HOSTS.get(config);
  if (!hosts) HOSTS.set(config, (hosts = [...new Set(serviceEndpointsOf(config).map((e) => new URL(e.url).host))]));
  return [...hosts];
}

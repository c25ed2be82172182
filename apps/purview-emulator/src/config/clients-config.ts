import * as fs from 'node:fs';
import * as path from 'node:path';
import { PURVIEW_ROLES, WELL_KNOWN_CLIENT_ID } from '@purview-emulator/contracts';
import { ClientRegistration, WELL_KNOWN_CLIENT } from '../identity/clients';
import { ConfigError } from './config-error';

const EXAMPLE = '[{"clientId":"reader-app","clientSecret":"<secret>","roles":["Data Reader"]}]';

/**
 * The clients the token endpoint accepts: PURVIEW_EMULATOR_CLIENTS_FILE (a JSON file) and PURVIEW_EMULATOR_CLIENTS
 * (inline JSON), both an array of {clientId, clientSecret, roles}. The well-known client is always there with every
 * role unless the configuration redefines its client id. Messages never include a secret.
 */
export function loadClients(env: NodeJS.ProcessEnv): ClientRegistration[] {
  const configured: ClientRegistration[] = [];
  const file = env.PURVIEW_EMULATOR_CLIENTS_FILE;
  if (file) {
    let text: string;
    try {
      text = fs.readFileSync(path.resolve(file), 'utf8');
    } catch (error) {
      throw new ConfigError(
        `PURVIEW_EMULATOR_CLIENTS_FILE=${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`,
      );
    }
    configured.push(...parseClients(text, `PURVIEW_EMULATOR_CLIENTS_FILE (${file})`));
  }
  if (env.PURVIEW_EMULATOR_CLIENTS)
    configured.push(...parseClients(env.PURVIEW_EMULATOR_CLIENTS, 'PURVIEW_EMULATOR_CLIENTS'));
  const seen = new Set<string>();
  for (const client of configured) {
    // Entra ID client ids are case-insensitive GUIDs, so 'App' and 'app' would be the same application.
    const key = client.clientId.toLowerCase();
    if (seen.has(key))
      throw new ConfigError(
        `Client '${client.clientId}' is configured more than once (PURVIEW_EMULATOR_CLIENTS and PURVIEW_EMULATOR_CLIENTS_FILE together); give each client one entry.`,
      );
    seen.add(key);
  }
  return seen.has(WELL_KNOWN_CLIENT_ID) ? configured : [WELL_KNOWN_CLIENT, ...configured];
}

/** Parses and validates one JSON array of client registrations; `source` names where it came from in messages. */
export function parseClients(text: string, source: string): ClientRegistration[] {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(
      `${source} is not valid JSON (${(error as Error).message}); expected an array like ${EXAMPLE}.`,
    );
  }
  if (!Array.isArray(raw)) throw new ConfigError(`${source} must be a JSON array like ${EXAMPLE}.`);
  return raw.map((entry: unknown, index) => parseClient(entry, `${source} entry ${index + 1}`));
}

function parseClient(entry: unknown, where: string): ClientRegistration {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry))
    throw new ConfigError(`${where} must be an object {clientId, clientSecret, roles}.`);
  const { clientId, clientSecret, roles } = entry as Record<string, unknown>;
  if (typeof clientId !== 'string' || !/^[A-Za-z0-9._-]{1,128}$/.test(clientId)) {
    throw new ConfigError(`${where} needs a clientId: 1-128 letters, digits, '.', '_' or '-'.`);
  }
  const named = `${where} (client '${clientId}')`;
  if (typeof clientSecret !== 'string' || clientSecret.length === 0)
    throw new ConfigError(`${named} needs a non-empty clientSecret.`);
  if (!Array.isArray(roles) || roles.some((r) => typeof r !== 'string')) {
    throw new ConfigError(`${named} needs roles: an array of role names (${PURVIEW_ROLES.join(', ')}); [] for none.`);
  }
  const unknown = roles.filter((r: string) => !(PURVIEW_ROLES as readonly string[]).includes(r));
  if (unknown.length > 0) {
    throw new ConfigError(
      `${named} has unknown role${unknown.length > 1 ? 's' : ''} ${unknown.map((r) => `'${r}'`).join(', ')}. Valid roles: ${PURVIEW_ROLES.join(', ')}.`,
    );
  }
  return { clientId, clientSecret, roles: PURVIEW_ROLES.filter((r) => roles.includes(r)) };
}

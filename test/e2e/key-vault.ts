import * as fs from 'node:fs';
import * as path from 'node:path';
import { ClientSecretCredential } from '@azure/identity';
import { SecretClient } from '@azure/keyvault-secrets';
import { WELL_KNOWN_CLIENT_ID, WELL_KNOWN_CLIENT_SECRET, WELL_KNOWN_TENANT_ID } from '@purview-emulator/contracts';
import type { TestStack } from './harness';

/** Microsoft's SecretClient on the emulator's Key Vault, signed in as the well-known client: how a user puts secrets there. */
export function secretClientOf(stack: TestStack): SecretClient {
  const ca = fs.readFileSync(path.join(stack.dataDir, 'tls', 'ca.pem'), 'utf8');
  const origin = `https://localhost:${stack.ports.https}`;
  const credential = new ClientSecretCredential(WELL_KNOWN_TENANT_ID, WELL_KNOWN_CLIENT_ID, WELL_KNOWN_CLIENT_SECRET, {
    authorityHost: origin,
    disableInstanceDiscovery: true,
    tlsOptions: { ca },
  });
  return new SecretClient(origin, credential, { disableChallengeResourceVerification: true, tlsOptions: { ca } });
}

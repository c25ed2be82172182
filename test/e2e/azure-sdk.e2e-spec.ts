import * as path from 'node:path';
import { runProcess } from '../../scripts/src/stack/processes';
import { REPO_ROOT } from '../../scripts/src/stack/stack';
import { TestStack } from './harness';

/**
 * Microsoft's own clients against a real emulator process over HTTPS, the way a user runs them: a separate Node
 * process that trusts the emulator's CA through NODE_EXTRA_CA_CERTS, @azure/identity with the emulator as its
 * authority, @azure/arm-purview reading the account, and the token used on /scan. Once per storage mode.
 */
const CLIENT_SCRIPT = `
const { ClientSecretCredential } = require('@azure/identity');
const { PurviewManagementClient } = require('@azure/arm-purview');
(async () => {
  const endpoint = process.env.E2E_HTTPS_ENDPOINT;
  const credential = new ClientSecretCredential('00000000-0000-0000-0000-000000000000', 'purview-emulator', 'purview-emulator-secret', { authorityHost: endpoint, disableInstanceDiscovery: true });
  const arm = new PurviewManagementClient(credential, '11111111-2222-3333-4444-555555555555', { endpoint, credentialScopes: ['https://management.azure.com/.default'] });
  const account = await arm.accounts.get('my-rg', 'emulator');
  const token = await credential.getToken('https://purview.azure.net/.default');
  const scan = await fetch(endpoint + '/scan/integrationruntimes?api-version=2023-09-01', { headers: { authorization: 'Bearer ' + token.token } });
  process.stdout.write(JSON.stringify({ account, scanStatus: scan.status, scanBody: await scan.json() }));
})().catch((error) => { process.stderr.write(String(error && error.stack || error)); process.exit(1); });
`;

describe.each(['managed', 'ingestion'] as const)('Azure SDK clients over HTTPS (%s storage)', (storageMode) => {
  const stack = new TestStack({ PURVIEW_ACCOUNT_STORAGE_MODE: storageMode });

  beforeAll(async () => {
    await stack.start();
  });

  afterAll(async () => {
    await stack.stop();
  });

  it('reads the account with @azure/arm-purview and uses an @azure/identity token on /scan', async () => {
    const result = await runProcess(process.execPath, ['-e', CLIENT_SCRIPT], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        NODE_EXTRA_CA_CERTS: path.join(stack.dataDir, 'tls', 'ca.pem'),
        E2E_HTTPS_ENDPOINT: `https://127.0.0.1:${stack.ports.https}`,
      },
      timeoutMs: 60_000,
    });
    expect(result).toEqual(expect.objectContaining({ code: 0 }));
    const { account, scanStatus, scanBody } = JSON.parse(result.stdout);
    expect(account).toEqual(
      expect.objectContaining({
        name: 'emulator',
        id: '/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/my-rg/providers/Microsoft.Purview/accounts/emulator',
      }),
    );
    expect(account.endpoints.scan).toBe(`https://127.0.0.1:${stack.ports.https}/scan`);
    // @azure/arm-purview 1.1.0 speaks 2021-07-01, which shows the managed storage account (empty in ingestion mode).
    if (storageMode === 'managed')
      expect(account.managedResources.storageAccount).toMatch(
        /\/providers\/Microsoft\.Storage\/storageAccounts\/devstoreaccount1$/,
      );
    else expect(account.managedResources?.storageAccount).toBeUndefined();
    expect(scanStatus).toBe(200);
    expect(scanBody).toEqual(expect.objectContaining({ value: [], count: 0 }));
  });
});

import { loadConfig } from '../config/emulator-config';
import { accountResource } from './account-view';
import { serviceEndpointsOf, serviceHostsOf } from './service-urls';

const scope = { subscriptionId: '00000000-0000-0000-0000-000000000000', resourceGroup: 'rg' };

describe('the account resource', () => {
  it('takes the storage mode from the creation date (before 2023-12-15: managed storage account)', () => {
    expect(loadConfig({ PURVIEW_ACCOUNT_CREATED_AT: '2023-12-14' }).account.storageMode).toBe('managed');
    expect(loadConfig({ PURVIEW_ACCOUNT_CREATED_AT: '2023-12-15' }).account.storageMode).toBe('ingestion');
    expect(loadConfig({}).account).toEqual(
      expect.objectContaining({ storageMode: 'ingestion', createdAt: '2024-01-15T00:00:00.000Z' }),
    );
    expect(loadConfig({ PURVIEW_ACCOUNT_STORAGE_MODE: 'managed' }).account.createdAt < '2023-12-15').toBe(true);
    expect(() =>
      loadConfig({ PURVIEW_ACCOUNT_STORAGE_MODE: 'managed', PURVIEW_ACCOUNT_CREATED_AT: '2024-02-01' }),
    ).toThrow(/contradicts/);
    expect(() => loadConfig({ PURVIEW_ACCOUNT_STORAGE_MODE: 'both' })).toThrow(/one of managed, ingestion/);
  });

  it('has the fields of each api-version', () => {
    const config = loadConfig({ PURVIEW_ACCOUNT_STORAGE_MODE: 'ingestion' });
    const v2021 = accountResource(config, scope, '2021-07-01').properties as Record<string, any>;
    expect(v2021.endpoints.guardian).toBe('https://127.0.0.1:5443/guardian');
    expect(v2021.accountStatus).toBeUndefined();
    expect(v2021.ingestionStorage).toBeUndefined();
    const v2023 = accountResource(config, scope, '2023-05-01-preview').properties as Record<string, any>;
    expect(v2023.endpoints).toEqual({ catalog: 'https://127.0.0.1:5443/catalog', scan: 'https://127.0.0.1:5443/scan' });
    expect(v2023.ingestionStorage).toEqual({
      primaryEndpoint: 'http://127.0.0.1:10000/devstoreaccount1/',
      publicNetworkAccess: 'Enabled',
    });
    const managed = accountResource(
      loadConfig({ PURVIEW_ACCOUNT_STORAGE_MODE: 'managed' }),
      scope,
      '2023-05-01-preview',
    ).properties as Record<string, any>;
    expect(managed.ingestionStorage).toBeUndefined();
    expect(managed.managedResources.storageAccount).toBe(
      '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/managed-rg-emulator/providers/Microsoft.Storage/storageAccounts/devstoreaccount1',
    );
  });

  it('lists the public host names in the service URLs when one is configured', () => {
    const config = loadConfig({ PURVIEW_EMULATOR_PUBLIC_URL: 'http://purview-emulator:5380', AZURITE_HOST: 'azurite' });
    expect(config.publicHttpsUrl).toBe('https://purview-emulator:5443');
    expect(serviceHostsOf(config)).toEqual(['purview-emulator:5380', 'azurite:10000', 'azurite:10001']);
    expect(serviceEndpointsOf(config).find((e) => e.purpose === 'Relay (interactive authoring)')?.url).toBe(
      'ws://purview-emulator:5380/$hc/',
    );
  });
});

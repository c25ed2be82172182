import { ConfigError, loadConfig, parseAzuriteAccounts, serviceEndpointOf } from './emulator-config';

describe('loadConfig', () => {
  it('has the documented defaults', () => {
    const config = loadConfig({});
    expect(config).toEqual(expect.objectContaining({ host: '127.0.0.1', port: 5380, accountName: 'emulator', heartbeatIntervalSeconds: 5, nodeOfflineAfterSeconds: 15, publicUrl: 'http://127.0.0.1:5380' }));
    expect(config.storage).toEqual(expect.objectContaining({ blobEndpoint: 'http://127.0.0.1:10000', queueEndpoint: 'http://127.0.0.1:10001', ingestionAccount: 'devstoreaccount1' }));
    expect(serviceEndpointOf(config)).toBe('127.0.0.1:5380');
  });

  it('says what to fix when a value is wrong', () => {
    expect(() => loadConfig({ PURVIEW_EMULATOR_PORT: 'abc' })).toThrow(new ConfigError('PURVIEW_EMULATOR_PORT=abc is not valid: expected a number from 0 to 65535.'));
    expect(() => loadConfig({ PURVIEW_ACCOUNT_NAME: 'a b' })).toThrow(/not a valid Purview account name/);
    expect(() => loadConfig({ PURVIEW_INGESTION_ACCOUNT: 'nope' })).toThrow(/add it to AZURITE_ACCOUNTS/);
  });

  it('uses the public URL for auth keys when one is configured', () => {
    expect(serviceEndpointOf(loadConfig({ PURVIEW_EMULATOR_PUBLIC_URL: 'http://purview-emulator:5380/' }))).toBe('purview-emulator:5380');
  });
});

describe('parseAzuriteAccounts', () => {
  it('serves devstoreaccount1 by default; an explicit list replaces it, as in Azurite', () => {
    expect(parseAzuriteAccounts(undefined).map((a) => a.name)).toEqual(['devstoreaccount1']);
    expect(parseAzuriteAccounts('acct1:a2V5MQ==:a2V5Mg==;acct2:a2V5Mw==').map((a) => a.name)).toEqual(['acct1', 'acct2']);
    expect(loadConfig({ AZURITE_ACCOUNTS: 'acct1:a2V5MQ==' }).storage.ingestionAccount).toBe('acct1');
    expect(() => parseAzuriteAccounts('Bad_Name:key')).toThrow(/lowercase/);
  });
});

describe('clients', () => {
  it('holds the well-known client plus PURVIEW_EMULATOR_CLIENTS, validated at boot', () => {
    const config = loadConfig({ PURVIEW_EMULATOR_CLIENTS: '[{"clientId":"reader-app","clientSecret":"s","roles":["Data Reader"]}]' });
    expect(config.clients.map((c) => c.clientId)).toEqual(['purview-emulator', 'reader-app']);
    expect(() => loadConfig({ PURVIEW_EMULATOR_CLIENTS: '[{"clientId":"a","clientSecret":"s","roles":["Admin"]}]' })).toThrow(ConfigError);
  });
});

describe('runtime versions', () => {
  it('publishes the reference runtime as latest and pushed by default, with no release dates', () => {
    expect(loadConfig({}).runtimeVersions).toEqual({ latest: '5.40.9000.1', pushed: '5.40.9000.1', releaseDates: {} });
  });

  it('reads latest, pushed and release dates, and says what is wrong with them', () => {
    const config = loadConfig({ PURVIEW_RUNTIME_LATEST_VERSION: '5.41.0.0', PURVIEW_RUNTIME_PUSHED_VERSION: '5.40.9000.1', PURVIEW_RUNTIME_RELEASES: '5.39.0.0=2026-06-01, 5.40.9000.1=2026-11-01' });
    expect(config.runtimeVersions).toEqual({ latest: '5.41.0.0', pushed: '5.40.9000.1', releaseDates: { '5.39.0.0': '2026-06-01T00:00:00.000Z', '5.40.9000.1': '2026-11-01T00:00:00.000Z' } });
    expect(() => loadConfig({ PURVIEW_RUNTIME_LATEST_VERSION: '5.40' })).toThrow(/four numbers/);
    expect(() => loadConfig({ PURVIEW_RUNTIME_PUSHED_VERSION: '6.0.0.0' })).toThrow(/newer than the latest/);
    expect(() => loadConfig({ PURVIEW_RUNTIME_RELEASES: '5.39.0.0=someday' })).toThrow(/version=date/);
  });
});

describe('log settings', () => {
  it('defaults to text at level log, and reads PURVIEW_LOG_FORMAT, PURVIEW_LOG_LEVEL and NO_COLOR', () => {
    expect(loadConfig({}).log).toEqual({ format: 'text', level: 'log', noColor: false });
    expect(loadConfig({ PURVIEW_LOG_FORMAT: 'JSON', PURVIEW_LOG_LEVEL: 'debug', NO_COLOR: '1' }).log).toEqual({ format: 'json', level: 'debug', noColor: true });
  });

  it('refuses other values, naming the variable, the value and the allowed values', () => {
    expect(() => loadConfig({ PURVIEW_LOG_FORMAT: 'yaml' })).toThrow(new ConfigError('PURVIEW_LOG_FORMAT=yaml is not valid: expected text, json.'));
    expect(() => loadConfig({ PURVIEW_LOG_LEVEL: 'info' })).toThrow(new ConfigError('PURVIEW_LOG_LEVEL=info is not valid: expected verbose, debug, log, warn, error.'));
  });
});

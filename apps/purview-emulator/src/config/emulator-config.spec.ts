import { ConfigError, loadConfig, parseAzuriteAccounts, serviceEndpointOf } from './emulator-config';

describe('loadConfig', () => {
  it('has the documented defaults', () => {
    const config = loadConfig({});
    expect(config).toEqual(
      expect.objectContaining({
        host: '127.0.0.1',
        port: 5380,
        accountName: 'emulator',
        heartbeatIntervalSeconds: 5,
        nodeOfflineAfterSeconds: 15,
        publicUrl: 'http://127.0.0.1:5380',
      }),
    );
    expect(config.storage).toEqual(
      expect.objectContaining({
        blobEndpoint: 'http://127.0.0.1:10000',
        queueEndpoint: 'http://127.0.0.1:10001',
        ingestionAccount: 'devstoreaccount1',
      }),
    );
    expect(serviceEndpointOf(config)).toBe('127.0.0.1:5380');
  });

  it('says what to fix when a value is wrong', () => {
    expect(() => loadConfig({ PURVIEW_EMULATOR_PORT: 'abc' })).toThrow(
      new ConfigError(
        "PURVIEW_EMULATOR_PORT='abc' is not valid: expected a whole number from 0 to 65535 (decimal digits only).",
      ),
    );
    expect(() => loadConfig({ PURVIEW_ACCOUNT_NAME: 'a b' })).toThrow(/expected a Purview account name/);
    expect(() => loadConfig({ PURVIEW_INGESTION_ACCOUNT: 'nope' })).toThrow(/add it to AZURITE_ACCOUNTS/);
  });

  it('uses the public URL for auth keys when one is configured', () => {
    expect(serviceEndpointOf(loadConfig({ PURVIEW_EMULATOR_PUBLIC_URL: 'http://purview-emulator:5380/' }))).toBe(
      'purview-emulator:5380',
    );
  });
});

/** The problem loadConfig reports for an environment, or undefined when it starts. */
function problemOf(env: NodeJS.ProcessEnv): string | undefined {
  try {
    loadConfig(env);
    return undefined;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.message;
  }
}

describe('strict parsing of the environment', () => {
  // Number() took all of these: '5380.5' later broke the public URL ("Invalid URL"), '0x1500' became port 5376.
  it.each(['5380.5', '0x1500', '443.7', ' 5380', '5380 ', '1e3', '-1', '70000', '', '+5380', '05380', 'abc'])(
    'refuses PURVIEW_EMULATOR_PORT=%p, naming the variable, the value and what is allowed',
    (value) => {
      expect(problemOf({ PURVIEW_EMULATOR_PORT: value })).toBe(
        `PURVIEW_EMULATOR_PORT='${value}' is not valid: expected a whole number from 0 to 65535 (decimal digits only)${value === '' ? '; unset it for the default (5380)' : ''}.`,
      );
    },
  );

  it.each([
    ['0', 0],
    ['1', 1],
    ['5380', 5380],
    ['65535', 65535],
  ])('takes PURVIEW_EMULATOR_PORT=%p', (value, port) => {
    expect(loadConfig({ PURVIEW_EMULATOR_PORT: value }).port).toBe(port);
  });

  it.each([
    ['AZURITE_BLOB_PORT', '0', 'a whole number from 1 to 65535'],
    ['PURVIEW_EMULATOR_HTTPS_PORT', '443.7', 'a whole number from 0 to 65535'],
    ['PURVIEW_TOKEN_LIFETIME_SECONDS', '3599.5', 'a whole number from 60 to 86400'],
    ['PURVIEW_INGESTION_POLL_MS', '0x10', 'a whole number from 10 to 60000'],
    ['PURVIEW_HEARTBEAT_INTERVAL_SECONDS', '1e1', 'a number from 0.1 to 3600'],
    ['PURVIEW_JOB_LEASE_SECONDS', '.5', 'a number from 1 to 3600'],
    ['PURVIEW_ACCOUNT_STORAGE_MODE', 'Managed', 'one of managed, ingestion'],
    ['PURVIEW_ACCOUNT_STORAGE_MODE', 'INGESTION', 'one of managed, ingestion'],
    ['PURVIEW_KEEP_INGESTION_BLOBS', 'TRUE', 'one of true, false, 1, 0'],
    ['PURVIEW_KEEP_INGESTION_BLOBS', 'yes', 'one of true, false, 1, 0'],
    ['PURVIEW_EMULATOR_PUBLIC_URL', 'purview-emulator:5380', 'an absolute URL starting with http:// or https://'],
    ['PURVIEW_EMULATOR_PUBLIC_URL', '127.0.0.1:5380', 'an absolute URL starting with http:// or https://'],
    ['PURVIEW_EMULATOR_PUBLIC_URL', 'ftp://purview-emulator', 'an absolute URL starting with http:// or https://'],
    ['PURVIEW_EMULATOR_PUBLIC_HTTPS_URL', 'http://purview-emulator:5443', 'an absolute URL starting with https://'],
    ['PURVIEW_STORAGE_BLOB_ENDPOINT', 'azurite:10000', 'an absolute URL starting with http:// or https://'],
    ['PURVIEW_EMULATOR_HOST', 'http://0.0.0.0', 'a host name or an IP address'],
    ['PURVIEW_ACCOUNT_CREATED_AT', 'June 2023', 'an ISO 8601 date'],
  ])('refuses %s=%p: expected %s', (name, value, allowed) => {
    expect(problemOf({ [name]: value })).toContain(`${name}='${value}' is not valid: expected ${allowed}`);
  });

  it('takes valid values of each kind', () => {
    const config = loadConfig({
      PURVIEW_EMULATOR_HOST: '0.0.0.0',
      PURVIEW_HEARTBEAT_INTERVAL_SECONDS: '0.5',
      PURVIEW_TOKEN_LIFETIME_SECONDS: '600',
      PURVIEW_ACCOUNT_STORAGE_MODE: 'managed',
      PURVIEW_KEEP_INGESTION_BLOBS: '1',
      PURVIEW_EMULATOR_PUBLIC_URL: 'http://purview-emulator:5380/',
      PURVIEW_EMULATOR_PUBLIC_HTTPS_URL: 'https://purview-emulator:5443',
      PURVIEW_ACCOUNT_CREATED_AT: '2023-06-01T12:00:00Z',
    });
    expect(config).toEqual(
      expect.objectContaining({
        host: '0.0.0.0',
        heartbeatIntervalSeconds: 0.5,
        tokenLifetimeSeconds: 600,
        publicUrl: 'http://purview-emulator:5380',
        publicHttpsUrl: 'https://purview-emulator:5443',
      }),
    );
    expect(config.account).toEqual(
      expect.objectContaining({ storageMode: 'managed', createdAt: '2023-06-01T12:00:00.000Z' }),
    );
    expect(config.storage.keepIngestionBlobs).toBe(true);
    expect(loadConfig({ PURVIEW_KEEP_INGESTION_BLOBS: 'false' }).storage.keepIngestionBlobs).toBe(false);
  });

  it('reports every problem at once, one line each', () => {
    const message = problemOf({
      PURVIEW_EMULATOR_PORT: '5380.5',
      AZURITE_BLOB_PORT: '0x2710',
      PURVIEW_ACCOUNT_STORAGE_MODE: 'Managed',
      PURVIEW_ACCOUNT_NAME: 'a b',
    });
    expect(message?.split('\n')).toEqual([
      '4 environment variables are not valid:',
      expect.stringMatching(/^ {2}PURVIEW_EMULATOR_PORT='5380\.5' is not valid/),
      expect.stringMatching(/^ {2}PURVIEW_ACCOUNT_NAME='a b' is not valid: expected a Purview account name/),
      expect.stringMatching(/^ {2}AZURITE_BLOB_PORT='0x2710' is not valid/),
      expect.stringMatching(/^ {2}PURVIEW_ACCOUNT_STORAGE_MODE='Managed' is not valid/),
    ]);
  });
});

describe('parseAzuriteAccounts', () => {
  it('serves devstoreaccount1 by default; an explicit list replaces it, as in Azurite', () => {
    expect(parseAzuriteAccounts(undefined).map((a) => a.name)).toEqual(['devstoreaccount1']);
    expect(parseAzuriteAccounts('acct1:a2V5MQ==:a2V5Mg==;acct2:a2V5Mw==').map((a) => a.name)).toEqual([
      'acct1',
      'acct2',
    ]);
    expect(loadConfig({ AZURITE_ACCOUNTS: 'acct1:a2V5MQ==' }).storage.ingestionAccount).toBe('acct1');
    expect(() => parseAzuriteAccounts('Bad_Name:key')).toThrow(/lowercase/);
  });
});

describe('clients', () => {
  it('holds the well-known client plus PURVIEW_EMULATOR_CLIENTS, validated at boot', () => {
    const config = loadConfig({
      PURVIEW_EMULATOR_CLIENTS: '[{"clientId":"reader-app","clientSecret":"s","roles":["Data Reader"]}]',
    });
    expect(config.clients.map((c) => c.clientId)).toEqual(['purview-emulator', 'reader-app']);
    expect(() =>
      loadConfig({ PURVIEW_EMULATOR_CLIENTS: '[{"clientId":"a","clientSecret":"s","roles":["Admin"]}]' }),
    ).toThrow(ConfigError);
  });
});

describe('runtime versions', () => {
  it('publishes the reference runtime as latest and pushed by default, with no release dates', () => {
    expect(loadConfig({}).runtimeVersions).toEqual({ latest: '5.40.9000.1', pushed: '5.40.9000.1', releaseDates: {} });
  });

  it('reads latest, pushed and release dates, and says what is wrong with them', () => {
    const config = loadConfig({
      PURVIEW_RUNTIME_LATEST_VERSION: '5.41.0.0',
      PURVIEW_RUNTIME_PUSHED_VERSION: '5.40.9000.1',
      PURVIEW_RUNTIME_RELEASES: '5.39.0.0=2026-06-01, 5.40.9000.1=2026-11-01',
    });
    expect(config.runtimeVersions).toEqual({
      latest: '5.41.0.0',
      pushed: '5.40.9000.1',
      releaseDates: { '5.39.0.0': '2026-06-01T00:00:00.000Z', '5.40.9000.1': '2026-11-01T00:00:00.000Z' },
    });
    expect(() => loadConfig({ PURVIEW_RUNTIME_LATEST_VERSION: '5.40' })).toThrow(/four numbers/);
    expect(() => loadConfig({ PURVIEW_RUNTIME_PUSHED_VERSION: '6.0.0.0' })).toThrow(/newer than the latest/);
    expect(() => loadConfig({ PURVIEW_RUNTIME_RELEASES: '5.39.0.0=someday' })).toThrow(/version=date/);
  });
});

describe('log settings', () => {
  it('defaults to text at level log, and reads PURVIEW_LOG_FORMAT, PURVIEW_LOG_LEVEL and NO_COLOR', () => {
    expect(loadConfig({}).log).toEqual({ format: 'text', level: 'log', noColor: false });
    expect(loadConfig({ PURVIEW_LOG_FORMAT: 'json', PURVIEW_LOG_LEVEL: 'debug', NO_COLOR: '1' }).log).toEqual({
      format: 'json',
      level: 'debug',
      noColor: true,
    });
  });

  it('refuses other values, naming the variable, the value and the allowed values', () => {
    expect(() => loadConfig({ PURVIEW_LOG_FORMAT: 'yaml' })).toThrow(
      "PURVIEW_LOG_FORMAT='yaml' is not valid: expected one of text, json",
    );
    expect(() => loadConfig({ PURVIEW_LOG_LEVEL: 'info' })).toThrow(
      "PURVIEW_LOG_LEVEL='info' is not valid: expected one of verbose, debug, log, warn, error",
    );
  });
});

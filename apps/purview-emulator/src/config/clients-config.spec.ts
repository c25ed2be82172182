import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigError } from './config-error';
import { loadClients } from './clients-config';

describe('loadClients', () => {
  const reader = { clientId: 'reader-app', clientSecret: 'reader-secret', roles: ['Data Reader'] };

  it('has the well-known client with every role when nothing is configured', () => {
    expect(loadClients({})).toEqual([
      {
        clientId: 'purview-emulator',
        clientSecret: 'purview-emulator-secret',
        roles: ['Collection Admin', 'Data Source Admin', 'Data Curator', 'Data Reader'],
      },
    ]);
  });

  it('adds clients from the environment and from a file, keeping the well-known one', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clients-'));
    try {
      const file = path.join(dir, 'clients.json');
      fs.writeFileSync(
        file,
        JSON.stringify([{ clientId: 'curator-app', clientSecret: 's', roles: ['Data Curator', 'Data Reader'] }]),
      );
      const clients = loadClients({
        PURVIEW_EMULATOR_CLIENTS: JSON.stringify([reader]),
        PURVIEW_EMULATOR_CLIENTS_FILE: file,
      });
      expect(clients.map((c) => [c.clientId, c.roles])).toEqual([
        ['purview-emulator', ['Collection Admin', 'Data Source Admin', 'Data Curator', 'Data Reader']],
        ['curator-app', ['Data Curator', 'Data Reader']],
        ['reader-app', ['Data Reader']],
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('lets the configuration redefine the well-known client', () => {
    const clients = loadClients({
      PURVIEW_EMULATOR_CLIENTS: JSON.stringify([
        { clientId: 'purview-emulator', clientSecret: 'other', roles: ['Data Reader'] },
      ]),
    });
    expect(clients).toEqual([{ clientId: 'purview-emulator', clientSecret: 'other', roles: ['Data Reader'] }]);
  });

  it('lists unknown role names together with the valid ones', () => {
    const env = {
      PURVIEW_EMULATOR_CLIENTS: JSON.stringify([{ ...reader, roles: ['Data Reader', 'Reader', 'Owner'] }]),
    };
    expect(() => loadClients(env)).toThrow(
      new ConfigError(
        "PURVIEW_EMULATOR_CLIENTS entry 1 (client 'reader-app') has unknown roles 'Reader', 'Owner'. Valid roles: Collection Admin, Data Source Admin, Data Curator, Data Reader.",
      ),
    );
  });

  it('rejects duplicate client ids, missing secrets and malformed JSON, without echoing secrets', () => {
    expect(() =>
      loadClients({ PURVIEW_EMULATOR_CLIENTS: JSON.stringify([reader, { ...reader, clientId: 'READER-app' }]) }),
    ).toThrow(/Client 'READER-app' is configured more than once/);
    expect(() => loadClients({ PURVIEW_EMULATOR_CLIENTS: JSON.stringify([{ clientId: 'x', roles: [] }]) })).toThrow(
      new ConfigError("PURVIEW_EMULATOR_CLIENTS entry 1 (client 'x') needs a non-empty clientSecret."),
    );
    expect(() =>
      loadClients({ PURVIEW_EMULATOR_CLIENTS: JSON.stringify([{ clientId: 'x', clientSecret: 's' }]) }),
    ).toThrow(/needs roles: an array of role names/);
    expect(() => loadClients({ PURVIEW_EMULATOR_CLIENTS: '{"clientId":"x"}' })).toThrow(/must be a JSON array like/);
    expect(() => loadClients({ PURVIEW_EMULATOR_CLIENTS: '[{' })).toThrow(/PURVIEW_EMULATOR_CLIENTS is not valid JSON/);
    expect(() => loadClients({ PURVIEW_EMULATOR_CLIENTS_FILE: '/nonexistent/clients.json' })).toThrow(
      /PURVIEW_EMULATOR_CLIENTS_FILE=\/nonexistent\/clients.json cannot be read \(ENOENT\)/,
    );
    try {
      loadClients({
        PURVIEW_EMULATOR_CLIENTS: JSON.stringify([{ clientId: 'x y', clientSecret: 'super-secret', roles: [] }]),
      });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).not.toContain('super-secret');
    }
  });
});

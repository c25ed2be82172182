import * as fs from 'node:fs';
import { DataSource } from 'typeorm';
import { ConfigError, loadConfig } from '../config/emulator-config';
import { createTestApp, TestApp } from '../testing/test-app';
import { DATABASE_FILE } from './data-directory';

const V = '?api-version=2023-09-01';
const IN_MEMORY = { PURVIEW_IN_MEMORY: '1' };

describe('PURVIEW_IN_MEMORY', () => {
  it('is refused together with PURVIEW_DATA_DIR, naming both', () => {
    const load = (): unknown => loadConfig({ ...IN_MEMORY, PURVIEW_DATA_DIR: '/tmp/some-dir' });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/PURVIEW_IN_MEMORY=1.*PURVIEW_DATA_DIR/);
    expect(() => loadConfig({ PURVIEW_IN_MEMORY: 'maybe' })).toThrow(/PURVIEW_IN_MEMORY/);
  });

  describe('an emulator in memory', () => {
    let first: TestApp;

    beforeAll(async () => {
      first = await createTestApp({ env: IN_MEMORY });
    });

    afterAll(async () => {
      await first?.close();
    });

    it('serves the API without writing a database file, secrets still sealed', async () => {
      await first.api.put(`/scan/integrationruntimes/memory-ir${V}`).send({ kind: 'SelfHosted', properties: {} });
      const keys = await first.api.post(`/scan/integrationruntimes/memory-ir/-/listAuthKeys${V}`).expect(200);
      expect(keys.body.authKey1).toMatch(/^IR@/);
      expect((await first.api.get(`/scan/integrationruntimes${V}`).expect(200)).body.value).toHaveLength(1);

      expect(first.config.inMemory).toBe(true);
      // The private temporary directory exists for TLS material only: no database, no key file.
      expect(fs.statSync(first.dataDir).mode & 0o777).toBe(0o700);
      expect(fs.readdirSync(first.dataDir)).not.toContain(DATABASE_FILE);
      expect(fs.readdirSync(first.dataDir)).not.toContain('encryption.key');

      const [row] = await first.app
        .get(DataSource)
        .query<{ auth_key1: string }[]>(`SELECT auth_key1 FROM integration_runtimes WHERE name = 'memory-ir'`);
      expect(row.auth_key1.startsWith('aes256gcm:')).toBe(true);
      expect(row.auth_key1).not.toContain(keys.body.authKey1);
    });

    it('shares nothing with another emulator in memory, which starts empty', async () => {
      const second = await createTestApp({ env: IN_MEMORY });
      try {
        expect(second.dataDir).not.toBe(first.dataDir);
        expect((await second.api.get(`/scan/integrationruntimes${V}`).expect(200)).body.value).toEqual([]);
        await second.api.get(`/scan/integrationruntimes/memory-ir${V}`).expect(404);
      } finally {
        await second.close();
      }
      // Closed, it leaves nothing behind.
      expect(fs.existsSync(second.dataDir)).toBe(false);
      // The first one kept its state.
      await first.api.get(`/scan/integrationruntimes/memory-ir${V}`).expect(200);
    });
  });
});

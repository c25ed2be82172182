import * as fs from 'node:fs';
import * as path from 'node:path';
import { startAzurite } from './azurite';
import { isPortInUse } from './ports';
import { tempDir } from './temp-dir';

jest.setTimeout(60_000);

describe('startAzurite', () => {
  it('answers on all three services as soon as it resolves, in memory, and frees its ports on stop', async () => {
    const azurite = await startAzurite({ inMemory: true });
    try {
      for (const [service, port] of Object.entries(azurite.ports)) {
        expect(azurite.endpoints[service as keyof typeof azurite.endpoints]).toBe(
          `http://127.0.0.1:${port}/devstoreaccount1`,
        );
        // A bare request without credentials: Azurite answers (an error), which is all "up" means here.
        expect(
          (await fetch(`${azurite.endpoints[service as keyof typeof azurite.endpoints]}?comp=list`)).status,
        ).toBeGreaterThanOrEqual(400);
      }
    } finally {
      await azurite.stop();
    }
    expect(azurite.isRunning()).toBe(false);
    expect(await isPortInUse(azurite.ports.blob)).toBe(false);
  });

  it('keeps its data in `dir`, which stays after stop', async () => {
    const dir = tempDir('azurite-spec-');
    try {
      const azurite = await startAzurite({
        dir: path.join(dir.path, 'data'),
        accounts: [{ name: 'custom', key: Buffer.from('a-test-key').toString('base64') }],
      });
      expect(azurite.endpoints.blob).toBe(`http://127.0.0.1:${azurite.ports.blob}/custom`);
      await azurite.stop();
      expect(fs.readdirSync(path.join(dir.path, 'data')).length).toBeGreaterThan(0);
    } finally {
      dir.remove();
    }
  });
});

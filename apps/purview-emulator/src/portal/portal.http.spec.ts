import * as fs from 'node:fs';
import * as path from 'node:path';
import { tempDir } from '@purview-emulator/testing';
import { createTestApp, type TestApp } from '../testing/test-app';

/** The portal's files as the emulator serves them: public, the SPA's routes answered by index.html, never a 500. */
describe('the portal route', () => {
  const build = tempDir('portal-build-');
  let built: TestApp;
  let unbuilt: TestApp;
  const saved = process.env.PURVIEW_PORTAL_DIR;

  beforeAll(async () => {
    fs.mkdirSync(path.join(build.path, 'assets'));
    fs.writeFileSync(path.join(build.path, 'index.html'), '<!doctype html><title>portal</title>');
    fs.writeFileSync(path.join(build.path, 'assets', 'index-abc.js'), 'console.log(1)');
    // Read when the app is made (the factory and the controller): one app per directory.
    process.env.PURVIEW_PORTAL_DIR = build.path;
    built = await createTestApp();
    process.env.PURVIEW_PORTAL_DIR = path.join(build.path, 'nothing-here');
    unbuilt = await createTestApp();
  }, 60_000);

  afterAll(async () => {
    if (saved === undefined) delete process.env.PURVIEW_PORTAL_DIR;
    else process.env.PURVIEW_PORTAL_DIR = saved;
    await built?.close();
    await unbuilt?.close();
    build.remove();
  });

  it('redirects / to /portal/', async () => {
    const answer = await built.http.get('/').expect(302);
    expect(answer.headers.location).toBe('/portal/');
  });

  it.each(['/portal', '/portal/', '/portal/integration-runtimes/default-shir', '/portal/catalog/assets/x?q=1'])(
    'answers %s with the app (index.html, revalidated on each visit)',
    async (target) => {
      const answer = await built.http.get(target).expect(200);
      expect(answer.text).toContain('<title>portal</title>');
      expect(answer.headers['content-type']).toMatch(/^text\/html/);
      expect(answer.headers['cache-control']).toBe('no-cache');
    },
  );

  it('serves hashed assets for a year, and a missing one as a 404 rather than the app', async () => {
    const asset = await built.http.get('/portal/assets/index-abc.js').expect(200);
    expect(asset.text).toBe('console.log(1)');
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    await built.http.get('/portal/assets/missing.js').expect(404);
  });

  it('never serves a file outside the build', async () => {
    for (const target of [
      '/portal/../package.json',
      '/portal/%2e%2e/%2e%2e/package.json',
      '/portal/..%2F..%2Fpackage.json',
    ]) {
      const answer = await built.http.get(target);
      expect([target, answer.text]).not.toEqual([target, expect.stringContaining('"name"')]);
    }
  });

  it('says how to build the portal before it is built (503, not a 500)', async () => {
    const answer = await unbuilt.http.get('/portal/').expect(503);
    expect(answer.text).toContain('npm run build');
  });
});

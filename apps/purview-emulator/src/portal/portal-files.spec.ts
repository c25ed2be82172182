import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { portalBuilt, portalDirectory, portalFile } from './portal-files';

describe('portal files', () => {
  let dir: string;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portal-files-'));
    fs.mkdirSync(path.join(dir, 'assets'));
    fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html>');
    fs.writeFileSync(path.join(dir, 'assets', 'index-abc.js'), '');
    fs.writeFileSync(path.join(os.tmpdir(), 'portal-files-secret.txt'), 'no');
  });

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('serves the build beside the emulator (apps/portal/dist) unless PURVIEW_PORTAL_DIR says otherwise', () => {
    expect(portalDirectory({})).toBe(path.resolve(__dirname, '../../../portal/dist'));
    expect(portalDirectory({ PURVIEW_PORTAL_DIR: dir })).toBe(dir);
    expect(portalBuilt(dir)).toBe(true);
    expect(portalBuilt(path.join(dir, 'assets'))).toBe(false);
  });

  it.each([
    ['assets/index-abc.js', 'assets/index-abc.js'],
    ['assets%2Findex-abc.js', 'assets/index-abc.js'],
    ['integration-runtimes/default-shir', 'index.html'],
    ['', 'index.html'],
    ['assets', 'index.html'],
    ['../portal-files-secret.txt', 'index.html'],
    ['%2e%2e/portal-files-secret.txt', 'index.html'],
    ['assets/../../portal-files-secret.txt', 'index.html'],
    ['%E0%A4%A', 'index.html'],
    ['a\u0000b', 'index.html'],
  ])('maps %j to %j (files inside the build only; client routes get the app)', (requested, expected) => {
    expect(portalFile(dir, requested)).toBe(expected);
  });
});

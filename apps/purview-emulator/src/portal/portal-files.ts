import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Where the portal's build (`apps/portal/dist`, made by `npm run build`) lives. The emulator serves it as files and
 * never imports the portal's code. The same relative place from `src/portal` (tests) and `dist/portal` (the build),
 * in the repository and in the container (/app/apps/...); PURVIEW_PORTAL_DIR overrides it.
 */
export function portalDirectory(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env.PURVIEW_PORTAL_DIR?.trim();
  return configured ? path.resolve(configured) : path.resolve(__dirname, '..', '..', '..', 'portal', 'dist');
}

/** True once the portal has been built: its index.html is there. */
export function portalBuilt(directory: string): boolean {
  return fs.existsSync(path.join(directory, 'index.html'));
}

/**
 * The file a `/portal/...` path names, relative to the build directory, when it is one; client routes
 * (`/portal/integration-runtimes/x`) and anything outside the build fall back to index.html (the app routes them).
 */
export function portalFile(directory: string, subPath: string): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(subPath);
  } catch {
    return 'index.html';
  }
  const relative = path.posix.normalize(`/${decoded}`).slice(1);
  if (!relative || relative.includes('\0')) return 'index.html';
  const full = path.resolve(directory, relative);
  if (!full.startsWith(directory + path.sep)) return 'index.html';
  try {
    return fs.statSync(full).isFile() ? relative : 'index.html';
  } catch {
    return 'index.html';
  }
}

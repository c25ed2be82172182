import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/**
 * What the portal's browser tests share: Debian's chromium driven by playwright-core, a fresh profile per user,
 * sign-in, screenshots to test-artifacts/portal/ (git-ignored), and the app's uncaught errors (none may happen).
 */
export const CHROMIUM = process.env.PORTAL_TEST_CHROMIUM ?? '/usr/bin/chromium';
export const ARTIFACTS = path.resolve(__dirname, '../../test-artifacts/portal');
const PORTAL_BUILT = fs.existsSync(path.resolve(__dirname, '../../apps/portal/dist/index.html'));

/** `describe`, or `describe.skip` saying why when chromium or the portal's build is missing. */
export function describeWithBrowser(): jest.Describe {
  const missing = !fs.existsSync(CHROMIUM)
    ? `${CHROMIUM} is not installed (Debian package chromium; .ci/run installs it)`
    : !PORTAL_BUILT
      ? 'the portal is not built (npm run build)'
      : undefined;
  if (missing) process.stderr.write(`portal browser tests skipped: ${missing}\n`);
  return missing ? describe.skip : describe;
}

export class PortalBrowser {
  readonly pageErrors: string[] = [];
  private readonly profiles: string[] = [];
  private readonly contexts: BrowserContext[] = [];

  constructor(private readonly endpoint: () => string) {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
  }

  /** A fresh browser profile each time: nothing carried over between users. */
  async open(viewport = { width: 1280, height: 800 }): Promise<Page> {
    const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'portal-chromium-'));
    this.profiles.push(profile);
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      viewport,
      permissions: ['clipboard-read', 'clipboard-write'],
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    this.contexts.push(context);
    context.setDefaultTimeout(60_000);
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (error) => this.pageErrors.push(error.message));
    return page;
  }

  async signIn(page: Page, client?: { clientId: string; clientSecret: string }): Promise<void> {
    await page.goto(`${this.endpoint()}/`);
    expect(new URL(page.url()).pathname).toBe('/portal/');
    if (client) {
      await page.getByLabel('Client id').fill(client.clientId);
      await page.getByLabel('Client secret').fill(client.clientSecret);
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    } else {
      await page.getByRole('button', { name: 'Sign in as purview-emulator' }).click();
    }
    await page.getByTestId('signed-in-client').waitFor();
  }

  async shot(page: Page, name: string): Promise<void> {
    await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });
  }

  async close(): Promise<void> {
    for (const context of this.contexts) await context.close().catch(() => undefined);
    for (const profile of this.profiles) fs.rmSync(profile, { recursive: true, force: true });
  }
}

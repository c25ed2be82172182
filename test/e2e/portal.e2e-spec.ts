import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { uploadSamples } from '../../scripts/src/stack/seed';
import { TestStack } from './harness';
import { PortalBrowser, describeWithBrowser } from './portal-browser';

/**
 * The portal in a real browser (Debian's chromium, driven by playwright-core) against a real stack: Azurite, the
 * emulator serving the portal's build, `shir` nodes. Creates an integration runtime in the UI, registers a node with
 * the key copied from it and sees it come Online without a reload; runs the sample scan from the UI to Succeeded;
 * finds customers.csv and its classified columns; and checks that roles decide what the UI offers. Screenshots of
 * each main page go to test-artifacts/portal/ (git-ignored).
 */
const SEED = path.resolve(__dirname, '../../scripts/seed/local-stack.yaml');
const CLIENTS = [
  { clientId: 'reader-app', clientSecret: 'reader-secret', roles: ['Data Reader'] },
  { clientId: 'source-admin-app', clientSecret: 'source-admin-secret', roles: ['Data Source Admin'] },
];

describeWithBrowser()('the portal in a real browser', () => {
  const stack = new TestStack({ PURVIEW_SEED_FILE: SEED, PURVIEW_EMULATOR_CLIENTS: JSON.stringify(CLIENTS) });
  const browser = new PortalBrowser(() => stack.endpoint);
  const pageErrors = browser.pageErrors;
  const openBrowser = (): Promise<Page> => browser.open();
  const signIn = (page: Page, client?: { clientId: string; clientSecret: string }): Promise<void> =>
    browser.signIn(page, client);
  const shot = (page: Page, name: string): Promise<void> => browser.shot(page, name);

  beforeAll(async () => {
    await stack.start();
    await uploadSamples(stack.ports.blob);
    // The seed's default-shir gets a node, so the sample scan can run.
    await stack.startRuntimeNode('default-shir', 'node-default');
    await stack.waitOnline('default-shir', 60_000);
  });

  afterEach(() => {
    expect(pageErrors.splice(0)).toEqual([]);
  });

  afterAll(async () => {
    await browser.close();
    await stack.stop();
  });

  describe('as the well-known client (every role)', () => {
    let page: Page;

    beforeAll(async () => {
      page = await openBrowser();
      await page.goto(`${stack.endpoint}/`);
      await page.getByRole('button', { name: 'Sign in as purview-emulator' }).waitFor();
      await shot(page, '01-sign-in');
      await signIn(page);
    });

    it('creates an integration runtime, and a node registered with its copied key appears Online without a reload', async () => {
      await page.getByRole('table', { name: 'Integration runtimes' }).getByText('default-shir').waitFor();
      await page.getByRole('button', { name: 'New' }).click();
      await page.getByLabel('Name').fill('portal-shir');
      await page.getByLabel('Description').fill('Created in the portal');
      await page.getByRole('button', { name: 'Create' }).click();
      await page.waitForURL('**/portal/integration-runtimes/portal-shir');
      await page.getByRole('heading', { name: /portal-shir/ }).waitFor();
      await page.getByText('NeedRegistration').first().waitFor();

      await page.getByRole('button', { name: 'Copy Key 1' }).click();
      const key = String(await page.evaluate('navigator.clipboard.readText()'));
      expect(key).toMatch(/^IR@/);
      await expect(page.getByRole('textbox', { name: 'Register a node' }).inputValue()).resolves.toBe(
        `npx shir register --key '${key}'`,
      );
      await shot(page, '02-runtime-settings');

      // The page must not reload: a marker on window survives only in-place updates.
      await page.evaluate('window.portalMarker = 1');
      await page.getByRole('tab', { name: /Nodes/ }).click();
      await page.getByText(/No nodes yet/).waitFor();
      const registered = await stack.shir(
        ['register', '--key', key, '--node-name', 'portal-node'],
        stack.home('portal-node'),
      );
      expect(registered).toEqual(expect.objectContaining({ code: 0 }));
      stack.startNode('portal-node');

      const row = page.locator('[data-node="portal-node"]');
      await row.locator('[data-state="Online"]').waitFor({ timeout: 90_000 });
      await expect(page.evaluate('window.portalMarker')).resolves.toBe(1);
      await expect(row.getByLabel(/Concurrent jobs limit of portal-node/).inputValue()).resolves.toMatch(/^\d+$/);
      await page
        .getByRole('heading', { name: /portal-shir/ })
        .getByText('Online')
        .waitFor();
      await shot(page, '03-runtime-nodes');
    });

    it('refuses to delete a runtime a scan uses, with the API’s reason', async () => {
      await page.getByRole('tab', { name: 'Integration runtimes' }).click();
      await page.locator('[data-runtime="default-shir"]').getByRole('button', { name: 'Delete default-shir' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
      await page.getByRole('dialog').getByText('Cannot delete').waitFor();
      await expect(page.getByRole('dialog').textContent()).resolves.toContain('samples-scan');
      await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    });

    it('runs the sample scan from the UI and follows it live to Succeeded', async () => {
      await page.getByRole('tab', { name: 'Sources and scanning' }).click();
      await page.getByRole('link', { name: 'samples-storage' }).click();
      await page.locator('[data-scan="samples-scan"]').getByRole('button', { name: 'Run now' }).click();
      await page.waitForURL('**/portal/sources/samples-storage/scans/samples-scan');
      const run = page.locator('[data-run]').first();
      await run.waitFor();
      await page.locator('[data-run][data-status="Succeeded"]').waitFor({ timeout: 150_000 });
      const cells = await run.locator('td').allTextContents();
      // Discovered, classified and ingested counts, as the run reports them.
      expect(Number(cells[3])).toBeGreaterThan(0);
      expect(Number(cells[4])).toBeGreaterThan(0);
      expect(Number(cells[5])).toBeGreaterThan(0);
      await shot(page, '04-scan-runs');
    });

    it('finds customers.csv and shows its schema with the classified e-mail and card-number columns', async () => {
      await page.getByRole('tab', { name: 'Search the catalog' }).click();
      await page.getByRole('combobox', { name: 'Search the catalog' }).fill('customers');
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      const hit = page.locator('[data-asset="customers.csv"]');
      await hit.waitFor();
      await expect(hit.locator('mark').first().textContent()).resolves.toMatch(/customers/i);
      await page
        .getByRole('group', { name: 'Classification' })
        .getByText(/MICROSOFT\.PERSONAL\.EMAIL/)
        .waitFor();
      await shot(page, '05-catalog-search');

      await hit.getByRole('link').first().click();
      await page.getByRole('heading', { name: 'customers.csv' }).waitFor();
      await page.getByText('MICROSOFT.FINANCIAL.CREDIT_CARD_NUMBER').first().waitFor();
      await shot(page, '06-asset-overview');
      await page.getByRole('tab', { name: 'Schema' }).click();
      const email = page.locator('[data-column="email"]');
      await email.waitFor();
      await expect(email.textContent()).resolves.toContain('MICROSOFT.PERSONAL.EMAIL');
      await expect(page.locator('[data-column="card_number"]').textContent()).resolves.toContain(
        'MICROSOFT.FINANCIAL.CREDIT_CARD_NUMBER',
      );
      await expect(page.locator('[data-column="country"]').textContent()).resolves.not.toContain('MICROSOFT.');
      await shot(page, '07-asset-schema');
    });

    it('draws the asset’s lineage as a graph and links its glossary term to the term’s page', async () => {
      // Lineage and a term through the data map API, as a pipeline and a data steward would add them.
      const csv = await stack.client.dataMap<{ entity: { guid: string } }>(
        'GET',
        `/atlas/v2/entity/uniqueAttribute/type/azure_blob_path?attr:qualifiedName=${encodeURIComponent(
          'https://devstoreaccount1.blob.core.windows.net/samples/sample-data/customers.csv',
        )}`,
      );
      const guid = csv.entity.guid;
      await stack.client.dataMap('POST', '/atlas/v2/entity/bulk', {
        entities: [
          {
            guid: '-1',
            typeName: 'DataSet',
            attributes: { qualifiedName: 'warehouse://crm/customers_clean', name: 'customers_clean' },
          },
          {
            guid: '-2',
            typeName: 'Process',
            attributes: {
              qualifiedName: 'pipeline://crm/clean_customers',
              name: 'clean_customers',
              inputs: [{ guid }],
              outputs: [{ guid: '-1' }],
            },
          },
        ],
      });
      const glossary = await stack.client.dataMap<{ guid: string }>('POST', '/atlas/v2/glossary', { name: 'Sales' });
      const term = await stack.client.dataMap<{ guid: string }>('POST', '/atlas/v2/glossary/term', {
        name: 'Customer',
        shortDescription: 'A person or company that buys from us.',
        anchor: { glossaryGuid: glossary.guid },
      });
      await stack.client.dataMap('POST', `/atlas/v2/glossary/terms/${term.guid}/assignedEntities`, [{ guid }]);

      await page.goto(`${stack.endpoint}/portal/catalog/assets/${guid}`);
      await page.getByRole('heading', { name: 'customers.csv' }).waitFor();
      await page.getByRole('tab', { name: 'Lineage' }).click();
      await page.locator('.react-flow__node').filter({ hasText: 'clean_customers' }).waitFor();
      await page.locator('.react-flow__node').filter({ hasText: 'customers_clean' }).waitFor();
      await expect(page.locator('.react-flow__edge').count()).resolves.toBe(2);
      await shot(page, '10-asset-lineage');

      await page.getByRole('tab', { name: 'Overview' }).click();
      await page.getByRole('link', { name: 'Customer' }).click();
      await page.getByRole('heading', { name: 'Customer' }).waitFor();
      await page.getByText('A person or company that buys from us.').waitFor();
      await page.getByRole('link', { name: 'customers.csv' }).waitFor();
      await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'Glossary' }).click();
      await page.getByRole('table', { name: 'Terms' }).getByRole('link', { name: 'Customer' }).waitFor();
      await shot(page, '11-glossary');
    });

    it('shows the emulator panel: health, clock and the well-known credentials', async () => {
      await page.getByRole('tab', { name: 'Emulator' }).click();
      await page.getByText('Healthy').waitFor();
      await expect(page.getByRole('textbox', { name: 'Client secret' }).inputValue()).resolves.toBe(
        'purview-emulator-secret',
      );
      await expect(page.getByRole('textbox', { name: 'Trust the HTTPS port' }).inputValue()).resolves.toMatch(
        /^NODE_EXTRA_CA_CERTS=.+ca\.pem$/,
      );
      await shot(page, '08-emulator');
      // Moving the clock a day expires the portal's token: its next calls get a new one and go on working.
      await page.getByRole('button', { name: '+1 day' }).click();
      await page.getByText('1440 minutes ahead of real time.').waitFor();
      // A write, so no cached answer can stand in for it: create a runtime, then delete it from its page.
      await page.getByRole('tab', { name: 'Integration runtimes' }).click();
      await page.getByRole('button', { name: 'New' }).click();
      await page.getByLabel('Name').fill('clock-shir');
      await page.getByRole('button', { name: 'Create' }).click();
      await page.waitForURL('**/portal/integration-runtimes/clock-shir');
      await page.getByRole('button', { name: 'Delete clock-shir' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
      await page.waitForURL('**/portal/integration-runtimes');
      await page.locator('[data-runtime="portal-shir"]').waitFor();
      // The list refetches after the delete: wait for the deleted runtime's row to go (it fails if it stays).
      await page.locator('[data-runtime="clock-shir"]').waitFor({ state: 'detached' });
      await page.getByRole('tab', { name: 'Emulator' }).click();
      await page.getByRole('button', { name: 'Reset to real time' }).click();
      await page.getByText(/^Real time\./).waitFor();
      // Fluent's dark theme, kept for the next visit.
      await page.getByRole('button', { name: 'Switch to the dark theme' }).click();
      await page.getByRole('button', { name: 'Switch to the light theme' }).waitFor();
      await page.getByRole('tab', { name: 'Integration runtimes' }).click();
      await page.locator('[data-runtime="portal-shir"] [data-state="Online"]').waitFor();
      await shot(page, '12-dark-runtimes');
      await page.getByRole('button', { name: 'Switch to the light theme' }).click();
    });
  });

  describe('roles decide what the portal offers', () => {
    it('shows a Data Reader no management buttons', async () => {
      const page = await openBrowser();
      await signIn(page, CLIENTS[0]);
      await page.getByRole('table', { name: 'Integration runtimes' }).getByText('portal-shir').waitFor();
      await expect(page.getByRole('button', { name: 'New' }).count()).resolves.toBe(0);
      await expect(page.getByRole('button', { name: /^Delete / }).count()).resolves.toBe(0);
      await page.getByRole('link', { name: 'portal-shir' }).click();
      await page.getByRole('heading', { name: /portal-shir/ }).waitFor();
      await page.getByRole('heading', { name: 'Interactive authoring' }).waitFor();
      await expect(page.getByRole('button', { name: /Regenerate/ }).count()).resolves.toBe(0);
      await expect(page.getByRole('heading', { name: 'Authentication keys' }).count()).resolves.toBe(0);
      await page.getByRole('tab', { name: 'Sources and scanning' }).click();
      await page.getByRole('link', { name: 'samples-storage' }).click();
      await page.locator('[data-scan="samples-scan"]').waitFor();
      await expect(page.getByRole('button', { name: /Run now|New scan|Register/ }).count()).resolves.toBe(0);
      await shot(page, '09-reader-scans');
    });

    it('shows the 403 the API gave when the role is missing (a Data Source Admin searching the catalog)', async () => {
      const page = await openBrowser();
      await signIn(page, CLIENTS[1]);
      await page.getByRole('tab', { name: 'Search the catalog' }).click();
      const alert = page.getByRole('alert');
      await alert.getByText('Not allowed').waitFor();
      await expect(alert.textContent()).resolves.toContain("The client 'source-admin-app'");
    });
  });
});

import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { DEVSTORE_KEY } from '@purview-emulator/contracts';
import { type DatabaseServer, SAMPLE_DATABASE, seedPostgresSample, startPostgres } from '@purview-emulator/testing';
import { uploadSamples } from '../../scripts/src/stack/seed';
import { TestStack } from './harness';
import { secretClientOf } from './key-vault';
import { PortalBrowser, describeWithBrowser } from './portal-browser';

/**
 * The newcomer's story by clicking, in a real browser against a real stack (Azurite, the emulator, a `shir` node):
 * a Key Vault connection and a credential; a custom scan rule set; a storage source registered, its connection tested
 * and browsed through the runtime; a scan with that credential, rule set and a weekly trigger, run now to Succeeded,
 * edited and deleted; a real PostgreSQL registered, tested, browsed and scanned with a SQL credential; a glossary with a category and a term hierarchy, a term edited
 * and assigned from the asset page; the collection tree with its assets; and the pages at 1024 wide and dark.
 */
const SEED = path.resolve(__dirname, '../../scripts/seed/local-stack.yaml');

describeWithBrowser()('the portal: the whole story by clicking', () => {
  const stack = new TestStack({ PURVIEW_SEED_FILE: SEED });
  const browser = new PortalBrowser(() => stack.endpoint);
  let page: Page;
  let postgres: DatabaseServer | undefined;
  const PG_PASSWORD = 'portal-pg-Secret-4242';

  const dialog = () => page.getByRole('dialog');
  const field = (label: string) => dialog().getByRole('textbox', { name: label, exact: true });
  const pick = async (label: string, option: string): Promise<void> => {
    await page.getByRole('combobox', { name: label }).click();
    await page.getByRole('option', { name: option, exact: true }).click();
  };
  const nav = (name: string) => page.getByRole('navigation', { name: 'Portal' }).getByRole('tab', { name });

  beforeAll(async () => {
    await stack.start();
    await uploadSamples(stack.ports.blob);
    await stack.startRuntimeNode('default-shir', 'node-default');
    await stack.waitOnline('default-shir', 60_000);
    // The account key goes into the emulator's Key Vault with Microsoft's SecretClient, as a user would put it there.
    const secrets = secretClientOf(stack);
    await secrets.setSecret('azurite-key', DEVSTORE_KEY);
    page = await browser.open();
    page.setDefaultTimeout(20_000);
    await browser.signIn(page);
  });

  afterEach(async () => {
    // A failed step may leave a dialog open: close it, so the next story starts from a page.
    for (let i = 0; i < 2 && (await dialog().count()); i++) await page.keyboard.press('Escape');
    expect(browser.pageErrors.splice(0)).toEqual([]);
  });

  afterAll(async () => {
    await browser.close();
    await postgres?.stop();
    await stack.stop();
  });

  it('creates a Key Vault connection and a credential, and refuses to delete a connection a credential uses', async () => {
    await nav('Credentials').click();
    await page.getByRole('heading', { name: 'Credentials', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'New Key Vault connection' }).click();
    await field('Name').fill('portal-kv');
    await field('Key Vault URL').fill(`https://localhost:${stack.ports.https}/`);
    await dialog().getByRole('button', { name: 'Create' }).click();
    await page.locator('[data-key-vault="portal-kv"]').waitFor();

    await page.getByRole('button', { name: 'New credential' }).click();
    await field('Name').fill('azurite-cred');
    await pick('Key Vault connection', 'portal-kv');
    await field('Secret name').fill('azurite-key');
    await dialog().getByRole('button', { name: 'Create' }).click();
    const row = page.locator('[data-credential="azurite-cred"]');
    await row.waitFor();
    await expect(row.textContent()).resolves.toContain('portal-kv / azurite-key');
    await browser.shot(page, '13-credentials');

    await page.getByRole('button', { name: 'Delete portal-kv' }).click();
    await dialog().getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('alert').getByText('Cannot delete').waitFor();
    await page.locator('[data-key-vault="portal-kv"]').waitFor();
  });

  it('creates a custom scan rule set from the system one and shows what it scans', async () => {
    await nav('Scan rule sets').click();
    await page.locator('[data-ruleset="AzureStorage"]').waitFor();
    await page.getByRole('button', { name: 'New scan rule set' }).click();
    await field('Name').fill('csv-only');
    await dialog().getByText('JSON', { exact: true }).click();
    await expect(dialog().getByRole('checkbox', { name: 'JSON' }).isChecked()).resolves.toBe(false);
    await expect(dialog().getByRole('checkbox', { name: 'CSV' }).isChecked()).resolves.toBe(true);
    await dialog().getByRole('button', { name: 'Create' }).click();
    await page.locator('[data-ruleset="csv-only"]').getByRole('button', { name: 'csv-only', exact: true }).click();
    const details = page.getByRole('group', { name: 'Scan rule set csv-only' });
    await details.getByText('CSV', { exact: true }).waitFor();
    await expect(details.getByText('JSON', { exact: true }).count()).resolves.toBe(0);
    await browser.shot(page, '14-scan-rule-sets');
  });

  it('registers a storage source, tests its connection and browses it through the runtime', async () => {
    // Interactive authoring on, from the runtime's page, as test connection and browse need it.
    await nav('Integration runtimes').click();
    await page.getByRole('link', { name: 'default-shir' }).click();
    // The switch shows the runtime's state, so it flips when the API says so, not on the click.
    await page.getByRole('switch').click();
    await page.getByText(/^On — \d+ min left/).waitFor();

    await nav('Sources and scanning').click();
    await page.getByRole('button', { name: 'Register' }).click();
    await pick('Source type', 'Azure Blob Storage');
    await field('Data source name').fill('portal-storage');
    await dialog().getByRole('button', { name: 'Register' }).click();
    await page.waitForURL('**/portal/sources/portal-storage');
    await page.getByText('Azure Blob Storage · https://devstoreaccount1.blob.core.windows.net/').waitFor();

    await pick('Integration runtime', 'default-shir');
    await page.getByRole('button', { name: 'Test connection' }).click();
    await page.getByText(/Connection successful/).waitFor();
    await page.getByRole('button', { name: 'Browse' }).click();
    await page.getByRole('button', { name: 'samples', exact: true }).click();
    await page
      .getByRole('button', { name: 'sample-data/' })
      .or(page.getByRole('button', { name: 'sample-data' }))
      .click();
    await page.getByRole('cell', { name: /customers\.csv/ }).waitFor();
    await browser.shot(page, '15-source-browse');
  });

  it('creates a scan with the credential, the rule set and a weekly trigger, runs it, edits it and deletes it', async () => {
    await page.getByRole('button', { name: 'New scan' }).click();
    await field('Name').fill('portal-scan');
    await pick('Connect via integration runtime', 'default-shir');
    await pick('Credential', 'azurite-cred (AccountKey)');
    await pick('Scan rule set', 'csv-only');
    await dialog().getByRole('radio', { name: 'Recurring' }).check();
    await dialog().getByLabel('At (UTC)', { exact: true }).fill('03:30');
    await dialog().getByRole('checkbox', { name: 'Monday' }).check();
    await browser.shot(page, '16-new-scan');
    await dialog().getByRole('button', { name: 'Save' }).click();
    await page.waitForURL('**/portal/sources/portal-storage/scans/portal-scan');
    const schedule = page.getByTestId('scan-schedule');
    await schedule.getByText('Every week on Sunday, Monday at 03:30 UTC · Enabled').waitFor();
    await page.getByText(/credential azurite-cred · rule set csv-only \(Custom\)/).waitFor();

    await page.getByRole('button', { name: 'Run now' }).click();
    await page.locator('[data-run][data-status="Succeeded"]').waitFor({ timeout: 150_000 });
    const cells = await page.locator('[data-run]').first().locator('td').allTextContents();
    expect(Number(cells[3])).toBeGreaterThan(0);
    expect(Number(cells[5])).toBeGreaterThan(0);
    await browser.shot(page, '17-scan-run');

    await page.getByRole('button', { name: 'Edit scan' }).click();
    await expect(dialog().getByRole('radio', { name: 'Recurring' }).isChecked()).resolves.toBe(true);
    await dialog().getByRole('radio', { name: 'Once' }).check();
    await dialog().getByRole('button', { name: 'Save' }).click();
    await schedule.getByText('Once (no schedule)').waitFor();

    await page.getByRole('button', { name: 'Delete portal-scan' }).click();
    await dialog().getByRole('button', { name: 'Delete' }).click();
    await page.waitForURL('**/portal/sources/portal-storage');
    await page.getByText('No scans yet.').waitFor();
    await page.getByRole('button', { name: 'Delete portal-storage' }).click();
    await dialog().getByRole('button', { name: 'Delete' }).click();
    await page.waitForURL('**/portal/sources');
    await page.locator('[data-source="samples-storage"]').waitFor();
    await page.locator('[data-source="portal-storage"]').waitFor({ state: 'detached' });
  });

  it('registers a real PostgreSQL, tests and browses it with a SQL credential, and scans it to Succeeded', async () => {
    // The password goes into the Key Vault with SecretClient, as a user would put it there; the rest is clicking.
    postgres = await startPostgres({ dir: path.join(stack.dataDir, 'pg'), password: PG_PASSWORD });
    await seedPostgresSample(postgres);
    await secretClientOf(stack).setSecret('pg-password', PG_PASSWORD);

    await nav('Credentials').click();
    await page.getByRole('button', { name: 'New credential' }).click();
    await field('Name').fill('pg-cred');
    await pick('Authentication method', 'SQL authentication');
    await field('User name').fill(postgres.user);
    await pick('Key Vault connection', 'portal-kv');
    await field('Secret name').fill('pg-password');
    await dialog().getByRole('button', { name: 'Create' }).click();
    await page.locator('[data-credential="pg-cred"]').waitFor();

    await nav('Sources and scanning').click();
    await page.getByRole('button', { name: 'Register' }).click();
    await pick('Source type', 'Azure Database for PostgreSQL');
    await field('Data source name').fill('sales-pg');
    await field('Server endpoint').fill(postgres.host);
    await field('Port').fill(String(postgres.port));
    await dialog().getByRole('button', { name: 'Register' }).click();
    await page.getByText(`Azure Database for PostgreSQL · ${postgres.host}:${postgres.port}`).waitFor();

    // A new database source has no scan whose credential the runtime could borrow: the user picks one.
    await pick('Integration runtime', 'default-shir');
    await pick('Credential', 'pg-cred (SqlAuth)');
    await page.getByRole('button', { name: 'Test connection' }).click();
    await page.getByText(/Connection successful/).waitFor();
    await page.getByRole('button', { name: 'Browse' }).click();
    await page.getByRole('button', { name: SAMPLE_DATABASE, exact: true }).click();
    await page.getByRole('button', { name: 'hr', exact: true }).waitFor();
    await page.getByRole('button', { name: 'public', exact: true }).click();
    await page.getByRole('cell', { name: 'customer_contacts' }).waitFor();
    await browser.shot(page, '23-database-browse');

    await page.getByRole('button', { name: 'New scan' }).click();
    await field('Name').fill('pg-scan');
    await pick('Connect via integration runtime', 'default-shir');
    // Only SQL or basic credentials fit a database: the storage account key is not offered.
    await page.getByRole('combobox', { name: 'Credential' }).click();
    await expect(page.getByRole('option').allTextContents()).resolves.toEqual(['pg-cred (SqlAuth)']);
    await page.getByRole('option', { name: 'pg-cred (SqlAuth)' }).click();
    await expect(dialog().getByRole('button', { name: 'Save and run' }).isDisabled()).resolves.toBe(true);
    await field('Database name').fill(SAMPLE_DATABASE);
    await dialog().getByRole('button', { name: 'Save and run' }).click();
    await page.waitForURL('**/portal/sources/sales-pg/scans/pg-scan');
    await page.locator('[data-run][data-status="Succeeded"]').waitFor({ timeout: 150_000 });
    const cells = await page.locator('[data-run]').first().locator('td').allTextContents();
    expect(Number(cells[3])).toBeGreaterThan(0);
    await browser.shot(page, '24-database-scan-run');
  });

  it('builds a glossary with a category and a term hierarchy, edits a term and assigns it from the asset page', async () => {
    await nav('Glossary').click();
    await page.getByRole('button', { name: 'New glossary' }).click();
    await field('Name').fill('Finance');
    await dialog().getByRole('button', { name: 'Create' }).click();
    await page.getByRole('button', { name: 'New category' }).click();
    await field('Name').fill('Reporting');
    await dialog().getByRole('button', { name: 'Create' }).click();
    await page.getByRole('tree', { name: 'Categories' }).getByText('Reporting').waitFor();

    await page.getByRole('button', { name: 'New term' }).click();
    await field('Name').fill('Customer');
    await field('Definition').fill('Someone who buys from us.');
    await pick('Status', 'Approved');
    await field('Experts').fill('ada@example.com');
    await dialog().getByRole('button', { name: 'Create' }).click();
    await page.getByRole('heading', { name: 'Customer' }).waitFor();
    await page.getByText('ada@example.com').waitFor();

    await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'Glossary' }).click();
    await page.getByRole('button', { name: 'New term' }).click();
    await field('Name').fill('Key account');
    await pick('Parent term', 'Customer');
    await page.getByRole('combobox', { name: 'Categories' }).click();
    await page.getByRole('menuitemcheckbox', { name: 'Reporting' }).click();
    await page.keyboard.press('Escape');
    await dialog().getByRole('button', { name: 'Create' }).click();
    await page.getByRole('heading', { name: 'Key account' }).waitFor();
    await page.getByRole('table', { name: 'Term details' }).getByRole('link', { name: 'Customer' }).waitFor();

    await page.getByRole('button', { name: 'Edit' }).click();
    await field('Definition').fill('A customer we plan with.');
    await dialog().getByRole('button', { name: 'Save' }).click();
    await page.getByText('A customer we plan with.').waitFor();

    await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'Glossary' }).click();
    const terms = page.getByRole('table', { name: 'Terms' });
    await terms.locator('[data-term="Key account"]').getByText('└').waitFor();
    // By keyboard: the category tree picks with Enter, as a click does.
    await page.getByRole('tree', { name: 'Categories' }).getByRole('treeitem', { name: 'Reporting' }).press('Enter');
    await terms.locator('[data-term="Customer"]').waitFor({ state: 'detached' });
    await expect(terms.locator('[data-term]').count()).resolves.toBe(1);
    await browser.shot(page, '18-glossary-tree');

    // Assign the term to customers.csv from its asset page.
    await nav('Search the catalog').click();
    await page.getByRole('combobox', { name: 'Search the catalog' }).fill('customers');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.locator('[data-asset="customers.csv"]').getByRole('link').first().click();
    await page.getByRole('heading', { name: 'customers.csv' }).waitFor();
    await page.getByRole('button', { name: 'Assign term' }).click();
    await pick('Term', 'Key account (Finance)');
    await dialog().getByRole('button', { name: 'Assign' }).click();
    await page.locator('[data-term="Key account"]').waitFor();
    await browser.shot(page, '19-asset-term');
    await page.getByRole('link', { name: 'Key account' }).click();
    await page.getByRole('link', { name: 'customers.csv' }).waitFor();
  });

  it('browses the collection tree and the assets in a collection', async () => {
    await nav('Collections').click();
    const tree = page.getByRole('tree', { name: 'Collections' });
    await tree.getByRole('treeitem').first().waitFor();
    // The root collection holds every scanned asset (the sample files and the PostgreSQL tables), a page at a time.
    await page.locator('[data-asset]').first().waitFor();
    const count = Number((await page.getByText(/^\d+ assets$/).textContent())?.split(' ')[0]);
    expect(count).toBeGreaterThanOrEqual(await page.locator('[data-asset]').count());
    await browser.shot(page, '20-collections');
  });

  it('stays usable at 1024 wide and in the dark theme', async () => {
    await page.setViewportSize({ width: 1024, height: 720 });
    await nav('Sources and scanning').click();
    await page.getByRole('link', { name: 'samples-storage' }).click();
    await page.locator('[data-scan="samples-scan"]').getByRole('button', { name: 'Run now' }).waitFor();
    // Nothing scrolls sideways: the page fits the window.
    const overflow = await page.evaluate(
      'document.querySelector("main").scrollWidth - document.querySelector("main").clientWidth',
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await browser.shot(page, '21-narrow-source');
    await page.getByRole('button', { name: 'Switch to the dark theme' }).click();
    await nav('Glossary').click();
    await page.getByRole('table', { name: 'Terms' }).waitFor();
    await browser.shot(page, '22-dark-glossary');
    await page.getByRole('button', { name: 'Switch to the light theme' }).click();
    await page.setViewportSize({ width: 1280, height: 800 });
  });
});

import type { ScanJobRuleset, ScannedAsset } from '@purview-emulator/contracts';
import { EMAIL_CLASSIFICATION } from '../classifiers';
import { MemoryConnector } from '../connectors';
import { type FileReport, runScan } from './scan';
import { FileTypeSelection, UriFilter } from './scan-ruleset';

const BASE = 'https://acct.blob.core.windows.net';
const TARGET = { accountName: 'acct', qualifiedNameBase: BASE };
const EMPLOYEE = 'CONTOSO.EMPLOYEE_ID';

/** Ten employees: an id column a custom rule matches, an email column the email system rule matches. */
const staff = (delimiter = ',') =>
  [
    `employee_id${delimiter}email`,
    ...Array.from({ length: 10 }, (_, i) => `EMP-${String(100000 + i * 7919)}${delimiter}person${i}@contoso.com`),
  ].join('\n');

const RULESET: ScanJobRuleset = {
  name: 'employees',
  type: 'Custom',
  version: 3,
  fileExtensions: ['CSV'],
  customFileExtensions: [],
  excludedSystemClassifications: [EMAIL_CLASSIFICATION],
  customRules: [
    {
      name: 'employee-id',
      classificationName: EMPLOYEE,
      dataPatterns: ['^EMP-\\d{6}$'],
      columnPatterns: [],
      minimumPercentageMatch: 60,
      ruleStatus: 'Enabled',
      classificationAction: 'Keep',
    },
  ],
};

async function scan(
  connector: MemoryConnector,
  options: Parameters<typeof runScan>[2] = {},
): Promise<{ assets: ScannedAsset[]; files: FileReport[] }> {
  const files: FileReport[] = [];
  const assets: ScannedAsset[] = [];
  for await (const asset of runScan(connector, TARGET, { ...options, onFile: (f) => files.push(f) }))
    assets.push(asset);
  return { assets, files };
}

const classificationsOf = (assets: ScannedAsset[], qualifiedName: string) =>
  (assets.find((a) => a.attributes.qualifiedName === qualifiedName)?.classifications ?? []).map((c) => c.typeName);
const column = (file: string, name: string) => `${BASE}/hr/${file}#__tabular_schema//${name}`;

describe('a scan with a scan rule set', () => {
  it('applies the system rules by default: the email column is an email, the id column nothing', async () => {
    const { assets } = await scan(new MemoryConnector({ hr: { 'staff.csv': staff() } }));
    expect(classificationsOf(assets, column('staff.csv', 'email'))).toEqual([EMAIL_CLASSIFICATION]);
    expect(classificationsOf(assets, column('staff.csv', 'employee_id'))).toEqual([]);
  });

  it('applies its custom rules and leaves out its excluded system classifications', async () => {
    const { assets, files } = await scan(new MemoryConnector({ hr: { 'staff.csv': staff() } }), {
      scanRuleset: RULESET,
    });
    expect(classificationsOf(assets, column('staff.csv', 'employee_id'))).toEqual([EMPLOYEE]);
    expect(classificationsOf(assets, column('staff.csv', 'email'))).toEqual([]);
    expect(files[0].classifications).toEqual([EMPLOYEE]);
  });

  it('reads only its file types; the others are discovered with basic metadata and say why', async () => {
    const connector = new MemoryConnector({ hr: { 'staff.csv': staff(), 'staff.tsv': staff('\t') } });
    const { assets, files } = await scan(connector, { scanRuleset: RULESET });
    const tsv = files.find((f) => f.blobName === 'staff.tsv')!;
    expect(tsv).toEqual(expect.objectContaining({ status: 'unsupported', reason: expect.stringContaining('TSV') }));
    expect(assets.some((a) => a.attributes.qualifiedName === `${BASE}/hr/staff.tsv`)).toBe(true);
    expect(assets.some((a) => a.attributes.qualifiedName === `${BASE}/hr/staff.tsv#__tabular_schema`)).toBe(false);
    expect(files.find((f) => f.blobName === 'staff.csv')!.status).toBe('scanned');
  });

  it('reads a custom file extension with its delimiter or built-in type', async () => {
    const selection = new FileTypeSelection({
      fileExtensions: ['CSV'],
      customFileExtensions: [
        { fileExtension: '.emp', builtInType: null, customDelimiter: '$' },
        { fileExtension: 'people', builtInType: 'TSV', customDelimiter: null },
      ],
    });
    expect(selection.decide('a/b.emp')).toEqual({ format: { format: 'CSV', delimiter: '$' } });
    expect(selection.decide('a/b.PEOPLE')).toEqual({ format: { format: 'TSV', delimiter: '\t' } });
    expect(selection.decide('a/b.json')).toEqual({ skipped: expect.stringContaining('JSON') });
    expect(selection.decide('a/b.exe')).toBeUndefined();
    const { assets } = await scan(new MemoryConnector({ hr: { 'staff.emp': staff('$') } }), {
      scanRuleset: {
        ...RULESET,
        customFileExtensions: [{ fileExtension: '.emp', builtInType: null, customDelimiter: '$' }],
      },
    });
    expect(classificationsOf(assets, column('staff.emp', 'employee_id'))).toEqual([EMPLOYEE]);
  });

  it('does not apply a disabled custom rule', async () => {
    const disabled = { ...RULESET, customRules: [{ ...RULESET.customRules[0], ruleStatus: 'Disabled' as const }] };
    const { assets } = await scan(new MemoryConnector({ hr: { 'staff.csv': staff() } }), { scanRuleset: disabled });
    expect(classificationsOf(assets, column('staff.csv', 'employee_id'))).toEqual([]);
  });
});

describe('a scan with a filter', () => {
  it('neither reads nor emits blobs outside its prefixes, nor containers it excludes whole', async () => {
    const connector = new MemoryConnector({
      hr: { 'current/staff.csv': staff(), 'archive/staff.csv': staff(), 'archived-later/staff.csv': staff() },
      finance: { 'ledger.csv': 'a,b\n1,2' },
      logs: { 'x.csv': 'a\n1' },
    });
    const { assets } = await scan(connector, {
      filter: {
        includeUriPrefixes: [`${BASE}/hr/`, `${BASE.toUpperCase().replace('HTTPS', 'https')}/finance`],
        excludeUriPrefixes: [`${BASE}/hr/archive/`],
      },
    });
    const names = assets.map((a) => a.attributes.qualifiedName);
    expect(names).toContain(`${BASE}/hr/current/staff.csv`);
    expect(names).toContain(`${BASE}/hr/archived-later/staff.csv`);
    expect(names).toContain(`${BASE}/finance/ledger.csv`);
    expect(names).not.toContain(`${BASE}/hr/archive/staff.csv`);
    expect(names.filter((n) => n.startsWith(`${BASE}/logs`))).toEqual([]);
  });

  it('matches host names case-insensitively and paths as written', () => {
    const filter = new UriFilter({
      includeUriPrefixes: [],
      excludeUriPrefixes: ['HTTPS://ACCT.blob.core.windows.net/c/Tmp'],
    });
    expect(filter.includes(`${BASE}/c/Tmp/a.csv`)).toBe(false);
    expect(filter.includes(`${BASE}/c/tmp/a.csv`)).toBe(true);
    expect(filter.mayInclude(`${BASE}/c`)).toBe(true);
    // …/c excludes every blob of container c (and of c2): neither is listed.
    const excludeC = new UriFilter({ includeUriPrefixes: [], excludeUriPrefixes: [`${BASE}/c`] });
    expect([
      excludeC.mayInclude(`${BASE}/c`),
      excludeC.mayInclude(`${BASE}/c2`),
      excludeC.mayInclude(`${BASE}/d`),
    ]).toEqual([false, false, true]);
    const includeFolder = new UriFilter({ includeUriPrefixes: [`${BASE}/c/folder/`], excludeUriPrefixes: [] });
    expect([includeFolder.mayInclude(`${BASE}/c`), includeFolder.mayInclude(`${BASE}/d`)]).toEqual([true, false]);
  });
});

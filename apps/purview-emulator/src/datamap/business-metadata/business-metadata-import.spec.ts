import { BUSINESS_METADATA_TEMPLATE, CsvRow, planImport, readCsv } from './business-metadata-import';
import { failure, registry } from './testing/bm-fixtures';

describe('business metadata CSV import lines (Atlas getBusinessMetadataDefList)', () => {
  const entities = new Map([
    ['contoso_table\u0000qn1', 'g1'],
    ['contoso_view\u0000qn2', 'g2'],
  ]);
  const find = (typeName: string, qualifiedName: string) => {
    const guid = entities.get(`${typeName}\u0000${qualifiedName}`);
    return Promise.resolve(guid === undefined ? undefined : { guid });
  };
  const rows = (...lines: string[][]): CsvRow[] => lines.map((fields, i) => ({ line: i + 2, fields }));

  it('reads the header line the template serves, skipping it', () => {
    expect(readCsv('x.csv', Buffer.from(`${BUSINESS_METADATA_TEMPLATE}\nt,q,b.a,v\n\nt,q\n`))).toEqual([
      { line: 2, fields: ['t', 'q', 'b.a', 'v'] },
      { line: 4, fields: ['t', 'q'] },
    ]);
    expect(readCsv('x.csv', Buffer.from('\uFEFFh\n"a,b",c\n'))).toEqual([{ line: 2, fields: ['a,b', 'c'] }]);
  });

  it('refuses files by name and content as Atlas does', () => {
    expect(failure(() => readCsv(undefined, Buffer.from('h\na,b')))?.code).toBe('ATLAS-404-00-014');
    expect(failure(() => readCsv('x.txt', Buffer.from('h\na,b')))?.code).toBe('ATLAS-400-00-098');
    expect(failure(() => readCsv('x.csv', Buffer.from('h\nsingle\n')))?.code).toBe('ATLAS-400-00-09B');
    expect(failure(() => readCsv('x.csv', Buffer.from('h\n"open,b\n')))?.code).toBe('ATLAS-400-00-09C');
  });

  it('groups good lines per entity and reports bad ones with their line', async () => {
    const plan = await planImport(
      rows(
        ['contoso_table', 'qn1', 'ops.team', 'abc'],
        ['contoso_table', 'qn1', 'ops.codes', '1|2|3'],
        ['contoso_view', 'qn2', 'ops.owner', 'ada', 'qualifiedName'],
        ['contoso_table', 'qn1', 'ops.codes', '1|x'],
        ['contoso_table', 'qn1', 'ops.team', 'too long'],
        ['contoso_table', 'qn1', 'ops', 'v'],
        ['contoso_table', 'qn1', 'ops.team', 'v', 'code'],
        ['contoso_table', 'qn1', 'ops.team', 'v', 'description'],
        ['contoso_table', 'qn1', 'ops.team', '  '],
        ['Process', 'qn1', 'ops.team', 'v'],
        ['contoso_table', 'qn1', 'ops.limit', '12'],
      ),
      registry,
      find,
    );
    expect([...plan.targets.values()]).toEqual([
      { guid: 'g1', typeName: 'contoso_table', values: { ops: { team: 'abc', codes: ['1', '2', '3'], limit: '12' } } },
      { guid: 'g2', typeName: 'contoso_view', values: { ops: { owner: 'ada' } } },
    ]);
    expect(plan.failures).toEqual([
      'Line #5: the provided BusinessMetadata AttributeValue 1|x are not of type - int',
      'Line #6: contoso_table.ops.team:  Business attribute-value exceeds maximum length limit',
      "Line #7: invalid business-metadata 'ops' for entity type 'contoso_table'",
      "Line #8: attribute 'code': the emulator finds entities by qualifiedName only",
      "Line #9: attribute 'description' is not an unique attribute in entity-type 'contoso_table'",
      'Line #10: missing fields. [contoso_table, qn1, ops.team,   ]',
      'Line #11: no Process entity found with qualifiedName=qn1',
    ]);
  });
});

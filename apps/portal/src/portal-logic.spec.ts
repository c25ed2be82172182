import { facetFilter, highlightHtml } from './api/catalog';
import { newRunId } from './api/scanning';
import { permissionsOf } from './permissions';

describe('the portal’s own logic', () => {
  it('lets only the <em> of search highlights through as markup; everything else is text', () => {
    expect(highlightHtml('<em>customers</em>.csv')).toBe('<mark>customers</mark>.csv');
    expect(highlightHtml('<img src=x onerror=alert(1)><em>a</em>')).toBe(
      '&lt;img src=x onerror=alert(1)&gt;<mark>a</mark>',
    );
    expect(highlightHtml('"a" & <b>b</b>')).toBe('&quot;a&quot; &amp; &lt;b&gt;b&lt;/b&gt;');
    expect(highlightHtml('<em onclick="x">a</em>')).toBe('&lt;em onclick=&quot;x&quot;&gt;a</mark>');
  });

  it('builds the search filter from ticked facets: any value within one, every one', () => {
    expect(facetFilter({})).toBeUndefined();
    expect(facetFilter({ classification: [] })).toBeUndefined();
    expect(
      facetFilter({
        classification: ['MICROSOFT.PERSONAL.EMAIL', 'MICROSOFT.FINANCIAL.CREDIT_CARD_NUMBER'],
        entityType: ['azure_blob_path'],
        collectionId: ['emulator'],
      }),
    ).toEqual({
      and: [
        {
          or: [
            { classification: 'MICROSOFT.PERSONAL.EMAIL' },
            { classification: 'MICROSOFT.FINANCIAL.CREDIT_CARD_NUMBER' },
          ],
        },
        { or: [{ entityType: 'azure_blob_path' }] },
        { or: [{ collectionId: 'emulator' }] },
      ],
    });
  });

  it('offers what each Purview role allows, as the emulator checks it', () => {
    expect(permissionsOf(['Data Reader'])).toEqual({
      manageSources: false,
      readSources: true,
      readCatalog: true,
      curate: false,
      controlEmulator: false,
    });
    expect(permissionsOf(['Data Source Admin'])).toMatchObject({
      manageSources: true,
      readCatalog: false,
      controlEmulator: true,
    });
    expect(permissionsOf(['Collection Admin'])).toMatchObject({ manageSources: false, controlEmulator: true });
    expect(permissionsOf([])).toEqual({
      manageSources: false,
      readSources: false,
      readCatalog: false,
      curate: false,
      controlEmulator: false,
    });
  });

  it('makes run ids that are version-4 UUIDs, different each time', () => {
    const ids = Array.from({ length: 50 }, () => newRunId());
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

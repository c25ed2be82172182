import { rewriteUrl } from './url-rewrite';

describe('rewriteUrl', () => {
  it('maps both action spellings onto one route', () => {
    expect(rewriteUrl('/scan/integrationruntimes/ir1:listAuthKeys?api-version=2023-09-01')).toBe(
      '/scan/integrationruntimes/ir1/-/listAuthKeys?api-version=2023-09-01',
    );
    expect(rewriteUrl('/scan/integrationruntimes/ir1/:listAuthKeys')).toBe(
      '/scan/integrationruntimes/ir1/-/listAuthKeys',
    );
    expect(rewriteUrl('/scan/datasources/d/scans/s/runs/0f8fad5b-d9cb-469f-a165-70867728950e:cancel')).toBe(
      '/scan/datasources/d/scans/s/runs/0f8fad5b-d9cb-469f-a165-70867728950e/-/cancel',
    );
  });

  it('leaves colons in query strings and ordinary paths alone', () => {
    expect(rewriteUrl('/datamap/api/atlas/v2/entity/uniqueAttribute/type/t?attr:qualifiedName=https://a:1/x')).toBe(
      '/datamap/api/atlas/v2/entity/uniqueAttribute/type/t?attr:qualifiedName=https://a:1/x',
    );
    expect(rewriteUrl('/scan/integrationruntimes/ir1')).toBe('/scan/integrationruntimes/ir1');
  });

  it('drops trailing slashes but keeps the root', () => {
    expect(rewriteUrl('/catalog/api/lineage/abc/next/?x=1')).toBe('/catalog/api/lineage/abc/next?x=1');
    expect(rewriteUrl('/')).toBe('/');
  });
});

import type { AtlasGlossary, AtlasGlossaryTerm } from '@purview-emulator/contracts';
import { DataMapHttp, startDataMapHttp } from '../../testing/datamap-http';

/** Both spellings of the glossary API: 2023-09-01 under /datamap/api, the legacy one under /catalog/api. */
export const GLOSSARY_PREFIXES = [
  ['datamap', '/datamap/api/atlas/v2/glossary', 'api-version=2023-09-01'],
  ['catalog', '/catalog/api/atlas/v2/glossary', ''],
] as const;

/** `{prefix}{path}?{api-version}&{query}`. */
export function glossaryUrl(prefix: string, version: string): (path: string, query?: string) => string {
  return (path, query = '') => `${prefix}${path}?${[version, query].filter(Boolean).join('&')}`;
}

/** A fresh data map over HTTP with one glossary named "Glossary", created through the API. */
export async function startGlossaryHttp(
  prefix: string,
  version: string,
): Promise<{ dm: DataMapHttp; glossary: AtlasGlossary }> {
  const dm = await startDataMapHttp();
  const url = glossaryUrl(prefix, version);
  const glossary = (await dm.http.post(url('')).set(dm.curator).send({ name: 'Glossary' }).expect(200))
    .body as AtlasGlossary;
  return { dm, glossary };
}

/** Creating a term in the glossary and reading one back, for the suite's current data map. */
export function termRequests(
  prefix: string,
  version: string,
  current: () => { dm: DataMapHttp; glossary: AtlasGlossary },
): {
  term: (body: Record<string, unknown>, query?: string) => Promise<AtlasGlossaryTerm>;
  get: (guid: string, query?: string) => Promise<AtlasGlossaryTerm>;
} {
  const url = glossaryUrl(prefix, version);
  return {
    term: async (body, query = '') => {
      const { dm, glossary } = current();
      return (
        await dm.http
          .post(url('/term', query))
          .set(dm.curator)
          .send({ anchor: { glossaryGuid: glossary.guid }, ...body })
          .expect(200)
      ).body as AtlasGlossaryTerm;
    },
    get: async (guid, query = '') => {
      const { dm } = current();
      return (
        await dm.http
          .get(url(`/term/${guid}`, query))
          .set(dm.reader)
          .expect(200)
      ).body as AtlasGlossaryTerm;
    },
  };
}

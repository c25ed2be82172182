import { useState, type ReactNode } from 'react';
import { Body1, makeStyles, tokens } from '@fluentui/react-components';
import { useSearch, type FacetSelection } from '../api/catalog';
import { ErrorBar, Loading, PageHeader } from '../components/Common';
import { FacetPanel } from '../components/catalog/FacetPanel';
import { Pager } from '../components/catalog/Pager';
import { ResultCard } from '../components/catalog/ResultCard';
import { SearchBar } from '../components/catalog/SearchBar';

const PAGE = 25;

const useStyles = makeStyles({
  layout: { display: 'grid', gridTemplateColumns: '240px 1fr', gap: tokens.spacingHorizontalXXL, alignItems: 'start' },
  results: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, minWidth: 0 },
  summary: { color: tokens.colorNeutralForeground3 },
});

function initialKeywords(): string {
  return new URLSearchParams(window.location.search).get('q') ?? '';
}

/** Data Catalog search: keywords with suggestions, facets, highlighted results, pages of 25. */
export function Catalog(): ReactNode {
  const styles = useStyles();
  const [keywords, setKeywords] = useState(initialKeywords);
  const [selected, setSelected] = useState<FacetSelection>({});
  // Tokens of the pages before this one, to go back (search pages forward with continuationToken only).
  const [tokensStack, setTokens] = useState<(string | undefined)[]>([undefined]);
  const token = tokensStack[tokensStack.length - 1];
  const results = useSearch(keywords, selected, token, PAGE);
  const data = results.data;
  const page = tokensStack.length;
  const count = data?.['@search.count'] ?? 0;

  const search = (next: string): void => {
    setKeywords(next);
    setTokens([undefined]);
    window.history.replaceState(null, '', next ? `?q=${encodeURIComponent(next)}` : window.location.pathname);
  };

  return (
    <section>
      <PageHeader
        title="Data catalog"
        subtitle="Find the assets your scans discovered, with their classifications and terms."
      />
      <SearchBar initial={keywords} onSearch={search} />
      <ErrorBar error={results.error} />
      <div className={styles.layout}>
        <FacetPanel
          facets={data?.['@search.facets'] ?? undefined}
          selected={selected}
          onChange={(next) => {
            setSelected(next);
            setTokens([undefined]);
          }}
        />
        <div className={styles.results} aria-live="polite" aria-busy={results.isFetching}>
          {results.isLoading && <Loading label="Searching…" />}
          {data && (
            <Body1 className={styles.summary}>
              {count === 0
                ? 'No assets match.'
                : `${(page - 1) * PAGE + 1}–${(page - 1) * PAGE + data.value.length} of ${count.toLocaleString()} results${keywords ? ` for “${keywords}”` : ''}`}
            </Body1>
          )}
          {data?.value.map((hit) => (
            <ResultCard key={hit.id} hit={hit} />
          ))}
          {data && (
            <Pager label="Result pages" stack={tokensStack} next={data.continuationToken} onChange={setTokens} />
          )}
        </div>
      </div>
    </section>
  );
}

export default Catalog;

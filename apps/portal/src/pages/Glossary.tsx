import { useState, type ReactNode } from 'react';
import {
  Badge,
  Body1,
  Card,
  CardHeader,
  Subtitle1,
  Tab,
  TabList,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import { ErrorBar, Loading, PageHeader } from '../components/Common';
import { RouterLink } from '../router';

const G = '/datamap/api/atlas/v2/glossary';

interface Glossary {
  guid: string;
  name: string;
  shortDescription?: string;
}
interface Term {
  guid: string;
  name: string;
  qualifiedName?: string;
  shortDescription?: string;
  longDescription?: string;
  status?: string;
  anchor?: { glossaryGuid: string; displayText?: string };
  categories?: { categoryGuid: string; displayText?: string }[];
  assignedEntities?: { guid: string; typeName?: string; displayText?: string }[];
  synonyms?: { termGuid: string; displayText?: string }[];
  seeAlso?: { termGuid: string; displayText?: string }[];
}

const useStyles = makeStyles({
  layout: { display: 'grid', gridTemplateColumns: '240px 1fr', gap: tokens.spacingHorizontalXXL, alignItems: 'start' },
  card: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  muted: { color: tokens.colorNeutralForeground3 },
  links: { display: 'flex', gap: tokens.spacingHorizontalM, flexWrap: 'wrap' },
});

function TermPage({ termGuid }: { termGuid: string }): ReactNode {
  const styles = useStyles();
  const term = useQuery({
    queryKey: ['term', termGuid],
    queryFn: () => api<Term>(`${G}/term/${encodeURIComponent(termGuid)}`),
  });
  const t = term.data;
  return (
    <section>
      <PageHeader
        crumbs={<RouterLink to="/glossary">Glossary</RouterLink>}
        title={t?.name ?? 'Term'}
        subtitle={t && `${t.anchor?.displayText ?? ''} · ${t.status ?? 'Draft'}`}
      />
      <ErrorBar error={term.error} />
      {term.isLoading && <Loading />}
      {t && (
        <Card className={styles.card}>
          <CardHeader header={<Subtitle1 as="h2">Definition</Subtitle1>} />
          <Body1>{t.longDescription || t.shortDescription || 'No definition yet.'}</Body1>
          <Subtitle1 as="h2">Categories</Subtitle1>
          <div className={styles.links}>
            {(t.categories ?? []).map((c) => (
              <Badge key={c.categoryGuid}>{c.displayText}</Badge>
            ))}
            {!t.categories?.length && <Body1 className={styles.muted}>None</Body1>}
          </div>
          <Subtitle1 as="h2">Related terms</Subtitle1>
          <div className={styles.links}>
            {[...(t.synonyms ?? []), ...(t.seeAlso ?? [])].map((r) => (
              <RouterLink key={r.termGuid} to={`/glossary/terms/${encodeURIComponent(r.termGuid)}`}>
                {r.displayText ?? r.termGuid}
              </RouterLink>
            ))}
            {!t.synonyms?.length && !t.seeAlso?.length && <Body1 className={styles.muted}>None</Body1>}
          </div>
          <Subtitle1 as="h2">Assets with this term</Subtitle1>
          <div className={styles.links}>
            {(t.assignedEntities ?? []).map((a) => (
              <RouterLink key={a.guid} to={`/catalog/assets/${encodeURIComponent(a.guid)}`}>
                {a.displayText ?? a.guid}
              </RouterLink>
            ))}
            {!t.assignedEntities?.length && <Body1 className={styles.muted}>None assigned</Body1>}
          </div>
        </Card>
      )}
    </section>
  );
}

/** Glossaries and their terms; a term opens its page (definition, related terms, assets). */
export function Glossary({ termGuid }: { termGuid?: string }): ReactNode {
  const styles = useStyles();
  const glossaries = useQuery({
    queryKey: ['glossaries'],
    queryFn: () => api<Glossary[]>(G, { query: { limit: -1 } }),
  });
  const [chosen, setChosen] = useState<string | undefined>();
  const current = chosen ?? glossaries.data?.[0]?.guid;
  const terms = useQuery({
    queryKey: ['glossaries', current, 'terms'],
    queryFn: () => api<Term[]>(`${G}/${encodeURIComponent(current!)}/terms`, { query: { limit: -1 } }),
    enabled: !!current && !termGuid,
  });
  if (termGuid) return <TermPage termGuid={termGuid} />;
  return (
    <section>
      <PageHeader title="Glossary" subtitle="Business terms, and the assets they describe." />
      <ErrorBar error={glossaries.error ?? terms.error} />
      {glossaries.isLoading && <Loading />}
      {glossaries.data?.length === 0 && (
        <Body1 className={styles.muted}>No glossaries yet (create one with the Glossary API).</Body1>
      )}
      {!!glossaries.data?.length && (
        <div className={styles.layout}>
          <TabList
            vertical
            selectedValue={current}
            onTabSelect={(_, d) => setChosen(String(d.value))}
            aria-label="Glossaries"
          >
            {glossaries.data.map((g) => (
              <Tab key={g.guid} value={g.guid}>
                {g.name}
              </Tab>
            ))}
          </TabList>
          <div>
            {terms.isLoading && <Loading />}
            {terms.data && (
              <Table aria-label="Terms">
                <TableHeader>
                  <TableRow>
                    <TableHeaderCell>Term</TableHeaderCell>
                    <TableHeaderCell>Status</TableHeaderCell>
                    <TableHeaderCell>Definition</TableHeaderCell>
                    <TableHeaderCell>Assets</TableHeaderCell>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {terms.data.map((t) => (
                    <TableRow key={t.guid}>
                      <TableCell>
                        <RouterLink to={`/glossary/terms/${encodeURIComponent(t.guid)}`}>{t.name}</RouterLink>
                      </TableCell>
                      <TableCell>{t.status ?? 'Draft'}</TableCell>
                      <TableCell>{t.shortDescription ?? ''}</TableCell>
                      <TableCell>{t.assignedEntities?.length ?? 0}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            )}
            {terms.data?.length === 0 && <Body1 className={styles.muted}>No terms in this glossary.</Body1>}
          </div>
        </div>
      )}
    </section>
  );
}

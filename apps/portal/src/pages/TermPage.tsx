import type { ReactNode } from 'react';
import {
  Badge,
  Body1,
  Card,
  CardHeader,
  Subtitle1,
  Table,
  TableBody,
  TableCell,
  TableRow,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useTerm, type AtlasGlossaryTerm } from '../api/glossary';
import { ErrorBar, Loading, PageHeader, StateBadge } from '../components/Common';
import { TermDialog } from '../components/glossary/TermDialog';
import { RouterLink } from '../router';
import { useSession } from '../session';

const useStyles = makeStyles({
  grid: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fit, minmax(360px, 1fr))',
    gap: tokens.spacingHorizontalL,
  },
  card: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  muted: { color: tokens.colorNeutralForeground3 },
  links: { display: 'flex', gap: tokens.spacingHorizontalM, flexWrap: 'wrap' },
  definition: { whiteSpace: 'pre-wrap' },
});

const termLink = (t: { termGuid: string; displayText?: string }): ReactNode => (
  <RouterLink key={t.termGuid} to={`/glossary/terms/${encodeURIComponent(t.termGuid)}`}>
    {t.displayText ?? t.termGuid}
  </RouterLink>
);

function Links({ items, none = 'None' }: { items: ReactNode[]; none?: string }): ReactNode {
  const styles = useStyles();
  return <div className={styles.links}>{items.length ? items : <Body1 className={styles.muted}>{none}</Body1>}</div>;
}

function Relations({ t }: { t: AtlasGlossaryTerm }): ReactNode {
  const rows: [string, ReactNode[]][] = [
    ['Parent term', t.parentTerm ? [termLink(t.parentTerm)] : []],
    ['Synonyms', (t.synonyms ?? []).map(termLink)],
    ['Related terms', (t.seeAlso ?? []).map(termLink)],
    ['Categories', (t.categories ?? []).map((c) => <Badge key={c.categoryGuid}>{c.displayText}</Badge>)],
    ['Experts', (t.contacts?.Expert ?? []).map((c) => <span key={c.id}>{c.id}</span>)],
    ['Stewards', (t.contacts?.Steward ?? []).map((c) => <span key={c.id}>{c.id}</span>)],
  ];
  return (
    <Table size="small" aria-label="Term details">
      <TableBody>
        {rows.map(([label, items]) => (
          <TableRow key={label}>
            <TableCell style={{ width: '140px' }}>{label}</TableCell>
            <TableCell>
              <Links items={items} />
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/** A glossary term: definition, status, hierarchy, related terms, contacts, and the assets it is assigned to. */
export default function TermPage({ termGuid }: { termGuid: string }): ReactNode {
  const styles = useStyles();
  const { permissions } = useSession();
  const term = useTerm(termGuid);
  const t = term.data;
  const path = (t?.hierarchyInfo ?? []).map((h) => h.name).join(' › ');
  return (
    <section>
      <PageHeader
        crumbs={
          <>
            <RouterLink to="/glossary">Glossary</RouterLink>
            {t?.anchor.displayText && ` / ${t.anchor.displayText}`}
          </>
        }
        title={t?.name ?? 'Term'}
        subtitle={t && <StateBadge state={t.status ?? 'Draft'} />}
        actions={
          permissions.curate && t && <TermDialog key={t.updateTime} glossaryGuid={t.anchor.glossaryGuid} term={t} />
        }
      />
      <ErrorBar error={term.error} />
      {term.isLoading && <Loading />}
      {t && (
        <div className={styles.grid}>
          <Card className={styles.card}>
            <CardHeader header={<Subtitle1 as="h2">Definition</Subtitle1>} />
            {t.shortDescription && <Body1>{t.shortDescription}</Body1>}
            {t.longDescription && <Body1 className={styles.definition}>{t.longDescription}</Body1>}
            {!t.shortDescription && !t.longDescription && <Body1 className={styles.muted}>No definition yet.</Body1>}
            {path && <Body1 className={styles.muted}>Hierarchy: {path}</Body1>}
            <Relations t={t} />
          </Card>
          <Card className={styles.card}>
            <CardHeader header={<Subtitle1 as="h2">Assets with this term</Subtitle1>} />
            <Links
              none="None assigned"
              items={(t.assignedEntities ?? []).map((a) => (
                <RouterLink key={a.guid} to={`/catalog/assets/${encodeURIComponent(a.guid)}`}>
                  {a.displayText ?? a.guid}
                </RouterLink>
              ))}
            />
          </Card>
        </div>
      )}
    </section>
  );
}

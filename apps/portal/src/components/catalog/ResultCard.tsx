import type { ReactNode } from 'react';
import { Badge, Caption1, Card, Text, makeStyles, tokens } from '@fluentui/react-components';
import { DocumentTableRegular, FolderRegular, TableRegular } from '@fluentui/react-icons';
import { highlightHtml, type SearchResultValue } from '../../api/catalog';
import { RouterLink } from '../../router';

const useStyles = makeStyles({
  card: { padding: tokens.spacingHorizontalL, gap: tokens.spacingVerticalXS },
  title: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS, fontSize: tokens.fontSizeBase400 },
  qn: { color: tokens.colorNeutralForeground3, wordBreak: 'break-all' },
  badges: { display: 'flex', gap: tokens.spacingHorizontalXS, flexWrap: 'wrap', marginTop: tokens.spacingVerticalXS },
  mark: { '& mark': { backgroundColor: tokens.colorPaletteYellowBackground2, color: 'inherit', padding: '0 1px' } },
});

function icon(entityType: string): ReactNode {
  if (entityType.endsWith('_path') || entityType.endsWith('_resource_set')) return <DocumentTableRegular />;
  if (entityType === 'column' || entityType === 'tabular_schema') return <TableRegular />;
  return <FolderRegular />;
}

/** One search hit: highlighted name and qualified name, type, classifications and terms. */
export function ResultCard({ hit }: { hit: SearchResultValue }): ReactNode {
  const styles = useStyles();
  const highlights = hit['@search.highlights'] ?? {};
  const name = highlights.name?.[0] ?? hit.name;
  const qn = highlights.qualifiedName?.[0] ?? hit.qualifiedName;
  const terms = (hit.term as { name?: string }[]).map((t) => t.name).filter(Boolean);
  return (
    <Card className={`${styles.card} ${styles.mark}`} data-asset={hit.name}>
      <div className={styles.title}>
        {icon(hit.entityType)}
        <RouterLink to={`/catalog/assets/${encodeURIComponent(hit.id)}`}>
          <span dangerouslySetInnerHTML={{ __html: highlightHtml(name) }} />
        </RouterLink>
        <Caption1>{hit.entityType}</Caption1>
      </div>
      <Caption1 className={styles.qn} dangerouslySetInnerHTML={{ __html: highlightHtml(qn) }} />
      {hit.description && <Text>{hit.description}</Text>}
      <div className={styles.badges}>
        {hit.assetType.map((t) => (
          <Badge key={t} appearance="outline" color="informative">
            {t}
          </Badge>
        ))}
        {hit.classification.map((c) => (
          <Badge key={c} appearance="tint" color="brand">
            {c}
          </Badge>
        ))}
        {terms.map((t) => (
          <Badge key={t} appearance="tint" color="success">
            {t}
          </Badge>
        ))}
      </div>
    </Card>
  );
}

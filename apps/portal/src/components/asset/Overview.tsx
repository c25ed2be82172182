import type { ReactNode } from 'react';
import {
  Badge,
  Body1,
  Button,
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
import { DismissRegular } from '@fluentui/react-icons';
import type { AtlasEntity, AtlasObjectId } from '../../api/catalog';
import { useGlossaryMutations } from '../../api/glossary';
import { RouterLink } from '../../router';
import { useSession } from '../../session';
import { display, ErrorBar } from '../Common';
import { AssignTermDialog } from './AssignTermDialog';

const useStyles = makeStyles({
  grid: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fit, minmax(380px, 1fr))',
    gap: tokens.spacingHorizontalL,
  },
  card: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  badges: { display: 'flex', gap: tokens.spacingHorizontalXS, flexWrap: 'wrap' },
  muted: { color: tokens.colorNeutralForeground3 },
  value: { wordBreak: 'break-all' },
  heading: { display: 'flex', justifyContent: 'space-between', alignItems: 'center', gap: tokens.spacingHorizontalS },
  term: { display: 'inline-flex', alignItems: 'center' },
});

function refs(value: AtlasObjectId | AtlasObjectId[] | null | undefined): AtlasObjectId[] {
  return Array.isArray(value) ? value : value ? [value] : [];
}

function time(ms?: number): string {
  return ms ? new Date(ms).toLocaleString() : '—';
}

/** Overview: description, classifications, glossary terms, hierarchy and the asset's main facts. */
export function Overview({ entity }: { entity: AtlasEntity }): ReactNode {
  const styles = useStyles();
  const { permissions } = useSession();
  const { unassign } = useGlossaryMutations();
  // Terms as the entity's `meanings` (AtlasTermAssignmentHeader), else its `meanings` relationship.
  const terms = entity.meanings?.length
    ? entity.meanings.map((m) => ({ guid: m.termGuid, displayText: m.displayText }))
    : refs(entity.relationshipAttributes?.meanings).map((r) => ({ guid: r.guid, displayText: r.displayText }));
  const parents = ['parent', 'container', 'blobContainer', 'filesystem', 'account', 'service']
    .flatMap((k) => refs(entity.relationshipAttributes?.[k]))
    .filter((r) => r.guid);
  return (
    <div className={styles.grid}>
      <Card className={styles.card}>
        <CardHeader header={<Subtitle1 as="h2">Description</Subtitle1>} />
        <Body1 className={entity.attributes.description ? undefined : styles.muted}>
          {entity.attributes.description || 'No description.'}
        </Body1>
        <Subtitle1 as="h2">Classifications</Subtitle1>
        <div className={styles.badges}>
          {(entity.classifications ?? []).length === 0 && <Body1 className={styles.muted}>None</Body1>}
          {(entity.classifications ?? []).map((c) => (
            <Badge key={c.typeName} appearance="tint" color="brand">
              {c.typeName}
            </Badge>
          ))}
        </div>
        <div className={styles.heading}>
          <Subtitle1 as="h2">Glossary terms</Subtitle1>
          {permissions.curate && <AssignTermDialog entityGuid={entity.guid} assigned={terms.map((t) => t.guid)} />}
        </div>
        <div className={styles.badges}>
          {terms.length === 0 && <Body1 className={styles.muted}>None assigned</Body1>}
          {terms.map((t) => (
            <span key={t.guid} className={styles.term} data-term={t.displayText}>
              <RouterLink to={`/glossary/terms/${encodeURIComponent(t.guid)}`}>{t.displayText ?? t.guid}</RouterLink>
              {permissions.curate && (
                <Button
                  size="small"
                  appearance="transparent"
                  icon={<DismissRegular />}
                  aria-label={`Remove ${t.displayText ?? t.guid}`}
                  disabled={unassign.isPending}
                  onClick={() => unassign.mutate({ termGuid: t.guid, entityGuid: entity.guid })}
                />
              )}
            </span>
          ))}
        </div>
        <ErrorBar error={unassign.error} />
      </Card>
      <Card className={styles.card}>
        <CardHeader header={<Subtitle1 as="h2">Asset</Subtitle1>} />
        <Table size="small" aria-label="Asset facts">
          <TableBody>
            <TableRow>
              <TableCell>Asset type</TableCell>
              <TableCell>{entity.typeName}</TableCell>
            </TableRow>
            <TableRow>
              <TableCell>Qualified name</TableCell>
              <TableCell className={styles.value}>{entity.attributes.qualifiedName}</TableCell>
            </TableRow>
            <TableRow>
              <TableCell>Collection</TableCell>
              <TableCell>{entity.collectionId ?? '—'}</TableCell>
            </TableRow>
            <TableRow>
              <TableCell>Created</TableCell>
              <TableCell>{time(entity.createTime)}</TableCell>
            </TableRow>
            <TableRow>
              <TableCell>Updated</TableCell>
              <TableCell>{time(entity.updateTime)}</TableCell>
            </TableRow>
            {parents.map((p) => (
              <TableRow key={p.guid}>
                <TableCell>In</TableCell>
                <TableCell>
                  <RouterLink to={`/catalog/assets/${encodeURIComponent(p.guid)}`}>
                    {p.displayText ?? p.uniqueAttributes?.qualifiedName ?? p.guid}
                  </RouterLink>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </Card>
    </div>
  );
}

/** Properties: every attribute the entity carries, as stored. */
export function Properties({ entity }: { entity: AtlasEntity }): ReactNode {
  const styles = useStyles();
  const entries = Object.entries(entity.attributes).sort(([a], [b]) => a.localeCompare(b));
  return (
    <Table size="small" aria-label="Properties">
      <TableBody>
        {entries.map(([k, v]) => (
          <TableRow key={k}>
            <TableCell>{k}</TableCell>
            <TableCell className={styles.value}>
              <code>{v === null || v === undefined ? 'null' : display(v)}</code>
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/** Related: every relationship attribute with its other ends. */
export function Related({ entity }: { entity: AtlasEntity }): ReactNode {
  const styles = useStyles();
  const entries = Object.entries(entity.relationshipAttributes ?? {})
    .map(([k, v]) => [k, refs(v).filter((r) => r.guid)] as const)
    .filter(([, v]) => v.length > 0);
  if (entries.length === 0) return <Body1 className={styles.muted}>No related assets.</Body1>;
  return (
    <Table size="small" aria-label="Related assets">
      <TableBody>
        {entries.map(([k, v]) => (
          <TableRow key={k}>
            <TableCell>{k}</TableCell>
            <TableCell>
              <div className={styles.badges}>
                {v.map((r) => (
                  <RouterLink key={r.guid} to={`/catalog/assets/${encodeURIComponent(r.guid)}`}>
                    {r.displayText ?? r.uniqueAttributes?.qualifiedName ?? r.guid}
                  </RouterLink>
                ))}
              </div>
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

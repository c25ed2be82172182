import { useState, type ReactNode } from 'react';
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
  TableHeader,
  TableHeaderCell,
  TableRow,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { DeleteRegular } from '@fluentui/react-icons';
import type { ScanRuleset } from '@contracts/scan-rulesets';
import { useCredentialMutations, useScanRulesets, useSystemRulesets } from '../api/credentials';
import { ConfirmButton } from '../components/ConfirmButton';
import { ErrorBar, Loading, PageHeader, StateBadge, formatTime } from '../components/Common';
import { NewRulesetDialog } from '../components/rulesets/NewRulesetDialog';
import { kindInfo } from '../components/scanning/source-kinds';
import { useSession } from '../session';

const useStyles = makeStyles({
  card: { marginTop: tokens.spacingVerticalL, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  badges: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalXS },
  muted: { color: tokens.colorNeutralForeground3 },
});

function RulesetDetails({ ruleset }: { ruleset: ScanRuleset }): ReactNode {
  const styles = useStyles();
  const p = ruleset.properties;
  const types = p.scanningRule?.fileExtensions ?? [];
  const excluded = p.excludedSystemClassifications ?? [];
  return (
    <Card className={styles.card} aria-label={`Scan rule set ${ruleset.name}`}>
      <CardHeader
        header={<Subtitle1 as="h2">{ruleset.name}</Subtitle1>}
        description={`${ruleset.scanRulesetType} · ${kindInfo(ruleset.kind)?.label ?? ruleset.kind} · version ${ruleset.version}`}
      />
      {p.description && <Body1>{p.description}</Body1>}
      <Body1>
        <strong>File types scanned</strong>
      </Body1>
      <div className={styles.badges}>
        {types.length === 0 && <span className={styles.muted}>Not a file source: tables and views</span>}
        {types.map((t) => (
          <Badge key={t} appearance="outline">
            {t}
          </Badge>
        ))}
      </div>
      <Body1>
        <strong>Excluded system classifications</strong>
      </Body1>
      <div className={styles.badges}>
        {excluded.length === 0 && <span className={styles.muted}>None: every system classification applies</span>}
        {excluded.map((c) => (
          <Badge key={c} appearance="tint" color="warning">
            {c}
          </Badge>
        ))}
      </div>
    </Card>
  );
}

/** Data Map → Scan rule sets: the system ones per source type and the account's custom ones (create, view, delete). */
export default function ScanRulesets(): ReactNode {
  const { permissions } = useSession();
  const custom = useScanRulesets();
  const system = useSystemRulesets();
  const { removeRuleset } = useCredentialMutations();
  const [shown, setShown] = useState<string | undefined>();
  const rows = [...(custom.data?.value ?? []), ...(system.data?.value ?? [])];
  const current = rows.find((r) => `${r.scanRulesetType}/${r.name}` === shown);
  return (
    <section>
      <PageHeader
        title="Scan rule sets"
        subtitle="Which file types a scan reads and which classifications it applies."
        actions={permissions.manageSources && <NewRulesetDialog />}
      />
      <ErrorBar error={custom.error ?? system.error ?? removeRuleset.error} />
      {(custom.isLoading || system.isLoading) && <Loading />}
      {rows.length > 0 && (
        <Table aria-label="Scan rule sets">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>Name</TableHeaderCell>
              <TableHeaderCell>Type</TableHeaderCell>
              <TableHeaderCell>Source type</TableHeaderCell>
              <TableHeaderCell>Status</TableHeaderCell>
              <TableHeaderCell>Last modified</TableHeaderCell>
              {permissions.manageSources && <TableHeaderCell aria-label="Actions" />}
            </TableRow>
          </TableHeader>
          <TableBody>
            {rows
              .filter((r) => r.scanRulesetType === 'Custom' || kindInfo(r.kind))
              .map((r) => (
                <TableRow key={`${r.scanRulesetType}/${r.name}`} data-ruleset={r.name}>
                  <TableCell>
                    <Button appearance="transparent" onClick={() => setShown(`${r.scanRulesetType}/${r.name}`)}>
                      {r.name}
                    </Button>
                  </TableCell>
                  <TableCell>{r.scanRulesetType}</TableCell>
                  <TableCell>{kindInfo(r.kind)?.label ?? r.kind}</TableCell>
                  <TableCell>
                    <StateBadge state={r.status} />
                  </TableCell>
                  <TableCell>{formatTime(r.properties.lastModifiedAt)}</TableCell>
                  {permissions.manageSources && (
                    <TableCell>
                      {r.scanRulesetType === 'Custom' && (
                        <ConfirmButton
                          label={`Delete ${r.name}`}
                          icon={<DeleteRegular />}
                          title={`Delete ${r.name}?`}
                          message="Scans that use this rule set must name another first; the API refuses while any does."
                          confirmLabel="Delete"
                          onConfirm={() => removeRuleset.mutate(r.name)}
                        />
                      )}
                    </TableCell>
                  )}
                </TableRow>
              ))}
          </TableBody>
        </Table>
      )}
      {current && <RulesetDetails ruleset={current} />}
    </section>
  );
}

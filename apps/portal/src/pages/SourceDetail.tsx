import type { ReactNode } from 'react';
import {
  Button,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Subtitle1,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { DeleteRegular, PlayRegular } from '@fluentui/react-icons';
import type { Scan } from '@contracts/scanning';
import { useDataSource, useRuns, useScanningMutations, useScans } from '../api/scanning';
import { ErrorBar, Loading, PageHeader, StateBadge, formatTime } from '../components/Common';
import { ConfirmButton } from '../components/ConfirmButton';
import { ScanDialog } from '../components/scanning/ScanDialog';
import { kindInfo, scanSettings, sourceAddress } from '../components/scanning/source-kinds';
import { SourceExplorer } from '../components/scanning/SourceExplorer';
import { navigate, RouterLink } from '../router';
import { useSession } from '../session';

const useStyles = makeStyles({
  section: {
    marginTop: tokens.spacingVerticalXXL,
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalM,
  },
  bar: { display: 'flex', justifyContent: 'space-between', alignItems: 'center' },
  empty: { padding: tokens.spacingVerticalXL, color: tokens.colorNeutralForeground3 },
});

function LastRun({ source, scan }: { source: string; scan: string }): ReactNode {
  const runs = useRuns(source, scan);
  const last = runs.data?.value[0];
  if (!last) return <>{runs.isLoading ? '' : 'Never run'}</>;
  return (
    <>
      <StateBadge state={last.status} /> {formatTime(last.startTime ?? last.queuedTime)}
    </>
  );
}

function ScanRow({ source, scan }: { source: string; scan: Scan }): ReactNode {
  const { permissions } = useSession();
  const { run } = useScanningMutations();
  const to = `/sources/${encodeURIComponent(source)}/scans/${encodeURIComponent(scan.name)}`;
  return (
    <TableRow data-scan={scan.name}>
      <TableCell>
        <RouterLink to={to}>{scan.name}</RouterLink>
      </TableCell>
      <TableCell>{scan.properties.connectedVia?.referenceName ?? 'Azure integration runtime'}</TableCell>
      <TableCell>{scanSettings(scan.properties).credential ?? 'Managed identity'}</TableCell>
      <TableCell>
        {scan.properties.scanRulesetName} ({scan.properties.scanRulesetType})
      </TableCell>
      <TableCell>
        <LastRun source={source} scan={scan.name} />
      </TableCell>
      {permissions.manageSources && (
        <TableCell>
          <Button
            icon={<PlayRegular />}
            disabled={run.isPending}
            onClick={() => run.mutate({ source, scan: scan.name }, { onSuccess: () => navigate(to) })}
          >
            Run now
          </Button>
          <ErrorBar error={run.error} />
        </TableCell>
      )}
    </TableRow>
  );
}

/** A data source: test connection and browse through a runtime, and its scans (create, run now). */
export function SourceDetail({ source }: { source: string }): ReactNode {
  const styles = useStyles();
  const { permissions } = useSession();
  const ds = useDataSource(source);
  const scans = useScans(source);
  const { removeSource } = useScanningMutations();
  return (
    <section>
      <PageHeader
        crumbs={<RouterLink to="/sources">Sources</RouterLink>}
        title={source}
        subtitle={
          ds.data
            ? `${kindInfo(ds.data.kind)?.label ?? ds.data.kind} · ${sourceAddress(ds.data.properties)}`
            : undefined
        }
        actions={
          permissions.manageSources &&
          ds.data && (
            <ConfirmButton
              label={`Delete ${source}`}
              icon={<DeleteRegular />}
              title={`Delete ${source}?`}
              message="The data source goes, and with it its scans, their schedules and run history. Assets already in the catalog stay."
              confirmLabel="Delete"
              onConfirm={() => removeSource.mutate(source, { onSuccess: () => navigate('/sources') })}
            />
          )
        }
      />
      <ErrorBar error={ds.error ?? removeSource.error} title={removeSource.error ? 'Cannot delete' : undefined} />
      {ds.isLoading && <Loading />}
      {permissions.manageSources && ds.data && <SourceExplorer source={source} kind={ds.data.kind} />}
      <div className={styles.section}>
        <div className={styles.bar}>
          <Subtitle1 as="h2">Scans</Subtitle1>
          {permissions.manageSources && ds.data && <ScanDialog source={source} />}
        </div>
        <ErrorBar error={scans.error} />
        {scans.data && scans.data.value.length === 0 && <div className={styles.empty}>No scans yet.</div>}
        {scans.data && scans.data.value.length > 0 && (
          <Table aria-label="Scans">
            <TableHeader>
              <TableRow>
                <TableHeaderCell>Scan</TableHeaderCell>
                <TableHeaderCell>Integration runtime</TableHeaderCell>
                <TableHeaderCell>Credential</TableHeaderCell>
                <TableHeaderCell>Scan rule set</TableHeaderCell>
                <TableHeaderCell>Last run</TableHeaderCell>
                {permissions.manageSources && <TableHeaderCell aria-label="Actions" />}
              </TableRow>
            </TableHeader>
            <TableBody>
              {scans.data.value.map((scan) => (
                <ScanRow key={scan.name} source={source} scan={scan} />
              ))}
            </TableBody>
          </Table>
        )}
      </div>
    </section>
  );
}

export default SourceDetail;

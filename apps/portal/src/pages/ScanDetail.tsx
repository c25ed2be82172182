import type { ReactNode } from 'react';
import {
  Button,
  ProgressBar,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Subtitle1,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { DeleteRegular, DismissCircleRegular, PlayRegular } from '@fluentui/react-icons';
import type { ScanResultWithIngestion } from '@contracts/scanning';
import { isActive, useRuns, useScan, useScanningMutations, useTrigger } from '../api/scanning';
import { ConfirmButton } from '../components/ConfirmButton';
import { ScanDialog } from '../components/scanning/ScanDialog';
import { describeTrigger } from '../components/scanning/schedule';
import { scanSettings } from '../components/scanning/source-kinds';
import { ErrorBar, Loading, PageHeader, StateBadge, formatTime } from '../components/Common';
import { navigate, RouterLink } from '../router';
import { useSession } from '../session';

const useStyles = makeStyles({
  reason: { color: tokens.colorNeutralForeground3, display: 'block', maxWidth: '420px' },
  error: { color: tokens.colorPaletteRedForeground1, display: 'block', maxWidth: '420px' },
  progress: { width: '120px', marginTop: tokens.spacingVerticalXS },
  schedule: { display: 'block', marginBottom: tokens.spacingVerticalL },
  history: { display: 'block', marginBottom: tokens.spacingVerticalS },
});

function duration(run: ScanResultWithIngestion): string {
  const start = run.startTime ?? run.queuedTime;
  if (!start) return '—';
  const end = run.endTime ? Date.parse(run.endTime) : Date.now();
  const seconds = Math.max(0, Math.round((end - Date.parse(start)) / 1000));
  return seconds < 60 ? `${seconds} s` : `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

function RunRow({ run, source, scan }: { run: ScanResultWithIngestion; source: string; scan: string }): ReactNode {
  const styles = useStyles();
  const { permissions } = useSession();
  const { cancel } = useScanningMutations();
  const ingested = run.ingestionExecutionDetails.statistics.assets;
  const failed = run.discoveryExecutionDetails.statistics.assets.failed + ingested.failed;
  const total = Math.max(run.assetsDiscovered, 1);
  const reason = run.error?.message ?? run.errorMessage ?? run.emulatorDiagnostics?.reason;
  return (
    <TableRow data-run={run.id} data-status={run.status}>
      <TableCell>
        <StateBadge state={run.status} />
        {isActive(run) && (
          <ProgressBar
            className={styles.progress}
            value={run.assetsDiscovered ? ingested.succeeded / total : undefined}
            aria-label="Ingestion progress"
          />
        )}
      </TableCell>
      <TableCell>{formatTime(run.startTime ?? run.queuedTime)}</TableCell>
      <TableCell>{duration(run)}</TableCell>
      <TableCell>{run.assetsDiscovered}</TableCell>
      <TableCell>{run.assetsClassified}</TableCell>
      <TableCell>{ingested.succeeded}</TableCell>
      <TableCell>
        {failed}
        {reason && (
          <Text className={run.status === 'Failed' ? styles.error : styles.reason} size={200}>
            {reason}
          </Text>
        )}
        {run.diagnostics.notifications.map((n) => (
          <Text key={n.code + n.message} className={styles.reason} size={200}>
            {n.message}
          </Text>
        ))}
      </TableCell>
      <TableCell>
        {run.runType}
        {run.emulatorDiagnostics?.nodes.length ? (
          <Text className={styles.reason} size={200}>
            on {run.emulatorDiagnostics.nodes.join(', ')}
          </Text>
        ) : null}
      </TableCell>
      {permissions.manageSources && (
        <TableCell>
          {isActive(run) && (
            <Button
              size="small"
              icon={<DismissCircleRegular />}
              onClick={() => cancel.mutate({ source, scan, runId: run.id })}
            >
              Cancel
            </Button>
          )}
        </TableCell>
      )}
    </TableRow>
  );
}

/** A scan and its run history, with live progress while a run is active (polled; no reloads). */
export function ScanDetail({ source, scan }: { source: string; scan: string }): ReactNode {
  const styles = useStyles();
  const { permissions } = useSession();
  const details = useScan(source, scan);
  const runs = useRuns(source, scan);
  const trigger = useTrigger(source, scan);
  const { run, removeScan } = useScanningMutations();
  const props = details.data?.properties;
  const settings = scanSettings(props);
  return (
    <section>
      <PageHeader
        crumbs={
          <>
            <RouterLink to="/sources">Sources</RouterLink> /{' '}
            <RouterLink to={`/sources/${encodeURIComponent(source)}`}>{source}</RouterLink>
          </>
        }
        title={scan}
        subtitle={
          props &&
          [
            `Via ${props.connectedVia?.referenceName ?? 'the Azure integration runtime'}`,
            `credential ${settings.credential ?? 'managed identity'}`,
            settings.databaseName && `database ${settings.databaseName}`,
            `rule set ${props.scanRulesetName} (${props.scanRulesetType})`,
          ]
            .filter(Boolean)
            .join(' · ')
        }
        actions={
          permissions.manageSources &&
          details.data && (
            <>
              <ScanDialog key={details.dataUpdatedAt} source={source} scan={details.data} />
              <ConfirmButton
                label={`Delete ${scan}`}
                icon={<DeleteRegular />}
                title={`Delete ${scan}?`}
                message="The scan, its schedule and its run history go. Assets it brought into the catalog stay."
                confirmLabel="Delete"
                onConfirm={() =>
                  removeScan.mutate(
                    { source, name: scan },
                    { onSuccess: () => navigate(`/sources/${encodeURIComponent(source)}`) },
                  )
                }
              />
              <Button
                appearance="primary"
                icon={<PlayRegular />}
                disabled={run.isPending}
                onClick={() => run.mutate({ source, scan })}
              >
                Run now
              </Button>
            </>
          )
        }
      />
      {trigger.isSuccess && (
        <Text className={styles.schedule} data-testid="scan-schedule">
          <strong>Schedule:</strong> {describeTrigger(trigger.data)}
        </Text>
      )}
      <ErrorBar error={details.error ?? runs.error ?? run.error ?? removeScan.error ?? trigger.error} />
      <Subtitle1 as="h2" className={styles.history}>
        Run history
      </Subtitle1>
      {runs.isLoading && <Loading />}
      {runs.data && (
        <Table aria-label="Run history">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>Status</TableHeaderCell>
              <TableHeaderCell>Started</TableHeaderCell>
              <TableHeaderCell>Duration</TableHeaderCell>
              <TableHeaderCell>Discovered</TableHeaderCell>
              <TableHeaderCell>Classified</TableHeaderCell>
              <TableHeaderCell>Ingested</TableHeaderCell>
              <TableHeaderCell>Errors</TableHeaderCell>
              <TableHeaderCell>Run type</TableHeaderCell>
              {permissions.manageSources && <TableHeaderCell aria-label="Actions" />}
            </TableRow>
          </TableHeader>
          <TableBody>
            {runs.data.value.map((r) => (
              <RunRow key={r.id} run={r} source={source} scan={scan} />
            ))}
          </TableBody>
        </Table>
      )}
      {runs.data?.value.length === 0 && <Text>No runs yet.</Text>}
    </section>
  );
}

export default ScanDetail;

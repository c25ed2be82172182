import type { ReactNode } from 'react';
import {
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useRuntimeStatus, useRuntimes } from '../api/runtimes';
import { ErrorBar, Loading, PageHeader, StateBadge, formatTime } from '../components/Common';
import { NewRuntimeDialog } from '../components/runtimes/NewRuntimeDialog';
import { DeleteRuntimeButton } from '../components/runtimes/DeleteRuntimeButton';
import { RouterLink } from '../router';
import { useSession } from '../session';

const useStyles = makeStyles({
  muted: { color: tokens.colorNeutralForeground3 },
  empty: { padding: tokens.spacingVerticalXXL, textAlign: 'center', color: tokens.colorNeutralForeground3 },
});

function StatusCells({ name }: { name: string }): ReactNode {
  const status = useRuntimeStatus(name);
  const props = status.data?.properties;
  const nodes = props?.typeProperties.nodes ?? [];
  return (
    <>
      <TableCell>{props ? <StateBadge state={props.state} /> : status.isError ? '—' : <Loading label="" />}</TableCell>
      <TableCell>{props ? `${nodes.filter((n) => n.status === 'Online').length} / ${nodes.length}` : ''}</TableCell>
      <TableCell>{props?.typeProperties.version ?? '—'}</TableCell>
      <TableCell>{formatTime(props?.typeProperties.createTime)}</TableCell>
    </>
  );
}

/** Data Map → Integration runtimes: every runtime with its live state, + New and delete. */
export function IntegrationRuntimes(): ReactNode {
  const styles = useStyles();
  const { permissions } = useSession();
  const runtimes = useRuntimes();
  const rows = runtimes.data?.value ?? [];

  return (
    <section aria-labelledby="runtimes-title">
      <PageHeader
        title={<span id="runtimes-title">Integration runtimes</span>}
        subtitle="Self-hosted integration runtimes scan data sources from your own network. Nodes register with an auth key."
        actions={permissions.manageSources && <NewRuntimeDialog />}
      />
      <ErrorBar error={runtimes.error} />
      {runtimes.isLoading && <Loading />}
      {runtimes.data && (
        <Table aria-label="Integration runtimes" size="medium">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>Name</TableHeaderCell>
              <TableHeaderCell>Type</TableHeaderCell>
              <TableHeaderCell>Status</TableHeaderCell>
              <TableHeaderCell>Nodes online</TableHeaderCell>
              <TableHeaderCell>Version</TableHeaderCell>
              <TableHeaderCell>Created</TableHeaderCell>
              <TableHeaderCell>Description</TableHeaderCell>
              {permissions.manageSources && <TableHeaderCell aria-label="Actions" />}
            </TableRow>
          </TableHeader>
          <TableBody>
            {rows.map((ir) => (
              <TableRow key={ir.name} data-runtime={ir.name}>
                <TableCell>
                  <RouterLink to={`/integration-runtimes/${encodeURIComponent(ir.name)}`}>{ir.name}</RouterLink>
                </TableCell>
                <TableCell>{ir.kind === 'SelfHosted' ? 'Self-hosted' : ir.kind}</TableCell>
                <StatusCells name={ir.name} />
                <TableCell>
                  <Text className={styles.muted}>{ir.properties.description || '—'}</Text>
                </TableCell>
                {permissions.manageSources && (
                  <TableCell>
                    <DeleteRuntimeButton name={ir.name} />
                  </TableCell>
                )}
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {runtimes.data && rows.length === 0 && (
        <div className={styles.empty}>
          No integration runtimes yet. {permissions.manageSources && 'Create one with + New.'}
        </div>
      )}
    </section>
  );
}

export default IntegrationRuntimes;

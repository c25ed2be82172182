import { useState, type ReactNode } from 'react';
import {
  Badge,
  Input,
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
import { DeleteRegular } from '@fluentui/react-icons';
import type {
  SelfHostedIntegrationRuntimeNode,
  SelfHostedIntegrationRuntimeStatus,
} from '@contracts/integration-runtimes';
import { useRuntimeMutations } from '../../api/runtimes';
import { ErrorBar, Loading, StateBadge, formatTime } from '../Common';
import { ConfirmButton } from '../ConfirmButton';
import { useSession } from '../../session';

const useStyles = makeStyles({
  reason: { color: tokens.colorNeutralForeground3, display: 'block', maxWidth: '320px' },
  limit: { width: '80px' },
  empty: { padding: tokens.spacingVerticalXXL, textAlign: 'center', color: tokens.colorNeutralForeground3 },
});

function JobsLimit({ runtime, node }: { runtime: string; node: SelfHostedIntegrationRuntimeNode }): ReactNode {
  const styles = useStyles();
  const { permissions } = useSession();
  const { updateNode } = useRuntimeMutations(runtime);
  const [value, setValue] = useState<string | null>(null);
  if (!permissions.manageSources) return <>{node.concurrentJobsLimit}</>;
  const commit = (): void => {
    const limit = Number(value);
    if (value !== null && Number.isInteger(limit) && limit !== node.concurrentJobsLimit)
      updateNode.mutate({ node: node.nodeName, concurrentJobsLimit: limit }, { onSettled: () => setValue(null) });
    else setValue(null);
  };
  return (
    <>
      <Input
        className={styles.limit}
        type="number"
        min={1}
        max={node.maxConcurrentJobs}
        aria-label={`Concurrent jobs limit of ${node.nodeName} (at most ${node.maxConcurrentJobs})`}
        value={value ?? String(node.concurrentJobsLimit)}
        onChange={(_, d) => setValue(d.value)}
        onBlur={commit}
        onKeyDown={(e) => e.key === 'Enter' && commit()}
      />
      <ErrorBar error={updateNode.error} />
    </>
  );
}

/** The Nodes tab: each node's live status (polled; no reloads) with the emulator's plain-words reason. */
export function RuntimeNodes({
  name,
  status,
  error,
}: {
  name: string;
  status?: SelfHostedIntegrationRuntimeStatus;
  error: unknown;
}): ReactNode {
  const styles = useStyles();
  const { permissions } = useSession();
  const { removeNode } = useRuntimeMutations(name);
  if (error) return <ErrorBar error={error} />;
  if (!status) return <Loading />;
  const nodes = status.properties.typeProperties.nodes;
  const reasons = new Map((status.emulatorDiagnostics?.nodes ?? []).map((n) => [n.nodeName, n.statusReason]));
  if (nodes.length === 0)
    return (
      <div className={styles.empty}>
        No nodes yet. Register one with a key from Settings; it shows up here without a reload.
      </div>
    );
  return (
    <>
      <ErrorBar error={removeNode.error} />
      <Table aria-label="Nodes">
        <TableHeader>
          <TableRow>
            <TableHeaderCell>Node</TableHeaderCell>
            <TableHeaderCell>Status</TableHeaderCell>
            <TableHeaderCell>Version</TableHeaderCell>
            <TableHeaderCell>Role</TableHeaderCell>
            <TableHeaderCell>Concurrent jobs limit</TableHeaderCell>
            <TableHeaderCell>Last heartbeat</TableHeaderCell>
            {permissions.manageSources && <TableHeaderCell aria-label="Actions" />}
          </TableRow>
        </TableHeader>
        <TableBody>
          {nodes.map((node) => (
            <TableRow key={node.nodeName} data-node={node.nodeName}>
              <TableCell>
                <Text weight="semibold">{node.nodeName}</Text>
                <Text className={styles.reason} size={200}>
                  {node.machineName}
                </Text>
              </TableCell>
              <TableCell>
                <StateBadge state={node.status} />
                {reasons.get(node.nodeName) && (
                  <Text className={styles.reason} size={200}>
                    {reasons.get(node.nodeName)}
                  </Text>
                )}
              </TableCell>
              <TableCell>
                {node.version}
                <Text className={styles.reason} size={200}>
                  {node.versionStatus}
                </Text>
              </TableCell>
              <TableCell>
                {node.isActiveDispatcher ? (
                  <Badge appearance="outline" color="brand">
                    Dispatcher
                  </Badge>
                ) : (
                  'Worker'
                )}
              </TableCell>
              <TableCell>
                <JobsLimit runtime={name} node={node} />
              </TableCell>
              <TableCell>{formatTime(node.lastConnectTime)}</TableCell>
              {permissions.manageSources && (
                <TableCell>
                  <ConfirmButton
                    label={`Remove ${node.nodeName}`}
                    icon={<DeleteRegular />}
                    title={`Remove ${node.nodeName}?`}
                    message="The node's credential is revoked; it must register again with an auth key to work."
                    confirmLabel="Remove"
                    disabled={removeNode.isPending}
                    onConfirm={() => removeNode.mutate(node.nodeName)}
                  />
                </TableCell>
              )}
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </>
  );
}

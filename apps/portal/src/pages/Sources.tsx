import type { ReactNode } from 'react';
import {
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useDataSources } from '../api/scanning';
import { ErrorBar, Loading, PageHeader, formatTime } from '../components/Common';
import { kindInfo, sourceAddress } from '../components/scanning/source-kinds';
import { RegisterSourceDialog } from '../components/scanning/RegisterSourceDialog';
import { RouterLink } from '../router';
import { useSession } from '../session';

const useStyles = makeStyles({
  endpoint: { wordBreak: 'break-all' },
  empty: { padding: tokens.spacingVerticalXXL, textAlign: 'center', color: tokens.colorNeutralForeground3 },
});

/** Data Map → Sources: registered data sources; Register; each opens its scans. */
export function Sources(): ReactNode {
  const styles = useStyles();
  const { permissions } = useSession();
  const sources = useDataSources();
  const rows = sources.data?.value ?? [];
  return (
    <section>
      <PageHeader
        title="Sources and scanning"
        subtitle="Register a data source, set up a scan through an integration runtime, run it and watch it."
        actions={permissions.manageSources && <RegisterSourceDialog />}
      />
      <ErrorBar error={sources.error} />
      {sources.isLoading && <Loading />}
      {sources.data && (
        <Table aria-label="Data sources">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>Name</TableHeaderCell>
              <TableHeaderCell>Source type</TableHeaderCell>
              <TableHeaderCell>Endpoint</TableHeaderCell>
              <TableHeaderCell>Collection</TableHeaderCell>
              <TableHeaderCell>Registered</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {rows.map((s) => (
              <TableRow key={s.name} data-source={s.name}>
                <TableCell>
                  <RouterLink to={`/sources/${encodeURIComponent(s.name)}`}>{s.name}</RouterLink>
                </TableCell>
                <TableCell>{kindInfo(s.kind)?.label ?? s.kind}</TableCell>
                <TableCell>
                  <code className={styles.endpoint}>{sourceAddress(s.properties) || '—'}</code>
                </TableCell>
                <TableCell>{s.properties.collection?.referenceName ?? '—'}</TableCell>
                <TableCell>{formatTime(s.properties.createdAt)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {sources.data && rows.length === 0 && <div className={styles.empty}>No data sources registered yet.</div>}
    </section>
  );
}

export default Sources;

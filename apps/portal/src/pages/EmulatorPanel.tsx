import { type ReactNode } from 'react';
import {
  Body1,
  Button,
  Card,
  CardHeader,
  Link,
  Subtitle1,
  Table,
  TableBody,
  TableCell,
  TableRow,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, publicApi } from '../api/client';
import { CopyField } from '../components/CopyField';
import { ErrorBar, Loading, PageHeader, StateBadge, formatTime } from '../components/Common';
import { useSession } from '../session';

const useStyles = makeStyles({
  grid: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fit, minmax(400px, 1fr))',
    gap: tokens.spacingHorizontalL,
  },
  card: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  buttons: { display: 'flex', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
  muted: { color: tokens.colorNeutralForeground3 },
});

interface Info {
  account: string;
  version: string;
  endpoint: string;
  httpsEndpoint: string;
  caCertificate: string;
  inMemory: boolean;
  tokenEndpoint: string;
  wellKnownCredentials: { tenantId: string; clientId: string; clientSecret?: string; scope: string };
  storage: { blobEndpoint: string; queueEndpoint: string };
}
interface Health {
  status: string;
  checks?: Record<string, unknown>;
  [k: string]: unknown;
}
interface Clock {
  now: string;
  offsetSeconds: number;
}

const STEPS: [string, number][] = [
  ['+1 hour', 3600],
  ['+1 day', 86400],
  ['+7 days', 7 * 86400],
];

/** The emulator itself: health, the clock (move it, reset it), the well-known credentials and CA line, API docs. */
export function EmulatorPanel(): ReactNode {
  const styles = useStyles();
  const { permissions } = useSession();
  const queries = useQueryClient();
  const info = useQuery({ queryKey: ['emulator', 'info'], queryFn: () => publicApi<Info>('/_emulator/info') });
  const health = useQuery({
    queryKey: ['emulator', 'health'],
    queryFn: () => publicApi<Health>('/_emulator/health'),
    refetchInterval: 5000,
  });
  const clock = useQuery({
    queryKey: ['emulator', 'clock'],
    queryFn: () => publicApi<Clock>('/_emulator/clock'),
    refetchInterval: 1000,
  });
  const move = useMutation({
    mutationFn: (advanceSeconds: number | null) =>
      advanceSeconds === null
        ? api<Clock>('/_emulator/clock', { method: 'DELETE' })
        : api<Clock>('/_emulator/clock', { method: 'PUT', body: { advanceSeconds } }),
    onSuccess: () => queries.invalidateQueries(),
  });
  const creds = info.data?.wellKnownCredentials;

  return (
    <section>
      <PageHeader title="Emulator" subtitle="The local stand-in itself: its health, its clock and how to reach it." />
      <div className={styles.grid}>
        <Card className={styles.card}>
          <CardHeader
            header={<Subtitle1 as="h2">Health</Subtitle1>}
            action={health.data && <StateBadge state={health.data.status} />}
          />
          {health.isLoading && <Loading />}
          {info.data && (
            <Table size="small" aria-label="Emulator">
              <TableBody>
                <TableRow>
                  <TableCell>Account</TableCell>
                  <TableCell>{info.data.account}</TableCell>
                </TableRow>
                <TableRow>
                  <TableCell>Version</TableCell>
                  <TableCell>{info.data.version}</TableCell>
                </TableRow>
                <TableRow>
                  <TableCell>Endpoint</TableCell>
                  <TableCell>
                    {info.data.endpoint} · {info.data.httpsEndpoint}
                  </TableCell>
                </TableRow>
                <TableRow>
                  <TableCell>Data</TableCell>
                  <TableCell>{info.data.inMemory ? 'in memory (gone when it stops)' : 'on disk'}</TableCell>
                </TableRow>
                <TableRow>
                  <TableCell>Storage</TableCell>
                  <TableCell>{info.data.storage.blobEndpoint}</TableCell>
                </TableRow>
              </TableBody>
            </Table>
          )}
        </Card>
        <Card className={styles.card}>
          <CardHeader header={<Subtitle1 as="h2">Clock</Subtitle1>} />
          <Text size={500} weight="semibold" aria-live="polite">
            {clock.data ? formatTime(clock.data.now) : '—'}
          </Text>
          <Body1 className={styles.muted}>
            {clock.data?.offsetSeconds
              ? `${Math.round(clock.data.offsetSeconds / 60)} minutes ahead of real time.`
              : 'Real time.'}{' '}
            Moving it expires tokens, node heartbeats and interactive authoring as time passing would.
          </Body1>
          <div className={styles.buttons}>
            {STEPS.map(([label, seconds]) => (
              <Button
                key={label}
                disabled={!permissions.controlEmulator || move.isPending}
                onClick={() => move.mutate(seconds)}
              >
                {label}
              </Button>
            ))}
            <Button
              appearance="primary"
              disabled={!permissions.controlEmulator || move.isPending || !clock.data?.offsetSeconds}
              onClick={() => move.mutate(null)}
            >
              Reset to real time
            </Button>
          </div>
          <ErrorBar error={move.error} />
        </Card>
        <Card className={styles.card}>
          <CardHeader header={<Subtitle1 as="h2">Well-known credentials</Subtitle1>} />
          {creds && (
            <>
              <CopyField label="Tenant id" value={creds.tenantId} />
              <CopyField label="Client id" value={creds.clientId} />
              {creds.clientSecret && <CopyField label="Client secret" value={creds.clientSecret} />}
              <CopyField label="Scope" value={creds.scope} />
              <CopyField label="Token endpoint" value={info.data!.tokenEndpoint} />
              <CopyField
                label="Trust the HTTPS port"
                value={`NODE_EXTRA_CA_CERTS=${info.data!.caCertificate}`}
                hint="For the Azure SDKs, which need HTTPS."
              />
            </>
          )}
        </Card>
        <Card className={styles.card}>
          <CardHeader header={<Subtitle1 as="h2">API documentation</Subtitle1>} />
          <Body1>
            The portal calls the same APIs your code does:{' '}
            <Link href="https://learn.microsoft.com/rest/api/purview/scanningdataplane/operation-groups?view=rest-purview-scanningdataplane-2023-09-01">
              Scanning
            </Link>
            ,{' '}
            <Link href="https://learn.microsoft.com/rest/api/purview/datamapdataplane/operation-groups?view=rest-purview-datamapdataplane-2023-09-01">
              Data Map
            </Link>{' '}
            (2023-09-01), and the emulator's own <code>/_emulator</code> routes (README, "Emulator extensions").
          </Body1>
          <ErrorBar error={info.error ?? health.error} />
        </Card>
      </div>
    </section>
  );
}

export default EmulatorPanel;

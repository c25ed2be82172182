import { useEffect, useState, type ReactNode } from 'react';
import {
  Body1,
  Button,
  Card,
  CardHeader,
  Field,
  Subtitle1,
  Switch,
  Text,
  Textarea,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { ArrowClockwiseRegular, SaveRegular } from '@fluentui/react-icons';
import type { IntegrationRuntime, SelfHostedIntegrationRuntimeStatus } from '@contracts/integration-runtimes';
import { useAuthKeys, useRuntimeMutations } from '../../api/runtimes';
import { CopyField } from '../CopyField';
import { ErrorBar, Loading, formatTime } from '../Common';
import { useSession } from '../../session';
import { ServiceUrlsDialog } from './ServiceUrlsDialog';

const useStyles = makeStyles({
  grid: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fit, minmax(420px, 1fr))',
    gap: tokens.spacingHorizontalL,
  },
  card: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  row: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'flex-end' },
  grow: { flexGrow: 1 },
  muted: { color: tokens.colorNeutralForeground3 },
});

function AuthKeys({ name }: { name: string }): ReactNode {
  const styles = useStyles();
  const keys = useAuthKeys(name, true);
  const { regenerate } = useRuntimeMutations(name);
  const key1 = keys.data?.authKey1 ?? '';
  return (
    <Card className={styles.card}>
      <CardHeader header={<Subtitle1 as="h2">Authentication keys</Subtitle1>} />
      <Body1 className={styles.muted}>
        Install a node on a machine that can reach your data, then register it with either key. Regenerating a key keeps
        the nodes registered with it.
      </Body1>
      <ErrorBar error={keys.error ?? regenerate.error} />
      {keys.isLoading && <Loading />}
      {keys.data &&
        (['authKey1', 'authKey2'] as const).map((k, i) => (
          <div key={k} className={styles.row}>
            <div className={styles.grow}>
              <CopyField label={`Key ${i + 1}`} value={keys.data[k] ?? ''} />
            </div>
            <Button
              icon={<ArrowClockwiseRegular />}
              disabled={regenerate.isPending}
              onClick={() => regenerate.mutate(k)}
              aria-label={`Regenerate key ${i + 1}`}
            >
              Regenerate
            </Button>
          </div>
        ))}
      {key1 && (
        <CopyField
          label="Register a node"
          value={`npx shir register --key '${key1}'`}
          hint="Run it from the repository, then `npx shir start` on the same machine."
        />
      )}
    </Card>
  );
}

function Description({ runtime }: { runtime: IntegrationRuntime }): ReactNode {
  const styles = useStyles();
  const { permissions } = useSession();
  const [value, setValue] = useState(runtime.properties.description ?? '');
  const { save } = useRuntimeMutations(runtime.name);
  useEffect(() => setValue(runtime.properties.description ?? ''), [runtime.properties.description]);
  const changed = value !== (runtime.properties.description ?? '');
  return (
    <Card className={styles.card}>
      <CardHeader header={<Subtitle1 as="h2">Details</Subtitle1>} />
      <Field label="Description">
        <Textarea value={value} onChange={(_, d) => setValue(d.value)} readOnly={!permissions.manageSources} />
      </Field>
      {permissions.manageSources && (
        <div>
          <Button
            icon={<SaveRegular />}
            appearance="primary"
            disabled={!changed || save.isPending}
            onClick={() => save.mutate({ runtime: runtime.name, description: value })}
          >
            Save
          </Button>
        </div>
      )}
      <ErrorBar error={save.error} />
    </Card>
  );
}

function InteractiveAuthoring({ name, status }: { name: string; status?: SelfHostedIntegrationRuntimeStatus }) {
  const styles = useStyles();
  const { permissions } = useSession();
  const { interactive } = useRuntimeMutations(name);
  const query = status?.properties.typeProperties.interactiveQuery;
  const enabled = query?.status === 'Enabled';
  const remaining =
    enabled && query?.autoTerminationTime
      ? Math.max(0, Math.round((Date.parse(query.autoTerminationTime) - Date.now()) / 60000))
      : undefined;
  return (
    <Card className={styles.card}>
      <CardHeader header={<Subtitle1 as="h2">Interactive authoring</Subtitle1>} />
      <Body1 className={styles.muted}>
        Lets test connection and browse reach data through this runtime. It turns itself off after an hour.
      </Body1>
      <Switch
        label={
          enabled
            ? `On${remaining !== undefined ? ` — ${remaining} min left (until ${formatTime(query?.autoTerminationTime)})` : ''}`
            : 'Off'
        }
        checked={enabled}
        disabled={!permissions.manageSources || interactive.isPending || !status}
        onChange={(_, d) => interactive.mutate(d.checked)}
      />
      {query?.disabledReason && <Text className={styles.muted}>{query.disabledReason}</Text>}
      <ErrorBar error={interactive.error} />
    </Card>
  );
}

export function RuntimeSettings({
  runtime,
  status,
}: {
  runtime: IntegrationRuntime;
  status?: SelfHostedIntegrationRuntimeStatus;
}): ReactNode {
  const styles = useStyles();
  const { permissions } = useSession();
  return (
    <div className={styles.grid}>
      <Description runtime={runtime} />
      {permissions.manageSources && <AuthKeys name={runtime.name} />}
      <InteractiveAuthoring name={runtime.name} status={status} />
      <Card className={styles.card}>
        <CardHeader header={<Subtitle1 as="h2">Service URLs</Subtitle1>} />
        <Body1 className={styles.muted}>
          The addresses a node must reach (allow them through your firewall or proxy).
        </Body1>
        <div>
          <ServiceUrlsDialog name={runtime.name} />
        </div>
      </Card>
    </div>
  );
}

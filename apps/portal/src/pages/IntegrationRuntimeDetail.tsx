import { useState, type ReactNode } from 'react';
import { Tab, TabList, makeStyles, tokens } from '@fluentui/react-components';
import { useRuntime, useRuntimeStatus } from '../api/runtimes';
import { ErrorBar, Loading, PageHeader, StateBadge } from '../components/Common';
import { DeleteRuntimeButton } from '../components/runtimes/DeleteRuntimeButton';
import { RuntimeSettings } from '../components/runtimes/RuntimeSettings';
import { RuntimeNodes } from '../components/runtimes/RuntimeNodes';
import { navigate, RouterLink } from '../router';
import { useSession } from '../session';

const useStyles = makeStyles({ tabs: { marginBottom: tokens.spacingVerticalL } });

/** One integration runtime: Settings (description, keys, service URLs, interactive authoring) and Nodes. */
export function IntegrationRuntimeDetail({ name }: { name: string }): ReactNode {
  const styles = useStyles();
  const { permissions } = useSession();
  const [tab, setTab] = useState<'settings' | 'nodes'>('settings');
  const runtime = useRuntime(name);
  const status = useRuntimeStatus(name);
  const state = status.data?.properties.state;
  const reason = status.data?.emulatorDiagnostics?.stateReason;

  return (
    <section>
      <PageHeader
        crumbs={<RouterLink to="/integration-runtimes">Integration runtimes</RouterLink>}
        title={
          <>
            {name} {state && <StateBadge state={state} />}
          </>
        }
        subtitle={reason ?? 'Self-hosted integration runtime'}
        actions={
          permissions.manageSources && (
            <DeleteRuntimeButton labelled name={name} onDeleted={() => navigate('/integration-runtimes')} />
          )
        }
      />
      <ErrorBar error={runtime.error} />
      {runtime.isLoading && <Loading />}
      {runtime.data && (
        <>
          <TabList
            className={styles.tabs}
            selectedValue={tab}
            onTabSelect={(_, d) => setTab(d.value as 'settings' | 'nodes')}
          >
            <Tab value="settings">Settings</Tab>
            <Tab value="nodes">Nodes ({status.data?.properties.typeProperties.nodes.length ?? 0})</Tab>
          </TabList>
          {tab === 'settings' ? (
            <RuntimeSettings runtime={runtime.data} status={status.data} />
          ) : (
            <RuntimeNodes name={name} status={status.data} error={status.error} />
          )}
        </>
      )}
    </section>
  );
}

export default IntegrationRuntimeDetail;

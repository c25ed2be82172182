import { useState, type ReactNode } from 'react';
import { Tab, TabList, makeStyles, tokens } from '@fluentui/react-components';
import { useEntity } from '../api/catalog';
import { ErrorBar, Loading, PageHeader } from '../components/Common';
import { LineageGraph } from '../components/asset/LineageGraph';
import { Overview, Properties, Related } from '../components/asset/Overview';
import { SchemaTable } from '../components/asset/SchemaTable';
import { RouterLink } from '../router';

type AssetTab = 'overview' | 'schema' | 'properties' | 'lineage' | 'related';

const useStyles = makeStyles({ tabs: { marginBottom: tokens.spacingVerticalL } });

/** An asset: overview, schema, properties, lineage graph and related assets. */
export function AssetPage({ guid }: { guid: string }): ReactNode {
  const styles = useStyles();
  const [tab, setTab] = useState<AssetTab>('overview');
  const entity = useEntity(guid);
  const e = entity.data?.entity;
  return (
    <section>
      <PageHeader
        crumbs={<RouterLink to="/catalog">Data catalog</RouterLink>}
        title={e ? String(e.attributes.name ?? e.attributes.qualifiedName) : 'Asset'}
        subtitle={e?.typeName}
      />
      <ErrorBar error={entity.error} />
      {entity.isLoading && <Loading />}
      {e && (
        <>
          <TabList className={styles.tabs} selectedValue={tab} onTabSelect={(_, d) => setTab(d.value as AssetTab)}>
            <Tab value="overview">Overview</Tab>
            <Tab value="schema">Schema</Tab>
            <Tab value="properties">Properties</Tab>
            <Tab value="lineage">Lineage</Tab>
            <Tab value="related">Related</Tab>
          </TabList>
          {tab === 'overview' && <Overview entity={e} />}
          {tab === 'schema' && <SchemaTable entity={e} />}
          {tab === 'properties' && <Properties entity={e} />}
          {tab === 'lineage' && <LineageGraph guid={e.guid} />}
          {tab === 'related' && <Related entity={e} />}
        </>
      )}
    </section>
  );
}

export default AssetPage;

import { useState, type ReactNode } from 'react';
import { Body1, Subtitle1, Tree, TreeItem, TreeItemLayout, makeStyles, tokens } from '@fluentui/react-components';
import { FolderRegular } from '@fluentui/react-icons';
import { useCollections, useSearch, type CollectionView } from '../api/catalog';
import { Pager } from '../components/catalog/Pager';
import { ResultCard } from '../components/catalog/ResultCard';
import { ErrorBar, Loading, PageHeader } from '../components/Common';
import { navigate } from '../router';
import { useSession } from '../session';

const PAGE = 10;

const useStyles = makeStyles({
  layout: {
    display: 'grid',
    gridTemplateColumns: 'minmax(220px, 300px) 1fr',
    gap: tokens.spacingHorizontalXXL,
    alignItems: 'start',
  },
  selected: { backgroundColor: tokens.colorSubtleBackgroundSelected, fontWeight: tokens.fontWeightSemibold },
  muted: { color: tokens.colorNeutralForeground3 },
  about: { display: 'block', color: tokens.colorNeutralForeground3, marginTop: tokens.spacingVerticalXS },
  assets: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, minWidth: 0 },
});

const label = (c: CollectionView): string => c.friendlyName || c.name;

/** The assets whose collection is `name` (search's collectionId filter), a page at a time. */
function CollectionAssets({ collection }: { collection: CollectionView }): ReactNode {
  const styles = useStyles();
  const { permissions } = useSession();
  const [tokens, setTokens] = useState<(string | undefined)[]>([undefined]);
  const results = useSearch('', { collectionId: [collection.name] }, tokens[tokens.length - 1], PAGE);
  const data = results.data;
  return (
    <div className={styles.assets} aria-live="polite" aria-busy={results.isFetching}>
      <div>
        <Subtitle1 as="h2" block>
          {label(collection)}
        </Subtitle1>
        <Body1 className={styles.about}>{collection.description || `Collection ${collection.name}`}</Body1>
      </div>
      {!permissions.readCatalog && <Body1 className={styles.muted}>Reading assets takes the Data Reader role.</Body1>}
      <ErrorBar error={permissions.readCatalog ? results.error : null} />
      {results.isLoading && <Loading />}
      {data && (
        <Body1>
          {data['@search.count'] ? `${data['@search.count'].toLocaleString()} assets` : 'No assets in this collection.'}
        </Body1>
      )}
      {data?.value.map((hit) => (
        <ResultCard key={hit.id} hit={hit} />
      ))}
      {data && <Pager label="Asset pages" stack={tokens} next={data.continuationToken} onChange={setTokens} />}
    </div>
  );
}

/** Data Map → Collections: the collection tree, and the assets in the one picked. */
export default function Collections({ name }: { name?: string }): ReactNode {
  const styles = useStyles();
  const collections = useCollections();
  const all = collections.data?.value ?? [];
  const known = new Set(all.map((c) => c.name));
  const parentOf = (c: CollectionView): string | undefined =>
    c.parentCollection && known.has(c.parentCollection.referenceName) ? c.parentCollection.referenceName : undefined;
  const under = (parent?: string): CollectionView[] =>
    all.filter((c) => parentOf(c) === parent).sort((a, b) => label(a).localeCompare(label(b)));
  const current = all.find((c) => c.name === name) ?? under(undefined)[0];
  const open = (collection: string): void => navigate(`/collections/${encodeURIComponent(collection)}`);
  const item = (c: CollectionView): ReactNode => {
    const children = under(c.name);
    const selected = c.name === current?.name;
    return (
      <TreeItem
        key={c.name}
        itemType={children.length ? 'branch' : 'leaf'}
        value={c.name}
        // The keyboard picks a collection as a click does (Enter on the focused item).
        onKeyDown={(e) => e.key === 'Enter' && e.currentTarget === e.target && open(c.name)}
      >
        <TreeItemLayout
          iconBefore={<FolderRegular />}
          className={selected ? styles.selected : undefined}
          aria-current={selected ? 'true' : undefined}
          onClick={() => open(c.name)}
        >
          {label(c)}
        </TreeItemLayout>
        {children.length > 0 && <Tree>{children.map(item)}</Tree>}
      </TreeItem>
    );
  };
  return (
    <section>
      <PageHeader
        title="Collections"
        subtitle="How the data map is organized: each asset and source belongs to one collection."
      />
      <ErrorBar error={collections.error} />
      {collections.isLoading && <Loading />}
      {all.length > 0 && (
        <div className={styles.layout}>
          <Tree aria-label="Collections" defaultOpenItems={all.map((c) => c.name)}>
            {under(undefined).map(item)}
          </Tree>
          {current && <CollectionAssets key={current.name} collection={current} />}
        </div>
      )}
    </section>
  );
}

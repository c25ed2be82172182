import { useState, type ReactNode } from 'react';
import {
  Body1,
  Dropdown,
  Field,
  Option,
  Subtitle2,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Tree,
  TreeItem,
  TreeItemLayout,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { FolderRegular, TagMultipleRegular } from '@fluentui/react-icons';
import { termTree, useGlossaries, useGlossaryDetails, type AtlasGlossaryCategory } from '../api/glossary';
import { ErrorBar, Loading, PageHeader, StateBadge } from '../components/Common';
import { NewCategoryDialog, NewGlossaryDialog } from '../components/glossary/GlossaryDialogs';
import { TermDialog } from '../components/glossary/TermDialog';
import { RouterLink } from '../router';
import { useSession } from '../session';

const useStyles = makeStyles({
  layout: {
    display: 'grid',
    gridTemplateColumns: 'minmax(200px, 260px) 1fr',
    gap: tokens.spacingHorizontalXXL,
    alignItems: 'start',
  },
  side: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  muted: { color: tokens.colorNeutralForeground3 },
  selected: { backgroundColor: tokens.colorSubtleBackgroundSelected, fontWeight: tokens.fontWeightSemibold },
  actions: { display: 'flex', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
});

/** Categories as a tree (parentCategory); picking one filters the terms. */
function CategoryTree({
  categories,
  selected,
  onSelect,
}: {
  categories: AtlasGlossaryCategory[];
  selected?: string;
  onSelect: (guid?: string) => void;
}): ReactNode {
  const styles = useStyles();
  const under = (parent?: string): AtlasGlossaryCategory[] =>
    categories
      .filter((c) => (c.parentCategory?.categoryGuid ?? undefined) === parent)
      .sort((a, b) => a.name.localeCompare(b.name));
  const item = (c: AtlasGlossaryCategory): ReactNode => {
    const children = under(c.guid);
    return (
      <TreeItem
        key={c.guid}
        itemType={children.length ? 'branch' : 'leaf'}
        value={c.guid}
        onKeyDown={(e) => e.key === 'Enter' && e.currentTarget === e.target && onSelect(c.guid)}
      >
        <TreeItemLayout
          iconBefore={<FolderRegular />}
          className={selected === c.guid ? styles.selected : undefined}
          aria-current={selected === c.guid ? 'true' : undefined}
          onClick={() => onSelect(c.guid)}
        >
          {c.name}
        </TreeItemLayout>
        {children.length > 0 && <Tree>{children.map(item)}</Tree>}
      </TreeItem>
    );
  };
  return (
    <Tree aria-label="Categories" defaultOpenItems={categories.map((c) => c.guid)}>
      <TreeItem
        itemType="leaf"
        value=""
        onKeyDown={(e) => e.key === 'Enter' && e.currentTarget === e.target && onSelect(undefined)}
      >
        <TreeItemLayout
          iconBefore={<TagMultipleRegular />}
          className={!selected ? styles.selected : undefined}
          aria-current={!selected ? 'true' : undefined}
          onClick={() => onSelect(undefined)}
        >
          All terms
        </TreeItemLayout>
      </TreeItem>
      {under(undefined).map(item)}
    </Tree>
  );
}

/** Data Catalog → Glossary: glossaries, their category tree and term hierarchy; create glossaries, categories, terms. */
export default function Glossary(): ReactNode {
  const styles = useStyles();
  const { permissions } = useSession();
  const glossaries = useGlossaries();
  const [chosen, setChosen] = useState<string | undefined>();
  const [category, setCategory] = useState<string | undefined>();
  const current = chosen ?? glossaries.data?.[0]?.guid;
  const details = useGlossaryDetails(current);
  const categories = Object.values(details.data?.categoryInfo ?? {});
  const inCategory = (guids: string[] | undefined): boolean => !category || !!guids?.includes(category);
  const terms = termTree(Object.values(details.data?.termInfo ?? {})).filter(({ term }) =>
    inCategory(term.categories?.map((c) => c.categoryGuid)),
  );
  const selectedCategory = categories.find((c) => c.guid === category);
  return (
    <section>
      <PageHeader
        title="Glossary"
        subtitle="Business terms, how they relate, and the assets they describe."
        actions={
          permissions.curate && (
            <div className={styles.actions}>
              <NewGlossaryDialog onCreated={(g) => (setChosen(g), setCategory(undefined))} />
              {current && <NewCategoryDialog glossaryGuid={current} parent={selectedCategory} />}
              {current && <TermDialog glossaryGuid={current} />}
            </div>
          )
        }
      />
      <ErrorBar error={glossaries.error ?? details.error} />
      {glossaries.isLoading && <Loading />}
      {glossaries.data?.length === 0 && <Body1 className={styles.muted}>No glossaries yet.</Body1>}
      {!!glossaries.data?.length && (
        <div className={styles.layout}>
          <div className={styles.side}>
            <Field label="Glossary">
              <Dropdown
                value={glossaries.data.find((g) => g.guid === current)?.name ?? ''}
                selectedOptions={current ? [current] : []}
                onOptionSelect={(_, d) => (setChosen(d.optionValue), setCategory(undefined))}
              >
                {glossaries.data.map((g) => (
                  <Option key={g.guid} value={g.guid}>
                    {g.name}
                  </Option>
                ))}
              </Dropdown>
            </Field>
            <Subtitle2 as="h2">Categories</Subtitle2>
            <CategoryTree categories={categories} selected={category} onSelect={setCategory} />
          </div>
          <div>
            {details.isLoading && <Loading />}
            {details.data && (
              <Table aria-label="Terms">
                <TableHeader>
                  <TableRow>
                    <TableHeaderCell>Term</TableHeaderCell>
                    <TableHeaderCell>Status</TableHeaderCell>
                    <TableHeaderCell>Definition</TableHeaderCell>
                    <TableHeaderCell>Assets</TableHeaderCell>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {terms.map(({ term: t, depth }) => (
                    <TableRow key={t.guid} data-term={t.name}>
                      <TableCell>
                        <span style={{ paddingLeft: `${depth * 20}px` }}>
                          {depth > 0 && <span aria-hidden>└ </span>}
                          <RouterLink to={`/glossary/terms/${encodeURIComponent(t.guid)}`}>{t.name}</RouterLink>
                        </span>
                      </TableCell>
                      <TableCell>
                        <StateBadge state={t.status ?? 'Draft'} />
                      </TableCell>
                      <TableCell>{t.shortDescription ?? ''}</TableCell>
                      <TableCell>{t.assignedEntities?.length ?? 0}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            )}
            {details.data && terms.length === 0 && (
              <Body1 className={styles.muted}>
                {category ? 'No terms in this category.' : 'No terms in this glossary yet.'}
              </Body1>
            )}
          </div>
        </div>
      )}
    </section>
  );
}

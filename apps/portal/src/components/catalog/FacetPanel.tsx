import type { ReactNode } from 'react';
import { Checkbox, Subtitle2, makeStyles, tokens } from '@fluentui/react-components';
import { FACETS, useCollections, type FacetSelection, type FilterName } from '../../api/catalog';

const LABELS: Record<FilterName, string> = {
  collectionId: 'Collection',
  assetType: 'Source type',
  classification: 'Classification',
  entityType: 'Asset type',
  term: 'Glossary term',
};

const useStyles = makeStyles({
  panel: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalL,
    minWidth: 0,
    overflowWrap: 'anywhere',
  },
  group: { display: 'flex', flexDirection: 'column', border: 'none', margin: 0, padding: 0 },
  empty: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
});

/** The facets search counted, as check boxes; ticking one narrows the results. */
export function FacetPanel({
  facets,
  selected,
  onChange,
}: {
  facets: Record<string, { count: number; value: string }[]> | undefined;
  selected: FacetSelection;
  onChange: (next: FacetSelection) => void;
}): ReactNode {
  const styles = useStyles();
  const collections = useCollections();
  const toggle = (facet: FilterName, value: string, on: boolean): void => {
    const current = selected[facet] ?? [];
    onChange({ ...selected, [facet]: on ? [...current, value] : current.filter((v) => v !== value) });
  };
  return (
    <aside className={styles.panel} aria-label="Filters">
      {FACETS.map((facet) => {
        const values = facets?.[facet] ?? [];
        const ticked = selected[facet] ?? [];
        const shown = [
          ...values,
          ...ticked.filter((t) => !values.some((v) => v.value === t)).map((value) => ({ value, count: 0 })),
        ];
        return (
          <fieldset key={facet} className={styles.group}>
            <legend>
              <Subtitle2>{LABELS[facet]}</Subtitle2>
            </legend>
            {shown.length === 0 && <span className={styles.empty}>None in these results</span>}
            {shown.map((v) => (
              <Checkbox
                key={v.value}
                label={`${v.value} (${v.count})`}
                checked={ticked.includes(v.value)}
                onChange={(_, d) => toggle(facet, v.value, !!d.checked)}
              />
            ))}
          </fieldset>
        );
      })}
      {!!collections.data?.value.length && (
        <fieldset className={styles.group}>
          <legend>
            <Subtitle2>{LABELS.collectionId}</Subtitle2>
          </legend>
          {collections.data.value.map((c) => (
            <Checkbox
              key={c.name}
              label={c.friendlyName || c.name}
              checked={(selected.collectionId ?? []).includes(c.name)}
              onChange={(_, d) => toggle('collectionId', c.name, !!d.checked)}
            />
          ))}
        </fieldset>
      )}
    </aside>
  );
}

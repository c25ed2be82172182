import { useState, type FormEvent, type ReactNode } from 'react';
import { Button, Combobox, Option, makeStyles, tokens } from '@fluentui/react-components';
import { SearchRegular } from '@fluentui/react-icons';
import { highlightHtml, useSuggestions } from '../../api/catalog';
import { navigate } from '../../router';

const useStyles = makeStyles({
  form: { display: 'flex', gap: tokens.spacingHorizontalS, maxWidth: '760px', marginBottom: tokens.spacingVerticalL },
  box: { flexGrow: 1 },
  option: { display: 'flex', flexDirection: 'column' },
  qn: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
});

/** Keywords with suggestions as you type (POST /datamap/api/search/suggest); a suggestion opens its asset. */
export function SearchBar({ initial, onSearch }: { initial: string; onSearch: (keywords: string) => void }): ReactNode {
  const styles = useStyles();
  const [text, setText] = useState(initial);
  const suggestions = useSuggestions(text);
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    onSearch(text.trim());
  };
  return (
    <form className={styles.form} onSubmit={submit} role="search">
      <Combobox
        className={styles.box}
        freeform
        size="large"
        aria-label="Search the catalog"
        placeholder="Search assets: names, qualified names, descriptions, classifications"
        value={text}
        onChange={(e) => setText(e.target.value)}
        onOptionSelect={(_, d) => {
          if (d.optionValue) navigate(`/catalog/assets/${encodeURIComponent(d.optionValue)}`);
        }}
        onKeyDown={(e) => {
          // Enter with no suggestion picked searches for the text typed.
          if (e.key === 'Enter' && !e.currentTarget.getAttribute('aria-activedescendant')) onSearch(text.trim());
        }}
      >
        {(suggestions.data?.value ?? []).map((s) => (
          <Option key={s.id} value={s.id} text={s.name}>
            <span className={styles.option}>
              <span dangerouslySetInnerHTML={{ __html: highlightHtml(s['@search.text']) }} />
              <span className={styles.qn}>{s.entityType}</span>
            </span>
          </Option>
        ))}
      </Combobox>
      <Button type="submit" appearance="primary" size="large" icon={<SearchRegular />}>
        Search
      </Button>
    </form>
  );
}

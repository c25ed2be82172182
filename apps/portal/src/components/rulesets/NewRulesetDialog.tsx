import { useState, type ReactNode } from 'react';
import { Checkbox, Dropdown, Field, Input, Label, Option, makeStyles, tokens } from '@fluentui/react-components';
import { useCredentialMutations, useSystemRulesets } from '../../api/credentials';
import { FormDialog } from '../credentials/FormDialog';
import { SOURCE_KINDS } from '../scanning/source-kinds';

const useStyles = makeStyles({
  checks: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fill, minmax(110px, 1fr))',
    gap: tokens.spacingVerticalXXS,
  },
});

/** A custom scan rule set: starts from the source type's system rule set; untick file types, exclude classifications. */
export function NewRulesetDialog(): ReactNode {
  const styles = useStyles();
  const [name, setName] = useState('');
  const [kind, setKind] = useState(SOURCE_KINDS[0]);
  const [description, setDescription] = useState('');
  const [unticked, setUnticked] = useState<string[]>([]);
  const [excluded, setExcluded] = useState('');
  const systems = useSystemRulesets();
  const system = systems.data?.value.find((r) => r.kind === kind.kind);
  const extensions = system?.properties.scanningRule?.fileExtensions ?? [];
  const { saveRuleset } = useCredentialMutations();
  const body = {
    kind: kind.kind,
    scanRulesetType: 'Custom',
    properties: {
      description: description || null,
      excludedSystemClassifications: excluded
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
      ...(extensions.length
        ? {
            scanningRule: { fileExtensions: extensions.filter((e) => !unticked.includes(e)), customFileExtensions: [] },
          }
        : {}),
    },
  };
  return (
    <FormDialog
      trigger="New scan rule set"
      title="New scan rule set"
      canSubmit={!!name.trim()}
      onOpen={() => (setName(''), setDescription(''), setUnticked([]), setExcluded(''))}
      onSubmit={() => saveRuleset.mutateAsync({ name: name.trim(), body })}
    >
      <Field label="Name" required>
        <Input value={name} onChange={(_, d) => setName(d.value)} placeholder="csv-only" />
      </Field>
      <Field label="Source type" required>
        <Dropdown
          value={kind.label}
          selectedOptions={[kind.kind]}
          onOptionSelect={(_, d) => (
            setKind(SOURCE_KINDS.find((k) => k.kind === d.optionValue) ?? kind),
            setUnticked([])
          )}
        >
          {SOURCE_KINDS.map((k) => (
            <Option key={k.kind} value={k.kind}>
              {k.label}
            </Option>
          ))}
        </Dropdown>
      </Field>
      <Field label="Description">
        <Input value={description} onChange={(_, d) => setDescription(d.value)} />
      </Field>
      {extensions.length > 0 && (
        // Not in a Field: a Field gives its one control its id, and every checkbox would get the same one.
        <div role="group" aria-labelledby="ruleset-file-types">
          <Label id="ruleset-file-types">File types to scan</Label>
          <div className={styles.checks}>
            {extensions.map((e) => (
              <Checkbox
                key={e}
                label={e}
                checked={!unticked.includes(e)}
                onChange={(_, d) => setUnticked(d.checked ? unticked.filter((u) => u !== e) : [...unticked, e])}
              />
            ))}
          </div>
        </div>
      )}
      <Field label="Excluded system classifications" hint="Comma-separated, e.g. MICROSOFT.PERSONAL.EMAIL">
        <Input value={excluded} onChange={(_, d) => setExcluded(d.value)} />
      </Field>
    </FormDialog>
  );
}

import { useState, type ReactNode } from 'react';
import { Dropdown, Field, Option } from '@fluentui/react-components';
import { TagRegular } from '@fluentui/react-icons';
import { useGlossaries, useGlossaryMutations } from '../../api/glossary';
import { FormDialog } from '../credentials/FormDialog';

/** Assigns a glossary term (any glossary's) to an asset, as Purview's "Edit → Glossary terms" does. */
export function AssignTermDialog({ entityGuid, assigned }: { entityGuid: string; assigned: string[] }): ReactNode {
  const [termGuid, setTermGuid] = useState('');
  const glossaries = useGlossaries();
  const { assign } = useGlossaryMutations();
  const options = (glossaries.data ?? []).flatMap((g) =>
    (g.terms ?? [])
      .filter((t) => !assigned.includes(t.termGuid))
      .map((t) => ({ guid: t.termGuid, label: `${t.displayText ?? t.termGuid} (${g.name})` })),
  );
  return (
    <FormDialog
      trigger="Assign term"
      triggerIcon={<TagRegular />}
      title="Assign a glossary term"
      submitLabel="Assign"
      canSubmit={!!termGuid}
      onOpen={() => setTermGuid('')}
      onSubmit={() => assign.mutateAsync({ termGuid, entityGuid })}
    >
      <Field
        label="Term"
        required
        validationMessage={
          glossaries.data && !options.length ? 'No unassigned terms: create one in the Glossary.' : undefined
        }
      >
        <Dropdown
          placeholder="Select a term"
          value={options.find((o) => o.guid === termGuid)?.label ?? ''}
          selectedOptions={termGuid ? [termGuid] : []}
          onOptionSelect={(_, d) => setTermGuid(d.optionValue ?? '')}
        >
          {options.map((o) => (
            <Option key={o.guid} value={o.guid}>
              {o.label}
            </Option>
          ))}
        </Dropdown>
      </Field>
    </FormDialog>
  );
}

import { useState, type ReactNode } from 'react';
import { Dropdown, Field, Input, Option, Textarea } from '@fluentui/react-components';
import { EditRegular } from '@fluentui/react-icons';
import { useGlossaryDetails, useGlossaryMutations, type AtlasGlossaryTerm } from '../../api/glossary';
import { navigate } from '../../router';
import { FormDialog } from '../credentials/FormDialog';

const STATUSES = ['Draft', 'Approved', 'Alert', 'Expired'] as const;

const ids = (text: string): { id: string }[] =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((id) => ({ id }));
const idText = (contacts: { id?: string }[] | undefined): string => (contacts ?? []).map((c) => c.id).join(', ');

/** Several of the glossary's terms or categories, by guid. */
function Pick({
  label,
  options,
  value,
  onChange,
  multiple = true,
}: {
  label: string;
  options: { guid: string; name: string }[];
  value: string[];
  onChange: (v: string[]) => void;
  multiple?: boolean;
}): ReactNode {
  const names = options.filter((o) => value.includes(o.guid)).map((o) => o.name);
  return (
    <Field label={label}>
      <Dropdown
        multiselect={multiple}
        placeholder="None"
        value={names.join(', ')}
        selectedOptions={value}
        onOptionSelect={(_, d) => onChange(multiple ? d.selectedOptions : d.optionValue ? [d.optionValue] : [])}
      >
        {!multiple && <Option value="">None</Option>}
        {options.map((o) => (
          <Option key={o.guid} value={o.guid}>
            {o.name}
          </Option>
        ))}
      </Dropdown>
    </Field>
  );
}

/** Creates a term in a glossary, or edits one: definition, status, hierarchy, categories, related terms, contacts. */
export function TermDialog({ glossaryGuid, term }: { glossaryGuid: string; term?: AtlasGlossaryTerm }): ReactNode {
  const details = useGlossaryDetails(glossaryGuid);
  const { saveTerm } = useGlossaryMutations();
  const initial = () => ({
    name: term?.name ?? '',
    shortDescription: term?.shortDescription ?? '',
    longDescription: term?.longDescription ?? '',
    status: term?.status ?? 'Draft',
    parent: term?.parentTerm ? [term.parentTerm.termGuid] : [],
    categories: (term?.categories ?? []).map((c) => c.categoryGuid),
    synonyms: (term?.synonyms ?? []).map((t) => t.termGuid),
    seeAlso: (term?.seeAlso ?? []).map((t) => t.termGuid),
    experts: idText(term?.contacts?.Expert),
    stewards: idText(term?.contacts?.Steward),
  });
  const [f, setF] = useState(initial);
  const set = (patch: Partial<ReturnType<typeof initial>>): void => setF({ ...f, ...patch });
  const terms = Object.values(details.data?.termInfo ?? {})
    .filter((t) => t.guid !== term?.guid)
    .map((t) => ({ guid: t.guid, name: t.name }));
  const categories = Object.values(details.data?.categoryInfo ?? {}).map((c) => ({ guid: c.guid, name: c.name }));
  const rel = (guids: string[]) => guids.map((termGuid) => ({ termGuid }));
  const contacts = { ...(term?.contacts ?? {}), Expert: ids(f.experts), Steward: ids(f.stewards) };

  const submit = async (): Promise<void> => {
    const body = {
      ...(term ?? {}),
      name: f.name.trim(),
      shortDescription: f.shortDescription,
      longDescription: f.longDescription,
      status: f.status,
      anchor: { glossaryGuid },
      parentTerm: f.parent[0] ? { termGuid: f.parent[0] } : null,
      categories: f.categories.map((categoryGuid) => ({ categoryGuid })),
      synonyms: rel(f.synonyms),
      seeAlso: rel(f.seeAlso),
      contacts,
    };
    // Read-only parts of the term as the API returned it: not sent back.
    for (const k of ['assignedEntities', 'hierarchyInfo', 'lastModifiedTS', 'createTime', 'updateTime'])
      delete (body as Record<string, unknown>)[k];
    const saved = await saveTerm.mutateAsync({ guid: term?.guid, body });
    if (!term) navigate(`/glossary/terms/${encodeURIComponent(saved.guid)}`);
  };

  return (
    <FormDialog
      trigger={term ? 'Edit' : 'New term'}
      triggerIcon={term ? <EditRegular /> : undefined}
      title={term ? `Edit ${term.name}` : 'New term'}
      submitLabel={term ? 'Save' : 'Create'}
      canSubmit={!!f.name.trim()}
      onOpen={() => setF(initial())}
      onSubmit={submit}
    >
      <Field label="Name" required>
        <Input value={f.name} onChange={(_, d) => set({ name: d.value })} />
      </Field>
      <Field label="Definition" hint="One line, shown in lists and search.">
        <Input value={f.shortDescription} onChange={(_, d) => set({ shortDescription: d.value })} />
      </Field>
      <Field label="Description">
        <Textarea value={f.longDescription} onChange={(_, d) => set({ longDescription: d.value })} resize="vertical" />
      </Field>
      <Field label="Status">
        <Dropdown
          value={f.status}
          selectedOptions={[f.status]}
          onOptionSelect={(_, d) => set({ status: d.optionValue as typeof f.status })}
        >
          {STATUSES.map((s) => (
            <Option key={s}>{s}</Option>
          ))}
        </Dropdown>
      </Field>
      <Pick
        label="Parent term"
        multiple={false}
        options={terms}
        value={f.parent}
        onChange={(v) => set({ parent: v })}
      />
      <Pick label="Categories" options={categories} value={f.categories} onChange={(v) => set({ categories: v })} />
      <Pick label="Synonyms" options={terms} value={f.synonyms} onChange={(v) => set({ synonyms: v })} />
      <Pick label="Related terms" options={terms} value={f.seeAlso} onChange={(v) => set({ seeAlso: v })} />
      <Field label="Experts" hint="Comma-separated ids (object ids or e-mail addresses).">
        <Input value={f.experts} onChange={(_, d) => set({ experts: d.value })} />
      </Field>
      <Field label="Stewards" hint="Comma-separated ids.">
        <Input value={f.stewards} onChange={(_, d) => set({ stewards: d.value })} />
      </Field>
    </FormDialog>
  );
}

import { useState, type ReactNode } from 'react';
import { Field, Input } from '@fluentui/react-components';
import { useGlossaryMutations, type AtlasGlossaryCategory } from '../../api/glossary';
import { FormDialog } from '../credentials/FormDialog';

export function NewGlossaryDialog({ onCreated }: { onCreated: (guid: string) => void }): ReactNode {
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const { createGlossary } = useGlossaryMutations();
  return (
    <FormDialog
      trigger="New glossary"
      title="New glossary"
      canSubmit={!!name.trim()}
      onOpen={() => (setName(''), setDescription(''))}
      onSubmit={async () =>
        onCreated(
          (await createGlossary.mutateAsync({ name: name.trim(), shortDescription: description || undefined })).guid,
        )
      }
    >
      <Field label="Name" required>
        <Input value={name} onChange={(_, d) => setName(d.value)} placeholder="Sales" />
      </Field>
      <Field label="Description">
        <Input value={description} onChange={(_, d) => setDescription(d.value)} />
      </Field>
    </FormDialog>
  );
}

/** A category in the glossary, under the selected category when one is. */
export function NewCategoryDialog({
  glossaryGuid,
  parent,
}: {
  glossaryGuid: string;
  parent?: AtlasGlossaryCategory;
}): ReactNode {
  const [name, setName] = useState('');
  const { createCategory } = useGlossaryMutations();
  return (
    <FormDialog
      trigger="New category"
      title={parent ? `New category under ${parent.name}` : 'New category'}
      canSubmit={!!name.trim()}
      onOpen={() => setName('')}
      onSubmit={() =>
        createCategory.mutateAsync({
          name: name.trim(),
          anchor: { glossaryGuid },
          ...(parent ? { parentCategory: { categoryGuid: parent.guid } } : {}),
        })
      }
    >
      <Field label="Name" required>
        <Input value={name} onChange={(_, d) => setName(d.value)} placeholder="Customers" />
      </Field>
    </FormDialog>
  );
}

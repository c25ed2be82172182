import { useState, type ReactNode } from 'react';
import { Field, Input } from '@fluentui/react-components';
import { useCredentialMutations } from '../../api/credentials';
import { FormDialog } from './FormDialog';

/** A Key Vault connection: a name for a vault's URL, which credentials then name their secrets in. */
export function NewKeyVaultDialog(): ReactNode {
  const [name, setName] = useState('');
  const [baseUrl, setBaseUrl] = useState('');
  const [description, setDescription] = useState('');
  const { saveKeyVault } = useCredentialMutations();
  return (
    <FormDialog
      trigger="New Key Vault connection"
      title="New Key Vault connection"
      canSubmit={!!name.trim() && !!baseUrl.trim()}
      onOpen={() => (setName(''), setBaseUrl(''), setDescription(''))}
      onSubmit={() =>
        saveKeyVault.mutateAsync({ name: name.trim(), baseUrl: baseUrl.trim(), description: description || undefined })
      }
    >
      <Field label="Name" required>
        <Input value={name} onChange={(_, d) => setName(d.value)} placeholder="my-vault" />
      </Field>
      <Field
        label="Key Vault URL"
        required
        hint="https://myvault.vault.azure.net/ is the emulator's vault myvault; https://localhost:5443/ its default vault."
      >
        <Input
          value={baseUrl}
          onChange={(_, d) => setBaseUrl(d.value)}
          placeholder="https://myvault.vault.azure.net/"
        />
      </Field>
      <Field label="Description">
        <Input value={description} onChange={(_, d) => setDescription(d.value)} />
      </Field>
    </FormDialog>
  );
}

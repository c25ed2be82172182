import { useState, type ReactNode } from 'react';
import { Dropdown, Field, Input, Option } from '@fluentui/react-components';
import { useCredentialMutations, useKeyVaults } from '../../api/credentials';
import { FormDialog } from './FormDialog';

// The kinds a scan the reference runtime runs can use, with the typeProperties field that holds the secret.
const KINDS = [
  { kind: 'AccountKey', label: 'Account key', secretField: 'accountKey', user: undefined },
  { kind: 'SqlAuth', label: 'SQL authentication', secretField: 'password', user: 'user' },
  { kind: 'BasicAuth', label: 'Basic authentication', secretField: 'password', user: 'user' },
  {
    kind: 'ServicePrincipal',
    label: 'Service principal',
    secretField: 'servicePrincipalKey',
    user: 'servicePrincipalId',
  },
] as const;

/** A credential: its kind, a user name where the kind has one, and the Key Vault secret that holds the secret part. */
export function NewCredentialDialog(): ReactNode {
  const [name, setName] = useState('');
  const [kind, setKind] = useState<(typeof KINDS)[number]>(KINDS[0]);
  const [user, setUser] = useState('');
  const [vault, setVault] = useState('');
  const [secretName, setSecretName] = useState('');
  const [description, setDescription] = useState('');
  const vaults = useKeyVaults();
  const { saveCredential } = useCredentialMutations();
  const complete = !!name.trim() && !!vault && !!secretName.trim() && (!kind.user || !!user.trim());
  const body = {
    kind: kind.kind,
    properties: {
      ...(description ? { description } : {}),
      typeProperties: {
        ...(kind.user ? { [kind.user]: user.trim() } : {}),
        [kind.secretField]: {
          type: 'AzureKeyVaultSecret',
          secretName: secretName.trim(),
          store: { referenceName: vault, type: 'LinkedServiceReference' },
        },
      },
    },
  };
  return (
    <FormDialog
      trigger="New credential"
      title="New credential"
      canSubmit={complete}
      onOpen={() => (setName(''), setUser(''), setSecretName(''), setDescription(''))}
      onSubmit={() => saveCredential.mutateAsync({ name: name.trim(), body })}
    >
      <Field label="Name" required>
        <Input value={name} onChange={(_, d) => setName(d.value)} placeholder="sales-db-login" />
      </Field>
      <Field label="Authentication method" required>
        <Dropdown
          value={kind.label}
          selectedOptions={[kind.kind]}
          onOptionSelect={(_, d) => setKind(KINDS.find((k) => k.kind === d.optionValue) ?? kind)}
        >
          {KINDS.map((k) => (
            <Option key={k.kind} value={k.kind}>
              {k.label}
            </Option>
          ))}
        </Dropdown>
      </Field>
      {kind.user && (
        <Field label={kind.kind === 'ServicePrincipal' ? 'Service principal id' : 'User name'} required>
          <Input value={user} onChange={(_, d) => setUser(d.value)} />
        </Field>
      )}
      <Field
        label="Key Vault connection"
        required
        validationMessage={vaults.data?.value.length === 0 ? 'Create a Key Vault connection first.' : undefined}
      >
        <Dropdown
          placeholder="Select a Key Vault connection"
          value={vault}
          selectedOptions={vault ? [vault] : []}
          onOptionSelect={(_, d) => setVault(d.optionValue ?? '')}
        >
          {(vaults.data?.value ?? []).map((v) => (
            <Option key={v.name}>{v.name}</Option>
          ))}
        </Dropdown>
      </Field>
      <Field label="Secret name" required hint="The secret in that vault that holds the key or password.">
        <Input value={secretName} onChange={(_, d) => setSecretName(d.value)} />
      </Field>
      <Field label="Description">
        <Input value={description} onChange={(_, d) => setDescription(d.value)} />
      </Field>
    </FormDialog>
  );
}

import type { ReactNode } from 'react';
import {
  Subtitle1,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { DeleteRegular } from '@fluentui/react-icons';
import { secretOf, useCredentialMutations, useCredentials, useKeyVaults } from '../api/credentials';
import { ConfirmButton } from '../components/ConfirmButton';
import { display, ErrorBar, Loading, PageHeader } from '../components/Common';
import { NewCredentialDialog } from '../components/credentials/NewCredentialDialog';
import { NewKeyVaultDialog } from '../components/credentials/NewKeyVaultDialog';
import { useSession } from '../session';

const useStyles = makeStyles({
  section: {
    marginBottom: tokens.spacingVerticalXXL,
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalM,
  },
  bar: { display: 'flex', justifyContent: 'space-between', alignItems: 'center', gap: tokens.spacingHorizontalM },
  empty: { color: tokens.colorNeutralForeground3 },
});

function KeyVaults(): ReactNode {
  const styles = useStyles();
  const { permissions } = useSession();
  const vaults = useKeyVaults();
  const { removeKeyVault } = useCredentialMutations();
  const rows = vaults.data?.value ?? [];
  return (
    <div className={styles.section}>
      <div className={styles.bar}>
        <Subtitle1 as="h2">Key Vault connections</Subtitle1>
        {permissions.manageSources && <NewKeyVaultDialog />}
      </div>
      <ErrorBar
        error={vaults.error ?? removeKeyVault.error}
        title={removeKeyVault.error ? 'Cannot delete' : undefined}
      />
      {vaults.isLoading && <Loading />}
      {vaults.data && rows.length === 0 && <span className={styles.empty}>No Key Vault connections yet.</span>}
      {rows.length > 0 && (
        <Table aria-label="Key Vault connections">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>Name</TableHeaderCell>
              <TableHeaderCell>Key Vault URL</TableHeaderCell>
              <TableHeaderCell>Description</TableHeaderCell>
              {permissions.manageSources && <TableHeaderCell aria-label="Actions" />}
            </TableRow>
          </TableHeader>
          <TableBody>
            {rows.map((v) => (
              <TableRow key={v.name} data-key-vault={v.name}>
                <TableCell>{v.name}</TableCell>
                <TableCell>
                  <code>{v.properties.baseUrl}</code>
                </TableCell>
                <TableCell>{v.properties.description ?? ''}</TableCell>
                {permissions.manageSources && (
                  <TableCell>
                    <ConfirmButton
                      label={`Delete ${v.name}`}
                      icon={<DeleteRegular />}
                      title={`Delete ${v.name}?`}
                      message="Credentials that name this connection stop working; the API refuses while any does."
                      confirmLabel="Delete"
                      onConfirm={() => removeKeyVault.mutate(v.name)}
                    />
                  </TableCell>
                )}
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </div>
  );
}

function CredentialList(): ReactNode {
  const styles = useStyles();
  const { permissions } = useSession();
  const credentials = useCredentials();
  const { removeCredential } = useCredentialMutations();
  const rows = credentials.data?.value ?? [];
  return (
    <div className={styles.section}>
      <div className={styles.bar}>
        <Subtitle1 as="h2">Credentials</Subtitle1>
        {permissions.manageSources && <NewCredentialDialog />}
      </div>
      <ErrorBar
        error={credentials.error ?? removeCredential.error}
        title={removeCredential.error ? 'Cannot delete' : undefined}
      />
      {credentials.isLoading && <Loading />}
      {credentials.data && rows.length === 0 && <span className={styles.empty}>No credentials yet.</span>}
      {rows.length > 0 && (
        <Table aria-label="Credentials">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>Name</TableHeaderCell>
              <TableHeaderCell>Authentication method</TableHeaderCell>
              <TableHeaderCell>User</TableHeaderCell>
              <TableHeaderCell>Secret (Key Vault connection / secret)</TableHeaderCell>
              {permissions.manageSources && <TableHeaderCell aria-label="Actions" />}
            </TableRow>
          </TableHeader>
          <TableBody>
            {rows.map((c) => {
              const secret = secretOf(c);
              const tp = c.properties.typeProperties ?? {};
              return (
                <TableRow key={c.name} data-credential={c.name}>
                  <TableCell>{c.name}</TableCell>
                  <TableCell>{c.kind}</TableCell>
                  <TableCell>{display(tp.user ?? tp.servicePrincipalId) || '—'}</TableCell>
                  <TableCell>{secret ? `${secret.store} / ${secret.secretName}` : '—'}</TableCell>
                  {permissions.manageSources && (
                    <TableCell>
                      <ConfirmButton
                        label={`Delete ${c.name}`}
                        icon={<DeleteRegular />}
                        title={`Delete ${c.name}?`}
                        message="Scans that read with this credential will fail until they name another."
                        confirmLabel="Delete"
                        onConfirm={() => removeCredential.mutate(c.name)}
                      />
                    </TableCell>
                  )}
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      )}
    </div>
  );
}

/** Data Map → Credentials: Key Vault connections, and the credentials scans read with (secrets stay in the vault). */
export default function Credentials(): ReactNode {
  return (
    <section>
      <PageHeader
        title="Credentials"
        subtitle="Scans read a source with a credential; its secret stays in Azure Key Vault, named by a Key Vault connection."
      />
      <KeyVaults />
      <CredentialList />
    </section>
  );
}

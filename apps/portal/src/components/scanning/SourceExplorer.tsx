import { useState, type ReactNode } from 'react';
import {
  Body1,
  Button,
  Card,
  CardHeader,
  Dropdown,
  Field,
  MessageBar,
  MessageBarBody,
  Option,
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
import { ArrowUpRegular, DocumentRegular, FolderRegular, PlugConnectedRegular } from '@fluentui/react-icons';
import { useCredentials } from '../../api/credentials';
import { useRuntimes } from '../../api/runtimes';
import { useScanningMutations } from '../../api/scanning';
import { ErrorBar } from '../Common';
import { credentialsFor, isDatabase, parentPath } from './source-kinds';

const useStyles = makeStyles({
  card: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  row: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'flex-end', flexWrap: 'wrap' },
  muted: { color: tokens.colorNeutralForeground3 },
});

// Items that hold others (browse opens them); files, tables and views are leaves.
const CONTAINERS = new Set(['Container', 'Folder', 'Database', 'Schema']);

/** Test connection and browse, through a self-hosted runtime (needs its interactive authoring on). */
export function SourceExplorer({ source, kind }: { source: string; kind: string }): ReactNode {
  const styles = useStyles();
  const runtimes = useRuntimes();
  const db = isDatabase(kind);
  // A database is reached with a stored SqlAuth/BasicAuth credential, as in the scan dialog; storage with its scans' key.
  const credentials = useCredentials(db);
  const usable = credentialsFor(kind, credentials.data?.value ?? []);
  const [runtime, setRuntime] = useState<string | undefined>();
  const [credentialName, setCredentialName] = useState('');
  const chosen = usable.find((c) => c.name === credentialName);
  const through = {
    integrationRuntimeName: runtime,
    credential: chosen
      ? { referenceName: chosen.name, credentialType: chosen.kind as 'SqlAuth' | 'BasicAuth' }
      : undefined,
  };
  const { testConnection, browse } = useScanningMutations();
  const list = browse.data;
  const open = (path: string): void => browse.mutate({ source, path, ...through });
  const parent = list?.path ? parentPath(list.path) : undefined;

  return (
    <Card className={styles.card}>
      <CardHeader header={<Subtitle1 as="h2">Connection</Subtitle1>} />
      <Body1 className={styles.muted}>
        Reaches the source through a runtime's node, as a scan would. Turn interactive authoring on in the runtime's
        settings first.
      </Body1>
      <div className={styles.row}>
        <Field label="Integration runtime">
          <Dropdown
            placeholder="The one its scans use"
            value={runtime ?? ''}
            selectedOptions={runtime ? [runtime] : []}
            onOptionSelect={(_, d) => setRuntime(d.optionValue)}
          >
            {(runtimes.data?.value ?? []).map((r) => (
              <Option key={r.name}>{r.name}</Option>
            ))}
          </Dropdown>
        </Field>
        {db && (
          <Field label="Credential">
            <Dropdown
              placeholder="The one its scans use"
              value={credentialName}
              selectedOptions={credentialName ? [credentialName] : []}
              onOptionSelect={(_, d) => setCredentialName(d.optionValue ?? '')}
            >
              {usable.map((c) => (
                <Option key={c.name} value={c.name} text={c.name}>
                  {`${c.name} (${c.kind})`}
                </Option>
              ))}
            </Dropdown>
          </Field>
        )}
        <Button
          icon={<PlugConnectedRegular />}
          disabled={testConnection.isPending}
          onClick={() => testConnection.mutate({ source, ...through })}
        >
          Test connection
        </Button>
        <Button icon={<FolderRegular />} disabled={browse.isPending} onClick={() => open('')}>
          Browse
        </Button>
      </div>
      {testConnection.data && (
        <MessageBar intent={testConnection.data.succeeded ? 'success' : 'error'}>
          <MessageBarBody>
            {testConnection.data.succeeded ? 'Connection successful. ' : `${testConnection.data.code ?? 'Failed'}: `}
            {testConnection.data.message}
            {testConnection.data.nodeName &&
              ` (via ${testConnection.data.integrationRuntimeName}/${testConnection.data.nodeName})`}
          </MessageBarBody>
        </MessageBar>
      )}
      <ErrorBar error={testConnection.error ?? browse.error} />
      {list && (
        <Table size="small" aria-label={`Contents of ${list.path || source}`}>
          <TableHeader>
            <TableRow>
              <TableHeaderCell>
                {parent !== undefined && (
                  <Button size="small" appearance="subtle" icon={<ArrowUpRegular />} onClick={() => open(parent)}>
                    Up
                  </Button>
                )}{' '}
                /{list.path}
              </TableHeaderCell>
              <TableHeaderCell>Type</TableHeaderCell>
              <TableHeaderCell>Size</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {list.items.map((item) => (
              <TableRow key={item.path}>
                <TableCell>
                  {!CONTAINERS.has(item.type) ? (
                    <>
                      <DocumentRegular /> {item.name}
                    </>
                  ) : (
                    <Button appearance="transparent" icon={<FolderRegular />} onClick={() => open(item.path)}>
                      {item.name}
                    </Button>
                  )}
                </TableCell>
                <TableCell>{item.type}</TableCell>
                <TableCell>
                  {'size' in item && item.size !== undefined ? `${item.size.toLocaleString()} B` : ''}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </Card>
  );
}

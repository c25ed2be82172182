import { useState, type FormEvent, type ReactNode } from 'react';
import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  DialogTrigger,
  Dropdown,
  Field,
  Input,
  Option,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { AddRegular } from '@fluentui/react-icons';
import { useScanningMutations } from '../../api/scanning';
import { navigate } from '../../router';
import { ErrorBar } from '../Common';
import { SOURCE_KINDS } from './source-kinds';

const useStyles = makeStyles({ form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM } });

/** Register a data source: a storage account (an Azurite account) or a database server with its port. */
export function RegisterSourceDialog(): ReactNode {
  const styles = useStyles();
  const [open, setOpen] = useState(false);
  const [kind, setKind] = useState(SOURCE_KINDS[0]);
  const [name, setName] = useState('');
  const [account, setAccount] = useState('devstoreaccount1');
  const [server, setServer] = useState('');
  const [port, setPort] = useState('');
  const { saveSource } = useScanningMutations();
  const endpoint = `https://${account}.${kind.host ?? 'blob'}.core.windows.net/`;
  const portNumber = Number(port);
  const database = kind.port !== undefined;
  const complete = name.trim() && (database ? server.trim() && Number.isInteger(portNumber) : account.trim());

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    const properties = database ? { serverEndpoint: server.trim(), port: portNumber } : { endpoint };
    saveSource.mutate(
      { name: name.trim(), kind: kind.kind, properties },
      {
        onSuccess: () => {
          setOpen(false);
          navigate(`/sources/${encodeURIComponent(name.trim())}`);
        },
      },
    );
  };

  return (
    <Dialog open={open} onOpenChange={(_, d) => (setOpen(d.open), saveSource.reset())}>
      <DialogTrigger disableButtonEnhancement>
        <Button appearance="primary" icon={<AddRegular />}>
          Register
        </Button>
      </DialogTrigger>
      <DialogSurface>
        <form onSubmit={submit}>
          <DialogBody>
            <DialogTitle>Register a data source</DialogTitle>
            <DialogContent className={styles.form}>
              <Field label="Source type" required>
                <Dropdown
                  value={kind.label}
                  selectedOptions={[kind.kind]}
                  onOptionSelect={(_, d) => {
                    const next = SOURCE_KINDS.find((k) => k.kind === d.optionValue) ?? kind;
                    setKind(next);
                    setPort(next.port ? String(next.port) : '');
                  }}
                >
                  {SOURCE_KINDS.map((k) => (
                    <Option key={k.kind} value={k.kind}>
                      {k.label}
                    </Option>
                  ))}
                </Dropdown>
              </Field>
              <Field label="Data source name" required hint="Letters, digits and hyphens, 3 to 63 characters.">
                <Input value={name} onChange={(_, d) => setName(d.value)} placeholder="my-source" />
              </Field>
              {database ? (
                <>
                  <Field
                    label="Server endpoint"
                    required
                    hint="The server's host name, e.g. myserver.postgres.database.azure.com"
                  >
                    <Input value={server} onChange={(_, d) => setServer(d.value)} placeholder="127.0.0.1" />
                  </Field>
                  <Field
                    label="Port"
                    required
                    validationMessage={Number.isInteger(portNumber) ? undefined : 'A whole number'}
                  >
                    <Input
                      value={port}
                      onChange={(_, d) => setPort(d.value)}
                      placeholder={String(kind.port)}
                      inputMode="numeric"
                    />
                  </Field>
                </>
              ) : (
                <Field label="Storage account name" required hint={`Endpoint: ${endpoint} (an Azurite account)`}>
                  <Input value={account} onChange={(_, d) => setAccount(d.value)} />
                </Field>
              )}
              <ErrorBar error={saveSource.error} />
            </DialogContent>
            <DialogActions>
              <DialogTrigger disableButtonEnhancement>
                <Button>Cancel</Button>
              </DialogTrigger>
              <Button type="submit" appearance="primary" disabled={!complete || saveSource.isPending}>
                Register
              </Button>
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  );
}

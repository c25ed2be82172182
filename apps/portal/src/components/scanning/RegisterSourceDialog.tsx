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

const useStyles = makeStyles({ form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM } });

// The kinds the emulator scans; each is a storage account's blob or dfs endpoint.
const KINDS = [
  { kind: 'AzureStorage', label: 'Azure Blob Storage', host: 'blob' },
  { kind: 'AdlsGen2', label: 'Azure Data Lake Storage Gen2', host: 'dfs' },
];

export function RegisterSourceDialog(): ReactNode {
  const styles = useStyles();
  const [open, setOpen] = useState(false);
  const [kind, setKind] = useState(KINDS[0]);
  const [name, setName] = useState('');
  const [account, setAccount] = useState('devstoreaccount1');
  const { saveSource } = useScanningMutations();
  const endpoint = `https://${account}.${kind.host}.core.windows.net/`;

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    saveSource.mutate(
      { name, kind: kind.kind, endpoint },
      {
        onSuccess: () => {
          setOpen(false);
          navigate(`/sources/${encodeURIComponent(name)}`);
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
                  onOptionSelect={(_, d) => setKind(KINDS.find((k) => k.kind === d.optionValue) ?? KINDS[0])}
                >
                  {KINDS.map((k) => (
                    <Option key={k.kind} value={k.kind}>
                      {k.label}
                    </Option>
                  ))}
                </Dropdown>
              </Field>
              <Field label="Data source name" required>
                <Input value={name} onChange={(_, d) => setName(d.value)} placeholder="my-storage" />
              </Field>
              <Field label="Storage account name" required hint={`Endpoint: ${endpoint} (an Azurite account)`}>
                <Input value={account} onChange={(_, d) => setAccount(d.value)} />
              </Field>
              <ErrorBar error={saveSource.error} />
            </DialogContent>
            <DialogActions>
              <DialogTrigger disableButtonEnhancement>
                <Button>Cancel</Button>
              </DialogTrigger>
              <Button
                type="submit"
                appearance="primary"
                disabled={!name.trim() || !account.trim() || saveSource.isPending}
              >
                Register
              </Button>
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  );
}

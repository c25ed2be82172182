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
  Field,
  Input,
  Textarea,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { AddRegular } from '@fluentui/react-icons';
import { useRuntimeMutations } from '../../api/runtimes';
import { navigate } from '../../router';
import { ErrorBar } from '../Common';

const useStyles = makeStyles({ form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM } });

// Purview's rule for integration runtime names: letters, digits and hyphens, starting and ending with a letter or digit.
const NAME = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/** + New → Self-Hosted: name and description, then the runtime's settings page with its keys. */
export function NewRuntimeDialog(): ReactNode {
  const styles = useStyles();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const { save } = useRuntimeMutations();
  const valid = NAME.test(name);

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    save.mutate(
      { runtime: name, description },
      {
        onSuccess: () => {
          setOpen(false);
          navigate(`/integration-runtimes/${encodeURIComponent(name)}`);
        },
      },
    );
  };

  return (
    <Dialog
      open={open}
      onOpenChange={(_, d) => {
        setOpen(d.open);
        if (d.open) {
          setName('');
          setDescription('');
          save.reset();
        }
      }}
    >
      <DialogTrigger disableButtonEnhancement>
        <Button appearance="primary" icon={<AddRegular />}>
          New
        </Button>
      </DialogTrigger>
      <DialogSurface aria-label="New self-hosted integration runtime">
        <form onSubmit={submit}>
          <DialogBody>
            <DialogTitle>New self-hosted integration runtime</DialogTitle>
            <DialogContent className={styles.form}>
              <Field
                label="Name"
                required
                validationState={name && !valid ? 'error' : 'none'}
                validationMessage={
                  name && !valid ? 'Letters, digits and hyphens; start and end with a letter or digit.' : undefined
                }
              >
                <Input value={name} onChange={(_, d) => setName(d.value)} placeholder="my-shir" />
              </Field>
              <Field label="Description">
                <Textarea value={description} onChange={(_, d) => setDescription(d.value)} />
              </Field>
              <ErrorBar error={save.error} />
            </DialogContent>
            <DialogActions>
              <DialogTrigger disableButtonEnhancement>
                <Button>Cancel</Button>
              </DialogTrigger>
              <Button type="submit" appearance="primary" disabled={!valid || save.isPending}>
                Create
              </Button>
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  );
}

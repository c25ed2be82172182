import { useState, type FormEvent, type ReactElement, type ReactNode } from 'react';
import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  DialogTrigger,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { AddRegular } from '@fluentui/react-icons';
import { ErrorBar } from '../Common';

const useStyles = makeStyles({ form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM } });

/** A "+ New" button opening a form dialog; `onSubmit` resolves to close it or throws to show the API's refusal. */
export function FormDialog({
  trigger,
  triggerIcon,
  title,
  submitLabel = 'Create',
  canSubmit,
  onSubmit,
  onOpen,
  children,
}: {
  trigger: string;
  /** The trigger's icon; a custom one makes it a secondary button (Edit), the default + a primary one (New). */
  triggerIcon?: ReactElement;
  title: string;
  submitLabel?: string;
  canSubmit: boolean;
  onSubmit: () => Promise<unknown>;
  onOpen?: () => void;
  children: ReactNode;
}): ReactNode {
  const styles = useStyles();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await onSubmit();
      setOpen(false);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog
      open={open}
      onOpenChange={(_, d) => {
        setOpen(d.open);
        setError(null);
        if (d.open) onOpen?.();
      }}
    >
      <DialogTrigger disableButtonEnhancement>
        <Button appearance={triggerIcon ? 'secondary' : 'primary'} icon={triggerIcon ?? <AddRegular />}>
          {trigger}
        </Button>
      </DialogTrigger>
      <DialogSurface>
        <form onSubmit={(e) => void submit(e)}>
          <DialogBody>
            <DialogTitle>{title}</DialogTitle>
            <DialogContent className={styles.form}>
              {children}
              <ErrorBar error={error} />
            </DialogContent>
            <DialogActions>
              <DialogTrigger disableButtonEnhancement>
                <Button>Cancel</Button>
              </DialogTrigger>
              <Button type="submit" appearance="primary" disabled={!canSubmit || busy}>
                {submitLabel}
              </Button>
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  );
}

import { useState, type ReactNode } from 'react';
import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  DialogTrigger,
  Tooltip,
} from '@fluentui/react-components';
import { DeleteRegular } from '@fluentui/react-icons';
import { useRuntimeMutations } from '../../api/runtimes';
import { ErrorBar } from '../Common';

/** Delete, confirmed; a 409 (scans use it, nodes registered) shows the API's reason in the dialog. */
export function DeleteRuntimeButton({
  name,
  onDeleted,
  labelled = false,
}: {
  name: string;
  onDeleted?: () => void;
  /** A button that says Delete (the runtime's page) rather than an icon in a table row. */
  labelled?: boolean;
}): ReactNode {
  const [open, setOpen] = useState(false);
  const { remove } = useRuntimeMutations();
  return (
    <Dialog
      open={open}
      onOpenChange={(_, d) => {
        setOpen(d.open);
        remove.reset();
      }}
    >
      <DialogTrigger disableButtonEnhancement>
        <Tooltip content={`Delete ${name}`} relationship="label">
          <Button appearance={labelled ? 'secondary' : 'subtle'} icon={<DeleteRegular />}>
            {labelled ? 'Delete' : undefined}
          </Button>
        </Tooltip>
      </DialogTrigger>
      <DialogSurface>
        <DialogBody>
          <DialogTitle>Delete {name}?</DialogTitle>
          <DialogContent>
            <p>The runtime and its keys are removed; nodes registered to it stop working.</p>
            <ErrorBar error={remove.error} title="Cannot delete" />
          </DialogContent>
          <DialogActions>
            <DialogTrigger disableButtonEnhancement>
              <Button>Cancel</Button>
            </DialogTrigger>
            <Button
              appearance="primary"
              disabled={remove.isPending}
              onClick={() =>
                remove.mutate(name, {
                  onSuccess: () => {
                    setOpen(false);
                    onDeleted?.();
                  },
                })
              }
            >
              Delete
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}

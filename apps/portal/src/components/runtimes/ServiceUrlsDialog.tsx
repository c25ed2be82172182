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
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
} from '@fluentui/react-components';
import { GlobeRegular } from '@fluentui/react-icons';
import { useServiceUrls } from '../../api/runtimes';
import { ErrorBar, Loading } from '../Common';

export function ServiceUrlsDialog({ name }: { name: string }): ReactNode {
  const [open, setOpen] = useState(false);
  const urls = useServiceUrls(name, open);
  return (
    <Dialog open={open} onOpenChange={(_, d) => setOpen(d.open)}>
      <DialogTrigger disableButtonEnhancement>
        <Button icon={<GlobeRegular />}>View Service URLs</Button>
      </DialogTrigger>
      <DialogSurface style={{ maxWidth: '800px' }}>
        <DialogBody>
          <DialogTitle>Service URLs for {name}</DialogTitle>
          <DialogContent>
            <ErrorBar error={urls.error} />
            {urls.isLoading && <Loading />}
            {urls.data && (
              <Table aria-label="Service URLs" size="small">
                <TableHeader>
                  <TableRow>
                    <TableHeaderCell>Purpose</TableHeaderCell>
                    <TableHeaderCell>URL</TableHeaderCell>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {urls.data.endpoints.map((e) => (
                    <TableRow key={e.url + e.purpose}>
                      <TableCell>{e.purpose}</TableCell>
                      <TableCell>
                        <code>{e.url}</code>
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            )}
          </DialogContent>
          <DialogActions>
            <DialogTrigger disableButtonEnhancement>
              <Button appearance="primary">Close</Button>
            </DialogTrigger>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}

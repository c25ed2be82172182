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
  Radio,
  RadioGroup,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { AddRegular } from '@fluentui/react-icons';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import { useRuntimes, type List } from '../../api/runtimes';
import { useDataSource, useScanningMutations } from '../../api/scanning';
import { navigate } from '../../router';
import { ErrorBar } from '../Common';

const useStyles = makeStyles({ form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM } });

type Trigger = 'once' | 'daily' | 'weekly';

/** New scan: runtime, credential (managed identity or an account-key credential), rule set, trigger; then run it. */
export function NewScanDialog({ source }: { source: string }): ReactNode {
  const styles = useStyles();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const [runtime, setRuntime] = useState<string>('');
  const [credential, setCredential] = useState<string>('');
  const [ruleset, setRuleset] = useState<string>('');
  const [trigger, setTrigger] = useState<Trigger>('once');
  const [error, setError] = useState<unknown>(null);
  const ds = useDataSource(source);
  const kind = ds.data?.kind ?? 'AzureStorage';
  const runtimes = useRuntimes();
  const credentials = useQuery({
    queryKey: ['credentials'],
    queryFn: () => api<List<{ name: string; properties: { type?: string } }>>('/scan/credentials'),
    enabled: open,
  });
  const rulesets = useQuery({
    queryKey: ['scanrulesets'],
    queryFn: () => api<List<{ name: string; kind: string }>>('/scan/scanrulesets'),
    enabled: open,
  });
  const { saveScan, run } = useScanningMutations();
  const systemRuleset = kind;
  const chosenRuleset = ruleset || systemRuleset;

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setError(null);
    const body = {
      kind: credential ? `${kind}Credential` : `${kind}Msi`,
      properties: {
        scanRulesetName: chosenRuleset,
        scanRulesetType: ruleset ? 'Custom' : 'System',
        ...(runtime ? { connectedVia: { referenceName: runtime } } : {}),
        ...(credential ? { credential: { referenceName: credential, credentialType: 'AccountKey' } } : {}),
      },
    };
    try {
      await saveScan.mutateAsync({ source, name, body });
      const path = `/scan/datasources/${encodeURIComponent(source)}/scans/${encodeURIComponent(name)}/triggers/default`;
      if (trigger !== 'once') {
        const start = new Date(Date.now() + 86400000).toISOString().slice(0, 10) + 'T02:00:00Z';
        await api(path, {
          method: 'PUT',
          body: {
            properties: {
              recurrence: {
                frequency: trigger === 'daily' ? 'Day' : 'Week',
                interval: 1,
                startTime: start,
                timeZone: 'UTC',
              },
              scanLevel: 'Full',
            },
          },
        });
      } else {
        await run.mutateAsync({ source, scan: name });
      }
      setOpen(false);
      navigate(`/sources/${encodeURIComponent(source)}/scans/${encodeURIComponent(name)}`);
    } catch (e) {
      setError(e);
    }
  };

  return (
    <Dialog open={open} onOpenChange={(_, d) => (setOpen(d.open), setError(null))}>
      <DialogTrigger disableButtonEnhancement>
        <Button icon={<AddRegular />}>New scan</Button>
      </DialogTrigger>
      <DialogSurface>
        <form onSubmit={(e) => void submit(e)}>
          <DialogBody>
            <DialogTitle>Scan {source}</DialogTitle>
            <DialogContent className={styles.form}>
              <Field label="Name" required>
                <Input value={name} onChange={(_, d) => setName(d.value)} placeholder="weekly-scan" />
              </Field>
              <Field label="Connect via integration runtime" required>
                <Dropdown
                  placeholder="Select a self-hosted integration runtime"
                  value={runtime}
                  selectedOptions={runtime ? [runtime] : []}
                  onOptionSelect={(_, d) => setRuntime(d.optionValue ?? '')}
                >
                  {(runtimes.data?.value ?? []).map((r) => (
                    <Option key={r.name}>{r.name}</Option>
                  ))}
                </Dropdown>
              </Field>
              <Field label="Credential">
                <Dropdown
                  value={credential || 'Managed identity (the emulator’s)'}
                  selectedOptions={[credential]}
                  onOptionSelect={(_, d) => setCredential(d.optionValue ?? '')}
                >
                  <Option value="">Managed identity (the emulator’s)</Option>
                  {(credentials.data?.value ?? [])
                    .filter((c) => !c.properties.type || c.properties.type === 'AccountKey')
                    .map((c) => (
                      <Option key={c.name} value={c.name}>
                        {c.name}
                      </Option>
                    ))}
                </Dropdown>
              </Field>
              <Field label="Scan rule set">
                <Dropdown
                  value={ruleset || `${systemRuleset} (system default)`}
                  selectedOptions={[ruleset]}
                  onOptionSelect={(_, d) => setRuleset(d.optionValue ?? '')}
                >
                  <Option value="">{`${systemRuleset} (system default)`}</Option>
                  {(rulesets.data?.value ?? [])
                    .filter((r) => r.kind === kind)
                    .map((r) => (
                      <Option key={r.name} value={r.name}>
                        {r.name}
                      </Option>
                    ))}
                </Dropdown>
              </Field>
              <Field label="Trigger">
                <RadioGroup value={trigger} onChange={(_, d) => setTrigger(d.value as Trigger)}>
                  <Radio value="once" label="Once, now" />
                  <Radio value="daily" label="Recurring: every day at 02:00 UTC" />
                  <Radio value="weekly" label="Recurring: every week" />
                </RadioGroup>
              </Field>
              <ErrorBar error={error} />
            </DialogContent>
            <DialogActions>
              <DialogTrigger disableButtonEnhancement>
                <Button>Cancel</Button>
              </DialogTrigger>
              <Button type="submit" appearance="primary" disabled={!name.trim() || !runtime || saveScan.isPending}>
                {trigger === 'once' ? 'Save and run' : 'Save'}
              </Button>
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  );
}

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
import { AddRegular, EditRegular } from '@fluentui/react-icons';
import type { Scan } from '@contracts/scanning';
import { useRuntimes } from '../../api/runtimes';
import { useCredentials, useScanRulesets } from '../../api/credentials';
import { useDataSource, useScanningMutations, useTrigger } from '../../api/scanning';
import { navigate } from '../../router';
import { ErrorBar } from '../Common';
import { ScheduleFields } from './ScheduleFields';
import { NO_SCHEDULE, scheduleOf, scheduleValid, triggerBody, type Schedule } from './schedule';
import { credentialsFor, isDatabase, kindInfo, scanSettings } from './source-kinds';

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  surface: { maxWidth: '640px' },
});

const MSI = 'Managed identity (the emulator’s)';

/** Creates a scan (runtime, credential, rule set, trigger; a one-off scan runs at once) or edits one. */
export function ScanDialog({ source, scan }: { source: string; scan?: Scan }): ReactNode {
  const styles = useStyles();
  const [open, setOpen] = useState(false);
  const props = scan?.properties;
  const settings = scanSettings(props);
  const [name, setName] = useState(scan?.name ?? '');
  const [runtime, setRuntime] = useState(settings.runtime ?? '');
  const [credential, setCredential] = useState(settings.credential ?? '');
  const [database, setDatabase] = useState(settings.databaseName ?? '');
  const [ruleset, setRuleset] = useState(props?.scanRulesetType === 'Custom' ? (props.scanRulesetName ?? '') : '');
  const [schedule, setSchedule] = useState<Schedule>(NO_SCHEDULE);
  const [error, setError] = useState<unknown>(null);
  const ds = useDataSource(source);
  const kind = ds.data?.kind ?? 'AzureStorage';
  const db = isDatabase(kind);
  const types = kindInfo(kind)?.credentialTypes ?? [];
  const runtimes = useRuntimes();
  const credentials = useCredentials(open);
  const rulesets = useScanRulesets(open);
  const trigger = useTrigger(source, scan?.name ?? '', open && !!scan);
  const [loadedTrigger, setLoadedTrigger] = useState(false);
  if (open && scan && trigger.isSuccess && !loadedTrigger) {
    setLoadedTrigger(true);
    setSchedule(scheduleOf(trigger.data));
  }
  const { saveScan, saveTrigger, removeTrigger, run } = useScanningMutations();
  const usable = credentialsFor(kind, credentials.data?.value ?? []);
  const chosenType = usable.find((c) => c.name === credential)?.kind ?? settings.credentialType ?? types[0];
  const complete = name.trim() && runtime && (!db || (credential && database.trim())) && scheduleValid(schedule);

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setError(null);
    const scanName = name.trim();
    const body = {
      kind: credential ? `${kind}Credential` : `${kind}Msi`,
      properties: {
        scanRulesetName: ruleset || kind,
        scanRulesetType: ruleset ? 'Custom' : 'System',
        connectedVia: { referenceName: runtime },
        ...(credential ? { credential: { referenceName: credential, credentialType: chosenType } } : {}),
        ...(db ? { databaseName: database.trim() } : {}),
      },
    };
    try {
      await saveScan.mutateAsync({ source, name: scanName, body });
      if (schedule.recurring) await saveTrigger.mutateAsync({ source, scan: scanName, body: triggerBody(schedule) });
      else if (trigger.data) await removeTrigger.mutateAsync({ source, scan: scanName });
      if (!scan && !schedule.recurring) await run.mutateAsync({ source, scan: scanName });
      setOpen(false);
      if (!scan) navigate(`/sources/${encodeURIComponent(source)}/scans/${encodeURIComponent(scanName)}`);
    } catch (e) {
      setError(e);
    }
  };

  const busy = saveScan.isPending || saveTrigger.isPending || run.isPending;
  return (
    <Dialog open={open} onOpenChange={(_, d) => (setOpen(d.open), setError(null), setLoadedTrigger(false))}>
      <DialogTrigger disableButtonEnhancement>
        {scan ? <Button icon={<EditRegular />}>Edit scan</Button> : <Button icon={<AddRegular />}>New scan</Button>}
      </DialogTrigger>
      <DialogSurface className={styles.surface}>
        <form onSubmit={(e) => void submit(e)}>
          <DialogBody>
            <DialogTitle>{scan ? `Edit ${scan.name}` : `Scan ${source}`}</DialogTitle>
            <DialogContent className={styles.form}>
              <Field label="Name" required>
                <Input value={name} disabled={!!scan} onChange={(_, d) => setName(d.value)} placeholder="weekly-scan" />
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
              <Field
                label="Credential"
                required={db}
                hint={`${types.join(' or ')} credentials; make one under Credentials.`}
              >
                <Dropdown
                  placeholder="Select a credential"
                  value={credential || (db ? '' : MSI)}
                  selectedOptions={[credential]}
                  onOptionSelect={(_, d) => setCredential(d.optionValue ?? '')}
                >
                  {!db && <Option value="">{MSI}</Option>}
                  {usable.map((c) => (
                    <Option key={c.name} value={c.name} text={c.name}>
                      {`${c.name} (${c.kind})`}
                    </Option>
                  ))}
                </Dropdown>
              </Field>
              {db && (
                <Field label="Database name" required>
                  <Input value={database} onChange={(_, d) => setDatabase(d.value)} placeholder="sales" />
                </Field>
              )}
              <Field label="Scan rule set">
                <Dropdown
                  value={ruleset || `${kind} (system default)`}
                  selectedOptions={[ruleset]}
                  onOptionSelect={(_, d) => setRuleset(d.optionValue ?? '')}
                >
                  <Option value="">{`${kind} (system default)`}</Option>
                  {(rulesets.data?.value ?? [])
                    .filter((r) => r.kind === kind)
                    .map((r) => (
                      <Option key={r.name} value={r.name}>
                        {r.name}
                      </Option>
                    ))}
                </Dropdown>
              </Field>
              <ScheduleFields value={schedule} onChange={setSchedule} />
              <ErrorBar error={error} />
            </DialogContent>
            <DialogActions>
              <DialogTrigger disableButtonEnhancement>
                <Button>Cancel</Button>
              </DialogTrigger>
              <Button type="submit" appearance="primary" disabled={!complete || busy}>
                {scan || schedule.recurring ? 'Save' : 'Save and run'}
              </Button>
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  );
}

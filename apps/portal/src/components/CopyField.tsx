import { useState, type ReactNode } from 'react';
import { Button, Field, Input, Tooltip, makeStyles } from '@fluentui/react-components';
import { CheckmarkRegular, CopyRegular } from '@fluentui/react-icons';

const useStyles = makeStyles({ input: { fontFamily: 'Consolas, "Cascadia Mono", monospace', width: '100%' } });

/** A read-only value with a copy button (the clipboard API; the browser asks nothing on localhost). */
export function CopyField({ label, value, hint }: { label: string; value: string; hint?: string }): ReactNode {
  const styles = useStyles();
  const [copied, setCopied] = useState(false);
  const copy = async (): Promise<void> => {
    await navigator.clipboard.writeText(value);
    setCopied(true);
    setTimeout(() => setCopied(false), 2000);
  };
  return (
    <Field label={label} hint={hint}>
      <Input
        readOnly
        value={value}
        className={styles.input}
        contentAfter={
          <Tooltip content={copied ? 'Copied' : `Copy ${label}`} relationship="label">
            <Button
              appearance="transparent"
              size="small"
              icon={copied ? <CheckmarkRegular /> : <CopyRegular />}
              onClick={() => void copy()}
            />
          </Tooltip>
        }
      />
    </Field>
  );
}

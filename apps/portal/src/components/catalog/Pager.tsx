import type { ReactNode } from 'react';
import { Body1, Button, makeStyles, tokens } from '@fluentui/react-components';
import { ChevronLeftRegular, ChevronRightRegular } from '@fluentui/react-icons';

const useStyles = makeStyles({
  pager: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'center', marginTop: tokens.spacingVerticalM },
});

/**
 * Previous / Next over search's continuation tokens: `stack` holds the token of each page seen (undefined for the
 * first), so Previous pops and Next pushes the current answer's token.
 */
export function Pager({
  label,
  stack,
  next,
  onChange,
}: {
  label: string;
  stack: (string | undefined)[];
  next: string | undefined | null;
  onChange: (stack: (string | undefined)[]) => void;
}): ReactNode {
  const styles = useStyles();
  if (stack.length === 1 && !next) return null;
  return (
    <nav className={styles.pager} aria-label={label}>
      <Button icon={<ChevronLeftRegular />} disabled={stack.length === 1} onClick={() => onChange(stack.slice(0, -1))}>
        Previous
      </Button>
      <Body1>Page {stack.length}</Body1>
      <Button
        icon={<ChevronRightRegular />}
        iconPosition="after"
        disabled={!next}
        onClick={() => onChange([...stack, next ?? undefined])}
      >
        Next
      </Button>
    </nav>
  );
}

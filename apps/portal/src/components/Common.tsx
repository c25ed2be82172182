import type { ReactNode } from 'react';
import {
  Badge,
  Body1,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
  Title2,
  makeStyles,
  tokens,
  type BadgeProps,
} from '@fluentui/react-components';
import { ApiError } from '../api/client';

const useStyles = makeStyles({
  header: {
    display: 'flex',
    alignItems: 'flex-start',
    justifyContent: 'space-between',
    gap: tokens.spacingHorizontalL,
    marginBottom: tokens.spacingVerticalL,
  },
  title: { flexGrow: 1, minWidth: 0 },
  subtitle: { color: tokens.colorNeutralForeground3, display: 'block', marginTop: tokens.spacingVerticalXS },
  actions: { display: 'flex', gap: tokens.spacingHorizontalS, flexShrink: 0 },
  crumbs: { display: 'block', marginBottom: tokens.spacingVerticalS, color: tokens.colorNeutralForeground3 },
});

export function PageHeader({
  title,
  subtitle,
  actions,
  crumbs,
}: {
  title: ReactNode;
  subtitle?: ReactNode;
  actions?: ReactNode;
  crumbs?: ReactNode;
}): ReactNode {
  const styles = useStyles();
  return (
    <>
      {crumbs && (
        <nav aria-label="Breadcrumb" className={styles.crumbs}>
          {crumbs}
        </nav>
      )}
      <div className={styles.header}>
        <div className={styles.title}>
          <Title2 as="h1">{title}</Title2>
          {subtitle && <Body1 className={styles.subtitle}>{subtitle}</Body1>}
        </div>
        {actions && <div className={styles.actions}>{actions}</div>}
      </div>
    </>
  );
}

/** An API's refusal as the API worded it (a 403 names the role that is missing). */
export function ErrorBar({ error, title }: { error: unknown; title?: string }): ReactNode {
  if (!error) return null;
  const status = error instanceof ApiError ? error.status : undefined;
  return (
    <MessageBar intent={status === 403 ? 'warning' : 'error'} role="alert">
      <MessageBarBody>
        <MessageBarTitle>{title ?? (status === 403 ? 'Not allowed' : 'Something went wrong')}</MessageBarTitle>
        {error instanceof Error ? error.message : display(error)}
      </MessageBarBody>
    </MessageBar>
  );
}

export function Loading({ label = 'Loading…' }: { label?: string }): ReactNode {
  return <Spinner size="small" label={label} labelPosition="after" style={{ justifyContent: 'flex-start' }} />;
}

const STATE_COLORS: Record<string, BadgeProps['color']> = {
  Online: 'success',
  Succeeded: 'success',
  Enabled: 'success',
  Healthy: 'success',
  Limited: 'warning',
  InProgress: 'informative',
  Queued: 'informative',
  Accepted: 'informative',
  Initializing: 'informative',
  Upgrading: 'informative',
  NeedRegistration: 'subtle',
  Disabled: 'subtle',
  Canceled: 'subtle',
  CompletedWithExceptions: 'warning',
  Offline: 'danger',
  Failed: 'danger',
  InitializeFailed: 'danger',
  Unhealthy: 'danger',
  // Glossary term statuses
  Draft: 'subtle',
  Approved: 'success',
  Alert: 'warning',
  Expired: 'danger',
};

export function StateBadge({ state }: { state: string }): ReactNode {
  return (
    <Badge appearance="tint" color={STATE_COLORS[state] ?? 'informative'} data-state={state}>
      {state}
    </Badge>
  );
}

export function formatTime(value: string | null | undefined): string {
  if (!value) return '—';
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : date.toLocaleString();
}

/** Any value as text: strings as they are, everything else as JSON. */
export function display(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

import { useState, type FormEvent, type ReactNode } from 'react';
import {
  Button,
  Caption1,
  Card,
  Divider,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  Spinner,
  Text,
  Title2,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { WELL_KNOWN_CLIENT_ID, WELL_KNOWN_CLIENT_SECRET } from '@contracts/identity';
import { acquireToken, type Session } from '../api/auth';
import { errorMessage } from '../api/client';
import { Brand } from '../components/Brand';

const useStyles = makeStyles({
  page: {
    minHeight: '100%',
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'center',
    backgroundColor: tokens.colorNeutralBackground2,
    padding: tokens.spacingHorizontalXL,
    boxSizing: 'border-box',
  },
  card: { width: '420px', maxWidth: '100%', padding: tokens.spacingHorizontalXXL, gap: tokens.spacingVerticalL },
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  muted: { color: tokens.colorNeutralForeground3 },
});

/** Sign-in: one click with the well-known client (every role), or any client the emulator is configured with. */
export function SignIn({ onSignedIn }: { onSignedIn: (session: Session) => void }): ReactNode {
  const styles = useStyles();
  const [clientId, setClientId] = useState('');
  const [clientSecret, setClientSecret] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const signIn = async (id: string, secret: string): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      onSignedIn(await acquireToken(id, secret));
    } catch (e) {
      setError(errorMessage(e));
      setBusy(false);
    }
  };
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    void signIn(clientId.trim(), clientSecret);
  };

  return (
    <main className={styles.page}>
      <Card className={styles.card}>
        <Brand />
        <Title2 as="h1">Sign in</Title2>
        <Text className={styles.muted}>
          The emulator's Entra ID issues a token with the client credentials flow; the client's Purview roles decide
          what you can do here.
        </Text>
        {error && (
          <MessageBar intent="error">
            <MessageBarBody>{error}</MessageBarBody>
          </MessageBar>
        )}
        <Button
          appearance="primary"
          size="large"
          disabled={busy}
          onClick={() => void signIn(WELL_KNOWN_CLIENT_ID, WELL_KNOWN_CLIENT_SECRET)}
        >
          Sign in as {WELL_KNOWN_CLIENT_ID}
        </Button>
        <Divider>or with another client</Divider>
        <form className={styles.form} onSubmit={submit} aria-label="Sign in with a configured client">
          <Field label="Client id" required>
            <Input value={clientId} onChange={(_, d) => setClientId(d.value)} autoComplete="username" />
          </Field>
          <Field label="Client secret" required>
            <Input
              type="password"
              value={clientSecret}
              onChange={(_, d) => setClientSecret(d.value)}
              autoComplete="current-password"
            />
          </Field>
          <Button type="submit" disabled={busy || !clientId.trim() || !clientSecret}>
            {busy ? <Spinner size="tiny" label="Signing in…" /> : 'Sign in'}
          </Button>
        </form>
        <Caption1 className={styles.muted}>
          Configured clients: PURVIEW_EMULATOR_CLIENTS (README, Clients and roles)
        </Caption1>
      </Card>
    </main>
  );
}

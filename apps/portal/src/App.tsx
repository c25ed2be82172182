import { useEffect, useState, type ReactNode } from 'react';
import { FluentProvider, webDarkTheme, webLightTheme } from '@fluentui/react-components';
import { useQueryClient } from '@tanstack/react-query';
import { loadSession, type Session } from './api/auth';
import { setSession } from './api/client';
import { SessionContext, sessionValue } from './session';
import { Shell } from './components/Shell';
import { SignIn } from './pages/SignIn';
import { ThemeNameContext, type ThemeName } from './theme';

function initialTheme(): ThemeName {
  const saved = localStorage.getItem('purview-portal-theme');
  if (saved === 'light' || saved === 'dark') return saved;
  return window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

export function App(): ReactNode {
  const [theme, setTheme] = useState<ThemeName>(initialTheme);
  const [session, setCurrent] = useState<Session | null>(() => {
    const saved = loadSession();
    setSession(saved, (s) => setCurrent(s));
    return saved;
  });
  const queries = useQueryClient();

  useEffect(() => localStorage.setItem('purview-portal-theme', theme), [theme]);

  const signIn = (next: Session): void => {
    setSession(next, (s) => setCurrent(s));
    setCurrent(next);
  };
  const signOut = (): void => {
    setSession(null);
    setCurrent(null);
    queries.clear();
  };

  return (
    <ThemeNameContext.Provider value={theme}>
      <FluentProvider theme={theme === 'dark' ? webDarkTheme : webLightTheme} style={{ height: '100%' }}>
        {session ? (
          <SessionContext.Provider value={sessionValue(session, signOut)}>
            <Shell theme={theme} onThemeChange={setTheme} />
          </SessionContext.Provider>
        ) : (
          <SignIn onSignedIn={signIn} />
        )}
      </FluentProvider>
    </ThemeNameContext.Provider>
  );
}

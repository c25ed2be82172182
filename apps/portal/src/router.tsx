import { useSyncExternalStore, type MouseEvent, type ReactNode } from 'react';
import { Link as FluentLink } from '@fluentui/react-components';

/** The portal's own paths live under /portal (the emulator serves index.html for each). */
export const BASE = '/portal';

const listeners = new Set<() => void>();
window.addEventListener('popstate', () => listeners.forEach((l) => l()));

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function currentPath(): string {
  const path = window.location.pathname.startsWith(BASE) ? window.location.pathname.slice(BASE.length) : '/';
  return path === '' ? '/' : path;
}

/** The path inside the portal, e.g. `/integration-runtimes/default-shir`, re-rendering on navigation. */
export function usePath(): string {
  return useSyncExternalStore(subscribe, currentPath);
}

export function navigate(path: string): void {
  window.history.pushState(null, '', `${BASE}${path}`);
  listeners.forEach((l) => l());
  window.scrollTo(0, 0);
}

/** `/integration-runtimes/:name` against a path: the decoded parameters, or null. */
export function match(pattern: string, path: string): Record<string, string> | null {
  const p = pattern.split('/');
  const s = path.split('/');
  if (p.length !== s.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    if (p[i].startsWith(':')) params[p[i].slice(1)] = decodeURIComponent(s[i]);
    else if (p[i] !== s[i]) return null;
  }
  return params;
}

/** A real link (opens in a new tab with the middle button) that navigates in place on a plain click. */
export function RouterLink({ to, children }: { to: string; children: ReactNode }): ReactNode {
  const onClick = (event: MouseEvent): void => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(to);
  };
  return (
    <FluentLink href={`${BASE}${to}`} onClick={onClick}>
      {children}
    </FluentLink>
  );
}

import { createContext, useContext } from 'react';
import type { Session } from './api/auth';
import { permissionsOf, type Permissions } from './permissions';

export interface SessionContextValue {
  session: Session;
  permissions: Permissions;
  signOut: () => void;
}

export const SessionContext = createContext<SessionContextValue | null>(null);

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside a signed-in portal');
  return value;
}

export function sessionValue(session: Session, signOut: () => void): SessionContextValue {
  return { session, permissions: permissionsOf(session.roles), signOut };
}

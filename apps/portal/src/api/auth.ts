import { PURVIEW_SCOPE, WELL_KNOWN_TENANT_ID, type PurviewRole } from '@contracts/identity';

/** A signed-in client: its token (the client-credentials flow against the emulator's own Entra ID stand-in). */
export interface Session {
  clientId: string;
  clientSecret: string;
  accessToken: string;
  /** Epoch ms when the token expires (by the browser's clock: expires_in from the answer). */
  expiresAt: number;
  roles: PurviewRole[];
}

const STORAGE_KEY = 'purview-portal-session';

export class SignInError extends Error {}

function decodeRoles(token: string): PurviewRole[] {
  try {
    const payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const claims = JSON.parse(atob(payload)) as { roles?: unknown };
    return Array.isArray(claims.roles) ? (claims.roles as PurviewRole[]) : [];
  } catch {
    return [];
  }
}

/** POST /{tenant}/oauth2/v2.0/token, as any daemon app would. */
export async function acquireToken(clientId: string, clientSecret: string): Promise<Session> {
  const response = await fetch(`/${WELL_KNOWN_TENANT_ID}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: clientSecret,
      scope: PURVIEW_SCOPE,
    }),
  });
  const body = (await response.json().catch(() => ({}))) as {
    access_token?: string;
    expires_in?: number;
    error_description?: string;
  };
  if (!response.ok || !body.access_token) {
    throw new SignInError(body.error_description?.split('\r\n')[0] ?? `Sign-in failed (HTTP ${response.status}).`);
  }
  return {
    clientId,
    clientSecret,
    accessToken: body.access_token,
    expiresAt: Date.now() + (body.expires_in ?? 3600) * 1000,
    roles: decodeRoles(body.access_token),
  };
}

/** Kept for the tab's life only (sessionStorage), so a reload stays signed in and closing the tab signs out. */
export function loadSession(): Session | null {
  try {
    const raw = sessionStorage.getItem(STORAGE_KEY);
    return raw ? (JSON.parse(raw) as Session) : null;
  } catch {
    return null;
  }
}

export function saveSession(session: Session | null): void {
  if (session) sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session));
  else sessionStorage.removeItem(STORAGE_KEY);
}

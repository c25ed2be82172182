import type { ParsedAuthKey } from '@purview-emulator/contracts';

/**
 * Where a key says to register: its ServiceEndpoint (host[:port]) as an http base URL, e.g. `127.0.0.1:5380` →
 * `http://127.0.0.1:5380`. An endpoint that already names http(s) keeps its scheme. Throws when it is not a host.
 */
export function serviceUrlOf(key: Pick<ParsedAuthKey, 'serviceEndpoint'>): string {
  const endpoint = key.serviceEndpoint.trim();
  const withScheme = /^https?:\/\//i.test(endpoint) ? endpoint : `http://${endpoint}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new Error('The authentication key is malformed: its ServiceEndpoint is not a host[:port].');
  }
  if (
    !url.hostname ||
    url.username ||
    url.password ||
    url.search ||
    url.hash ||
    (url.pathname !== '/' && url.pathname !== '')
  ) {
    throw new Error('The authentication key is malformed: its ServiceEndpoint is not a host[:port].');
  }
  return `${url.protocol}//${url.host}`;
}

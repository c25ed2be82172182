/**
 * Purview spells actions with a colon after the resource (`/integrationruntimes/x:listAuthKeys`), older versions
 * with a slash-colon (`/x/:listAuthKeys`). Route params start with ':' so neither can be a literal route; both are
 * rewritten to `/x/-/listAuthKeys` before routing. Trailing slashes are dropped (legacy catalog paths end in '/').
 */
export function rewriteUrl(url: string): string {
  const q = url.indexOf('?');
  let path = q === -1 ? url : url.slice(0, q);
  const query = q === -1 ? '' : url.slice(q);
  path = path.replace(/\/?:([A-Za-z]+)$/, '/-/$1');
  if (path.length > 1) path = path.replace(/\/+$/, '');
  return path + query;
}

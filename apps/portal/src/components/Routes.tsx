import { lazy, Suspense, type ReactNode } from 'react';
import { match } from '../router';
import { Loading } from './Common';
import { NotFound } from './NotFound';

// Each page is its own chunk, loaded when first visited: the first paint needs only the shell.
const IntegrationRuntimes = lazy(() => import('../pages/IntegrationRuntimes'));
const IntegrationRuntimeDetail = lazy(() => import('../pages/IntegrationRuntimeDetail'));
const EmulatorPanel = lazy(() => import('../pages/EmulatorPanel'));
const Sources = lazy(() => import('../pages/Sources'));
const SourceDetail = lazy(() => import('../pages/SourceDetail'));
const ScanDetail = lazy(() => import('../pages/ScanDetail'));
const Catalog = lazy(() => import('../pages/Catalog'));
const AssetPage = lazy(() => import('../pages/AssetPage'));
const Glossary = lazy(() => import('../pages/Glossary'));
const TermPage = lazy(() => import('../pages/TermPage'));
const Credentials = lazy(() => import('../pages/Credentials'));
const ScanRulesets = lazy(() => import('../pages/ScanRulesets'));
const Collections = lazy(() => import('../pages/Collections'));

function page(path: string): ReactNode {
  let m: Record<string, string> | null;
  if (path === '/' || path === '/integration-runtimes') return <IntegrationRuntimes />;
  if ((m = match('/integration-runtimes/:name', path))) return <IntegrationRuntimeDetail name={m.name} />;
  if (path === '/sources') return <Sources />;
  if ((m = match('/sources/:source', path))) return <SourceDetail source={m.source} />;
  if ((m = match('/sources/:source/scans/:scan', path))) return <ScanDetail source={m.source} scan={m.scan} />;
  if (path === '/credentials') return <Credentials />;
  if (path === '/scan-rule-sets') return <ScanRulesets />;
  if (path === '/catalog') return <Catalog />;
  if ((m = match('/catalog/assets/:guid', path))) return <AssetPage guid={m.guid} />;
  if (path === '/collections') return <Collections />;
  if ((m = match('/collections/:name', path))) return <Collections name={m.name} />;
  if (path === '/glossary') return <Glossary />;
  if ((m = match('/glossary/terms/:termGuid', path))) return <TermPage termGuid={m.termGuid} />;
  if (path === '/emulator') return <EmulatorPanel />;
  return <NotFound path={path} />;
}

/** The portal's pages by path (see router.tsx); the emulator serves index.html for every one of them. */
export function Routes({ path }: { path: string }): ReactNode {
  return <Suspense fallback={<Loading />}>{page(path)}</Suspense>;
}

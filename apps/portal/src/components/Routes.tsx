import type { ReactNode } from 'react';
import { match } from '../router';
import { IntegrationRuntimes } from '../pages/IntegrationRuntimes';
import { IntegrationRuntimeDetail } from '../pages/IntegrationRuntimeDetail';
import { EmulatorPanel } from '../pages/EmulatorPanel';
import { Sources } from '../pages/Sources';
import { SourceDetail } from '../pages/SourceDetail';
import { ScanDetail } from '../pages/ScanDetail';
import { Catalog } from '../pages/Catalog';
import { AssetPage } from '../pages/AssetPage';
import { Glossary } from '../pages/Glossary';
import { NotFound } from './NotFound';

/** The portal's pages by path (see router.tsx); the emulator serves index.html for every one of them. */
export function Routes({ path }: { path: string }): ReactNode {
  let m: Record<string, string> | null;
  if (path === '/' || path === '/integration-runtimes') return <IntegrationRuntimes />;
  if ((m = match('/integration-runtimes/:name', path))) return <IntegrationRuntimeDetail name={m.name} />;
  if (path === '/sources') return <Sources />;
  if ((m = match('/sources/:source', path))) return <SourceDetail source={m.source} />;
  if ((m = match('/sources/:source/scans/:scan', path))) return <ScanDetail source={m.source} scan={m.scan} />;
  if (path === '/catalog') return <Catalog />;
  if ((m = match('/catalog/assets/:guid', path))) return <AssetPage guid={m.guid} />;
  if (path === '/glossary') return <Glossary />;
  if ((m = match('/glossary/terms/:termGuid', path))) return <Glossary termGuid={m.termGuid} />;
  if (path === '/emulator') return <EmulatorPanel />;
  return <NotFound path={path} />;
}

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { DataSource, Scan, ScanResultWithIngestion } from '@contracts/scanning';
import type { Trigger } from '@contracts/scan-triggers';
import type { BrowseResult, InteractiveCredential, TestConnectionResult } from '@contracts/interactive-authoring';
import { api, ApiError } from './client';
import type { List } from './runtimes';

/** A run id (a UUID; crypto.randomUUID only exists on secure origins, so built from random bytes). */
export function newRunId(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const ds = (name: string): string => `/scan/datasources/${encodeURIComponent(name)}`;
const scanPath = (source: string, scan: string): string => `${ds(source)}/scans/${encodeURIComponent(scan)}`;
const triggerPath = (source: string, scan: string): string => `${scanPath(source, scan)}/triggers/default`;

/**
 * What carries an interactive request: a runtime (by default the one the source's scans use) and, for a database,
 * a stored credential (by default the one its scans use).
 */
export interface Through {
  integrationRuntimeName?: string;
  credential?: InteractiveCredential;
}
const throughBody = ({ integrationRuntimeName, credential }: Through): Through => ({
  ...(integrationRuntimeName ? { integrationRuntimeName } : {}),
  ...(credential ? { credential } : {}),
});

/** A run that has not finished yet: its page keeps polling until it has. */
export const isActive = (run: ScanResultWithIngestion): boolean =>
  run.status === 'Queued' || run.status === 'InProgress';

export function useDataSources() {
  return useQuery({ queryKey: ['datasources'], queryFn: () => api<List<DataSource>>('/scan/datasources') });
}

export function useDataSource(name: string) {
  return useQuery({ queryKey: ['datasources', name], queryFn: () => api<DataSource>(ds(name)) });
}

export function useScans(source: string) {
  return useQuery({
    queryKey: ['datasources', source, 'scans'],
    queryFn: () => api<List<Scan>>(`${ds(source)}/scans`),
  });
}

export function useScan(source: string, scan: string) {
  return useQuery({
    queryKey: ['datasources', source, 'scans', scan],
    queryFn: () => api<Scan>(scanPath(source, scan)),
  });
}

/** A scan's schedule, or null when it has none (the API answers 404). */
export function useTrigger(source: string, scan: string, enabled = true) {
  return useQuery({
    queryKey: ['datasources', source, 'scans', scan, 'trigger'],
    queryFn: () =>
      api<Trigger>(triggerPath(source, scan)).catch((e: unknown) => {
        if (e instanceof ApiError && e.status === 404) return null;
        throw e;
      }),
    enabled,
  });
}

/** Run history with live progress: polled every 2 s while a run is active, every 15 s otherwise. */
export function useRuns(source: string, scan: string) {
  return useQuery({
    queryKey: ['datasources', source, 'scans', scan, 'runs'],
    queryFn: () => api<List<ScanResultWithIngestion>>(`${scanPath(source, scan)}/runs`),
    refetchInterval: (query) => (query.state.data?.value.some(isActive) ? 2000 : 15000),
  });
}

export function useScanningMutations() {
  const queries = useQueryClient();
  const refresh = (): Promise<void> => queries.invalidateQueries({ queryKey: ['datasources'] });
  return {
    saveSource: useMutation({
      mutationFn: ({ name, kind, properties }: { name: string; kind: string; properties: Record<string, unknown> }) =>
        api<DataSource>(ds(name), { method: 'PUT', body: { kind, properties } }),
      onSuccess: refresh,
    }),
    removeSource: useMutation({
      mutationFn: (name: string) => api<void>(ds(name), { method: 'DELETE' }),
      onSuccess: refresh,
    }),
    saveScan: useMutation({
      mutationFn: ({ source, name, body }: { source: string; name: string; body: unknown }) =>
        api<Scan>(scanPath(source, name), { method: 'PUT', body }),
      onSuccess: refresh,
    }),
    removeScan: useMutation({
      mutationFn: ({ source, name }: { source: string; name: string }) =>
        api<void>(scanPath(source, name), { method: 'DELETE' }),
      onSuccess: refresh,
    }),
    saveTrigger: useMutation({
      mutationFn: ({ source, scan, body }: { source: string; scan: string; body: unknown }) =>
        api<Trigger>(triggerPath(source, scan), { method: 'PUT', body }),
      onSuccess: refresh,
    }),
    removeTrigger: useMutation({
      mutationFn: ({ source, scan }: { source: string; scan: string }) =>
        api<void>(triggerPath(source, scan), { method: 'DELETE' }),
      onSuccess: refresh,
    }),
    run: useMutation({
      mutationFn: ({ source, scan }: { source: string; scan: string }) =>
        api<ScanResultWithIngestion>(`${scanPath(source, scan)}/runs/${newRunId()}`, { method: 'PUT' }),
      onSuccess: refresh,
    }),
    cancel: useMutation({
      mutationFn: ({ source, scan, runId }: { source: string; scan: string; runId: string }) =>
        api<unknown>(`${scanPath(source, scan)}/runs/${encodeURIComponent(runId)}:cancel`, { method: 'POST' }),
      onSuccess: refresh,
    }),
    testConnection: useMutation({
      mutationFn: ({ source, ...through }: { source: string } & Through) =>
        api<TestConnectionResult>(`${ds(source)}:testConnection`, { method: 'POST', body: throughBody(through) }),
    }),
    browse: useMutation({
      mutationFn: ({ source, path, ...through }: { source: string; path: string } & Through) =>
        api<BrowseResult>(`${ds(source)}:browse`, {
          method: 'POST',
          body: { path, maxItems: 200, ...throughBody(through) },
        }),
    }),
  };
}

import { useMutation, useQuery, useQueryClient, type UseQueryResult } from '@tanstack/react-query';
import type {
  IntegrationRuntime,
  IntegrationRuntimeAuthKeys,
  SelfHostedIntegrationRuntimeStatus,
} from '@contracts/integration-runtimes';
import { api } from './client';

export interface List<T> {
  value: T[];
  count?: number;
  nextLink?: string;
}

const path = (name: string): string => `/scan/integrationruntimes/${encodeURIComponent(name)}`;

/** Live state without reloads: polled every 3 s while the tab is visible (react-query keeps the last answer). */
export const LIVE_INTERVAL_MS = 3000;

/** Polls every 3 s; after failed polls (emulator restarting, network gone) backs off, doubling up to a minute. */
export function liveInterval(query: { state: { fetchFailureCount: number } }): number {
  return Math.min(60_000, LIVE_INTERVAL_MS * 2 ** query.state.fetchFailureCount);
}

export function useRuntimes(): UseQueryResult<List<IntegrationRuntime>> {
  return useQuery({
    queryKey: ['runtimes'],
    queryFn: () => api<List<IntegrationRuntime>>('/scan/integrationruntimes'),
    refetchInterval: (query) => 2 * liveInterval(query),
  });
}

export function useRuntime(name: string): UseQueryResult<IntegrationRuntime> {
  return useQuery({ queryKey: ['runtimes', name], queryFn: () => api<IntegrationRuntime>(path(name)) });
}

export function useRuntimeStatus(name: string, live = true): UseQueryResult<SelfHostedIntegrationRuntimeStatus> {
  return useQuery({
    queryKey: ['runtimes', name, 'status'],
    queryFn: () => api<SelfHostedIntegrationRuntimeStatus>(`${path(name)}/status`),
    refetchInterval: live ? liveInterval : false,
    refetchIntervalInBackground: false,
  });
}

export function useAuthKeys(name: string, enabled: boolean): UseQueryResult<IntegrationRuntimeAuthKeys> {
  return useQuery({
    queryKey: ['runtimes', name, 'keys'],
    queryFn: () => api<IntegrationRuntimeAuthKeys>(`${path(name)}:listAuthKeys`, { method: 'POST' }),
    enabled,
  });
}

export function useServiceUrls(name: string, enabled: boolean) {
  return useQuery({
    queryKey: ['runtimes', name, 'serviceUrls'],
    queryFn: () =>
      api<{ serviceUrls: string[]; endpoints: { purpose: string; url: string }[] }>(
        `/_emulator/integrationruntimes/${encodeURIComponent(name)}/serviceUrls`,
      ),
    enabled,
  });
}

/** Every change refreshes what it touched (the list, the runtime, its status and keys). */
export function useRuntimeMutations(name?: string) {
  const queries = useQueryClient();
  const refresh = (): Promise<void> =>
    queries.invalidateQueries({ queryKey: name ? ['runtimes', name] : ['runtimes'] });
  return {
    save: useMutation({
      mutationFn: ({ runtime, description }: { runtime: string; description: string }) =>
        api<IntegrationRuntime>(path(runtime), {
          method: 'PUT',
          body: { kind: 'SelfHosted', properties: { description } },
        }),
      onSuccess: () => queries.invalidateQueries({ queryKey: ['runtimes'] }),
    }),
    remove: useMutation({
      mutationFn: (runtime: string) => api<void>(path(runtime), { method: 'DELETE' }),
      onSuccess: () => queries.invalidateQueries({ queryKey: ['runtimes'] }),
    }),
    regenerate: useMutation({
      mutationFn: (keyName: 'authKey1' | 'authKey2') =>
        api<IntegrationRuntimeAuthKeys>(`${path(name!)}:regenerateAuthKey`, { method: 'POST', body: { keyName } }),
      onSuccess: refresh,
    }),
    updateNode: useMutation({
      mutationFn: ({ node, concurrentJobsLimit }: { node: string; concurrentJobsLimit: number }) =>
        api<unknown>(`${path(name!)}/nodes/${encodeURIComponent(node)}`, {
          method: 'PATCH',
          body: { concurrentJobsLimit },
        }),
      onSuccess: refresh,
    }),
    removeNode: useMutation({
      mutationFn: (node: string) => api<void>(`${path(name!)}/nodes/${encodeURIComponent(node)}`, { method: 'DELETE' }),
      onSuccess: refresh,
    }),
    interactive: useMutation({
      mutationFn: (enable: boolean) =>
        api<unknown>(`${path(name!)}:${enable ? 'enableInteractiveQuery' : 'disableInteractiveQuery'}`, {
          method: 'POST',
          body: enable ? { autoTerminationMinutes: 60 } : {},
        }),
      onSuccess: refresh,
    }),
  };
}

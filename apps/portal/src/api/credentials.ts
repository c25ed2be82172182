import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { AzureKeyVault, Credential } from '@contracts/scan-credentials';
import type { ScanRuleset } from '@contracts/scan-rulesets';
import { api } from './client';
import type { List } from './runtimes';

const kv = (name: string): string => `/scan/azureKeyVaults/${encodeURIComponent(name)}`;
const cred = (name: string): string => `/scan/credentials/${encodeURIComponent(name)}`;
const ruleset = (name: string): string => `/scan/scanrulesets/${encodeURIComponent(name)}`;

export function useKeyVaults(enabled = true) {
  return useQuery({ queryKey: ['azureKeyVaults'], queryFn: () => api<List<AzureKeyVault>>(kv('')), enabled });
}

export function useCredentials(enabled = true) {
  return useQuery({ queryKey: ['credentials'], queryFn: () => api<List<Credential>>(cred('')), enabled });
}

/** Custom scan rule sets (the account's own). */
export function useScanRulesets(enabled = true) {
  return useQuery({ queryKey: ['scanrulesets'], queryFn: () => api<List<ScanRuleset>>(ruleset('')), enabled });
}

/** The system scan rule set of each source type (latest versions). */
export function useSystemRulesets(enabled = true) {
  return useQuery({
    queryKey: ['systemScanRulesets'],
    queryFn: () => api<List<ScanRuleset>>('/scan/systemScanRulesets'),
    enabled,
    staleTime: 300_000,
  });
}

/** The secret a credential names: which Key Vault connection, which secret. */
export function secretOf(c: Credential): { store: string; secretName: string } | undefined {
  for (const value of Object.values(c.properties.typeProperties ?? {})) {
    const v = value as { secretName?: string; store?: { referenceName?: string } } | null;
    if (v && typeof v === 'object' && v.secretName && v.store?.referenceName)
      return { store: v.store.referenceName, secretName: v.secretName };
  }
  return undefined;
}

export function useCredentialMutations() {
  const queries = useQueryClient();
  const refresh = (key: string) => (): Promise<void> => queries.invalidateQueries({ queryKey: [key] });
  return {
    saveKeyVault: useMutation({
      mutationFn: ({ name, baseUrl, description }: { name: string; baseUrl: string; description?: string }) =>
        api<AzureKeyVault>(kv(name), { method: 'PUT', body: { properties: { baseUrl, description } } }),
      onSuccess: refresh('azureKeyVaults'),
    }),
    removeKeyVault: useMutation({
      mutationFn: (name: string) => api<void>(kv(name), { method: 'DELETE' }),
      onSuccess: refresh('azureKeyVaults'),
    }),
    saveCredential: useMutation({
      mutationFn: ({ name, body }: { name: string; body: unknown }) =>
        api<Credential>(cred(name), { method: 'PUT', body }),
      onSuccess: refresh('credentials'),
    }),
    removeCredential: useMutation({
      mutationFn: (name: string) => api<void>(cred(name), { method: 'DELETE' }),
      onSuccess: refresh('credentials'),
    }),
    saveRuleset: useMutation({
      mutationFn: ({ name, body }: { name: string; body: unknown }) =>
        api<ScanRuleset>(ruleset(name), { method: 'PUT', body }),
      onSuccess: refresh('scanrulesets'),
    }),
    removeRuleset: useMutation({
      mutationFn: (name: string) => api<void>(ruleset(name), { method: 'DELETE' }),
      onSuccess: refresh('scanrulesets'),
    }),
  };
}

import type { NewNodeConfig } from '../home/node-config';

/** A registered node's configuration for tests; override what a test is about. */
export function newNodeConfig(overrides: Partial<NewNodeConfig> = {}): NewNodeConfig {
  return {
    emulatorUrl: 'http://127.0.0.1:5380',
    accountName: 'acct',
    integrationRuntime: { name: 'my-shir', id: '6f1c2f0e-1f2b-4c1e-9a61-0d4c7b5e2a10' },
    node: { name: 'node1', id: '0b6f3a52-5d0e-4c8b-9a0e-0d2c9f1e7a11' },
    machineName: 'machine',
    registeredAt: '2026-11-27T00:00:00.000Z',
    runtimeVersion: '5.40.9000.1',
    heartbeatIntervalSeconds: 0.1,
    offlineAfterSeconds: 2,
    ...overrides,
  };
}

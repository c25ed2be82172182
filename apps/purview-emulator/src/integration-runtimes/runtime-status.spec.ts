import { loadConfig } from '../config/emulator-config';
import type { IntegrationRuntimeEntity } from './integration-runtime.entity';
import type { IntegrationRuntimeNodeEntity } from './integration-runtime-node.entity';
import { buildStatus, serviceUrlsOf } from './runtime-status';

const config = loadConfig({ PURVIEW_HEARTBEAT_INTERVAL_SECONDS: '5', PURVIEW_NODE_OFFLINE_AFTER_SECONDS: '15' });
const ir = { id: 'ir-id', name: 'shir', kind: 'SelfHosted', description: null, authKey1: 'a', authKey2: 'b', createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z' } as IntegrationRuntimeEntity;
const NOW = Date.parse('2026-06-01T12:00:00Z');

function node(name: string, secondsSinceHeartbeat: number | null, extra: Partial<IntegrationRuntimeNodeEntity> = {}): IntegrationRuntimeNodeEntity {
  return {
    id: `id-${name}`, integrationRuntimeId: 'ir-id', nodeName: name, machineName: `${name}-host`, credentialHash: 'h', registeredWith: 'authKey1',
    version: '5.40.9000.1', os: 'linux', cores: 2, memoryMb: 4096, registerTime: '2026-06-01T11:00:00.000Z',
    lastConnectMs: secondsSinceHeartbeat === null ? null : NOW - secondsSinceHeartbeat * 1000, lastStartTime: null, runningJobs: 0,
    availableMemoryMb: null, cpuUtilization: null, relayConnected: null, concurrentJobsLimit: null, maxConcurrentJobs: 4, ...extra,
  };
}

describe('buildStatus', () => {
  it('needs registration without nodes, and says how to register', () => {
    const status = buildStatus(ir, [], { config, nowMs: NOW });
    expect(status.properties.state).toBe('NeedRegistration');
    expect(status.properties.typeProperties.nodes).toEqual([]);
    expect(status.emulatorDiagnostics?.stateReason).toMatch(/listAuthKeys/);
  });

  it('is Online when every node heartbeats within the timeout, with exactly one dispatcher', () => {
    const status = buildStatus(ir, [node('a', 1), node('b', 15)], { config, nowMs: NOW });
    expect(status.properties.state).toBe('Online');
    expect(status.properties.typeProperties.nodes.map((n) => [n.nodeName, n.status, n.isActiveDispatcher])).toEqual([['a', 'Online', true], ['b', 'Online', false]]);
    expect(status.properties.typeProperties.version).toBe('5.40.9000.1');
  });

  it('is Limited when some nodes are Offline, and the dispatcher moves to an online node', () => {
    const status = buildStatus(ir, [node('a', 16), node('b', 2)], { config, nowMs: NOW });
    expect(status.properties.state).toBe('Limited');
    const [a, b] = status.properties.typeProperties.nodes;
    expect([a.status, a.isActiveDispatcher, a.capabilities.connectedToResourceManager]).toEqual(['Offline', false, 'False']);
    expect([b.status, b.isActiveDispatcher]).toEqual(['Online', true]);
    expect(status.emulatorDiagnostics?.nodes[0].statusReason).toMatch(/No heartbeat for 16 s/);
  });

  it('is Offline when no node is online', () => {
    expect(buildStatus(ir, [node('a', 60), node('b', null)], { config, nowMs: NOW }).properties.state).toBe('Offline');
  });

  it('marks a node whose relay channel is down Limited with serviceBusConnected False', () => {
    const status = buildStatus(ir, [node('a', 1, { relayConnected: false })], { config, nowMs: NOW });
    expect(status.properties.typeProperties.nodes[0]).toEqual(expect.objectContaining({ status: 'Limited', capabilities: expect.objectContaining({ serviceBusConnected: 'False' }) }));
    expect(status.properties.state).toBe('Limited');
  });

  it('lists the hosts a node must reach', () => {
    expect(serviceUrlsOf(config)).toEqual(['127.0.0.1:5380', '127.0.0.1:10000', '127.0.0.1:10001']);
  });
});

import { loadConfig } from '../config/emulator-config';
import type { IntegrationRuntimeEntity } from './integration-runtime.entity';
import type { IntegrationRuntimeNodeEntity } from './integration-runtime-node.entity';
import { buildStatus, serviceUrlsOf } from './runtime-status';
import { assessVersion } from './runtime-versions';

const config = loadConfig({ PURVIEW_HEARTBEAT_INTERVAL_SECONDS: '5', PURVIEW_NODE_OFFLINE_AFTER_SECONDS: '15' });
const ir = {
  id: 'ir-id',
  name: 'shir',
  kind: 'SelfHosted',
  description: null,
  authKey1: 'a',
  authKey2: 'b',
  autoUpdate: 'On',
  dispatcherNodeId: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
} as IntegrationRuntimeEntity;
const NOW = Date.parse('2026-06-01T12:00:00Z');

function node(
  name: string,
  secondsSinceHeartbeat: number | null,
  extra: Partial<IntegrationRuntimeNodeEntity> = {},
): IntegrationRuntimeNodeEntity {
  return {
    id: `id-${name}`,
    integrationRuntimeId: 'ir-id',
    nodeName: name,
    machineName: `${name}-host`,
    credentialHash: 'h',
    registeredWith: 'authKey1',
    version: '5.40.9000.1',
    os: 'linux',
    cores: 2,
    memoryMb: 4096,
    registerTime: '2026-06-01T11:00:00.000Z',
    lastConnectMs: secondsSinceHeartbeat === null ? null : NOW - secondsSinceHeartbeat * 1000,
    lastStartTime: null,
    runningJobs: 0,
    availableMemoryMb: null,
    cpuUtilization: null,
    relayConnected: null,
    concurrentJobsLimit: null,
    maxConcurrentJobs: 4,
    remoteAccessEnabled: false,
    remoteAccessPort: null,
    upgrading: false,
    lastStopTime: null,
    lastUpdateResult: 'None',
    ...extra,
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
    expect(status.properties.typeProperties.nodes.map((n) => [n.nodeName, n.status, n.isActiveDispatcher])).toEqual([
      ['a', 'Online', true],
      ['b', 'Online', false],
    ]);
    expect(status.properties.typeProperties.version).toBe('5.40.9000.1');
  });

  it('is Limited when some nodes are Offline, and the dispatcher moves to an online node', () => {
    const status = buildStatus(ir, [node('a', 16), node('b', 2)], { config, nowMs: NOW });
    expect(status.properties.state).toBe('Limited');
    const [a, b] = status.properties.typeProperties.nodes;
    expect([a.status, a.isActiveDispatcher, a.capabilities.connectedToResourceManager]).toEqual([
      'Offline',
      false,
      'False',
    ]);
    expect([b.status, b.isActiveDispatcher]).toEqual(['Online', true]);
    expect(status.emulatorDiagnostics?.nodes[0].statusReason).toMatch(/No heartbeat for 16 s/);
  });

  it('is Offline when no node is online', () => {
    expect(buildStatus(ir, [node('a', 60), node('b', null)], { config, nowMs: NOW }).properties.state).toBe('Offline');
  });

  it('shows a node that registered but has not called in as Initializing, then Offline with the reason', () => {
    const fresh = node('a', null, { registerTime: new Date(NOW - 5_000).toISOString() });
    expect(buildStatus(ir, [fresh], { config, nowMs: NOW }).properties.typeProperties.nodes[0].status).toBe(
      'Initializing',
    );
    const stale = buildStatus(ir, [fresh], { config, nowMs: NOW + 60_000 });
    expect(stale.properties.typeProperties.nodes[0].status).toBe('Offline');
    expect(stale.emulatorDiagnostics?.nodes[0].statusReason).toMatch(/has not connected since it registered/);
  });

  it('keeps the dispatcher role with the recorded node while it works, and moves it when that node goes Offline', () => {
    const withB = { ...ir, dispatcherNodeId: 'id-b' } as IntegrationRuntimeEntity;
    const dispatchers = (nodes: IntegrationRuntimeNodeEntity[]) =>
      buildStatus(withB, nodes, { config, nowMs: NOW })
        .properties.typeProperties.nodes.filter((n) => n.isActiveDispatcher)
        .map((n) => n.nodeName);
    expect(dispatchers([node('a', 1), node('b', 1)])).toEqual(['b']);
    expect(dispatchers([node('a', 1), node('b', 30)])).toEqual(['a']);
  });

  it('applies the majority version rule: a node on another version is Limited, and the IR version is the majority one', () => {
    const status = buildStatus(ir, [node('a', 1), node('b', 1), node('c', 1, { version: '5.39.0.0' })], {
      config,
      nowMs: NOW,
    });
    expect(status.properties.typeProperties.version).toBe('5.40.9000.1');
    expect(status.properties.typeProperties.nodes.map((n) => n.status)).toEqual(['Online', 'Online', 'Limited']);
    expect(status.emulatorDiagnostics?.nodes[2].statusReason).toMatch(/Majority version rule/);
    expect(status.properties.state).toBe('Limited');
  });

  it('shows an upgrading node as Upgrading, and remote access as an unencrypted internal channel', () => {
    const status = buildStatus(
      ir,
      [node('a', 1, { upgrading: true, remoteAccessEnabled: true, remoteAccessPort: 8060 })],
      { config, nowMs: NOW },
    );
    expect(status.properties.typeProperties.nodes[0].status).toBe('Upgrading');
    expect(status.properties.typeProperties.internalChannelEncryption).toBe('NotEncrypted');
  });

  it('takes an expired version Offline with the reason, and publishes latest and pushed versions', () => {
    const dated = loadConfig({ PURVIEW_RUNTIME_RELEASES: '5.40.9000.1=2025-01-01' });
    const status = buildStatus(ir, [node('a', 1)], { config: dated, nowMs: NOW });
    const [a] = status.properties.typeProperties.nodes;
    expect([a.status, a.versionStatus, a.capabilities.nodeEnabled, a.expiryTime]).toEqual([
      'Offline',
      'Expired',
      'False',
      '2026-01-01T00:00:00.000Z',
    ]);
    expect(status.emulatorDiagnostics?.nodes[0].statusReason).toMatch(/expired on 2026-01-01/);
    expect(status.properties.typeProperties).toEqual(
      expect.objectContaining({ latestVersion: '5.40.9000.1', pushedVersion: '5.40.9000.1', autoUpdate: 'On' }),
    );
  });

  it('marks a node whose relay channel is down Limited with serviceBusConnected False', () => {
    const status = buildStatus(ir, [node('a', 1, { relayConnected: false })], { config, nowMs: NOW });
    expect(status.properties.typeProperties.nodes[0]).toEqual(
      expect.objectContaining({
        status: 'Limited',
        capabilities: expect.objectContaining({ serviceBusConnected: 'False' }),
      }),
    );
    expect(status.properties.state).toBe('Limited');
  });

  it.each([
    ['UpToDate', '5.40.9000.1', '2026-05-01', NOW],
    ['UpdateAvailable', '5.39.0.0', '2026-05-01', NOW],
    ['Expiring', '5.39.0.0', '2025-08-01', NOW],
    ['Expired', '5.39.0.0', '2025-05-01', NOW],
  ])('assesses a version as %s', (expected, version, released, nowMs) => {
    const dated = loadConfig({ PURVIEW_RUNTIME_RELEASES: `${version}=${released}` });
    expect(assessVersion(version, dated, nowMs).versionStatus).toBe(expected);
  });

  it('lists the hosts a node must reach', () => {
    expect(serviceUrlsOf(config)).toEqual(['127.0.0.1:5380', '127.0.0.1:10000', '127.0.0.1:10001']);
  });
});

import {
  compareRuntimeVersions,
  type IntegrationRuntimeAutoUpdate,
  type VersionStatus,
} from '@purview-emulator/contracts';
import type { EmulatorConfig } from '../config/emulator-config';

const DAY_MS = 24 * 3600 * 1000;
/** "Each version of self-hosted integration runtime expires in one year. The expiring message is shown 90 days before." */
export const VERSION_LIFETIME_DAYS = 365;
export const EXPIRING_NOTICE_DAYS = 90;

export interface VersionAssessment {
  versionStatus: VersionStatus;
  /** When this version stops working; only for versions whose release date the emulator knows. */
  expiryTime?: string;
  /** Plain words for Expiring / Expired / UpdateAvailable. */
  reason?: string;
}

/**
 * Where a node's version stands against the published versions and the emulator clock. Release dates come from
 * PURVIEW_RUNTIME_RELEASES; a version without one never expires (the latest one, by default, is always current).
 */
export function assessVersion(
  version: string,
  config: Pick<EmulatorConfig, 'runtimeVersions'>,
  nowMs: number,
): VersionAssessment {
  const { latest, releaseDates } = config.runtimeVersions;
  const released = releaseDates[version];
  if (released) {
    const expiryMs = Date.parse(released) + VERSION_LIFETIME_DAYS * DAY_MS;
    const expiryTime = new Date(expiryMs).toISOString();
    if (nowMs >= expiryMs) {
      return {
        versionStatus: 'Expired',
        expiryTime,
        reason: `Version ${version} expired on ${expiryTime.slice(0, 10)} (each version expires one year after its release); an expired node is Offline and gets no jobs. Update it to ${latest}.`,
      };
    }
    if (nowMs >= expiryMs - EXPIRING_NOTICE_DAYS * DAY_MS) {
      return {
        versionStatus: 'Expiring',
        expiryTime,
        reason: `Version ${version} expires on ${expiryTime.slice(0, 10)}; update to ${latest} before then.`,
      };
    }
    if (compareRuntimeVersions(version, latest) < 0)
      return { versionStatus: 'UpdateAvailable', expiryTime, reason: `Version ${latest} is available.` };
    return { versionStatus: 'UpToDate', expiryTime };
  }
  if (compareRuntimeVersions(version, latest) < 0)
    return { versionStatus: 'UpdateAvailable', reason: `Version ${latest} is available.` };
  return { versionStatus: 'UpToDate' };
}

/** Auto-update pushes `pushed` to nodes on an older version (never downgrades: "downgrade doesn't work"). */
export function updateTarget(
  version: string,
  autoUpdate: IntegrationRuntimeAutoUpdate,
  config: Pick<EmulatorConfig, 'runtimeVersions'>,
): string | undefined {
  const { pushed } = config.runtimeVersions;
  return autoUpdate === 'On' && compareRuntimeVersions(version, pushed) < 0 ? pushed : undefined;
}

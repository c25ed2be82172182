import * as fs from 'node:fs';
import * as path from 'node:path';
import { HomeError, ensureHomeDirectory, readFileIfExists } from './files';
import type { HomePaths } from './paths';
import { isHostServiceProcess } from './state-file';

/** `<home>/host-service.pid`: which process runs the home's host service. */
export interface HostServiceLock {
  pid: number;
  /** When that host service started (ISO). */
  startedAt: string;
  /** The process' start time in clock ticks since boot (Linux /proc/<pid>/stat), so a reused pid is not mistaken for it. */
  processStart?: number;
}

/** Another live process holds the home. */
export class HostServiceRunningError extends HomeError {
  constructor(
    readonly home: string,
    readonly holder: HostServiceLock,
  ) {
    super(
      `The host service for ${home} is already running (pid ${holder.pid}, started ${holder.startedAt}). Stop it with 'shir stop'.`,
    );
  }
}

/** Homes whose lock this very process holds (a pid file naming our pid but not in here was left by an earlier process). */
const heldHere = new Set<string>();

/** Fields 3… of /proc/<pid>/stat (state first), where /proc exists. */
function procStat(pid: number, procRoot = '/proc'): string[] | undefined {
  try {
    const stat = fs.readFileSync(path.join(procRoot, String(pid), 'stat'), 'utf8');
    // Field 2 (comm) is in parentheses and may hold spaces: count from the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** The start time of a process in clock ticks since boot, where /proc tells it. */
export function processStartTicks(pid: number, procRoot = '/proc'): number | undefined {
  const fields = procStat(pid, procRoot);
  const ticks = Number(fields?.[19]);
  return fields && Number.isFinite(ticks) ? ticks : undefined;
}

/** A process that has exited but was not reaped yet (Linux). */
function isZombie(pid: number): boolean {
  return procStat(pid)?.[0] === 'Z';
}

export function readHostServiceLock(paths: HomePaths): HostServiceLock | undefined {
  let text: string | undefined;
  try {
    text = readFileIfExists(paths.pid);
  } catch {
    return undefined;
  }
  if (text === undefined) return undefined;
  try {
    const value = JSON.parse(text) as HostServiceLock;
    return Number.isInteger(value.pid) && value.pid > 0
      ? {
          pid: value.pid,
          startedAt: String(value.startedAt ?? 'at an unknown time'),
          ...(typeof value.processStart === 'number' ? { processStart: value.processStart } : {}),
        }
      : undefined;
  } catch {
    // A bare pid, as other tools write them.
    const pid = Number(text.trim());
    return Number.isInteger(pid) && pid > 0 ? { pid, startedAt: 'at an unknown time' } : undefined;
  }
}

/** Whether the process named by a lock still runs it: alive, a host service, and started when the lock says. */
export function isLockLive(paths: HomePaths, lock: HostServiceLock): boolean {
  if (lock.pid === process.pid) return heldHere.has(paths.home);
  if (!isHostServiceProcess(lock.pid) || isZombie(lock.pid)) return false;
  if (lock.processStart !== undefined) {
    const now = processStartTicks(lock.pid);
    if (now !== undefined && now !== lock.processStart) return false;
  }
  return true;
}

/** The live host service of a home, or undefined when none runs (a stale pid file does not count). */
export function runningHostService(paths: HomePaths): HostServiceLock | undefined {
  const lock = readHostServiceLock(paths);
  return lock && isLockLive(paths, lock) ? lock : undefined;
}

/**
 * Takes the home for this process' host service: writes the pid file, or throws HostServiceRunningError when a live
 * host service holds it. A pid file left by a process that is gone (or whose pid now belongs to something else) is
 * taken over.
 */
export function acquireHostServiceLock(paths: HomePaths, now: () => Date = () => new Date()): HostServiceLock {
  ensureHomeDirectory(paths.home);
  const lock: HostServiceLock = {
    pid: process.pid,
    startedAt: now().toISOString(),
    ...optionalStart(processStartTicks(process.pid)),
  };
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      fs.writeFileSync(paths.pid, `${JSON.stringify(lock)}\n`, { mode: 0o600, flag: 'wx' });
      heldHere.add(paths.home);
      return lock;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST')
        throw new HomeError(`Cannot write ${paths.pid}: ${(error as Error).message}`);
    }
    const holder = readHostServiceLock(paths);
    if (holder && isLockLive(paths, holder)) throw new HostServiceRunningError(paths.home, holder);
    // Stale: remove it and try again (another starter may win the race; then it holds the home).
    fs.rmSync(paths.pid, { force: true });
  }
  throw new HomeError(`Cannot take ${paths.pid}: other processes keep changing it.`);
}

/** Gives the home back: removes the pid file if it is still ours. */
export function releaseHostServiceLock(paths: HomePaths): void {
  if (!heldHere.delete(paths.home)) return;
  const lock = readHostServiceLock(paths);
  if (lock?.pid === process.pid) fs.rmSync(paths.pid, { force: true });
}

/** Removes a pid file that no live process holds (after `stop`, or a crash). */
export function clearStaleLock(paths: HomePaths): void {
  const lock = readHostServiceLock(paths);
  if (lock && !isLockLive(paths, lock)) fs.rmSync(paths.pid, { force: true });
}

function optionalStart(ticks: number | undefined): { processStart?: number } {
  return ticks === undefined ? {} : { processStart: ticks };
}

/** What a benchmark reads of its child processes from /proc (Linux; undefined elsewhere). */
import * as fs from 'node:fs';

/** A process's CPU time so far (user + system) in ms. USER_HZ is 100 on Linux. */
export function cpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

/** The highest resident set size the process reached, in MiB. */
export function peakRssMb(pid: number | undefined): number | undefined {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Math.round(Number(match[1]) / 1024) : undefined;
  } catch {
    return undefined;
  }
}

/** The node `bin/shir.js` relaunched with a bounded heap: the launcher's only child (the pid itself without one). */
export function relaunchedPid(pid: number | undefined): number | undefined {
  try {
    const children = fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/);
    return children[0] ? Number(children[0]) : pid;
  } catch {
    return pid;
  }
}

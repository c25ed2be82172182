import * as fs from 'node:fs';
import * as path from 'node:path';
import { readRuntimeEnvironment } from '../environment';
import { machineInfo } from '../machine';

/**
 * The documented recommendation for a self-hosted integration runtime machine (Microsoft's "recommended minimum
 * configuration": 2 GHz, 4 cores, 8 GB RAM, 80 GB of available disk space). `register` and `start` warn below it,
 * never fail: the reference runtime runs fine on less.
 */
export const RECOMMENDED = { cores: 4, memoryGb: 8, freeDiskGb: 80 } as const;

export interface MachineResources {
  cores: number;
  memoryMb: number;
  /** Free disk where the home is, in MB; undefined when it cannot be told. */
  freeDiskMb?: number;
}

/** One warning line per resource below the recommendation. */
export function machineWarnings(machine: MachineResources): string[] {
  const warnings: string[] = [];
  const tail = 'the recommended minimum for a self-hosted integration runtime is';
  if (machine.cores < RECOMMENDED.cores)
    warnings.push(
      `warning: this machine has ${machine.cores} core${machine.cores === 1 ? '' : 's'}; ${tail} ${RECOMMENDED.cores}.`,
    );
  const memoryGb = machine.memoryMb / 1024;
  // Machines sold as 8 GB report a little less: allow 5 %.
  if (memoryGb < RECOMMENDED.memoryGb * 0.95)
    warnings.push(`warning: this machine has ${formatGb(memoryGb)} GB of memory; ${tail} ${RECOMMENDED.memoryGb} GB.`);
  if (machine.freeDiskMb !== undefined) {
    const diskGb = machine.freeDiskMb / 1024;
    if (diskGb < RECOMMENDED.freeDiskGb)
      warnings.push(
        `warning: the disk of the home has ${formatGb(diskGb)} GB free; ${tail} ${RECOMMENDED.freeDiskGb} GB of free disk.`,
      );
  }
  return warnings;
}

/** Free disk space (MB) of the file system holding `dir` (or its nearest existing parent). */
export function freeDiskMb(dir: string): number | undefined {
  let current = path.resolve(dir);
  for (;;) {
    try {
      const stats = fs.statfsSync(current);
      return Math.floor((Number(stats.bavail) * Number(stats.bsize)) / 1048576);
    } catch {
      const parent = path.dirname(current);
      if (parent === current) return undefined;
      current = parent;
    }
  }
}

/** Checks this machine against the recommendation; `warn` gets each warning line. Set SHIR_SKIP_MACHINE_CHECK=1 (or true) to skip. */
export function checkMachine(
  home: string,
  warn: (line: string) => void,
  env: NodeJS.ProcessEnv = process.env,
): string[] {
  if (readRuntimeEnvironment(env).skipMachineCheck) return [];
  const { cores, memoryMb } = machineInfo();
  const warnings = machineWarnings({ cores, memoryMb, freeDiskMb: freeDiskMb(home) });
  for (const line of warnings) warn(line);
  return warnings;
}

function formatGb(gb: number): string {
  return gb >= 10 ? String(Math.round(gb)) : String(Math.round(gb * 10) / 10);
}

/**
 * maxConcurrentJobs of a node, from its cores and memory. Microsoft publishes no formula (only that it depends
 * on cores and RAM), so the emulator publishes its own: 2 jobs per core plus 1 per 4 GiB of memory, 2 to 64.
 */
export function maxConcurrentJobsFor(cores: number, memoryMb: number): number {
  return Math.min(64, Math.max(2, 2 * cores + Math.floor(memoryMb / 4096)));
}

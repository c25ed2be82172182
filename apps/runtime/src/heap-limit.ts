/**
 * The `shir` launcher bounds the runtime's heap: a scan holds a bounded window of files, so a node that needs more
 * than this is leaking, and without a bound V8 grows the heap to a quarter of the machine's memory before it
 * collects in earnest (the node then looks like it needs hundreds of MiB). A limit the user set wins.
 */
export const DEFAULT_MAX_OLD_SPACE_MB = 96;

const LIMIT_FLAG = /(^|\s)--max[-_]old[-_]space[-_]size(=|\s|$)/;

/** The flag to relaunch with, or undefined when the node flags or NODE_OPTIONS already set a limit. */
export function heapLimitFlag(execArgv: readonly string[], nodeOptions: string | undefined): string | undefined {
  if (execArgv.some((arg) => LIMIT_FLAG.test(arg)) || LIMIT_FLAG.test(nodeOptions ?? '')) return undefined;
  return `--max-old-space-size=${DEFAULT_MAX_OLD_SPACE_MB}`;
}

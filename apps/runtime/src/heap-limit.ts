/**
 * The `shir` launcher bounds the runtime's heap: without a bound V8 grows the heap to a quarter of the machine's
 * memory before it collects in earnest (the node then looks like it needs hundreds of MiB). The bound leaves room for
 * what a scan really holds at once — two 4 MiB batches (one uploading, one filling) as strings and request bodies,
 * the read window, the Azure SDK's modules: 64 MiB ran out of heap scanning 20,000 blobs (bench:scan). A limit the
 * user set wins.
 */
export const DEFAULT_MAX_OLD_SPACE_MB = 256;
/** The young generation's semi-spaces (default 16 MiB each, three of them resident at worst). */
export const DEFAULT_MAX_SEMI_SPACE_MB = 4;

const flagPattern = (name: string) => new RegExp(`(^|\\s)--${name.replace(/-/g, '[-_]')}(=|\\s|$)`);
const OLD_SPACE = flagPattern('max-old-space-size');
const SEMI_SPACE = flagPattern('max-semi-space-size');

/** The flags to relaunch with, or undefined when the node flags or NODE_OPTIONS already set a heap limit. */
export function heapLimitFlags(execArgv: readonly string[], nodeOptions: string | undefined): string[] | undefined {
  const set = (pattern: RegExp) => execArgv.some((arg) => pattern.test(arg)) || pattern.test(nodeOptions ?? '');
  if (set(OLD_SPACE)) return undefined;
  return [
    `--max-old-space-size=${DEFAULT_MAX_OLD_SPACE_MB}`,
    ...(set(SEMI_SPACE) ? [] : [`--max-semi-space-size=${DEFAULT_MAX_SEMI_SPACE_MB}`]),
  ];
}

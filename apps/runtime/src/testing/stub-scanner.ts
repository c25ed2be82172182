import type { ScannedAsset } from '@purview-emulator/contracts';
import type { Scanner, ScannerOptions, ScannerStats } from '../host-service/scanner';

export interface StubScannerScript {
  /** Assets to emit, in order. */
  assets: ScannedAsset[];
  /** Throw this after emitting all assets. */
  failWith?: Error;
  /** Wait (until aborted) after emitting this many assets. */
  hangAfter?: number;
  /** Files that "could not be read": counted in stats.assetsFailed and listed in `failures`. */
  failures?: { qualifiedName: string; reason: string }[];
}

/** A scanner that emits scripted assets and counts them like the scan engine: classified = has classifications. */
export function stubScanner(
  script: StubScannerScript,
  seen?: { options?: ScannerOptions; aborted?: boolean },
): Scanner {
  return (_source, options) => {
    if (seen) seen.options = options;
    const stats: ScannerStats = {
      assetsDiscovered: 0,
      assetsClassified: 0,
      assetsFailed: script.failures?.length ?? 0,
    };
    return {
      stats,
      failures: script.failures,
      async *[Symbol.asyncIterator]() {
        const hangIfDue = async (emitted: number) => {
          if (script.hangAfter !== emitted) return;
          if (!options.signal.aborted)
            await new Promise<void>((resolve) =>
              options.signal.addEventListener('abort', () => resolve(), { once: true }),
            );
          if (seen) seen.aborted = true;
          options.signal.throwIfAborted();
        };
        let emitted = 0;
        for (const asset of script.assets) {
          await hangIfDue(emitted);
          options.signal.throwIfAborted();
          stats.assetsDiscovered++;
          if (asset.classifications?.length) stats.assetsClassified++;
          emitted++;
          options.onProgress?.({ ...stats });
          yield asset;
        }
        await hangIfDue(emitted);
        if (script.failWith) throw script.failWith;
      },
    };
  };
}

export function asset(i: number, options: { classified?: boolean; padding?: number } = {}): ScannedAsset {
  return {
    typeName: 'azure_blob_path',
    attributes: {
      qualifiedName: `https://devstoreaccount1.blob.core.windows.net/c/file-${i}.csv`,
      name: `file-${i}.csv`,
      ...(options.padding ? { description: 'x'.repeat(options.padding) } : {}),
    },
    ...(options.classified ? { classifications: [{ typeName: 'MICROSOFT.PERSONAL.EMAIL' }] } : {}),
  };
}

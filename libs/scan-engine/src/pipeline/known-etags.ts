import type { BlobInfo } from '../connectors';

/** A listed blob and, when looked up, the ETag earlier runs recorded for it. */
export interface ListedBlob {
  blob: BlobInfo;
  knownEtag?: string;
}

/** Blobs looked up at once: one call per chunk of the listing, and a chunk is all that is held. */
export const KNOWN_ETAGS_CHUNK = 500;

export interface KnownEtagsLookup {
  /** Which blobs need their recorded ETag. */
  needs: (blob: BlobInfo) => boolean;
  keyOf: (blob: BlobInfo) => string;
  lookup: (keys: string[]) => Promise<ReadonlyMap<string, string>>;
}

/** The listing, in order, with each blob's recorded ETag where `lookup` needs one (looked up chunk by chunk). */
export async function* withKnownEtags(
  listing: AsyncIterable<BlobInfo>,
  lookup?: KnownEtagsLookup,
  chunkSize = KNOWN_ETAGS_CHUNK,
): AsyncGenerator<ListedBlob> {
  if (!lookup) {
    for await (const blob of listing) yield { blob };
    return;
  }
  let chunk: BlobInfo[] = [];
  const release = async function* (): AsyncGenerator<ListedBlob> {
    const keys = chunk.filter(lookup.needs).map(lookup.keyOf);
    const known = keys.length ? await lookup.lookup(keys) : new Map<string, string>();
    const blobs = chunk;
    chunk = [];
    for (const blob of blobs) yield { blob, knownEtag: lookup.needs(blob) ? known.get(lookup.keyOf(blob)) : undefined };
  };
  for await (const blob of listing) {
    chunk.push(blob);
    if (chunk.length >= chunkSize) yield* release();
  }
  if (chunk.length) yield* release();
}

import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { BlobVersion } from '@purview-emulator/contracts';

/** Rows per statement (3 parameters each, well under SQLite's limit). */
const CHUNK = 300;

/**
 * Incremental scans by ETag: the ETag each scan last saw for each blob (runtimes send them with their ingestion
 * batches), looked up by an incremental run for the blobs whose Last-Modified alone says unchanged. Rows stay until
 * the scan is deleted (cascade); a blob gone from storage is never looked up again.
 */
@Injectable()
export class ScanBlobEtags {
  /** Inside the batch's transaction. The last one ingested wins: a later run's batch carries the newer ETag. */
  async record(scanId: string, blobs: readonly BlobVersion[], manager: EntityManager): Promise<void> {
    const unique = [...new Map(blobs.map((b) => [b.qualifiedName, b])).values()];
    for (let i = 0; i < unique.length; i += CHUNK) {
      const chunk = unique.slice(i, i + CHUNK);
      await manager.query(
        `INSERT INTO scan_blob_etags (scan_id, qualified_name, etag) VALUES ${chunk.map(() => '(?, ?, ?)').join(', ')}
         ON CONFLICT (scan_id, qualified_name) DO UPDATE SET etag = excluded.etag`,
        chunk.flatMap((b) => [scanId, b.qualifiedName, b.etag]),
      );
    }
  }

  /** The recorded ETags of those of `qualifiedNames` that have one. */
  async lookup(
    scanId: string,
    qualifiedNames: readonly string[],
    manager: EntityManager,
  ): Promise<Record<string, string>> {
    const etags: Record<string, string> = {};
    for (let i = 0; i < qualifiedNames.length; i += CHUNK) {
      const chunk = qualifiedNames.slice(i, i + CHUNK);
      const rows = await manager.query<{ qualified_name: string; etag: string }[]>(
        `SELECT qualified_name, etag FROM scan_blob_etags WHERE scan_id = ? AND qualified_name IN (${chunk
          .map(() => '?')
          .join(', ')})`,
        [scanId, ...chunk],
      );
      for (const row of rows) etags[row.qualified_name] = row.etag;
    }
    return etags;
  }
}

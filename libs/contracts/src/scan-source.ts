/**
 * What a node reads: the source a scan job or an interactive-authoring request hands it. Its own file so that the
 * runtime protocol and interactive authoring both use it without importing each other.
 */
import { z } from 'zod';

/** Which part of a storage scan spread across several nodes a job scans (see `blobPartitionOf`). */
export const ScanPartitionSchema = z
  .object({ index: z.number().int().min(0), count: z.number().int().min(1) })
  .refine((p) => p.index < p.count, { message: 'partition.index must be less than partition.count' });
export type ScanPartition = z.infer<typeof ScanPartitionSchema>;

/** Where a storage scan reads from: the real-looking names for assets, the Azurite URL and a read/list SAS for bytes. */
export const AzureStorageScanSourceSchema = z.object({
  kind: z.literal('AzureStorage', {
    errorMap: () => ({ message: "source.kind must be 'AzureStorage': nodes read storage sources only" }),
  }),
  /** The data source endpoint as registered, e.g. https://devstoreaccount1.blob.core.windows.net/ */
  endpoint: z.string().min(1),
  accountName: z.string().min(1),
  /** Base of every asset's qualifiedName, e.g. https://devstoreaccount1.blob.core.windows.net */
  qualifiedNameBase: z.string().min(1),
  /** Where the bytes really are, e.g. http://127.0.0.1:10000/devstoreaccount1 */
  serviceUrl: z.string().url(),
  /** Account SAS (service+container+object, read+list), without the leading '?'. */
  sasToken: z.string().min(1),
  /** Containers that are not part of the source (the emulator's own ingestion container when it shares the account). */
  excludeContainers: z.array(z.string()).optional(),
  /**
   * Set when a storage scan is spread across several nodes: this job scans only the blobs whose
   * `blobPartitionOf(name, count)` equals `index` (every part lists the whole source; each reads only its share).
   */
  partition: ScanPartitionSchema.optional(),
  /**
   * Set for an incremental run: read only the blobs created or modified at or after this instant (the start of the
   * scan's last successful run); the data map keeps what the others produced before.
   */
  modifiedSince: z.string().datetime({ offset: true }).optional(),
});
export type AzureStorageScanSource = z.infer<typeof AzureStorageScanSourceSchema>;

/** Which part of a spread storage scan a blob belongs to: FNV-1a of its full name (container/path), modulo count. */
export function blobPartitionOf(name: string, count: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    hash ^= name.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % count;
}

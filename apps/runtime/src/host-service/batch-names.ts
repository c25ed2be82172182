import { createHash } from 'node:crypto';
import type { ScanJob } from '@purview-emulator/contracts';

/** Namespace of batch ids (a fixed random UUID): batch ids are name-based UUIDs (version 5) within it. */
const BATCH_NAMESPACE = Buffer.from('9b0c4f5e1d2a4e7f8a3b6c5d4e3f2a1b', 'hex');

/**
 * The id of batch `sequence` of a job: a UUID derived from the job id and the sequence, so the same batch keeps its
 * id when it is uploaded again — after a retry, a redelivery or a later attempt of the same run — and the emulator,
 * which counts each batchId once, never counts it twice.
 */
export function batchIdFor(jobId: string, sequence: number): string {
  const hash = createHash('sha1').update(BATCH_NAMESPACE).update(`${jobId}/${sequence}`, 'utf8').digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** `${blobPrefix}${jobId}-00001.json`: the blob of batch `sequence` (from 1) in the ingestion container. */
export function batchBlobName(job: Pick<ScanJob, 'jobId' | 'ingestion'>, sequence: number): string {
  return `${job.ingestion.blobPrefix}${job.jobId}-${String(sequence).padStart(5, '0')}.json`;
}

import { type ZodIssue, z } from 'zod';
import {
  IngestionBatchSchema,
  IngestionMessage,
  IngestionMessageSchema,
  NON_COUNTED_TYPENAMES,
  ScannedAsset,
  ScannedAssetSchema,
} from '@purview-emulator/contracts';

/** Why a message or batch can never be ingested; carries the run when it could be read. */
export class IngestionFormatError extends Error {
  constructor(
    message: string,
    readonly runId?: string,
  ) {
    super(message);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The runId of a message that may be malformed, when it has one. */
function runIdIn(value: unknown): string | undefined {
  return isObject(value) && typeof value.runId === 'string' && value.runId !== '' ? value.runId : undefined;
}

/** Queue messages may be plain JSON or base64-encoded JSON (Azure Functions' convention). */
function decodeJson(text: string): unknown {
  const trimmed = text.trim();
  try {
    return JSON.parse(trimmed);
  } catch {
    if (/^[A-Za-z0-9+/=_-]+$/.test(trimmed)) {
      try {
        return JSON.parse(Buffer.from(trimmed, 'base64').toString('utf8'));
      } catch {
        /* fall through */
      }
    }
    throw new IngestionFormatError('the message is neither JSON nor base64-encoded JSON');
  }
}

/** The run a message belongs to, when it can be read at all (for failing the run of a poison message). */
export function runIdOf(text: string): string | undefined {
  try {
    return runIdIn(decodeJson(text));
  } catch {
    return undefined;
  }
}

export function parseIngestionMessage(text: string): IngestionMessage {
  const value = decodeJson(text);
  const result = IngestionMessageSchema.safeParse(value);
  if (!result.success) throw new IngestionFormatError(result.error.issues[0].message, runIdIn(value));
  return result.data;
}

/** The batch as the contract has it, but with its assets unchecked: an invalid asset is skipped, not the batch. */
const BatchEnvelopeSchema = IngestionBatchSchema.extend({ assets: z.array(z.unknown()) });

export interface ParsedBatch {
  batch: z.infer<typeof BatchEnvelopeSchema>;
  valid: ScannedAsset[];
  /** Assets that cannot be written, with the reason (counted as failed, the rest of the batch is ingested). */
  invalid: { index: number; typeName?: string; problem: string }[];
}

function describeIssues(issues: ZodIssue[]): string {
  return issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');
}

export function parseIngestionBatch(text: string, message: IngestionMessage): ParsedBatch {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new IngestionFormatError(`blob '${message.blobName}' is not valid JSON`, message.runId);
  }
  // A blob holding another batch is named as such, whatever else is wrong with it.
  if (isObject(value) && (value.runId !== message.runId || value.batchId !== message.batchId)) {
    throw new IngestionFormatError(
      `blob '${message.blobName}' holds batch ${String(value.batchId)} of run ${String(value.runId)}, not batch ${message.batchId} of run ${message.runId}`,
      message.runId,
    );
  }
  const envelope = BatchEnvelopeSchema.safeParse(value);
  if (!envelope.success)
    throw new IngestionFormatError(
      `blob '${message.blobName}' is not an IngestionBatch: ${describeIssues(envelope.error.issues)}`,
      message.runId,
    );
  const valid: ScannedAsset[] = [];
  const invalid: ParsedBatch['invalid'] = [];
  envelope.data.assets.forEach((asset, index) => {
    const result = ScannedAssetSchema.safeParse(asset);
    if (result.success) valid.push(result.data);
    else
      invalid.push({
        index,
        typeName: isObject(asset) && typeof asset.typeName === 'string' ? asset.typeName : undefined,
        problem: result.error.issues[0].message,
      });
  });
  return { batch: envelope.data, valid, invalid };
}

/** Assets as scan statistics count them: schemas and columns describe another asset and are not counted. */
export function countedAssets(typeNames: readonly (string | undefined)[]): number {
  return typeNames.filter((t) => t === undefined || !NON_COUNTED_TYPENAMES.has(t)).length;
}
